// Protection off the parsing thread. A big load spends about half its main-thread time on the
// keyed hashes and encryptions of ID numbers (and names, phones); one worker thread computes them
// for a batch while the main thread parses the batches after it (ingest.service.ts keeps a few
// batches in flight). The worker runs the very same PiiCodec, so its answers are byte-identical;
// anything it cannot answer (not started, failed, PII_WORKER=off) is computed on the main thread.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PiiKeys } from './pii';

export interface ProtectJob {
  id: number;
  /** Values whose person key is wanted (ID numbers). */
  keys: string[];
  /** Values whose ciphertext is wanted (non-empty). */
  encs: string[];
}

export interface ProtectReply {
  id: number;
  keys: string[];
  encs: string[];
}

/**
 * The compiled worker: beside this file when the server runs compiled; the server build's copy
 * when the sources run (the test runner; `npm test` builds first). None → no offload.
 */
export function workerFile(dir: string = __dirname): string | null {
  const beside = path.join(dir, 'pii.worker.js');
  if (fs.existsSync(beside)) return beside;
  const built = path.resolve(dir, '../../../dist/server/backend/src/security/pii.worker.js');
  return fs.existsSync(built) ? built : null;
}

/** Whether loads may offload protection (PII_WORKER=off keeps it on the main thread). */
export function offloadWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.PII_WORKER ?? '').trim().toLowerCase() !== 'off';
}

export class PiiOffload {
  private worker: Worker | null = null;
  private failed = false;
  private seq = 0;
  private readonly pending = new Map<number, (r: ProtectReply | null) => void>();
  /** Values the worker answered (person keys + ciphertexts): tests check the worker was really used. */
  served = 0;

  constructor(
    private readonly keys: PiiKeys,
    private readonly file: string,
  ) {}

  /** Whether the worker is usable (not failed, not closed). */
  get alive(): boolean {
    return !this.failed;
  }

  private start(): Worker | null {
    if (this.failed) return null;
    if (this.worker) return this.worker;
    try {
      const w = new Worker(this.file, {
        workerData: { mac: this.keys.mac, enc: this.keys.enc, iv: this.keys.iv },
        // A job is a batch's few hundred short strings: a small heap is plenty (the worker still adds about
        // 75 MB to a load's peak RSS, its own isolate and code; the young generation's size made no difference).
        resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 },
        stdout: false,
        stderr: false,
      });
      w.on('message', (m: ProtectReply) => this.answer(m.id, m));
      w.on('error', () => this.fail());
      w.on('exit', () => this.fail());
      // Idle, the worker must not keep a finished CLI run alive; busy, it must (ref while jobs wait).
      w.unref();
      this.worker = w;
      return w;
    } catch {
      this.failed = true;
      return null;
    }
  }

  /** The worker's answers for the values, or null (then the caller computes them itself). */
  protect(keys: string[], encs: string[]): Promise<ProtectReply | null> {
    const w = this.start();
    if (!w) return Promise.resolve(null);
    const id = ++this.seq;
    if (this.pending.size === 0) w.ref();
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      try {
        const job: ProtectJob = { id, keys, encs };
        w.postMessage(job);
      } catch {
        this.answer(id, null);
      }
    });
  }

  private answer(id: number, reply: ProtectReply | null): void {
    const resolve = this.pending.get(id);
    if (!resolve) return;
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
    if (reply) this.served += reply.keys.length + reply.encs.length;
    resolve(reply);
  }

  private fail(): void {
    this.failed = true;
    this.worker = null;
    for (const id of [...this.pending.keys()]) this.answer(id, null);
  }

  /** Stops the worker; later calls answer null. */
  async close(): Promise<void> {
    const w = this.worker;
    this.fail();
    if (w) await w.terminate();
  }
}
