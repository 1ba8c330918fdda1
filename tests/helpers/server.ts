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

export interface TestServer {
  url: string;
  /** The running Nest app: `app.get(IngestService)` etc. for in-process setup. */
  app: INestApplication;
  dataDir: string;
  config: AppConfig;
  close(): Promise<void>;
}

export function tempDataDir(prefix = 'campaign-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startTestServer(opts: { dataDir?: string; env?: Record<string, string> } = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const config = loadConfig({ DATA_DIR: dataDir, DEMO: 'off', JOBS: 'off', LOG_FORMAT: 'json', ...opts.env });
  const { ch } = await openDatabase(config);
  const app = await createApp(config, ch, false);
  await app.listen(0, '127.0.0.1');
  const addr = app.getHttpServer().address() as { port: number };
  return {
    url: `http://127.0.0.1:${addr.port}`,
    app,
    dataDir,
    config,
    close: async () => {
      await app.close();
    },
  };
}

/** Runs the built server (`dist/server/backend/src/main.js`) as its own process until it exits. */
export function runMain(env: Record<string, string>, timeoutMs = 20_000): Promise<{ code: number | null; stderr: string; stdout: string; ms: number }> {
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
export async function loadDemo(server: TestServer, persons = 3000, seed = 2022): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-'));
  const res = await generateDemo({ outDir: dir, persons, seed });
  const summary = await server.app.get(IngestService).loadFiles(res.files.map((f) => f.path), { source: 'demo' });
  if (summary.failed) throw new Error(`demo load failed: ${JSON.stringify(summary.files.map((f) => f.error))}`);
}
