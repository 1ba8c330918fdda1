// The built app as real processes, for the crash and backup tests: the CLI and
// the server (dist/server, built by `npm test`), killed with SIGKILL at fault
// hook points (backend/src/common/fault.ts), restarted, and read over HTTP.
// Every wait ends on what it waits for, or at once when the process exits.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { signIn, type Session } from './server';

const DIST = path.join(__dirname, '..', '..', 'dist', 'server', 'backend', 'src');
export const ADMIN_PASSWORD = 'Crash-Test-2022-pw';

export interface Proc {
  child: ChildProcess;
  /** stdout and stderr so far. */
  out(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isAlive(): boolean;
}

export function spawnNode(script: 'cli' | 'main', args: string[], env: Record<string, string>): Proc {
  const file = path.join(DIST, `${script}.js`);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npm run build:server first (npm test does)`);
  const child = spawn(process.execPath, [file, ...args], {
    env: { ...process.env, DEMO: 'off', JOBS: 'off', LOG_FORMAT: 'json', ADMIN_PASSWORD, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  let alive = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      alive = false;
      resolve({ code, signal });
    });
  });
  return { child, out: () => text, exited, isAlive: () => alive };
}

/** Runs the CLI to its end; the last stdout line is its JSON answer. */
export async function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; json: Record<string, unknown> | null }> {
  const p = spawnNode('cli', args, env);
  const { code } = await p.exited;
  const lines = p.out().trim().split('\n');
  let json: Record<string, unknown> | null = null;
  for (let i = lines.length - 1; i >= 0 && !json; i--) {
    try {
      const v = JSON.parse(lines[i]!) as unknown;
      if (v && typeof v === 'object' && !('level' in v)) json = v as Record<string, unknown>;
    } catch {
      // not the JSON line
    }
  }
  return { code, out: p.out(), json };
}

/** Polls `check` until it returns a value; fails at once, with the process's output, if `proc` exits first. */
export async function until<T>(what: string, check: () => Promise<T | null | undefined> | T | null | undefined, proc?: Proc): Promise<T> {
  for (;;) {
    const v = await check();
    if (v !== null && v !== undefined && v !== false) return v;
    if (proc && !proc.isAlive()) throw new Error(`process exited while waiting for ${what}:\n${proc.out().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the process stands at fault point `name` (its marker file exists). */
export function atFault(proc: Proc, faultDir: string, name: string): Promise<true> {
  const marker = path.join(faultDir, `${name}.reached`);
  return until(`fault point ${name}`, () => fs.existsSync(marker) || null, proc);
}

/** Lets a process stopped at fault point `name` go on. */
export function releaseFault(faultDir: string, name: string): void {
  fs.writeFileSync(path.join(faultDir, `${name}.release`), '');
}

export async function sigkill(proc: Proc): Promise<void> {
  if (proc.isAlive()) proc.child.kill('SIGKILL');
  const r = await proc.exited;
  if (r.signal !== 'SIGKILL' && r.code === 0) throw new Error('the process ended by itself before it was killed');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface ServerProc extends Proc {
  url: string;
  admin: Session;
  /** SIGTERM and wait for a clean stop. */
  stop(): Promise<void>;
}

/** Starts the built server on `dataDir`; resolves once it serves (or as soon as it dies). */
export async function startServer(dataDir: string, env: Record<string, string> = {}): Promise<ServerProc> {
  const port = await freePort();
  const proc = spawnNode('main', [], { DATA_DIR: dataDir, PORT: String(port), ...env });
  await until('the server to serve', () => proc.out().includes('serving http://') || null, proc);
  const url = `http://127.0.0.1:${port}`;
  const admin = await signIn(url, 'admin', ADMIN_PASSWORD);
  return {
    ...proc,
    url,
    admin,
    stop: async () => {
      if (proc.isAlive()) proc.child.kill('SIGTERM');
      await proc.exited;
    },
  };
}

export async function getJson<T>(s: Session, p: string): Promise<T> {
  const res = await s.fetch(p);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

export const FIGURE_KEYS = [
  'received', 'pendingDistribution', 'contacted', 'contactRate', 'intentEmployment', 'completed1311', 'rate1311', 'employed',
  'employmentRate', 'hardship', 'hardshipOneOnOne', 'hardshipEmployed', 'helpRequests', 'helpContactedInSla', 'helpOverdue',
] as const;

type RegionFigures = { region: string; children: Array<Record<string, unknown>> } & Record<string, unknown>;

function pick(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(['region', 'dataTime', ...FIGURE_KEYS].map((k) => [k, o[k]]));
}

/**
 * Every metric of every region (the province, its units, their counties) on each day, as the API
 * serves them: `code@day` → the figures.
 */
export async function figures(fetchJson: <T>(p: string) => Promise<T>, days: string[]): Promise<Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, unknown>> = {};
  const perDay = await Promise.all(days.map(async (day) => {
    const province = await fetchJson<RegionFigures>(`/api/metrics/220000?asOf=${day}`);
    const units = await Promise.all(province.children.map((u) => fetchJson<RegionFigures>(`/api/metrics/${String(u.region)}?asOf=${day}`)));
    return { day, province, units };
  }));
  for (const { day, province, units } of perDay) {
    out[`220000@${day}`] = pick(province);
    for (const u of units) {
      out[`${u.region}@${day}`] = pick(u);
      for (const c of u.children) out[`${String(c.region)}@${day}`] = { ...pick(c), dataTime: undefined };
    }
  }
  return out;
}

/**
 * Hidden per-run stage tables and chunk files a load leaves in DATA_DIR (the engine's catalog on
 * disk) — of the given runs only, when a pull running meanwhile may be staging its own.
 */
export function leftoverStages(dataDir: string, runs?: number[]): string[] {
  const mine = (n: string) => !runs || runs.some((r) => n.startsWith(`run_stage_${r}_`) || n === `run-${r}`);
  const meta = path.join(dataDir, 'clickhouse', 'metadata', 'campaign');
  const tables = fs.existsSync(meta) ? fs.readdirSync(meta).filter((n) => n.startsWith('run_stage_') && mine(n)) : [];
  const tmp = path.join(dataDir, 'tmp');
  const chunks = fs.existsSync(tmp) ? fs.readdirSync(tmp).filter(mine).map((n) => `tmp/${n}`) : [];
  return [...tables, ...chunks];
}

export interface RunInfo {
  runId: number;
  source: string;
  label: string;
  status: string;
  error: string;
  accepted: number;
  rejected: number;
}

export interface RejectInfo {
  file: string;
  sheet: string;
  row: number;
  reason: string;
  raw: string;
}

/**
 * Every table of a stopped data directory's database, read by the engine in a process of its own
 * (not through the app): row count and an order-independent hash of every row, `FINAL` where a
 * background merge may fold versions. Two directories with equal digests hold the same data.
 */
export async function tableDigest(dataDir: string): Promise<Record<string, { rows: number; hash: string }>> {
  const chdb = require.resolve('chdb', { paths: [path.join(__dirname, '..', '..')] });
  const script = `
    const { Session } = require(${JSON.stringify(chdb)});
    const s = new Session(${JSON.stringify(path.join(dataDir, 'clickhouse'))});
    const q = (x) => JSON.parse(s.query(x, 'JSON')).data;
    const out = {};
    for (const t of q("SELECT name, engine FROM system.tables WHERE database = 'campaign' AND has_own_data ORDER BY name")) {
      const final = /.+MergeTree$/.test(t.engine) ? ' FINAL' : '';
      const [r] = q('SELECT count() AS n, toString(sum(cityHash64(*))) AS h FROM campaign.\`' + t.name + '\`' + final);
      out[t.name] = { rows: Number(r.n), hash: r.h };
    }
    s.close();
    process.stdout.write(JSON.stringify(out));
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`table digest of ${dataDir} failed: ${err.slice(-2000)}`);
  return JSON.parse(text) as Record<string, { rows: number; hash: string }>;
}

/**
 * A test's time budget from what it waits for: each process it starts (Node, the engine, the
 * migrations) takes a few seconds here, up to ~20 s with both cores busy with other builds.
 */
export function budget(processes: number): number {
  return 30_000 + processes * 20_000;
}
