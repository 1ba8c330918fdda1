// The hot GET path (backend/src/common/hot-get.ts) answers /api/screen/:code
// and /api/metrics/:code?asOf= from their prepared bodies before Express and
// Nest. It must be indistinguishable from the Nest route it stands in for:
// the same bytes and headers, 304s only to callers allowed the body, the
// guard's 401/403 and the DTOs' 400s untouched. Which path answered is seen
// from the controllers' service calls (screenBody, fullJson), which only the
// Nest route makes; a request the hot path must leave alone (an encoded
// query, another encoding) gives the Nest answer to compare with.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { AuthService } from '../../backend/src/auth/auth.service';
import { loadConfig } from '../../backend/src/config/config';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { MetricsService } from '../../backend/src/metrics/metrics.service';
import { ScreenService } from '../../backend/src/screen/screen.service';
import { signIn, startTestServer, TEST_ADMIN_PASSWORD, type Session, type TestServer } from '../helpers/server';
import { ledgerCsv, pid } from '../helpers/ledger-fixtures';
import { rawGet, type RawResponse as Raw } from '../helpers/http';

const AS_OF = '2022-07-31';
const METRICS = `/api/metrics/220100?asOf=${AS_OF}`;
/** The same request with its day percent-encoded: the Nest route decodes it, the hot path leaves it alone. */
const METRICS_VIA_NEST = '/api/metrics/220100?asOf=2022%2D07%2D31';
const SCREEN = `/api/screen/220100?asOf=${AS_OF}`;
const SCREEN_VIA_NEST = '/api/screen/220100?asOf=2022%2D07%2D31';
const GZIP = { 'accept-encoding': 'gzip, deflate, br' };



/** Every response header but the ones Node sets per response on its own. */
function headersOf(r: Raw): Record<string, unknown> {
  const { date: _date, connection: _c, 'keep-alive': _k, ...rest } = r.headers;
  return rest;
}

/** The JSON of a response (gunzipped when it is), without the screen's per-request server time. */
function jsonOf(r: Raw): Record<string, unknown> {
  const text = r.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(r.body).toString('utf8') : r.body.toString('utf8');
  const j = JSON.parse(text) as Record<string, unknown>;
  delete j.serverTime;
  return j;
}

