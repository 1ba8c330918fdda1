import { defineConfig } from 'vitest/config';

// Three depths (docs/architecture.md): unit (pure logic), medium (real chDB,
// one data directory per file), e2e (the built app in headless Chromium).
// Files run in forked processes because chDB binds one data directory per
// process.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'medium', include: ['tests/medium/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], globalSetup: ['tests/helpers/chromium.setup.ts'] } },
    ],
  },
});
