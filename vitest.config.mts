import * as os from 'node:os';
import { defineConfig } from 'vitest/config';

// Three depths (docs/architecture.md): unit (pure logic), medium (real chDB,
// one data directory per file), e2e (the built app in headless Chromium).
// Files run in forked processes because chDB binds one data directory per
// process.
// Timeouts follow the load (tests/helpers/budget.ts): on a machine whose cores
// are oversubscribed the same work takes proportionally longer. TEST_SLOWDOWN
// fixes the factor (and is passed on to the test processes).
const cores = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
const slow = Number(process.env.TEST_SLOWDOWN) >= 1 ? Number(process.env.TEST_SLOWDOWN) : Math.min(6, Math.max(1, os.loadavg()[0]! / cores));

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: Math.round(60_000 * slow),
    hookTimeout: Math.round(120_000 * slow),
    // expect.poll waits for the page (default 1 s): under load a re-render takes longer, not a different value.
    expect: { poll: { timeout: Math.round(5_000 * slow) } },
    // One temporary folder per run, removed at its end (tests/helpers/tmp.setup.ts).
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], globalSetup: ['tests/helpers/tmp.setup.ts'] } },
      { extends: true, test: { name: 'medium', include: ['tests/medium/**/*.test.ts'], globalSetup: ['tests/helpers/tmp.setup.ts'] } },
      {
        extends: true,
        test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], globalSetup: ['tests/helpers/tmp.setup.ts', 'tests/helpers/chromium.setup.ts'] },
      },
    ],
  },
});
