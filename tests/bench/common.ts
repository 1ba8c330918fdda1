// Shared bench plumbing: a Nest application context on a data directory, and child processes.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { AppModule } from '../../backend/src/app.module';
import { openDatabase } from '../../backend/src/app.factory';
import { loadConfig } from '../../backend/src/config/config';

/**
 * The V8 flags package.json's `start` and `cli` scripts run the product with. A 32 MB young
 * generation (V8's default is 16 MB) keeps a big load's short-lived rows from being promoted into
 * the old generation: with the default, a 1,000,000-row load took 3.7–4.3 s and 620–640 MB,
 * with this 3.0–3.3 s and 550 MB (docs/benchmarks.md).
 */
export const NODE_FLAGS = ['--max-semi-space-size=32'];

export function benchDir(name: string): string {
  const base = process.env.BENCH_DIR || path.join(os.tmpdir(), 'campaign-bench');
  const dir = path.join(base, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export async function openContext(dataDir: string): Promise<INestApplicationContext> {
  const cfg = loadConfig({ ...process.env, DATA_DIR: dataDir, JOBS: 'off', DEMO: 'off' });
  const { ch } = await openDatabase(cfg);
  return NestFactory.createApplicationContext(AppModule.register(cfg, ch), { logger: ['error'] });
}

/** Runs this compiled bench file again as a child with arguments; resolves with its last JSON line. */
export function child<T>(script: string, args: string[], nodeArgs: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...nodeArgs, script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`${path.basename(script)} ${args.join(' ')} exited with ${code}: ${last}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`no JSON from ${script}: ${last}`));
      }
    });
  });
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
