// A 200 MB CSV streams through the parser with bounded memory: the file is
// never held whole, and batches are released as they are consumed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFile } from '../../backend/src/ingest/parse';
import { makeIdNumber } from '../../backend/src/ledger/id-number';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'big-csv-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function writeBigCsv(file: string, targetBytes: number): Promise<number> {
  const out = fs.createWriteStream(file);
  out.write('记录编号,身份证号,服务时间,服务类型,联系方式,联系结果,县区代码,服务人员,备注\r\n');
  const valid = Array.from({ length: 5000 }, (_, i) => makeIdNumber('220102', String(19900101 + (i % 28)), i % 1000));
  let bytes = 0;
  let rows = 0;
  while (bytes < targetBytes) {
    const chunk: string[] = [];
    for (let i = 0; i < 5000; i++, rows++) {
      chunk.push(`FW${String(rows).padStart(9, '0')},${valid[rows % valid.length]},2022-08-${String((rows % 28) + 1).padStart(2, '0')} 10:00:00,岗位推介,电话,,220102,王老师,"推荐岗位：会计助理, 长春"\r\n`);
    }
    const s = chunk.join('');
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
  return rows;
}

describe('a 200 MB CSV', () => {
  it('parses every row with memory that stays bounded', async () => {
    const file = path.join(dir, 'services-200mb.csv');
    const rows = await writeBigCsv(file, 200 * 2 ** 20);
    expect(fs.statSync(file).size).toBeGreaterThan(200 * 2 ** 20);
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    let accepted = 0;
    let rejected = 0;
    const gen = parseFile(file);
    for (;;) {
      const n = await gen.next();
      if (n.done) break;
      accepted += n.value.accepted.length;
      rejected += n.value.rejected.length;
    }
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(accepted).toBe(rows);
    expect(rejected).toBe(0);
    // The file is 200 MB (400 MB as JavaScript strings); the parser holds a chunk and a batch at a time.
    expect((peak - before) / 2 ** 20).toBeLessThan(300);
  }, 180_000);
});
