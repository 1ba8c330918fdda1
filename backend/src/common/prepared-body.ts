// JSON bodies serialised and compressed once per data state, not per request,
// sent with an ETag that answers a matching If-None-Match with 304. A body
// may end in a short per-request tail (the screen's server time): the
// compressed prefix is flushed to a byte boundary once, and each request
// appends its tail as a stored deflate block with the CRC carried on, so a
// request costs a copy, never a compression.
import * as crypto from 'node:crypto';
import * as zlib from 'node:zlib';
import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';

export interface PreparedBody {
  /** The uncompressed body, or its prefix when a tail is appended per request. */
  json: Buffer;
  /** Raw deflate of `json`, ended by a full flush (byte-aligned, not final). */
  deflated: Buffer;
  /** CRC-32 of `json`, to carry on over a tail. */
  crc: number;
  /** gzip of `json` alone (bodies without a tail). */
  gzip: Buffer;
  etag: string;
}

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC-32 (the gzip one) of `buf`, continuing from `crc` (0 to start). */
export function crc32(buf: Uint8Array, crc = 0): number {
  let c = ~crc;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);

function trailer(crc: number, size: number): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeUInt32LE(crc >>> 0, 0);
  b.writeUInt32LE(size >>> 0, 4);
  return b;
}

/**
 * Serialises once: the body, its deflate (flushed so a tail can follow), its
 * gzip and a weak ETag over the content. `tag` adds what the ETag must
 * also tell apart (e.g. the caller's view) when equal prefixes could differ.
 */
export function prepareBody(json: Buffer | string, tag = ''): PreparedBody {
  const buf = typeof json === 'string' ? Buffer.from(json) : json;
  const deflated = zlib.deflateRawSync(buf, { level: 6, finishFlush: zlib.constants.Z_FULL_FLUSH });
  const crc = crc32(buf);
  const gzip = Buffer.concat([GZIP_HEADER, deflated, FINAL_EMPTY_BLOCK, trailer(crc, buf.length)]);
  const h = crypto.createHash('sha1').update(buf).update(tag).digest('base64url').slice(0, 22);
  return { json: buf, deflated, crc, gzip, etag: `W/"${buf.length.toString(16)}-${h}"` };
}

/** Whether If-None-Match names this ETag (weak comparison, lists and `*`). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => {
    const v = t.trim();
    return v === '*' || v.replace(/^W\//, '') === bare;
  });
}

/** Whether the request accepts gzip (the prepared bodies' one encoding). */
export function acceptsGzip(req: IncomingMessage): boolean {
  const ae = req.headers['accept-encoding'];
  return typeof ae === 'string' && /\bgzip\b/.test(ae) && !/\bgzip\s*;\s*q=0(\.0*)?\b/.test(ae);
}

/** A prepared body's answer to one request: status, headers in the order sent, and the bytes (none for 304). */
export interface PreparedAnswer {
  status: 200 | 304;
  headers: Array<[string, string | number]>;
  out: Buffer | null;
}

/**
 * What sendPrepared sends, as data: the Nest path sets it on an Express
 * response, the hot GET path (hot-get.ts) writes it in one writeHead.
 */
export function preparedAnswer(req: IncomingMessage, body: PreparedBody, cacheControl: string, tailOf?: Buffer | (() => Buffer)): PreparedAnswer {
  const headers: Array<[string, string | number]> = [['ETag', body.etag], ['Cache-Control', cacheControl], ['Vary', 'Accept-Encoding']];
  if (matchesEtag(req.headers['if-none-match'], body.etag)) return { status: 304, headers, out: null };
  // A tail given as a function is only made for a 200 (a 304 is most of a wall's requests).
  const tail = typeof tailOf === 'function' ? tailOf() : tailOf;
  headers.push(['Content-Type', 'application/json; charset=utf-8']);
  let out: Buffer;
  if (acceptsGzip(req)) {
    headers.push(['Content-Encoding', 'gzip']);
    if (!tail || tail.length === 0) out = body.gzip;
    else if (tail.length > 0xffff) out = zlib.gzipSync(Buffer.concat([body.json, tail]));
    else {
      // The tail as one final stored block (it is short: < 64 KB) after the byte-aligned prefix.
      const head = Buffer.from([0x01, tail.length & 0xff, tail.length >>> 8, ~tail.length & 0xff, (~tail.length >>> 8) & 0xff]);
      out = Buffer.concat([GZIP_HEADER, body.deflated, head, tail, trailer(crc32(tail, body.crc), body.json.length + tail.length)]);
    }
  } else {
    out = tail ? Buffer.concat([body.json, tail]) : body.json;
  }
  headers.push(['Content-Length', out.length]);
  return { status: 200, headers, out };
}

/**
 * What a 304 keeps of the headers set before it: the validator and the cache metadata the 200 carries
 * (RFC 9110 §15.4.5), and a refreshed session cookie. The security headers (helmet's: CSP, nosniff, frame
 * options, …) guard content, and a 304 has none: the browser keeps serving the stored 200 with the headers it
 * came with, so a wall's 304s do not carry a kilobyte of them many times a second.
 */
const NOT_MODIFIED_KEEPS: ReadonlySet<string> = new Set(['etag', 'cache-control', 'vary', 'expires', 'content-location', 'date', 'set-cookie']);

/**
 * Sends a prepared body (with an optional per-request tail), or 304 when the
 * request already holds this ETag. Callers check access before: a 304 is
 * only ever an answer to someone allowed to see the body.
 */
export function sendPrepared(req: Request, res: Response, body: PreparedBody, cacheControl: string, tail?: Buffer): void {
  const a = preparedAnswer(req, body, cacheControl, tail);
  if (a.status === 304) for (const name of res.getHeaderNames()) if (!NOT_MODIFIED_KEEPS.has(name)) res.removeHeader(name);
  for (const [k, v] of a.headers) res.setHeader(k, v);
  res.status(a.status);
  if (a.out) res.end(a.out);
  else res.end();
}
