// `npm run bench -- api`: API latency under load on the national-size data.
// The built server (dist/server/backend/src/main.js) runs as its own process
// on the national data directory with ADMIN_PASSWORD set; the bench signs in
// as admin (POST /api/auth/login), then autocannon drives 200 concurrent
// clients for 30 s at each main endpoint with the session cookie: the wall
// screen's /api/screen/220000 (when the route exists) and the workbench's
// /api/metrics/220100?asOf=2022-12-31. The refresh job keeps snapshots fresh,
// so the metrics bench (run before this one) has written them.
//
// BENCH_API_CONNECTIONS (200) and BENCH_API_SECONDS (30) change the load.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import autocannon from 'autocannon';
import { fmt, NODE_FLAGS } from './common';
import { ensureNational, specLabel } from './national';
import { report, type Figure } from './report';
import { rawGet } from '../helpers/http';

const CONNECTIONS = Number(process.env.BENCH_API_CONNECTIONS || 200);
const SECONDS = Number(process.env.BENCH_API_SECONDS || 30);
export const BENCH_ADMIN_PASSWORD = 'Bench-Campaign-2022!';
const AS_OF = '2022-12-31';

export interface ServerProcess {
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

function log(msg: string): void {
  process.stderr.write(`[api] ${msg}\n`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Starts the built server on a data directory and waits until it answers /api/health. */
export async function startServer(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const main = path.join(__dirname, '..', '..', 'backend', 'src', 'main.js');
  const port = await freePort();
  // BENCH_SERVER_FLAGS: more node flags for the server alone (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where a round's time goes).
  const extra = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...NODE_FLAGS, ...extra, main], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD, JOBS: 'off', DEMO: 'off', LOG_FORMAT: 'json', ...env },
    // BENCH_SERVER_LOG: a file that keeps the server's whole log, both streams (with CLICKHOUSE_SLOW_MS, its slow queries).
    stdio: ['ignore', process.env.BENCH_SERVER_LOG ? 'pipe' : 'ignore', 'pipe'],
  });
  let stderr = '';
  const keep = process.env.BENCH_SERVER_LOG ? fs.createWriteStream(process.env.BENCH_SERVER_LOG) : null;
  proc.stdout?.on('data', (d: Buffer) => keep?.write(d));
  proc.stderr!.on('data', (d: Buffer) => {
    keep?.write(d);
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}: ${stderr}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server did not answer within 180 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    proc,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        const t = setTimeout(() => proc.kill('SIGKILL'), 20_000);
        proc.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        proc.kill('SIGTERM');
      }),
  };
}

