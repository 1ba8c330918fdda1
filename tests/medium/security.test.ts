// The authorization matrix: every API route of the running app, called as
// every role, in and out of scope. A route missing from RULES fails the test,
// so a new route cannot ship without a decision about who may call it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, startTestServer, signIn, TEST_ADMIN_PASSWORD, type Session, type TestServer } from '../helpers/server';
import { budget } from '../helpers/budget';

type Caller = 'anonymous' | 'admin' | 'province' | 'unit' | 'county' | 'screen';
const CALLERS: Caller[] = ['anonymous', 'admin', 'province', 'unit', 'county', 'screen'];

interface Rule {
  /** Callers admitted by role (anonymous only for public routes). */
  allow: Caller[] | 'public';
  /** Path parameter that names a region, checked against the caller's scope. */
  region?: 'county-or-unit' | 'unit';
  query?: string;
  body?: unknown;
  /** Do not call as admitted callers (it would end their session or change state). */
  skipAdmitted?: boolean;
  sse?: boolean;
  /** The region goes into this query parameter instead of the path. */
  regionInQuery?: string;
  /** Any answer below 500 is fine (login answers 401 to wrong credentials by design). */
  anyStatus?: boolean;
}

const AGG: Caller[] = ['admin', 'province', 'unit', 'county', 'screen'];
const USERS: Caller[] = ['admin', 'province', 'unit', 'county'];

