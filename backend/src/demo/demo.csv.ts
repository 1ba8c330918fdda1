// CSV output for the demo generator: RFC 4180 cells, CRLF rows, UTF-8 with
// BOM (as Excel writes), buffered into ~1 MB chunks written through an fs
// write stream with backpressure. Plus fast 2022 date/time formatting.
import * as fs from 'node:fs';
import { finished } from 'node:stream/promises';

/** Quotes a cell when it holds a comma, a quote or a line break (RFC 4180). */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows are gathered in a short string (young-generation garbage only) … */
const STAGE_CHARS = 16 * 1024;
/** … encoded into ~1 MB buffers, which are handed to the write stream. */
const CHUNK_BYTES = 1 << 20;
const CHUNK_CAPACITY = CHUNK_BYTES + STAGE_CHARS * 3 + 16 * 1024;

export class CsvSink {
  rows = 0;
  private stage = '';
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK_CAPACITY);
  private used = 0;
  private readonly ready: Buffer[] = [];
  private readonly ws: fs.WriteStream;
  private error: Error | null = null;

  constructor(readonly path: string, headers: readonly string[]) {
    this.ws = fs.createWriteStream(path, { highWaterMark: 4 << 20 });
    this.ws.on('error', (e: Error) => {
      this.error = e;
    });
    this.stage = `\uFEFF${headers.map(csvCell).join(',')}\r\n`;
  }

  /** Appends one row (already joined and quoted, without the line end). */
  row(line: string): void {
    this.stage += line + '\r\n';
    this.rows++;
    if (this.stage.length >= STAGE_CHARS) this.encodeStage();
  }

  /** Whether a full chunk waits to be written (call flush() soon). */
  get full(): boolean {
    return this.ready.length > 0;
  }

  async flush(): Promise<void> {
    if (this.error) throw this.error;
    for (let b = this.ready.shift(); b !== undefined; b = this.ready.shift()) {
      if (!this.ws.write(b)) await this.drain();
    }
  }

  async close(): Promise<void> {
    this.encodeStage();
    if (this.used > 0) this.ready.push(this.chunk.subarray(0, this.used));
    this.used = 0;
    await this.flush();
    this.ws.end();
    await finished(this.ws);
    if (this.error) throw this.error;
  }

  destroy(): void {
    this.ws.destroy();
  }

  private encodeStage(): void {
    if (this.stage.length === 0) return;
    // UTF-8 needs at most 3 bytes per UTF-16 unit; normally a stage fits the chunk's headroom.
    const worst = this.stage.length * 3;
    if (this.used + worst > this.chunk.length) {
      if (this.used > 0) this.ready.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_CAPACITY, worst));
      this.used = 0;
    }
    this.used += this.chunk.write(this.stage, this.used, 'utf8');
    this.stage = '';
    if (this.used >= CHUNK_BYTES) {
      this.ready.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafe(CHUNK_CAPACITY);
      this.used = 0;
    }
  }

  private drain(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onDrain = (): void => {
        this.ws.off('error', onError);
        resolve();
      };
      const onError = (e: Error): void => {
        this.ws.off('drain', onDrain);
        reject(e);
      };
      this.ws.once('drain', onDrain);
      this.ws.once('error', onError);
    });
  }
}

// Time is kept as integer seconds since 2022-01-01 00:00:00 (Asia/Shanghai wall clock).
export const SEC_PER_DAY = 86_400;
export const DAYS_2022 = 365;
/** 2022-12-31 23:59:59. */
export const END_SEC = DAYS_2022 * SEC_PER_DAY - 1;

const DAY0_MS = Date.UTC(2022, 0, 1);
const DAY_STR: readonly string[] = Array.from({ length: DAYS_2022 }, (_, d) =>
  new Date(DAY0_MS + d * 86_400_000).toISOString().slice(0, 10),
);
const P2: readonly string[] = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/** Day index (0 = 2022-01-01) → 'YYYY-MM-DD'. */
export function fmtDate(day: number): string {
  const s = DAY_STR[day];
  if (s === undefined) throw new RangeError(`day ${day} outside 2022`);
  return s;
}

/** Seconds since 2022-01-01 → 'YYYY-MM-DD HH:mm:ss'. */
export function fmtDateTime(sec: number): string {
  const day = Math.floor(sec / SEC_PER_DAY);
  let rest = sec - day * SEC_PER_DAY;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  return `${fmtDate(day)} ${P2[h]!}:${P2[m]!}:${P2[rest - m * 60]!}`;
}

/** Day index of a 2022 date given month (1–12) and day of month. */
export function dayOf(month: number, dayOfMonth: number): number {
  return Math.round((Date.UTC(2022, month - 1, dayOfMonth) - DAY0_MS) / 86_400_000);
}
