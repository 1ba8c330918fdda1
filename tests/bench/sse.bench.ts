// `npm run bench -- sse`: 500 connected wall screens on GET /api/live. The app
// runs in a child process on the national data (started like
// tests/helpers/server.ts's startTestServer); the bench process holds the 500
// signed-in event streams and, for each round, asks the child over IPC to
// emit `snapshot-ready` on DataEvents — what the refresh job does — and times
// until every screen has received the push.
//
// BENCH_SSE_CLIENTS (500) and BENCH_SSE_ROUNDS (5) change the run.
import { fork } from 'node:child_process';
import * as http from 'node:http';
import * as os from 'node:os';
import type { INestApplication } from '@nestjs/common';
import { createApp, openDatabase } from '../../backend/src/app.factory';
import { AuthService } from '../../backend/src/auth/auth.service';
import { DataEvents } from '../../backend/src/common/data-events';
import { loadConfig } from '../../backend/src/config/config';
import { adminCookie, BENCH_ADMIN_PASSWORD } from './api.bench';
import { fmt } from './common';
import { ensureNational, specLabel } from './national';
import { report } from './report';

const CLIENTS = Number(process.env.BENCH_SSE_CLIENTS || 500);
const ROUNDS = Number(process.env.BENCH_SSE_ROUNDS || 5);

type ToChild = { type: 'emit'; round: number } | { type: 'stop' };
type FromChild = { type: 'ready'; port: number } | { type: 'emitted'; round: number };

function log(msg: string): void {
  process.stderr.write(`[sse] ${msg}\n`);
}

/** Child: the app on the data directory, emitting on request. */
async function serve(dataDir: string): Promise<void> {
  const cfg = loadConfig({ ...process.env, DATA_DIR: dataDir, DEMO: 'off', JOBS: 'off', LOG_FORMAT: 'json' });
  const { ch } = await openDatabase(cfg);
  const app: INestApplication = await createApp(cfg, ch, false);
  await app.get(AuthService).ensureAdmin({ ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const events = app.get(DataEvents);
  process.on('message', (m: ToChild) => {
    if (m.type === 'emit') {
      events.emit({ type: 'snapshot-ready', asOf: '2022-12-31', computedAt: new Date().toISOString() });
      process.send!({ type: 'emitted', round: m.round } satisfies FromChild);
    } else {
      // Open event streams never end by themselves: close the server's sockets, then the app.
      const server = app.getHttpServer() as http.Server;
      server.closeAllConnections();
      void app.close().then(() => process.exit(0));
    }
  });
  process.send!({ type: 'ready', port } satisfies FromChild);
}

interface Screen {
  req: http.ClientRequest;
  /** Push events received so far. */
  pushes: number;
  /** Time of the latest push. */
  lastPush: number;
  ready: boolean;
}

function connect(url: string, cookie: string, onPush: () => void): Promise<Screen> {
  return new Promise((resolve, reject) => {
    const s: Screen = { req: null as unknown as http.ClientRequest, pushes: 0, lastPush: 0, ready: false };
    s.req = http.get(`${url}/api/live`, { headers: { cookie, accept: 'text/event-stream' }, agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`GET /api/live: ${res.statusCode}`));
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const msg = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (/^event: snapshot$/m.test(msg)) {
            s.pushes++;
            s.lastPush = performance.now();
            onPush();
          } else if (!s.ready && /^event: heartbeat$/m.test(msg)) {
            s.ready = true;
            resolve(s);
          }
        }
      });
      res.on('error', () => undefined);
    });
    s.req.on('error', reject);
  });
}