const RULES: Record<string, Rule> = {
  'GET /api/health': { allow: 'public' },
  'POST /api/auth/login': { allow: 'public', body: { username: 'nobody', password: 'x' }, anyStatus: true },
  'POST /api/auth/logout': { allow: USERS, skipAdmitted: true },
  'GET /api/auth/me': { allow: USERS },
  'POST /api/auth/password': { allow: USERS, body: {} },
  'GET /api/regions': { allow: AGG },
  'GET /api/map': { allow: AGG },
  'GET /api/jobs': { allow: USERS },
  'GET /api/ingest/runs': { allow: USERS },
  'GET /api/ingest/runs/{id}': { allow: USERS },
  'GET /api/ingest/runs/{id}/rejects': { allow: USERS },
  'GET /api/ingest/runs/{id}/rejects.xlsx': { allow: USERS },
  'GET /api/persons/{key}/export.xlsx': { allow: USERS },
  'GET /api/metrics/{code}': { allow: AGG, region: 'county-or-unit', query: '?asOf=2022-09-30' },
  'GET /api/metrics/{code}/lagging': { allow: AGG, region: 'county-or-unit', query: '?asOf=2022-09-30' },
  'GET /api/metrics/{code}/children.xlsx': { allow: USERS, region: 'county-or-unit', query: '?asOf=2022-09-30' },
  'GET /api/recruitment/{code}': { allow: AGG, region: 'unit' },
  'GET /api/freshness/{code}': { allow: USERS, region: 'county-or-unit' },
  'GET /api/screen/plan': { allow: AGG },
  'GET /api/screen/{code}': { allow: AGG, region: 'unit' },
  'GET /api/live': { allow: AGG, sse: true },
  'GET /api/admin/users': { allow: ['admin'] },
  'POST /api/admin/users': { allow: ['admin'], body: { username: 'x' } },
  'POST /api/admin/users/{username}/disable': { allow: ['admin'], skipAdmitted: true },
  'POST /api/admin/users/{username}/enable': { allow: ['admin'], skipAdmitted: true },
  'POST /api/admin/users/{username}/password': { allow: ['admin'], body: {} },
  'GET /api/admin/screen-tokens': { allow: ['admin'] },
  'POST /api/admin/screen-tokens': { allow: ['admin'], body: {} },
  'POST /api/admin/screen-tokens/{id}/revoke': { allow: ['admin'], skipAdmitted: true },
  'GET /api/admin/audit': { allow: ['admin'] },
  'GET /api/admin/storage': { allow: ['admin'] },
  'POST /api/admin/users/import/preview': { allow: ['admin'], body: {} },
  'POST /api/admin/users/import': { allow: ['admin'], body: {} },
  'GET /api/admin/users/import/template.xlsx': { allow: ['admin'] },
  'GET /api/campaign': { allow: AGG },
  'GET /api/campaigns': { allow: AGG },
  'GET /api/home/todo': { allow: USERS, region: 'county-or-unit', regionInQuery: 'region' },
  'GET /api/home/setup': { allow: ['admin'] },
  'GET /api/liaisons': { allow: USERS },
  'GET /api/cases': { allow: USERS, region: 'county-or-unit', regionInQuery: 'county', query: '&asOf=2022-09-30' },
  'GET /api/cases/export.xlsx': { allow: USERS, region: 'county-or-unit', regionInQuery: 'county', query: '&asOf=2022-09-30' },
  'GET /api/persons/{key}': { allow: USERS },
  'GET /api/care/cases': { allow: AGG, region: 'county-or-unit', regionInQuery: 'region', query: '&asOf=2022-09-30' },
  'GET /api/care/checklist': { allow: AGG, region: 'county-or-unit', regionInQuery: 'region', query: '&asOf=2022-09-30' },
  'GET /api/care/persons/{key}/plan': { allow: USERS },
  'POST /api/persons/{key}/reveal': { allow: ['unit', 'county'] },
  'PUT /api/liaisons': { allow: ['admin'], body: {} },
  'DELETE /api/liaisons/{code}': { allow: ['admin'], skipAdmitted: true },
  'GET /api/admin/audit/export': { allow: ['admin'] },
  'GET /api/reports': { allow: USERS },
  'POST /api/reports/{kind}': { allow: ['admin', 'province'], body: {} },
  'GET /api/reports/{id}/download': { allow: ['admin', 'province'] },
  'GET /api/reports/dispatch.xlsx': { allow: USERS, query: '?date=2022-09-16&region=220102' },
  'GET /api/alerts': { allow: USERS, region: 'county-or-unit', regionInQuery: 'region' },
  'GET /api/alerts/counts': { allow: AGG, region: 'county-or-unit', regionInQuery: 'region' },
  'GET /api/alerts/summary': { allow: AGG, region: 'county-or-unit', regionInQuery: 'region' },
  'GET /api/alerts/rules': { allow: USERS },
  'GET /api/alerts/groups': { allow: AGG, region: 'county-or-unit', regionInQuery: 'region' },
  'GET /api/alerts/groups/members': { allow: USERS, region: 'county-or-unit', regionInQuery: 'region', query: '&rule=not_contacted' },
  'POST /api/alerts/groups/ack': { allow: USERS, body: {} },
  'POST /api/alerts/groups/dispatch': { allow: ['admin', 'province', 'unit'], body: {} },
  'POST /api/alerts/ack': { allow: USERS, body: {} },
  'GET /api/alerts/channels': { allow: ['admin'] },
  'PUT /api/alerts/channels': { allow: ['admin'], body: {} },
  'DELETE /api/alerts/channels/{id}': { allow: ['admin'], skipAdmitted: true },
  'GET /api/alerts/deliveries': { allow: ['admin'] },
  'GET /api/alerts/{id}': { allow: USERS },
  'GET /api/alerts/{id}/people': { allow: USERS },
  'POST /api/alerts/{id}/ack': { allow: USERS, body: {} },
  'POST /api/alerts/{id}/resolve': { allow: USERS, body: {} },
  'POST /api/dispatch': { allow: ['admin', 'province', 'unit'], body: {} },
  'GET /api/dispatch': { allow: USERS, region: 'county-or-unit', regionInQuery: 'county' },
  'GET /api/dispatch/{id}': { allow: USERS },
  'POST /api/dispatch/{id}/reply': { allow: ['county'], body: {} },
  'GET /api/measures/{code}/records': { allow: USERS, region: 'county-or-unit', query: '?kind=grant&asOf=2022-09-30' },
  'GET /api/measures/{code}/records.xlsx': { allow: USERS, region: 'county-or-unit', query: '?kind=stay&asOf=2022-09-30' },
  'GET /api/measures/{code}/children.xlsx': { allow: USERS, region: 'county-or-unit', query: '?section=policies&asOf=2022-09-30' },
};

// Scope of each caller: unit 长春 220100, county 南关区 220102, screen token for 长春.
const IN_SCOPE: Record<Caller, { 'county-or-unit': string; unit: string }> = {
  anonymous: { 'county-or-unit': '220100', unit: '220100' },
  admin: { 'county-or-unit': '220100', unit: '220200' },
  province: { 'county-or-unit': '220581', unit: '229900' },
  unit: { 'county-or-unit': '220102', unit: '220100' },
  county: { 'county-or-unit': '220102', unit: '' },
  screen: { 'county-or-unit': '220184', unit: '220100' },
};
const OUT_OF_SCOPE: Partial<Record<Caller, { 'county-or-unit': string; unit: string }>> = {
  unit: { 'county-or-unit': '220202', unit: '220300' },
  county: { 'county-or-unit': '220103', unit: '220100' },
  screen: { 'county-or-unit': '220000', unit: '220200' },
};

