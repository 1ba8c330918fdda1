// Fault hook points for the crash tests (tests/medium/crash.*.test.ts): a
// no-op unless the environment names the point. Then the first time this
// process reaches it, it writes FAULT_DIR/<name>.reached (holding the pid) and
// waits there until FAULT_DIR/<name>.release appears, so a test can SIGKILL
// the process at exactly that line, or change the world (stop PostgreSQL) and
// let it go on. Never set FAULT_POINTS in production.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The points in use, for the docs and the tests. */
export type FaultPointName =
  | 'ingest.parse' // a file half read: its first batch handed to the stager
  | 'ingest.stage' // a chunk moved into the run's hidden stage table
  | 'ingest.commit' // the first kind attached to its raw table, the others not yet
  | 'ingest.finish' // every kind attached and the file recorded, the run not yet marked succeeded
  | 'inbox.move' // a file loaded, not yet moved to processed/
  | 'pg.pull' // a PostgreSQL pull half way: its first page staged, the transaction open
  | 'refresh.state' // the metric state cleared for its rebuild, not yet rebuilt
  | 'backup.copy'; // the engine's BACKUP about to run, with the load and refresh locks held

const fired = new Set<string>();

function points(): Set<string> {
  const raw = process.env.FAULT_POINTS;
  return new Set(raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : []);
}

export function faultDir(): string {
  return process.env.FAULT_DIR || os.tmpdir();
}

/** `name` is one of FaultPointName (a plain string, so a new point needs no change here). */
export async function faultPoint(name: FaultPointName | (string & {})): Promise<void> {
  if (!process.env.FAULT_POINTS || fired.has(name) || !points().has(name)) return;
  fired.add(name);
  const dir = faultDir();
  fs.mkdirSync(dir, { recursive: true });
  const release = path.join(dir, `${name}.release`);
  fs.writeFileSync(path.join(dir, `${name}.reached`), String(process.pid));
  // Polling keeps the event loop alive (a bare pending promise would let the process exit).
  while (!fs.existsSync(release)) await new Promise((r) => setTimeout(r, 25));
}