export async function benchSse(): Promise<Record<string, number>> {
  const nat = await ensureNational();
  const proc = fork(__filename, ['serve', nat.dataDir], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const messages: FromChild[] = [];
  let wake: (() => void) | null = null;
  proc.on('message', (m: FromChild) => {
    messages.push(m);
    wake?.();
  });
  const next = async (type: FromChild['type']): Promise<FromChild> => {
    for (;;) {
      const i = messages.findIndex((m) => m.type === type);
      if (i >= 0) return messages.splice(i, 1)[0]!;
      if (proc.exitCode !== null) throw new Error(`the app process exited with ${proc.exitCode}`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 500);
      });
    }
  };
  const screens: Screen[] = [];
  try {
    const ready = (await next('ready')) as { type: 'ready'; port: number };
    const url = `http://127.0.0.1:${ready.port}`;
    const cookie = await adminCookie(url);
    log(`connecting ${CLIENTS} screens…`);
    const t0 = performance.now();
    let waiting: { need: number; got: number; done: () => void } | null = null;
    const onPush = () => {
      if (waiting && ++waiting.got >= waiting.need) waiting.done();
    };
    for (let i = 0; i < CLIENTS; i += 50) {
      screens.push(...(await Promise.all(Array.from({ length: Math.min(50, CLIENTS - i) }, () => connect(url, cookie, onPush)))));
    }
    const connectMs = performance.now() - t0;
    log(`  all connected in ${fmt(connectMs)} ms`);
    const rounds: Array<{ all: number; median: number }> = [];
    const before = os.loadavg()[0]!.toFixed(2);
    for (let r = 0; r < ROUNDS; r++) {
      await new Promise((res) => setTimeout(res, 300));
      const done = new Promise<void>((resolve) => (waiting = { need: CLIENTS, got: 0, done: resolve }));
      const sent = performance.now();
      proc.send({ type: 'emit', round: r } satisfies ToChild);
      await Promise.race([done, new Promise((_, rej) => setTimeout(() => rej(new Error(`round ${r}: not every screen got the push within 30 s`)), 30_000))]);
      waiting = null;
      const lat = screens.map((s) => s.lastPush - sent).sort((a, b) => a - b);
      rounds.push({ all: lat[lat.length - 1]!, median: lat[Math.floor(lat.length / 2)]! });
      log(`  round ${r + 1}: all ${CLIENTS} in ${fmt(lat[lat.length - 1]!, 1)} ms (median screen ${fmt(lat[Math.floor(lat.length / 2)]!, 1)} ms)`);
    }
    const after = os.loadavg()[0]!.toFixed(2);
    const worst = Math.max(...rounds.map((r) => r.all));
    const med = [...rounds.map((r) => r.all)].sort((a, b) => a - b)[Math.floor(rounds.length / 2)]!;
    report('sse', 'npm run bench -- sse', [
      { name: 'data', value: specLabel(nat.spec) },
      { name: 'connected screens (GET /api/live, signed in)', value: CLIENTS },
      { name: 'time to connect them all', value: fmt(connectMs, 0), unit: 'ms' },
      { name: `push to all screens after snapshot-ready — median of ${ROUNDS} rounds`, value: fmt(med, 1), unit: 'ms', goal: '≤ 1 s', met: med <= 1000 },
      { name: '… worst round', value: fmt(worst, 1), unit: 'ms', goal: '≤ 1 s', met: worst <= 1000 },
      { name: '… median screen within a round (median of rounds)', value: fmt([...rounds.map((r) => r.median)].sort((a, b) => a - b)[Math.floor(rounds.length / 2)]!, 1), unit: 'ms' },
      { name: 'machine load (1-min average)', value: `load ${before} before, ${after} after` },
    ], [
      'The app runs in its own process (in-process emit, as the refresh job does); the screens are plain HTTP event streams in the bench process, each parsing its stream.',
      'Times run from the IPC message that makes the app emit to the last screen parsing its `snapshot` event.',
    ]);
    return { clients: CLIENTS, medianMs: med, worstMs: worst };
  } finally {
    for (const s of screens) s.req.destroy();
    if (proc.exitCode === null) {
      proc.send({ type: 'stop' } satisfies ToChild);
      await new Promise<void>((r) => {
        const t = setTimeout(() => {
          proc.kill('SIGKILL');
          r();
        }, 20_000);
        proc.once('exit', () => {
          clearTimeout(t);
          r();
        });
      });
    }
  }
}

if (require.main === module) {
  const [mode, dataDir] = process.argv.slice(2);
  if (mode === 'serve') {
    serve(dataDir!).catch((e: unknown) => {
      process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
      process.exit(1);
    });
  } else {
    benchSse().catch((e: unknown) => {
      process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
      process.exit(1);
    });
  }
}
