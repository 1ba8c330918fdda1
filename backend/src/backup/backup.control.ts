// A local control channel: a Unix socket DATA_DIR/control.sock (mode 0600) on
// which the running server takes commands from the CLI on the same machine.
// chDB locks DATA_DIR to one process, so `npm run cli -- backup` cannot open
// it while the server runs; it asks the server instead. Reaching the socket
// needs the same file-system rights as reading DATA_DIR itself, so it needs no
// password. One JSON request a connection, one JSON answer.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { BackupError, BackupService } from './backup.service';
import type { BackupResult } from './backup.types';

export type ControlRequest = { cmd: 'backup'; out: string; withKey?: boolean };
export type ControlAnswer = { ok: true; result: BackupResult } | { ok: false; error: string };

/** Unix socket paths are limited to 107 bytes on Linux. */
const MAX_SOCKET_PATH = 107;

export function controlSocketPath(dataDir: string): string {
  return path.join(dataDir, 'control.sock');
}

@Injectable()
export class ControlChannel implements OnApplicationShutdown {
  private readonly log = new Logger('Control');
  private server: net.Server | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly backups: BackupService,
  ) {}

  /** Starts listening (the server calls this once it serves; the CLI never does). */
  async listen(): Promise<void> {
    const file = controlSocketPath(this.cfg.dataDir);
    if (Buffer.byteLength(file) > MAX_SOCKET_PATH) {
      this.log.warn(`no control channel: ${file} is longer than ${MAX_SOCKET_PATH} bytes; online backups need a shorter DATA_DIR path`);
      return;
    }
    // A socket left by a killed server: this process holds DATA_DIR's lock, so nobody else listens on it.
    fs.rmSync(file, { force: true });
    const server = net.createServer((sock) => this.serve(sock));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(file, () => resolve());
    });
    fs.chmodSync(file, 0o600);
    server.unref();
    this.server = server;
  }

  private serve(sock: net.Socket): void {
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('error', () => undefined);
    sock.on('data', (d: string) => {
      buf += d;
      if (buf.length > 64 * 1024) return void sock.destroy();
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const line = buf.slice(0, nl);
      buf = '';
      void this.answer(line).then((a) => sock.end(JSON.stringify(a) + '\n'));
    });
  }

  private async answer(line: string): Promise<ControlAnswer> {
    let req: ControlRequest;
    try {
      req = JSON.parse(line) as ControlRequest;
    } catch {
      return { ok: false, error: 'the request is not JSON' };
    }
    try {
      if (req.cmd === 'backup' && typeof req.out === 'string') {
        return { ok: true, result: await this.backups.backup(req.out, { withKey: req.withKey === true, taken: 'online' }) };
      }
      return { ok: false, error: `unknown request ${JSON.stringify((req as { cmd?: unknown }).cmd)}` };
    } catch (e) {
      if (!(e instanceof BackupError)) this.log.error(`backup failed: ${e instanceof Error ? e.message : String(e)}`);
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    await new Promise<void>((resolve) => s.close(() => resolve()));
    fs.rmSync(controlSocketPath(this.cfg.dataDir), { force: true });
  }
}

/** Sends one request to the server on `dataDir`; null when no server listens there. */
export function askServer(dataDir: string, req: ControlRequest): Promise<ControlAnswer | null> {
  const file = controlSocketPath(dataDir);
  if (!fs.existsSync(file)) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const sock = net.connect(file);
    let buf = '';
    let connected = false;
    sock.setEncoding('utf8');
    sock.on('connect', () => {
      connected = true;
      sock.write(JSON.stringify(req) + '\n');
    });
    sock.on('data', (d: string) => (buf += d));
    sock.on('end', () => {
      try {
        resolve(JSON.parse(buf) as ControlAnswer);
      } catch {
        reject(new Error(`the server on ${dataDir} gave no answer (it may have stopped during the request)`));
      }
    });
    sock.on('error', (e: NodeJS.ErrnoException) => {
      if (!connected && (e.code === 'ECONNREFUSED' || e.code === 'ENOENT')) resolve(null);
      else reject(e);
    });
  });
}
