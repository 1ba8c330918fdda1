// Bad requests never 500: every route of the running app (enumerated from its
// OpenAPI document, as the authorization matrix does) is called with
// malformed path parameters, query values and bodies. Whatever is invalid by
// the route's own contract (a wrong type, an impossible date, an unknown
// value or field, broken JSON, a body too large) must get a 4xx with a
// message; hostile strings in free-text fields are data and may succeed. No
// answer may be a 5xx or carry a stack trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, startTestServer, type Session, type TestServer } from '../helpers/server';
import { budget } from '../helpers/budget';

interface Param { name: string; in: 'path' | 'query'; required?: boolean; schema?: { type?: string; enum?: string[] } }
interface Op { parameters?: Param[]; requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } }
interface Doc { paths: Record<string, Record<string, Op>>; components: { schemas: Record<string, { properties?: Record<string, { type?: string }> }> } }

/** A variant of a request, and whether the route's contract makes it invalid (then it must be refused with a 4xx). */
interface Variant { what: string; path: string; body?: string; contentType?: string; mustRefuse: boolean }

const GOOD: Record<string, string> = { asOf: '2022-09-30', county: '220102', region: '220102', date: '2022-09-16', from: '2022-07-01', to: '2022-09-30' };
const DATE_PARAMS = new Set(['asOf', 'date', 'from', 'to']);
const CODE_PARAMS = new Set(['code', 'county', 'region']);
const HOSTILE = ["' OR 1=1 --", "1'); DROP TABLE ledger_raw; --", '../../../../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '<script>alert(1)</script>', '%00', 'x'.repeat(10_000)];
const PATH_VALUES = ['abc', '-1', '9'.repeat(40), '1.5', '2022-02-30', encodeURIComponent("' OR 1=1 --"), '..%2F..%2Fetc%2Fpasswd', '%00', '%E4%B8', 'x'.repeat(2_000)];
// Not walked: logout ends the caller's session (it takes no input), /api/live is a stream without parameters.
const SKIP = new Set(['POST /api/auth/logout', 'GET /api/live']);
// Routes only these roles may call (the rest are called as the admin).
const CALLER: Record<string, 'county'> = { 'POST /api/persons/{key}/reveal': 'county', 'POST /api/dispatch/{id}/reply': 'county' };
const STACK = /\n\s+at |node_modules|\.[jt]s:\d+:\d+/;

function wrongTypes(type: string | undefined): unknown[] {
  switch (type ?? 'string') {
    case 'number':
    case 'integer':
      return ['abc', '12', true, [], {}, '1e309'];
    case 'boolean':
      return ['yes', 1, [], {}];
    case 'array':
      return ['x', 7, { a: 1 }];
    case 'object':
      return ['x', 7, []];
    default:
      return [123, true, [], { a: 1 }];
  }
}

function variants(method: string, template: string, op: Op, doc: Doc): Variant[] {
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const fillPath = (override?: [string, string]) =>
    template.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (override && override[0] === name) return override[1];
      if (name === 'code') return '220102';
      if (name === 'kind') return 'weekly';
      if (name === 'key') return '00000000-0000-4000-8000-000000000000';
      if (name === 'username') return 'no-such-user';
      return '1';
    });
  const base = new URLSearchParams();
  for (const q of queryParams) if (GOOD[q.name]) base.set(q.name, GOOD[q.name]!);
  const withQuery = (path: string, q: URLSearchParams) => (q.size ? `${path}?${q.toString()}` : path);
  const ref = op.requestBody?.content?.['application/json']?.schema?.$ref;
  const props = ref ? (doc.components.schemas[ref.split('/').pop()!]?.properties ?? {}) : {};
  const hasBody = method === 'POST' || method === 'PUT';
  const okPath = withQuery(fillPath(), base);
  const out: Variant[] = [];

  for (const p of pathParams) {
    for (const v of PATH_VALUES) out.push({ what: `path ${p.name}=${v.slice(0, 40)}`, path: withQuery(fillPath([p.name, v]), base), mustRefuse: true });
  }
  for (const q of queryParams) {
    const set = (value: string | string[]) => {
      const u = new URLSearchParams(base);
      u.delete(q.name);
      for (const v of Array.isArray(value) ? value : [value]) u.append(q.name, v);
      return withQuery(fillPath(), u);
    };
    const type = q.schema?.type;
    const strict = type === 'number' || type === 'integer' || Boolean(q.schema?.enum) || DATE_PARAMS.has(q.name) || CODE_PARAMS.has(q.name);
    const bad: string[] = [];
    if (type === 'number' || type === 'integer') bad.push('abc', '1e309', '9'.repeat(40), '1.5', '0x10');
    if (q.schema?.enum) bad.push('nope', `${q.schema.enum[0]}x`);
    if (DATE_PARAMS.has(q.name)) bad.push('2022-02-30', '2022-13-01', '20220930', 'abc', '99999-01-01', '2022-09-30T00:00:00');
    if (CODE_PARAMS.has(q.name)) bad.push('abc', '9'.repeat(40), '22010');
    for (const v of bad) out.push({ what: `query ${q.name}=${v}`, path: set(v), mustRefuse: true });
    out.push({ what: `query ${q.name} twice`, path: set([GOOD[q.name] ?? '1', GOOD[q.name] ?? '2']), mustRefuse: strict });
    for (const v of HOSTILE) out.push({ what: `query ${q.name}=${v.slice(0, 30)}`, path: set(v), mustRefuse: strict });
  }
  if (queryParams.length) out.push({ what: 'unknown query field', path: withQuery(fillPath(), new URLSearchParams([...base, ['zz_unknown', '1']])), mustRefuse: true });

  if (hasBody) {
    const json = (b: unknown) => JSON.stringify(b);
    out.push({ what: 'broken JSON', path: okPath, body: '{"a": ', mustRefuse: true });
    out.push({ what: 'JSON with a trailing comma', path: okPath, body: '{"a": 1,}', mustRefuse: true });
    out.push({ what: 'body over the size limit', path: okPath, body: json({ [Object.keys(props)[0] ?? 'a']: 'x'.repeat(300_000) }), mustRefuse: true });
    if (ref) {
      for (const top of ['[]', '"text"', '123', 'null', '[{"a":1}]']) out.push({ what: `body ${top}`, path: okPath, body: top, mustRefuse: true });
      out.push({ what: 'unknown body field', path: okPath, body: json({ zz_unknown: 1 }), mustRefuse: true });
      out.push({ what: 'prototype pollution field', path: okPath, body: '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}', mustRefuse: true });
      for (const [name, s] of Object.entries(props)) {
        for (const v of wrongTypes(s.type)) out.push({ what: `body ${name}=${JSON.stringify(v)}`, path: okPath, body: json({ [name]: v }), mustRefuse: true });
        if (s.type === 'string' || s.type === undefined) {
          for (const v of HOSTILE) out.push({ what: `body ${name}=${v.slice(0, 30)}`, path: okPath, body: json({ [name]: v }), mustRefuse: false });
        }
      }
      out.push({ what: 'form-encoded body', path: okPath, body: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded', mustRefuse: false });
      out.push({ what: 'text body', path: okPath, body: 'hello', contentType: 'text/plain', mustRefuse: false });
    }
  }
  return out;
}

describe('bad requests never 500', () => {
  let server: TestServer;
  let doc: Doc;
  const callers = new Map<string, Session>();

  beforeAll(async () => {
    server = await startTestServer();
    await loadDemo(server, 400);
    callers.set('admin', await server.as('admin'));
    callers.set('county', await server.as('county', '220102'));
    doc = (await (await fetch(`${server.url}/api/docs/openapi.json`)).json()) as Doc;
  }, budget(180_000));
  afterAll(async () => {
    await server?.close();
  });

  it('every route, every malformed input: a 4xx with a message where invalid, never a 5xx, never a stack trace', async () => {
    const problems: string[] = [];
    let calls = 0;
    let routes = 0;
    for (const [template, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        const method = m.toUpperCase();
        const route = `${method} ${template}`;
        if (SKIP.has(route)) continue;
        routes++;
        const session = callers.get(CALLER[route] ?? 'admin')!;
        for (const v of variants(method, template, op, doc)) {
          calls++;
          const init: RequestInit = { method };
          if (v.body !== undefined) {
            init.body = v.body;
            init.headers = { 'content-type': v.contentType ?? 'application/json' };
          }
          const res = await session.fetch(v.path, init);
          const text = await res.text();
          const where = `${route} [${v.what}] → ${res.status}`;
          if (res.status >= 500) problems.push(`${where}: ${text.slice(0, 200)}`);
          else if (v.mustRefuse && (res.status < 400 || res.status >= 500)) problems.push(`${where}: accepted`);
          if (STACK.test(text)) problems.push(`${where}: stack trace in the body`);
          if (res.status >= 400 && res.status < 500) {
            let message: string;
            try {
              const m = (JSON.parse(text) as { message?: unknown }).message;
              message = Array.isArray(m) ? m.join('; ') : typeof m === 'string' ? m : '';
            } catch {
              message = text;
            }
            if (!message.trim()) problems.push(`${where}: no message`);
          }
        }
      }
    }
    expect(routes).toBeGreaterThan(40);
    expect(calls).toBeGreaterThan(500);
    expect(problems, problems.join('\n')).toEqual([]);
  }, budget(300_000));

  it('a malformed session cookie is no session: 401 with a message, never a 5xx (cookie-parser reads "j:…" as JSON)', async () => {
    const cookies = ['sid=j:{"a":1}', 'sid=j:[1,2]', 'sid=j:null', 'sid=%E0%A4%A', `sid=${'x'.repeat(5000)}`];
    const requests: Array<[string, string]> = [
      ['GET', '/api/metrics/220000?asOf=2022-09-01'], ['GET', '/api/screen/220000'], ['GET', '/api/alerts'],
      ['GET', '/api/auth/me'], ['POST', '/api/auth/logout'],
    ];
    for (const cookie of cookies) {
      for (const [method, p] of requests) {
        const res = await fetch(`${server.url}${p}`, { method, headers: { cookie } });
        const text = await res.text();
        expect(res.status, `${method} ${p} with ${cookie.slice(0, 20)}: ${text.slice(0, 200)}`).toBe(401);
        expect((JSON.parse(text) as { message: string }).message).toMatch(/请先登录/);
      }
    }
  });
});
