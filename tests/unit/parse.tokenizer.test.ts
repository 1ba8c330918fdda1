// The streaming CSV tokenizer against a plain reference RFC 4180 reader, on
// random rows cut into random chunks (quotes, commas, CR/LF and Chinese text
// falling on chunk boundaries).
import { describe, expect, it } from 'vitest';
import { CsvTokenizer, type RowSink } from '../../backend/src/ingest/parse/csv';

function reference(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      cell += c; i++; continue;
    }
    if (c === '"' && cell === '') { quoted = true; i++; continue; }
    if (c === ',') { row.push(cell); cell = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { i++; continue; }
    if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; continue; }
    cell += c; i++;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('CsvTokenizer', () => {
  it('matches a reference reader whatever the chunk boundaries', () => {
    const r = rng(42);
    const pieces = ['a', '联系', '220102', ' ', '', 'x"y', '多行\n文本', 'q,r', '""', '\r\n'];
    for (let round = 0; round < 200; round++) {
      const rows: string[][] = [];
      const nRows = 1 + Math.floor(r() * 30);
      for (let i = 0; i < nRows; i++) {
        const cells: string[] = [];
        const nCells = 1 + Math.floor(r() * 6);
        for (let j = 0; j < nCells; j++) {
          let v = '';
          for (let k = Math.floor(r() * 3); k > 0; k--) v += pieces[Math.floor(r() * pieces.length)];
          if (i === 0 && j === 0 && v === '') v = 'h'; // keep the first row non-empty
          cells.push(v);
        }
        rows.push(cells);
      }
      const eol = r() < 0.5 ? '\n' : '\r\n';
      const text = rows.map((cells) => cells.map((c) => (/[",\r\n]/.test(c) || c.startsWith(' ') ? `"${c.replaceAll('"', '""')}"` : c)).join(',')).join(eol) + (r() < 0.5 ? eol : '');
      const got: string[][] = [];
      const nums: number[] = [];
      const sink: RowSink = {
        onRow: (cells, n, row) => { got.push(cells.slice(0, n)); nums.push(row); return r() < 0.1; },
        onUnclosedQuote: () => { throw new Error('unexpected unclosed quote'); },
      };
      const tok = new CsvTokenizer();
      let at = 0;
      while (at < text.length) {
        const len = 1 + Math.floor(r() * 12);
        tok.push(text.slice(at, at + len));
        at += len;
        while (tok.run(sink, false)) { /* paused: resume */ }
      }
      while (tok.run(sink, true)) { /* paused: resume */ }
      expect(got).toEqual(reference(text));
      expect(nums).toEqual(got.map((_, i) => i + 1));
    }
  });
});
