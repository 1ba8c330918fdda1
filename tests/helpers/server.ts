// Starts the real app in this test process on a random port, over a fresh
// embedded ClickHouse in a temp data directory.
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import type { INestApplication } from '@nestjs/common';
import { createApp, openDatabase } from '../../backend/src/app.factory';
import { loadConfig, type AppConfig } from '../../backend/src/config/config';
import { generateDemo } from '../../backend/src/demo/demo.generator';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { AuthService } from '../../backend/src/auth/auth.service';
import { budget } from './budget';
import { CampaignRuntime } from '../../backend/src/campaigns/campaigns.runtime';

export const TEST_ADMIN_PASSWORD = 'Campaign-Test-2022';

/** A signed-in client: cookies and the CSRF header are sent on every call. */
export interface Session {
  username: string;
  cookie: string;
  csrf: string;
  fetch(pathOrUrl: string, init?: RequestInit): Promise<Response>;
}

export interface TestServer {
  url: string;
  /** Calls the API as the admin (signed in on first use). */
  fetch(pathOrUrl: string, init?: RequestInit): Promise<Response>;
  /** Signs in as an existing user. */
  login(username: string, password: string): Promise<Session>;
  /** Creates a user with a role and region scope (once) and signs in as them. */
  as(role: 'admin' | 'province' | 'unit' | 'county', region?: string): Promise<Session>;
  /** The running Nest app: `app.get(IngestService)` etc. for in-process setup. */
  app: INestApplication;
  dataDir: string;
  config: AppConfig;
  close(): Promise<void>;
}

export function tempDataDir(prefix = 'campaign-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startTestServer(opts: { dataDir?: string; env?: Record<string, string>; campaigns?: boolean } = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const config = loadConfig({ DATA_DIR: dataDir, DEMO: 'off', JOBS: 'off', LOG_FORMAT: 'json', ...opts.env });
  const { ch } = await openDatabase(config);
  // As `npm start` does: the install's campaign years, the home one's application handing the others' requests on.
  const campaigns = opts.campaigns ? await CampaignRuntime.open(config, ch) : undefined;
  const app = await createApp(campaigns ? campaigns.appConfig(campaigns.homeYear) : config, ch, false, { campaigns });
  if (campaigns) {
    campaigns.attach(campaigns.homeYear, app);
    await campaigns.startOthers((c, h) => createApp(c, h, false, { inner: true }), false);
  }
  await app.get(AuthService).ensureAdmin({ ADMIN_PASSWORD: TEST_ADMIN_PASSWORD });
  await app.listen(0, '127.0.0.1');
  const addr = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${addr.port}`;
  const login = (username: string, password: string) => signIn(url, username, password);
  let admin: Promise<Session> | null = null;
  const sessions = new Map<string, Promise<Session>>();
  const as = (role: 'admin' | 'province' | 'unit' | 'county', region?: string): Promise<Session> => {
    const username = `t-${role}-${region ?? 'all'}`;
    let s = sessions.get(username);
    if (!s) {
      s = (async () => {
        const password = `Pw-${role}-2022-x9Q`;
        await app.get(AuthService).createUser({ username, role, region, password }, null);
        return login(username, password);
      })();
      sessions.set(username, s);
    }
    return s;
  };
  return {
    url,
    fetch: async (p, init) => {
      admin ??= login('admin', TEST_ADMIN_PASSWORD);
      return (await admin).fetch(p, init);
    },
    login,
    as,
    app,
    dataDir,
    config,
    close: async () => {
      await app.close();
    },
  };
}

/** Runs the built server (`dist/server/backend/src/main.js`) as its own process until it exits. */
export function runMain(env: Record<string, string>, timeoutMs = budget(20_000)): Promise<{ code: number | null; stderr: string; stdout: string; ms: number }> {
  const main = path.join(__dirname, '..', '..', 'dist', 'server', 'backend', 'src', 'main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run npm run build:server first (npm test does)`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [main], { env: { ...process.env, DEMO: 'off', JOBS: 'off', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(t);
      resolve({ code, stderr, stdout, ms: Date.now() - started });
    });
  });
}

/** Generates a demo campaign of `persons` and loads it into the server (in-process). */
/** Loads a generated demo campaign; `care` adds kinds 9–12 and the plans' return visits (as `npm start`'s demo does). */
export async function loadDemo(server: TestServer, persons = 3000, seed = 2022, opts: { care?: boolean } = {}): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-'));
  const res = await generateDemo({ outDir: dir, persons, seed });
  const files = opts.care ? [...res.files, ...res.careFiles] : res.files;
  const summary = await server.app.get(IngestService).loadFiles(files.map((f) => f.path), { source: 'demo' });
  if (summary.failed) throw new Error(`demo load failed: ${JSON.stringify(summary.files.map((f) => f.error))}`);
}

export async function signIn(baseUrl: string, username: string, password: string): Promise<Session> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const cookie = cookies.join('; ');
  const csrf = cookies.find((c) => c.startsWith('csrf='))!.slice(5);
  return {
    username,
    cookie,
    csrf,
    fetch: (p, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('cookie', cookie);
      headers.set('x-csrf-token', csrf);
      return fetch(p.startsWith('http') ? p : `${baseUrl}${p}`, { ...init, headers });
    },
  };
}