/** Signs in as admin; returns the Cookie header value. */
export async function adminCookie(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: BENCH_ADMIN_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${await res.text()} (a data directory whose admin has another password? remove its users or set the same ADMIN_PASSWORD)`);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
}

/** A GET without the 300-second header timeout of fetch(): the first screen build at national size computes live. */
function getText(url: string, cookie: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { cookie }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

interface LoadResult {
  path: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
  timeouts: number;
  bytes: number;
  statuses: string;
}

async function hammer(url: string, p: string, headers: Record<string, string>): Promise<LoadResult> {
  const r = await autocannon({ url: `${url}${p}`, connections: CONNECTIONS, duration: SECONDS, headers, timeout: 30 });
  const codes = r as unknown as Record<string, number>;
  const statuses = ['1xx', '2xx', '3xx', '4xx', '5xx'].filter((k) => codes[k]).map((k) => `${k} ${fmt(codes[k]!)}`).join(', ');
  return {
    path: p, requests: r.requests.total, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max,
    errors: r.errors, non2xx: r.non2xx, timeouts: r.timeouts, bytes: r.throughput.average, statuses,
  };
}


/** The bare ceiling server (bare.server.ts) in its own process, answering with `body`. */
async function startBare(body: Buffer, etag: string, extraHeaders?: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }> {
  const file = path.join(os.tmpdir(), `bench-bare-${process.pid}.gz`);
  fs.writeFileSync(file, body);
  const args = [path.join(__dirname, 'bare.server.js'), file, etag];
  if (extraHeaders) {
    const hf = path.join(os.tmpdir(), `bench-bare-${process.pid}.headers.json`);
    fs.writeFileSync(hf, JSON.stringify(extraHeaders));
    args.push(hf);
  }
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0]!;
      if (out.includes('\n')) resolve((JSON.parse(line) as { port: number }).port);
    });
    proc.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => {
      proc.once('exit', () => {
        fs.rmSync(file, { force: true });
        resolve();
      });
      proc.kill('SIGTERM');
    }),
  };
}

/** Resident and peak resident memory of a process (Linux /proc), in MB. */
function rssOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0) / 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

interface PathResult {
  path: string;
  kb: number;
  bare: LoadResult;
  app: LoadResult;
  bare304: LoadResult;
  app304: LoadResult;
  /** The bare server sending the app's full header set (helmet's too) on its 304s. */
  bareSame304: LoadResult;
}

/** The headers of an app response that the bare server does not send (helmet's), without Node's own per-response ones. */
function appOnlyHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const bare = new Set(['date', 'connection', 'keep-alive', 'content-type', 'content-encoding', 'content-length', 'etag', 'cache-control', 'vary', 'transfer-encoding']);
  return Object.fromEntries(Object.entries(h).filter(([k, v]) => !bare.has(k) && typeof v === 'string') as Array<[string, string]>);
}

export async function benchApi(): Promise<PathResult[]> {
  const nat = await ensureNational();
  log(`starting the server on ${nat.dataDir}…`);
  const server = await startServer(nat.dataDir);
  const results: PathResult[] = [];
  const loads: string[] = [];
  let firstScreenMs: number | null = null;
  let mem: { rss: number; peak: number } | undefined;
  try {
    const cookie = await adminCookie(server.url);
    const paths = [`/api/screen/220000`, `/api/metrics/220100?asOf=${AS_OF}`];
    for (const p of paths) {
      const t0 = performance.now();
      const warm = await getText(`${server.url}${p}`, cookie);
      const ms = performance.now() - t0;
      if (p.startsWith('/api/screen')) firstScreenMs = ms;
      log(`${p}: first answer in ${fmt(ms / 1000, 1)} s`);
      if (warm.status !== 200) throw new Error(`${p}: ${warm.status} ${warm.body.slice(0, 300)}`);
      // What the app sends a browser: the compressed body and its ETag; the bare server answers with exactly these bytes.
      const headers = { cookie, 'accept-encoding': 'gzip, deflate, br' };
      const sample = await rawGet(`${server.url}${p}`, headers);
      const etag = String(sample.headers.etag ?? '');
      if (sample.headers['content-encoding'] !== 'gzip' || !etag) throw new Error(`${p}: not a compressed body with an ETag`);
      const source = (JSON.parse(warm.body) as { source?: string }).source;
      log(`${p}: ${fmt(warm.body.length / 1024, 1)} KB, ${fmt(sample.body.length / 1024, 1)} KB gzip${source ? `, source ${source}` : ''}`);
      const bare = await startBare(sample.body, etag);
      let bareUp = true;
      try {
        const run = async (label: string, url: string, h: Record<string, string>): Promise<LoadResult> => {
          log(`  ${label}: ${CONNECTIONS} clients for ${SECONDS} s…`);
          const before = os.loadavg()[0]!.toFixed(2);
          const r = await hammer(url, p, h);
          loads.push(`${p} ${label}: ${before} → ${os.loadavg()[0]!.toFixed(2)}`);
          log(`    p50 ${r.p50} ms, p99 ${r.p99} ms, ${fmt(r.rps)} req/s, ${r.statuses}, errors ${r.errors}`);
          return r;
        };
        const cond = { ...headers, 'if-none-match': etag };
        const r = {
          path: p,
          kb: sample.body.length / 1024,
          bare: await run('bare server', bare.url, headers),
          app: await run('app', server.url, headers),
          bare304: await run('bare server, If-None-Match', bare.url, cond),
          app304: await run('app, If-None-Match', server.url, cond),
        };
        await bare.stop();
        bareUp = false;
        // The same bare server, now with the app's security headers: how much of a 304's cost is its header set alone.
        const same = await startBare(sample.body, etag, appOnlyHeaders(sample.headers));
        try {
          results.push({ ...r, bareSame304: await run('bare server with the app\'s headers, If-None-Match', same.url, cond) });
        } finally {
          await same.stop();
        }
      } finally {
        if (bareUp) await bare.stop();
      }
    }
    mem = rssOf(server.proc.pid!);
  } finally {
    await server.stop();
  }
  const figures: Figure[] = [
    { name: 'data', value: specLabel(nat.spec) },
    { name: 'clients, duration', value: `${CONNECTIONS} concurrent, ${SECONDS} s each (autocannon, signed-in admin session, Accept-Encoding: gzip)` },
  ];
  if (firstScreenMs !== null) figures.push({ name: 'first build of /api/screen/220000 after start (snapshots fresh)', value: fmt(firstScreenMs), unit: 'ms', goal: '≤ 2,000 ms', met: firstScreenMs <= 2000 });
  for (const r of results) {
    const ratio = r.app.rps / r.bare.rps;
    const p99 = r.app.p99 / Math.max(1, r.bare.p99);
    const ratio304 = r.app304.rps / r.bare304.rps;
    const ok = r.app.errors === 0 && r.app.non2xx === 0 && r.app304.errors === 0;
    figures.push(
      { name: `${r.path} — bare server (same ${fmt(r.kb, 1)} KB gzip body): req/s, p50 / p99`, value: fmt(r.bare.rps), unit: `req/s, ${r.bare.p50} / ${r.bare.p99} ms` },
      { name: `${r.path} — app: req/s, p50 / p99`, value: fmt(r.app.rps), unit: `req/s, ${r.app.p50} / ${r.app.p99} ms (${fmt(r.app.requests)} requests)` },
      { name: `${r.path} — app / bare throughput`, value: fmt(ratio, 2), goal: '≥ 0.70', met: ratio >= 0.7 },
      { name: `${r.path} — app p99 / bare p99`, value: fmt(p99, 2), goal: '≤ 2', met: p99 <= 2 },
      { name: `${r.path} — If-None-Match (304): bare / app req/s, p99`, value: `${fmt(r.bare304.rps)} / ${fmt(r.app304.rps)}`, unit: `req/s, p99 ${r.bare304.p99} / ${r.app304.p99} ms (app: ${r.app304.statuses})` },
      { name: `${r.path} — 304: app / bare throughput`, value: fmt(ratio304, 2), goal: '≥ 0.90', met: ratio304 >= 0.9 },
      {
        name: `${r.path} — 304: bare server sending the app's security (helmet) headers too: req/s, p99 (app / that)`,
        value: fmt(r.bareSame304.rps),
        unit: `req/s, p99 ${r.bareSame304.p99} ms (app / that: ${fmt(r.app304.rps / r.bareSame304.rps, 2)})`,
      },
      { name: `${r.path} — app errors / non-2xx / timeouts`, value: `${r.app.errors} / ${r.app.non2xx} / ${r.app.timeouts}`, goal: 'none', met: ok },
    );
  }
  if (mem) figures.push({ name: 'server RSS after the runs (peak during them)', value: fmt(mem.rss), unit: `MB (${fmt(mem.peak)} MB)`, goal: '≤ 1,536 MB', met: mem.rss <= 1536 });
  figures.push({ name: 'machine load (1-min average) before → after each run', value: loads.join('; ') });
  report('api', 'npm run bench -- api', figures, [
    'The app is the built server (`node --max-semi-space-size=32 dist/server/backend/src/main.js`, as `npm start` runs it) with the embedded engine on the national data; the bare server (tests/bench/bare.server.ts) is a plain Node `http` server in its own process that answers every request with the very bytes the app sent for that path (gzip) and their ETag, or 304; autocannon runs in the bench process. All three share the 2 cores, in one run, one after the other.',
    'Snapshots are fresh (the metrics bench refreshed them), as the refresh job keeps them in production.',
    'Per request the app still does what the bare server does not: the two GETs are answered by the hot path in front of Express/NestJS (backend/src/common/hot-get.ts; `HOT_GET=off` sends them through NestJS) with the session look-up (shared, cached), the scope check, and the same headers as the NestJS route — helmet\'s security headers too, about 1 KB that the bare server does not send; for the screen the server time is appended to the once-compressed body as a stored deflate block.',
    'The 304 line "bare server sending the app\'s security headers too" runs the same bare server with those headers added: its rate is the ceiling for a 304 that carries the app\'s header set, and app / that is how close the app comes to it.',
  ]);
  return results;
}

if (require.main === module) {
  benchApi().catch((e: unknown) => {
    process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
    process.exit(1);
  });
}