describe('authorization matrix', () => {
  let server: TestServer;
  const sessions = new Map<Caller, Session | null>();
  let screenToken = '';
  let routes: string[] = [];

  const call = async (caller: Caller, method: string, path: string, rule: Rule): Promise<number> => {
    const init: RequestInit = { method };
    if (rule.body !== undefined) {
      init.body = JSON.stringify(rule.body);
      init.headers = { 'content-type': 'application/json' };
    }
    const ac = new AbortController();
    if (rule.sse) setTimeout(() => ac.abort(), 1_500);
    init.signal = ac.signal;
    let res: Response;
    const s = sessions.get(caller);
    if (caller === 'screen') {
      const sep = path.includes('?') ? '&' : '?';
      res = await fetch(`${server.url}${path}${sep}token=${screenToken}`, init);
    } else if (s) res = await s.fetch(path, init);
    else res = await fetch(`${server.url}${path}`, init);
    const status = res.status;
    if (rule.sse) ac.abort();
    else await res.arrayBuffer();
    return status;
  };

  beforeAll(async () => {
    server = await startTestServer();
    await loadDemo(server, 800);
    sessions.set('anonymous', null);
    sessions.set('admin', await signIn(server.url, 'admin', TEST_ADMIN_PASSWORD));
    sessions.set('province', await server.as('province'));
    sessions.set('unit', await server.as('unit', '220100'));
    sessions.set('county', await server.as('county', '220102'));
    const tok = await (await sessions.get('admin')!.fetch('/api/admin/screen-tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ label: '长春大屏', region: '220100' }),
    })).json() as { token: string };
    screenToken = tok.token;
    const doc = (await (await fetch(`${server.url}/api/docs/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
  }, budget(180_000));
  afterAll(async () => {
    await server?.close();
  });

  it('every route of the running app has a rule', () => {
    expect(routes.length).toBeGreaterThan(15);
    const missing = routes.filter((r) => !RULES[r]);
    expect(missing, 'routes without a rule in this test').toEqual([]);
  });

  it('each caller gets in only where its role and scope allow', async () => {
    const problems: string[] = [];
    for (const route of routes) {
      const rule = RULES[route];
      if (!rule) continue;
      const [method, template] = route.split(' ') as [string, string];
      for (const caller of CALLERS) {
        const admitted = rule.allow === 'public' || rule.allow.includes(caller);
        if (admitted && rule.skipAdmitted) continue;
        const fill = (scopeSet: { 'county-or-unit': string; unit: string }) => {
          const code = rule.region ? scopeSet[rule.region] || '220100' : '220100';
          const path = template
            .replace('{code}', code)
            .replace('{id}', route.includes('screen-tokens') ? '000000000000' : '1')
            .replace('{key}', '00000000-0000-4000-8000-000000000000')
            .replace('{username}', 'no-such-user');
          return rule.regionInQuery ? `${path}?${rule.regionInQuery}=${code}${rule.query ?? ''}` : path + (rule.query ?? '');
        };
        const status = await call(caller, method, fill(IN_SCOPE[caller]), rule);
        const inScopeExists = !rule.region || IN_SCOPE[caller][rule.region] !== '';
        let expected: string;
        if (!admitted) expected = caller === 'anonymous' ? '401' : '403';
        else if (!inScopeExists) expected = '403';
        else expected = 'not 401/403';
        if (rule.anyStatus) expected = 'below 500';
        const ok = rule.anyStatus ? status < 500 : expected === 'not 401/403' ? status !== 401 && status !== 403 && status < 500 : String(status) === expected;
        if (!ok) problems.push(`${caller} ${route} (in scope) → ${status}, expected ${expected}`);
        const out = OUT_OF_SCOPE[caller];
        if (admitted && rule.region && out && out[rule.region]) {
          const s2 = await call(caller, method, fill(out), rule);
          if (s2 !== 403) problems.push(`${caller} ${route} (out of scope) → ${s2}, expected 403`);
        }
      }
    }
    expect(problems).toEqual([]);
  }, budget(300_000));

  it('a revoked screen token is refused', async () => {
    const admin = sessions.get('admin')!;
    const t = (await (await admin.fetch('/api/admin/screen-tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ label: '临时', region: '220000' }),
    })).json()) as { id: string; token: string };
    expect((await fetch(`${server.url}/api/metrics/220000?asOf=2022-09-30&token=${t.token}`)).status).toBe(200);
    expect((await admin.fetch(`/api/admin/screen-tokens/${t.id}/revoke`, { method: 'POST' })).status).toBe(201);
    expect((await fetch(`${server.url}/api/metrics/220000?asOf=2022-09-30&token=${t.token}`)).status).toBe(401);
  });

  it('state-changing calls without the CSRF header are refused', async () => {
    const admin = sessions.get('admin')!;
    const res = await fetch(`${server.url}/api/admin/users`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'csrf-victim', role: 'province', password: 'Long-enough-123' }),
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('CSRF');
  });

  it('locks an account after 5 wrong passwords and writes every attempt to the audit log', async () => {
    await server.as('county', '220103');
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 't-county-220103', password: `wrong-${i}` }),
      });
      expect(r.status).toBe(401);
    }
    // The right password no longer works while locked.
    await expect(signIn(server.url, 't-county-220103', 'Pw-county-2022-x9Q')).rejects.toThrow(/locked|锁定/);
    const audit = (await (await sessions.get('admin')!.fetch('/api/admin/audit?action=login&username=t-county-220103')).json()) as {
      rows: Array<{ ok: boolean; detail: string; ip: string }>;
    };
    expect(audit.rows.filter((r) => !r.ok).length).toBeGreaterThanOrEqual(6);
    expect(audit.rows.every((r) => r.ip !== '')).toBe(true);
    expect(JSON.stringify(audit.rows)).not.toContain('wrong-');
  });

  it('refuses weak passwords and unknown fields; hostile filter values are data, not SQL', async () => {
    const admin = sessions.get('admin')!;
    const weak = await admin.fetch('/api/admin/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'weakling', role: 'province', password: 'short1' }),
    });
    expect(weak.status).toBe(400);
    const extra = await admin.fetch('/api/ingest/runs?limit=5&drop=1');
    expect(extra.status).toBe(400);
    for (const hostile of ["x' OR 1=1 --", '220100; DROP TABLE users', '%27%20OR%201%3D1', 'a'.repeat(5000)]) {
      const r1 = await admin.fetch(`/api/metrics/${encodeURIComponent(hostile)}?asOf=2022-09-30`);
      expect(r1.status).toBe(400);
      const r2 = await admin.fetch(`/api/metrics/220100?asOf=${encodeURIComponent(hostile)}`);
      expect(r2.status).toBe(400);
      const r3 = await admin.fetch(`/api/admin/audit?username=${encodeURIComponent(hostile)}`);
      expect([200, 400]).toContain(r3.status);
    }
    const big = await admin.fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'a', password: 'b'.repeat(1_000_000) }),
    });
    expect(big.status).toBe(413);
    expect((await admin.fetch('/api/admin/users')).status).toBe(200);
  });

  it('sends security headers and no CORS permission', async () => {
    const res = await fetch(`${server.url}/api/health`, { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('writes account and token changes to the audit log, with who, when, from where and what', async () => {
    const admin = sessions.get('admin')!;
    const post = (path: string, body: unknown) =>
      admin.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/api/admin/users', { username: 'audited-user', role: 'unit', region: '220200', password: 'Audit-me-2022x' })).status).toBe(201);
    expect((await post('/api/admin/users/audited-user/disable', {})).status).toBe(201);
    expect((await post('/api/admin/users/audited-user/password', { password: 'Changed-2022-xyz' })).status).toBe(201);
    const audit = (await (await admin.fetch('/api/admin/audit?username=admin&limit=50')).json()) as {
      rows: Array<{ action: string; target: string; ip: string; ts: string; detail: string }>;
    };
    const mine = audit.rows.filter((r) => r.target === 'audited-user').map((r) => r.action);
    expect(mine.sort()).toEqual(['user.create', 'user.disable', 'user.password']);
    const created = audit.rows.find((r) => r.action === 'user.create' && r.target === 'audited-user')!;
    expect(created.detail).toContain('role=unit region=220200');
    expect(created.detail).not.toContain('Audit-me');
    expect(created.ip).not.toBe('');
    expect(audit.rows.some((r) => r.action === 'screen-token.create')).toBe(true);
  });
});
