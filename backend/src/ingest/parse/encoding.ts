// CSV encoding: UTF-8 (with or without BOM) or GB18030/GBK, detected from the
// bytes. Rows that do not decode cleanly end up holding U+FFFD, which the
// row reader turns into a "mixed encoding" reject.

import * as iconv from 'iconv-lite';
import { FileRejected } from './types';

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030';

export interface Utf8Scan {
  /** Well-formed multi-byte sequences. */
  valid: number;
  /** Malformed bytes / sequences. */
  invalid: number;
  /** Well-formed sequences of 3 or 4 bytes (CJK text in UTF-8). */
  long: number;
}

/**
 * Counts well-formed and malformed UTF-8 sequences in buf[start, end).
 * A sequence cut by `end` is ignored when `cutOk` (a sample that is not the whole file).
 */
export function scanUtf8(buf: Uint8Array, start: number, end: number, cutOk: boolean): Utf8Scan {
  const r: Utf8Scan = { valid: 0, invalid: 0, long: 0 };
  let i = start;
  while (i < end) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const n = seqLen(buf, i, end);
    if (n > 0) {
      r.valid++;
      if (n >= 3) r.long++;
      i += n;
    } else if (n === 0 && cutOk) {
      break; // cut at the sample boundary: not evidence either way
    } else {
      r.invalid++;
      i++;
    }
  }
  return r;
}

/** Length of the well-formed UTF-8 sequence at i; -1 malformed; 0 cut short by `end`. */
function seqLen(buf: Uint8Array, i: number, end: number): number {
  const b = buf[i]!;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) n = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    n = 3;
    if (b === 0xe0) lo = 0xa0;
    else if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    n = 4;
    if (b === 0xf0) lo = 0x90;
    else if (b === 0xf4) hi = 0x8f;
  } else return -1;
  for (let k = 1; k < n; k++) {
    if (i + k >= end) return 0;
    const c = buf[i + k]!;
    if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return -1;
  }
  return n;
}

export interface Detected {
  encoding: CsvEncoding;
  /** Bytes of BOM to skip. */
  skip: number;
}

/**
 * Detects the encoding from the first bytes of the file. A BOM decides;
 * otherwise the header line decides when it holds non-ASCII text (valid
 * UTF-8 → UTF-8, else GB18030), and an ASCII header (English keys) leaves it
 * to the rest of the sample. Mixed files therefore follow their header, and
 * the rows in the other encoding are rejected one by one.
 */
export function detectEncoding(sample: Uint8Array, wholeFile: boolean): Detected {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8-bom', skip: 3 };
  if ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff)) {
    throw new FileRejected('文件为 UTF-16 编码（Excel 的“Unicode 文本”），请另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后再提交（UTF-16 is not supported）');
  }
  if (sample[0] === 0x84 && sample[1] === 0x31 && sample[2] === 0x95 && sample[3] === 0x33) return { encoding: 'gb18030', skip: 4 };
  let nl = sample.indexOf(0x0a);
  if (nl < 0) nl = sample.length;
  const head = scanUtf8(sample, 0, nl, !wholeFile && nl === sample.length);
  if (head.valid + head.invalid > 0) return { encoding: head.invalid === 0 ? 'utf-8' : 'gb18030', skip: 0 };
  const all = scanUtf8(sample, 0, sample.length, !wholeFile);
  if (all.invalid === 0 || all.valid > all.invalid) return { encoding: 'utf-8', skip: 0 };
  return { encoding: 'gb18030', skip: 0 };
}

export interface TextDecoderLike {
  write(chunk: Buffer): string;
  end(): string;
}

/**
 * GB18030 decoding that also catches UTF-8 lines inside a GB18030 file: GBK
 * bytes decode to *something* for almost any input, so a pasted UTF-8 row
 * would come out as plausible-looking garbage. A physical line that is
 * well-formed UTF-8 whose non-ASCII characters are all Chinese text (CJK
 * ideographs, CJK and full-width punctuation, the middle dot of minority
 * names), with at least one ideograph, is almost surely not GBK (GBK text
 * that happens to be such UTF-8 is ~1e-5 for a 3-character name and rarer
 * for longer text); it gets a 0xFF byte in front, which decodes to U+FFFD
 * and makes the row a "mixed encoding" reject. 0x0A never occurs inside a
 * GB18030 character, so lines can be cut on bytes.
 */
class Gb18030Decoder implements TextDecoderLike {
  private readonly dec = iconv.getDecoder('gb18030');
  private carry: Buffer | null = null;

  write(chunk: Buffer): string {
    // The carried bytes are copied: the caller reuses its read buffer.
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const last = buf.lastIndexOf(0x0a);
    if (last < 0) {
      this.carry = Buffer.from(buf);
      return '';
    }
    this.carry = last + 1 < buf.length ? Buffer.from(buf.subarray(last + 1)) : null;
    return this.dec.write(markUtf8Lines(buf.subarray(0, last + 1)));
  }

  end(): string {
    const rest = this.carry ? this.dec.write(markUtf8Lines(this.carry)) : '';
    this.carry = null;
    return rest + (this.dec.end() ?? '');
  }
}

function markUtf8Lines(buf: Buffer): Buffer {
  const end = buf.length;
  let marks: number[] | null = null;
  let lineStart = 0;
  let i = 0;
  let long = 0; // CJK ideographs seen on this line so far
  while (i < end) {
    const b = buf[i]!;
    if (b < 0x80) {
      if (b === 0x0a) {
        if (long > 0) (marks ??= []).push(lineStart);
        lineStart = i + 1;
        long = 0;
      }
      i++;
      continue;
    }
    const n = seqLen(buf, i, end);
    if (n > 0) {
      const cp = n === 2 ? ((b & 0x1f) << 6) | (buf[i + 1]! & 0x3f)
        : n === 3 ? ((b & 0x0f) << 12) | ((buf[i + 1]! & 0x3f) << 6) | (buf[i + 2]! & 0x3f) : -1;
      if (cp >= 0x4e00 && cp <= 0x9fff) {
        long++;
        i += n;
        continue;
      }
      if (cp === 0xb7 || (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xff00 && cp <= 0xffef)) {
        i += n;
        continue;
      }
    }
    // Not (Chinese) UTF-8: skip to the next line.
    const nl = buf.indexOf(0x0a, i);
    long = 0;
    if (nl < 0) {
      lineStart = end;
      i = end;
    } else {
      lineStart = nl + 1;
      i = nl + 1;
    }
  }
  if (long > 0 && lineStart < end) (marks ??= []).push(lineStart);
  if (!marks) return buf;
  const parts: Buffer[] = [];
  let from = 0;
  const ff = Buffer.from([0xff]);
  for (const m of marks) {
    parts.push(buf.subarray(from, m), ff);
    from = m;
  }
  parts.push(buf.subarray(from));
  return Buffer.concat(parts);
}

export function makeDecoder(encoding: CsvEncoding): TextDecoderLike {
  if (encoding === 'gb18030') return new Gb18030Decoder();
  // TextDecoder (fatal: false) turns malformed bytes into U+FFFD and keeps
  // a sequence cut by the chunk boundary for the next chunk.
  const d = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  return { write: (b) => d.decode(b, { stream: true }), end: () => d.decode() };
}
