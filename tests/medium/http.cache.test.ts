// Bodies of /api/screen and /api/metrics are serialised and compressed once per
// data state and answered with 304 when the caller already holds them: a new
// snapshot must change the ETag, a caller outside a region must never get its
// body (nor a 304 for it), and the compressed body must be exactly the JSON.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { MetricsService } from '../../backend/src/metrics/metrics.service';
import { startTestServer, TEST_ADMIN_PASSWORD, type TestServer } from '../helpers/server';
import { ledgerCsv, pid } from '../helpers/ledger-fixtures';
import { rawGet } from '../helpers/http';

const AS_OF = '2022-07-31';


describe('prepared API bodies: ETag, 304 and compression', () => {
  let server: TestServer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'http-cache-'));

  beforeAll(async () => {
    server = await startTestServer();
    const s = await server.app.get(IngestService).loadFiles([
      ledgerCsv(dir, 'l.csv', [
        { id: pid(1), received: '2022-07-01', county: '220102', updated: '2022-07-02 08:00' },
        { id: pid(2), received: '2022-07-01', county: '220202', updated: '2022-07-02 08:00' },
      ]),
    ]);
    expect(s.failed).toBe(0);
  });
  afterAll(async () => {
    await server?.close();
  });

  for (const p of ['/api/screen/220000', `/api/metrics/220100?asOf=${AS_OF}`]) {
    it(`${p}: an ETag, cache headers for a wall, and 304 for a matching If-None-Match`, async () => {
      const a = await server.fetch(p);
      expect(a.status).toBe(200);
      const etag = a.headers.get('etag')!;
      expect(etag).toMatch(/^W\/".+"$/);
      expect(a.headers.get('cache-control')).toBe('private, no-cache');
      await a.arrayBuffer();
      const b = await server.fetch(p, { headers: { 'If-None-Match': etag } });
      expect(b.status).toBe(304);
      expect((await b.arrayBuffer()).byteLength).toBe(0);
      expect(b.headers.get('etag')).toBe(etag);
      // A list naming it, or another tag.
      expect((await server.fetch(p, { headers: { 'If-None-Match': `W/"x", ${etag}` } })).status).toBe(304);
      const c = await server.fetch(p, { headers: { 'If-None-Match': 'W/"something-else"' } });
      expect(c.status).toBe(200);
      await c.arrayBuffer();
    });
  }

  it('sends the gzip body only to a caller that accepts it, and it decodes to exactly the JSON', async () => {
    const { cookie } = await server.login('admin', TEST_ADMIN_PASSWORD);
    for (const route of [`/api/metrics/220100?asOf=${AS_OF}`, '/api/screen/220000']) {
      const gz = await rawGet(`${server.url}${route}`, { cookie, 'accept-encoding': 'gzip, deflate, br' });
      expect(gz.status).toBe(200);
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gz.headers.vary).toContain('Accept-Encoding');
      const decoded = JSON.parse(zlib.gunzipSync(gz.body).toString('utf8')) as Record<string, unknown>;
      const id = await rawGet(`${server.url}${route}`, { cookie });
      expect(id.status).toBe(200);
      expect(id.headers['content-encoding']).toBeUndefined();
      expect(Number(id.headers['content-length'])).toBe(id.body.length);
      const same = JSON.parse(id.body.toString('utf8')) as Record<string, unknown>;
      if (route.startsWith('/api/screen')) {
        // The server time is each request's own, appended to the once-compressed body.
        expect(Date.parse(decoded.serverTime as string)).not.toBeNaN();
        delete decoded.serverTime;
        delete same.serverTime;
      }
      expect(decoded).toEqual(same);
      expect(gz.headers.etag).toBe(id.headers.etag);
    }
  });

  it('a new snapshot changes the ETag, and the old one then gets the new body', async () => {
    const p = `/api/metrics/220100?asOf=${AS_OF}`;
    const before = await server.fetch(p);
    const etag = before.headers.get('etag')!;
    const was = (await before.json()) as { received: number };
    await server.app.get(IngestService).loadFiles([
      ledgerCsv(dir, 'l2.csv', [{ id: pid(3), received: '2022-07-03', county: '220102', updated: '2022-07-04 08:00' }]),
    ]);
    await server.app.get(MetricsService).refresh(true);
    const after = await server.fetch(p, { headers: { 'If-None-Match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(((await after.json()) as { received: number }).received).toBe(was.received + 1);
    const screen = await server.fetch('/api/screen/220000', { headers: { 'If-None-Match': etag } });
    expect(screen.status).toBe(200);
    await screen.arrayBuffer();
  });

  it('a county user never gets a province or another region\'s body, nor a 304 for it', async () => {
    const province = await server.fetch(`/api/metrics/220000?asOf=${AS_OF}`);
    const provinceTag = province.headers.get('etag')!;
    await province.arrayBuffer();
    const county = await server.as('county', '220102');
    for (const p of [`/api/metrics/220000?asOf=${AS_OF}`, `/api/metrics/220202?asOf=${AS_OF}`, '/api/screen/220000']) {
      const r = await county.fetch(p, { headers: { 'If-None-Match': provinceTag } });
      expect(r.status).toBe(403);
      const text = await r.text();
      expect(text).not.toContain('"children"');
    }
    const own = await county.fetch(`/api/metrics/220102?asOf=${AS_OF}`, { headers: { 'If-None-Match': provinceTag } });
    expect(own.status).toBe(200);
    expect(own.headers.get('etag')).not.toBe(provinceTag);
    expect(((await own.json()) as { region: string }).region).toBe('220102');
  });
});