describe('hot GET path: /api/screen and /api/metrics before Express and Nest', () => {
  let server: TestServer;
  let admin: Session;
  let screenBody: MockInstance;
  let fullJson: MockInstance;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hot-get-'));

  /** Runs `fn` and says which path answered its one request: the Nest route calls the controllers' service methods. */
  async function via<T>(fn: () => Promise<T>): Promise<{ r: T; nest: boolean }> {
    const before = screenBody.mock.calls.length + fullJson.mock.calls.length;
    const r = await fn();
    return { r, nest: screenBody.mock.calls.length + fullJson.mock.calls.length > before };
  }

  const get = (p: string, headers: Record<string, string> = {}, session: Session | null = admin) =>
    rawGet(`${server.url}${p}`, session ? { cookie: session.cookie, ...headers } : headers);

  beforeAll(async () => {
    server = await startTestServer();
    const s = await server.app.get(IngestService).loadFiles([
      ledgerCsv(dir, 'l.csv', [
        { id: pid(1), received: '2022-07-01', county: '220102', updated: '2022-07-02 08:00' },
        { id: pid(2), received: '2022-07-01', county: '220202', updated: '2022-07-02 08:00' },
      ]),
    ]);
    expect(s.failed).toBe(0);
    // Snapshots, as the refresh job keeps them: the bodies' stamps are then the stored ones, equal on both paths.
    await server.app.get(MetricsService).refresh(true);
    admin = await server.login('admin', TEST_ADMIN_PASSWORD);
    screenBody = vi.spyOn(server.app.get(ScreenService), 'screenBody');
    fullJson = vi.spyOn(server.app.get(MetricsService), 'fullJson');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('the first request builds through the Nest route; the next ones are answered by the hot path', async () => {
    for (const p of [METRICS, SCREEN]) {
      const first = await via(() => get(p, GZIP));
      expect(first.r.status).toBe(200);
      expect(first.nest).toBe(true);
      const second = await via(() => get(p, GZIP));
      expect(second.r.status).toBe(200);
      expect(second.nest).toBe(false);
      const forced = await via(() => get(p.replace(AS_OF, '2022%2D07%2D31'), GZIP));
      expect(forced.r.status).toBe(200);
      expect(forced.nest).toBe(true);
    }
  });

  it('sends the very bytes and headers of the Nest route: gzip, identity and 304', async () => {
    for (const [hotPath, nestPath] of [[METRICS, METRICS_VIA_NEST], [SCREEN, SCREEN_VIA_NEST]] as const) {
      await get(hotPath, GZIP);
      const hot = await via(() => get(hotPath, GZIP));
      const nest = await via(() => get(nestPath, GZIP));
      expect([hot.nest, nest.nest]).toEqual([false, true]);
      expect(hot.r.status).toBe(200);
      expect(headersOf(hot.r)).toEqual(headersOf(nest.r));
      const h = hot.r.headers;
      expect(h['content-encoding']).toBe('gzip');
      expect(h['content-type']).toBe('application/json; charset=utf-8');
      expect(h['cache-control']).toBe('private, no-cache');
      expect(h.vary).toBe('Accept-Encoding');
      expect(h.etag).toMatch(/^W\/".+"$/);
      // helmet's headers, as on every other response of the app.
      expect(h['content-security-policy']).toContain("default-src 'self'");
      expect(h['x-content-type-options']).toBe('nosniff');
      expect(h['strict-transport-security']).toBeDefined();
      expect(h['x-powered-by']).toBeUndefined();
      expect(Number(h['content-length'])).toBe(hot.r.body.length);
      if (hotPath === METRICS) expect(hot.r.body.equals(nest.r.body)).toBe(true);
      expect(jsonOf(hot.r)).toEqual(jsonOf(nest.r));

      // No Accept-Encoding on the hot path; `identity` (another encoding header) on the Nest route.
      const hotId = await via(() => get(hotPath));
      const nestId = await via(() => get(hotPath, { 'accept-encoding': 'identity' }));
      expect([hotId.nest, nestId.nest]).toEqual([false, true]);
      expect(hotId.r.headers['content-encoding']).toBeUndefined();
      expect(headersOf(hotId.r)).toEqual(headersOf(nestId.r));
      expect(jsonOf(hotId.r)).toEqual(jsonOf(hot.r));

      const etag = String(h.etag);
      const hot304 = await via(() => get(hotPath, { ...GZIP, 'if-none-match': etag }));
      const nest304 = await via(() => get(nestPath, { ...GZIP, 'if-none-match': etag }));
      expect([hot304.nest, nest304.nest]).toEqual([false, true]);
      expect([hot304.r.status, nest304.r.status]).toEqual([304, 304]);
      expect(hot304.r.body.length).toBe(0);
      expect(headersOf(hot304.r)).toEqual(headersOf(nest304.r));
      // A 304 carries the validator and the cache metadata, not the content's security headers (the stored 200 has them).
      expect(hot304.r.headers).toMatchObject({ etag, 'cache-control': h['cache-control'], vary: 'Accept-Encoding' });
      expect(hot304.r.headers['content-security-policy']).toBeUndefined();
      expect(hot304.r.headers['x-content-type-options']).toBeUndefined();
      // A list naming it answers 304 too; another tag gets the body.
      expect((await get(hotPath, { ...GZIP, 'if-none-match': `W/"x", ${etag}` })).status).toBe(304);
      const other = await via(() => get(hotPath, { ...GZIP, 'if-none-match': 'W/"something-else"' }));
      expect(other.nest).toBe(false);
      expect(other.r.status).toBe(200);
      expect(jsonOf(other.r)).toEqual(jsonOf(hot.r));
    }
  });

  it('the screen without a day: the default day, the same body as the Nest route gives for it', async () => {
    await get('/api/screen/220000', GZIP);
    const hot = await via(() => get('/api/screen/220000', GZIP));
    // `asOf=` (empty) means the default day to the route; the hot path leaves it to the route.
    const nest = await via(() => get('/api/screen/220000?asOf=', GZIP));
    expect([hot.nest, nest.nest]).toEqual([false, true]);
    expect(headersOf(hot.r)).toEqual(headersOf(nest.r));
    expect(jsonOf(hot.r)).toEqual(jsonOf(nest.r));
  });

  it('a new snapshot changes the ETag; the old tag then gets the new body from the hot path', async () => {
    await get(METRICS, GZIP);
    const before = await get(METRICS, GZIP);
    const etag = String(before.headers.etag);
    const screenBefore = await get(SCREEN, GZIP);
    const was = jsonOf(before) as { received: number };
    await server.app.get(IngestService).loadFiles([
      ledgerCsv(dir, 'l2.csv', [{ id: pid(3), received: '2022-07-03', county: '220102', updated: '2022-07-04 08:00' }]),
    ]);
    await server.app.get(MetricsService).refresh(true);
    // The first request after new data builds through the route; the old tag is not answered with 304.
    const after = await get(METRICS, { ...GZIP, 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect((jsonOf(after) as { received: number }).received).toBe(was.received + 1);
    const again = await via(() => get(METRICS, { ...GZIP, 'if-none-match': etag }));
    expect(again.nest).toBe(false);
    expect(again.r.status).toBe(200);
    expect(again.r.headers.etag).toBe(after.headers.etag);
    const screenAfter = await get(SCREEN, { ...GZIP, 'if-none-match': String(screenBefore.headers.etag) });
    expect(screenAfter.status).toBe(200);
    expect(screenAfter.headers.etag).not.toBe(screenBefore.headers.etag);
    const screenAgain = await via(() => get(SCREEN, { ...GZIP, 'if-none-match': String(screenBefore.headers.etag) }));
    expect(screenAgain.nest).toBe(false);
    expect(screenAgain.r.status).toBe(200);
  });

  it('reuses a 304 just decided for the very same request, but not after new data, nor after sign-out', async () => {
    const first = await get(METRICS, GZIP);
    const tag = String(first.headers.etag);
    const checks = vi.spyOn(server.app.get(AuthService), 'fromSession');
    const a = await get(METRICS, { ...GZIP, 'if-none-match': tag });
    const b = await get(METRICS, { ...GZIP, 'if-none-match': tag });
    expect([a.status, b.status]).toEqual([304, 304]);
    expect(headersOf(b)).toEqual(headersOf(a));
    // The second is the first's decision: no session look-up again.
    expect(checks).toHaveBeenCalledTimes(1);
    // New data: the old tag gets the new body at once, not the remembered 304.
    await server.app.get(IngestService).loadFiles([
      ledgerCsv(dir, 'l3.csv', [{ id: pid(4), received: '2022-07-03', county: '220102', updated: '2022-07-04 09:00' }]),
    ]);
    await server.app.get(MetricsService).refresh(true);
    const fresh = await get(METRICS, { ...GZIP, 'if-none-match': tag });
    expect(fresh.status).toBe(200);
    // Sign-out: the same cookie right after gets the guard's 401, not the 304 remembered a moment ago.
    const who = await server.as('province');
    const mine = await get(METRICS, GZIP, who);
    const mineTag = String(mine.headers.etag);
    expect((await get(METRICS, { ...GZIP, 'if-none-match': mineTag }, who)).status).toBe(304);
    const out = await who.fetch('/api/auth/logout', { method: 'POST' });
    expect(out.status).toBeLessThan(300);
    expect((await get(METRICS, { ...GZIP, 'if-none-match': mineTag }, who)).status).toBe(401);
    checks.mockRestore();
  });

  it("a county user never gets the province's or another region's body, nor a 304 for it, however warm the cache", async () => {
    const tags: string[] = [];
    for (const p of [`/api/metrics/220000?asOf=${AS_OF}`, `/api/metrics/220202?asOf=${AS_OF}`, '/api/screen/220000', SCREEN]) {
      await get(p, GZIP);
      tags.push(String((await get(p, GZIP)).headers.etag));
    }
    const county = await server.as('county', '220102');
    for (const p of [`/api/metrics/220000?asOf=${AS_OF}`, `/api/metrics/220202?asOf=${AS_OF}`, `/api/metrics/220100?asOf=${AS_OF}`, '/api/screen/220000', SCREEN]) {
      for (const headers of [GZIP, { ...GZIP, 'if-none-match': tags.join(', ') }, {}]) {
        const r = await get(p, headers, county);
        expect(r.status).toBe(403);
        const text = r.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(r.body).toString('utf8') : r.body.toString('utf8');
        expect(text).not.toContain('"children"');
        expect((JSON.parse(text) as { message: string }).message).toContain('outside your scope');
      }
    }
    const ownPath = `/api/metrics/220102?asOf=${AS_OF}`;
    await get(ownPath, GZIP, county);
    const own = await via(() => get(ownPath, { ...GZIP, 'if-none-match': tags.join(', ') }, county));
    expect(own.nest).toBe(false);
    expect(own.r.status).toBe(200);
    expect((jsonOf(own.r) as { region: string }).region).toBe('220102');
  });

  it("a unit user gets the unit's screen cut to their scope, not the admin's view of it", async () => {
    await get(SCREEN, GZIP);
    const adminView = await get(SCREEN, GZIP);
    const unit = await server.as('unit', '220100');
    const first = await get(SCREEN, GZIP, unit);
    const hot = await via(() => get(SCREEN, { ...GZIP, 'if-none-match': String(adminView.headers.etag) }, unit));
    expect(hot.nest).toBe(false);
    expect(hot.r.status).toBe(200);
    expect(hot.r.headers.etag).toBe(first.headers.etag);
    expect(hot.r.headers.etag).not.toBe(adminView.headers.etag);
    const crumbs = (v: Raw) => (jsonOf(v) as { breadcrumb: Array<{ code: string }> }).breadcrumb.map((b) => b.code);
    expect(crumbs(adminView)).toEqual(['220000', '220100']);
    expect(crumbs(hot.r)).toEqual(['220100']);
    expect(jsonOf(hot.r)).toEqual(jsonOf(first));
  });

  it('without a session the guard answers as before: 401, the same message', async () => {
    for (const p of [METRICS, SCREEN, '/api/screen/220000']) {
      const r = await get(p, GZIP, null);
      expect(r.status).toBe(401);
      expect((JSON.parse(r.body.toString('utf8')) as { message: string }).message).toBe('请先登录 / sign in first');
      const stale = await get(p, GZIP, { username: 'x', cookie: 'sid=not-a-session', csrf: '', fetch: admin.fetch });
      expect(stale.status).toBe(401);
    }
  });

  it("a wall screen's token (?token= or the header) is admitted to its region only; a bad or revoked one gets 401", async () => {
    const auth = server.app.get(AuthService);
    const by = { username: 'admin', role: 'admin' as const, regionCode: '220000', displayName: 'admin' };
    const t = await auth.createScreenToken('长春大屏', '220100', by, '127.0.0.1');
    const p = `/api/screen/220100?asOf=${AS_OF}&token=${t.token}`;
    await get(p, GZIP, null);
    const hot = await via(() => get(p, GZIP, null));
    expect(hot.nest).toBe(false);
    expect(hot.r.status).toBe(200);
    expect((jsonOf(hot.r) as { region: { code: string } }).region.code).toBe('220100');
    // The token first, as a wall may build its URL.
    expect((await get(`/api/screen/220100?token=${t.token}&asOf=${AS_OF}`, GZIP, null)).status).toBe(200);
    const header = await via(() => get(SCREEN, { ...GZIP, 'x-screen-token': t.token }, null));
    expect(header.nest).toBe(false);
    expect(header.r.status).toBe(200);
    expect(headersOf(header.r)).toEqual(headersOf(hot.r));
    await get(`${METRICS}&token=${t.token}`, GZIP, null);
    expect((await via(() => get(`${METRICS}&token=${t.token}`, GZIP, null))).nest).toBe(false);
    // Outside the token's region: 403, whatever the cache holds.
    for (const q of ['/api/screen/220000', `/api/metrics/220000?asOf=${AS_OF}`, `/api/metrics/220202?asOf=${AS_OF}`]) {
      const r = await get(`${q}${q.includes('?') ? '&' : '?'}token=${t.token}`, GZIP, null);
      expect(r.status).toBe(403);
    }
    const bad = await get(`${SCREEN}&token=nope`, GZIP, null);
    expect(bad.status).toBe(401);
    expect((JSON.parse(bad.body.toString('utf8')) as { message: string }).message).toBe('大屏令牌无效或已吊销 / screen token invalid or revoked');
    await auth.revokeScreenToken(t.id, by, '127.0.0.1');
    expect((await get(p, GZIP, null)).status).toBe(401);
  });

  it('a user who must still change the initial password gets the guard\'s 403', async () => {
    const auth = server.app.get(AuthService);
    await auth.createUser({ username: 'first-login', role: 'province', password: 'Initial-Pw-2022-x', mustChangePassword: true }, null);
    const s = await signIn(server.url, 'first-login', 'Initial-Pw-2022-x');
    for (const p of [METRICS, SCREEN]) {
      const r = await get(p, GZIP, s);
      expect(r.status).toBe(403);
      expect(r.body.toString('utf8')).toContain('must_change_password');
    }
  });

  it("malformed requests keep the route's 400 messages", async () => {
    const cases: Array<[string, string]> = [
      ['/api/screen/22010x', '地区代码应为6位数字 / region code must be 6 digits'],
      ['/api/metrics/2201000?asOf=2022-07-31', '地区代码应为6位数字 / region code must be 6 digits'],
      ['/api/metrics/220100', `缺少参数 asOf（YYYY-MM-DD） / asOf is required`],
      ['/api/metrics/220100?asOf=2022-02-30', '应为 YYYY-MM-DD 的有效日期'],
      ['/api/metrics/220100?asOf=2019-07-31', '不在攻坚行动期间'],
      ['/api/screen/220100?asOf=2019-07-31', '不在攻坚行动期间'],
      ['/api/metrics/220100?asOf=2022-07-31&x=1', 'property x should not exist'],
      ['/api/screen/220100?asOf=2022-07-31&asOf=2022-07-30', 'asOf must be a string'],
      ['/api/metrics/999999?asOf=2022-07-31', '未知地区代码 999999'],
      ['/api/screen/220102', '大屏只显示全省或报送单位'],
    ];
    for (const [p, message] of cases) {
      const r = await get(p, GZIP);
      expect(r.status, p).toBe(400);
      expect(r.body.toString('utf8'), p).toContain(message);
    }
  });

  it('HOT_GET=off turns the path off (on by default)', () => {
    expect(loadConfig({ DATA_DIR: dir }).hotGet).toBe(true);
    expect(loadConfig({ DATA_DIR: dir, HOT_GET: 'off' }).hotGet).toBe(false);
    expect(loadConfig({ DATA_DIR: dir, HOT_GET: '0' }).hotGet).toBe(false);
  });
});
