// Prepared bodies: the gzip of a body with a per-request tail is spliced, not
// recompressed, so it must decode (by zlib, as a browser's would) to exactly
// body + tail; and If-None-Match is matched the way HTTP says.
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, matchesEtag, prepareBody, sendPrepared } from '../../backend/src/common/prepared-body';
import type { Request, Response } from 'express';

/** A response recorder with just what sendPrepared uses. */
function fakeRes(): { res: Response; out: { status: number; headers: Record<string, string | number>; body: Buffer | null } } {
  const out = { status: 0, headers: {} as Record<string, string | number>, body: null as Buffer | null };
  const res = {
    setHeader: (k: string, v: string | number) => void (out.headers[k.toLowerCase()] = v),
    getHeaderNames: () => Object.keys(out.headers),
    removeHeader: (k: string) => void delete out.headers[k.toLowerCase()],
    status(s: number) {
      out.status = s;
      return this;
    },
    end: (b?: Buffer) => void (out.body = b ?? null),
  } as unknown as Response;
  return { res, out };
}

const req = (headers: Record<string, string>) => ({ headers } as unknown as Request);

describe('prepared bodies', () => {
  const json = JSON.stringify({ region: '220000', trend: Array.from({ length: 500 }, (_, i) => ({ asOf: `d${i}`, n: i * 7, name: '长春市' })) });

  it('crc32 is the gzip CRC, and carries on over a tail', () => {
    const a = Buffer.from('吉林省 campaign');
    const b = Buffer.from('"serverTime":"2022-12-31T00:00:00.000Z"}');
    const whole = zlib.gzipSync(Buffer.concat([a, b]));
    expect(crc32(Buffer.concat([a, b]))).toBe(whole.readUInt32LE(whole.length - 8));
    expect(crc32(b, crc32(a))).toBe(crc32(Buffer.concat([a, b])));
  });

  it('the gzip alone, and the gzip with a spliced tail, decode to exactly the JSON', () => {
    const body = prepareBody(json);
    expect(zlib.gunzipSync(body.gzip).toString()).toBe(json);
    const prefix = prepareBody(`${json.slice(0, -1)},`);
    for (const t of ['', '"serverTime":"2022-12-31T08:00:00.000Z"}', `"x":"${'y'.repeat(70_000)}"}`]) {
      const { res, out } = fakeRes();
      sendPrepared(req({ 'accept-encoding': 'gzip, deflate, br' }), res, prefix, 'private, no-cache', Buffer.from(t));
      expect(out.status).toBe(200);
      expect(out.headers['content-encoding']).toBe('gzip');
      expect(out.headers['content-length']).toBe(out.body!.length);
      expect(zlib.gunzipSync(out.body!).toString()).toBe(`${json.slice(0, -1)},${t}`);
    }
  });

  it('sends the plain body without Accept-Encoding gzip, and 304 with no body for a matching tag', () => {
    const body = prepareBody(json);
    const plain = fakeRes();
    sendPrepared(req({ 'accept-encoding': 'gzip;q=0, identity' }), plain.res, body, 'private, no-cache');
    expect(plain.out.headers['content-encoding']).toBeUndefined();
    expect(plain.out.body!.toString()).toBe(json);
    const nm = fakeRes();
    // Set before, as helmet and the session middleware do: a 304 keeps the cookie, not the content's security headers.
    nm.res.setHeader('Content-Security-Policy', "default-src 'self'");
    nm.res.setHeader('X-Content-Type-Options', 'nosniff');
    nm.res.setHeader('Set-Cookie', 'sid=x');
    sendPrepared(req({ 'if-none-match': body.etag }), nm.res, body, 'private, no-cache');
    expect(nm.out.status).toBe(304);
    expect(nm.out.body).toBeNull();
    expect(nm.out.headers).toEqual({ etag: body.etag, 'cache-control': 'private, no-cache', vary: 'Accept-Encoding', 'set-cookie': 'sid=x' });
  });

  it('tags differ with the content and with the view, and If-None-Match matches weakly, in lists and *', () => {
    const a = prepareBody(json);
    expect(prepareBody(json).etag).toBe(a.etag);
    expect(prepareBody(json, 'unit 220100').etag).not.toBe(a.etag);
    expect(prepareBody(json.replace('220000', '220100')).etag).not.toBe(a.etag);
    expect(matchesEtag(a.etag, a.etag)).toBe(true);
    expect(matchesEtag(a.etag.replace(/^W\//, ''), a.etag)).toBe(true);
    expect(matchesEtag(`W/"other", ${a.etag}`, a.etag)).toBe(true);
    expect(matchesEtag('*', a.etag)).toBe(true);
    expect(matchesEtag('W/"other"', a.etag)).toBe(false);
    expect(matchesEtag(undefined, a.etag)).toBe(false);
  });
});
