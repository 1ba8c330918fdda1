// A streaming RFC 4180 tokenizer over decoded string chunks. Rows are found
// with native indexOf on '\n', ',' and '"' and cut with slice; nothing is
// built a character at a time. A row cut by the end of a chunk is re-read
// once the next chunk arrives (only the unfinished tail is carried over).

/** Receives each record. Returning true pauses the tokenizer (a batch is full). */
export interface RowSink {
  /**
   * `cells[0..n)` are the row's cells, unquoted, untrimmed; the array is
   * reused for the next row. `row` is the 1-based record number (header = 1,
   * blank lines counted, quoted newlines not). `mixed` = the row holds U+FFFD.
   */
  onRow(cells: string[], n: number, row: number, mixed: boolean): boolean;
  /** A quote that never closes: the physical line is given up as one row. */
  onUnclosedQuote(line: string, row: number): boolean;
}

/** A quoted cell longer than this is taken to be a stray, never-closed quote. */
const MAX_ROW_CHARS = 4 << 20;

export class CsvTokenizer {
  private buf = '';
  private pos = 0;
  private row = 0;
  private readonly cells: string[] = [];
  /** Index of the next U+FFFD at or after `pos` in buf; -2 = not searched yet, -1 = none. */
  private nextBad = -2;

  /**
   * The next decoded chunk, read after `buf` is done. Kept apart so that the
   * unfinished row carried over from the previous chunk is completed in a
   * small string instead of by concatenating (and flattening) the whole chunk.
   */
  private tail: string | null = null;
  private tailFrom = 0;

  /** Adds decoded text; call only after run() returned false. */
  push(text: string): void {
    if (text.length === 0) return;
    this.nextBad = -2;
    if (this.tail !== null) {
      this.tail = this.tail.slice(this.tailFrom) + text;
      this.tailFrom = 0;
      return;
    }
    if (this.pos >= this.buf.length) {
      this.buf = text;
      this.pos = 0;
      return;
    }
    const rest = this.buf.slice(this.pos);
    this.pos = 0;
    const k = text.indexOf('\n');
    if (k < 0 || k + 1 === text.length) {
      this.buf = rest + text;
      return;
    }
    this.buf = rest + text.slice(0, k + 1);
    this.tail = text;
    this.tailFrom = k + 1;
  }

  /**
   * Reads rows until the buffer runs out (false) or the sink asks to pause
   * (true; call again to go on). With `final` the buffer is the end of file.
   */
  run(sink: RowSink, final: boolean): boolean {
    for (;;) {
      if (this.runBuf(sink, final && this.tail === null)) return true;
      const tail = this.tail;
      if (tail === null) return false;
      if (this.pos < this.buf.length) {
        // The last row of buf goes on into the tail (a quoted line break).
        this.buf = this.buf.slice(this.pos) + tail.slice(this.tailFrom);
        this.pos = 0;
      } else {
        this.buf = tail;
        this.pos = this.tailFrom;
      }
      this.tail = null;
      this.nextBad = -2;
    }
  }

  private runBuf(sink: RowSink, final: boolean): boolean {
    const buf = this.buf;
    const len = buf.length;
    const cells = this.cells;
    let pos = this.pos;
    while (pos < len) {
      const rowStart = pos;
      let nl = buf.indexOf('\n', pos);
      if (nl < 0) {
        if (!final) break;
        nl = len;
      }
      let lineEnd = nl > pos && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      let n = 0;
      let p = pos;
      let state = 0; // 0 complete, 1 need more data, 2 unclosed quote
      for (;;) {
        let v: string;
        if (p < lineEnd && buf.charCodeAt(p) === 34) {
          let j = p + 1;
          let esc = false;
          let q: number;
          for (;;) {
            q = buf.indexOf('"', j);
            if (q < 0) break;
            if (q + 1 < len && buf.charCodeAt(q + 1) === 34) {
              esc = true;
              j = q + 2;
              continue;
            }
            break;
          }
          if (q < 0) {
            state = final || len - rowStart > MAX_ROW_CHARS ? 2 : 1;
            break;
          }
          if (q + 1 >= len && !final) {
            state = 1; // the next chunk may start with '"'
            break;
          }
          v = buf.slice(p + 1, q);
          if (esc) v = v.replaceAll('""', '"');
          p = q + 1;
          if (p > lineEnd) {
            // The cell held line breaks: the record ends at a later '\n'.
            nl = buf.indexOf('\n', p);
            if (nl < 0) {
              if (!final) {
                state = 1;
                break;
              }
              nl = len;
            }
            lineEnd = nl > p && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
          }
          if (p < lineEnd && buf.charCodeAt(p) !== 44) {
            // Text after the closing quote ("a"b): kept as read.
            let c = buf.indexOf(',', p);
            if (c < 0 || c > lineEnd) c = lineEnd;
            v += buf.slice(p, c);
            p = c;
          }
        } else {
          let c = buf.indexOf(',', p);
          if (c < 0 || c > lineEnd) c = lineEnd;
          v = buf.slice(p, c);
          p = c;
        }
        cells[n++] = v;
        if (p < lineEnd) {
          p++; // the comma
          continue;
        }
        break;
      }
      if (state === 1) break;
      if (state === 2) {
        // Give up the physical line the quote opened on; go on after it.
        let e = buf.indexOf('\n', rowStart);
        if (e < 0) e = len;
        const line = buf.slice(rowStart, e > rowStart && buf.charCodeAt(e - 1) === 13 ? e - 1 : e);
        pos = e + 1;
        this.row++;
        if (sink.onUnclosedQuote(line, this.row)) {
          this.pos = pos;
          return true;
        }
        continue;
      }
      pos = nl + 1;
      this.row++;
      let bad = this.nextBad;
      if (bad === -2 || (bad >= 0 && bad < rowStart)) bad = this.nextBad = buf.indexOf('\uFFFD', rowStart);
      if (sink.onRow(cells, n, this.row, bad >= 0 && bad < nl)) {
        this.pos = pos;
        return true;
      }
    }
    this.pos = pos > len ? len : pos;
    return false;
  }
}
