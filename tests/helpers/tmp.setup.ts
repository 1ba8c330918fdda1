// Vitest global setup of every project: the test files' temporary folders
// (data directories, fixtures, exports, servers' scratch space) go under one
// folder per `npm test` run, removed when the run ends, so a year of CI runs
// does not fill /tmp (it had grown to 4 GB of leftovers). TMPDIR is set here,
// before any test process is forked, so os.tmpdir() points there in every
// test file and in every process a test starts. Caches that are worth keeping
// between runs (the world-readable copy of embedded PostgreSQL's binaries) use
// TEST_CACHE_DIR, the temporary folder as it was before the run.
// KEEP_TEST_TMP=1 keeps the folder for a look after a failure.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export default function setup(): (() => void) | undefined {
  // Each project runs its global setup; the first one makes the folder, the others use it.
  if (process.env.CAMPAIGN_TEST_TMP) return undefined;
  const outer = os.tmpdir();
  const root = fs.mkdtempSync(path.join(outer, 'campaign-tests-'));
  // The embedded PostgreSQL runs as the 'postgres' system user when tests run as root: it must be able to pass through.
  fs.chmodSync(root, 0o755);
  process.env.TEST_CACHE_DIR ??= outer;
  process.env.CAMPAIGN_TEST_TMP = root;
  process.env.TMPDIR = root;
  return () => {
    if (process.env.KEEP_TEST_TMP === '1') {
      console.log(`test temporary files kept in ${root}`);
      return;
    }
    fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
