// Writes the wall-screen benchmark's figures (tests/bench/screen.bench.ts, another
// engineer's) into docs/benchmarks.md beside the others, with the goals it names.
import * as os from 'node:os';
import { benchScreen } from './screen.bench';
import { fmt } from './common';
import { report } from './report';

export async function benchScreenReport(): Promise<void> {
  const before = os.loadavg()[0]!.toFixed(2);
  const f = await benchScreen();
  const n = (k: string) => Number(f[k] ?? NaN);
  report('screen', 'npm run bench -- screen', [
    { name: 'demo campaign', value: `${fmt(n('persons'))} persons` },
    { name: 'first render, no snapshots yet (live from the raw tables)', value: fmt(n('timeToDrawnNoSnapshotMs')), unit: 'ms' },
    { name: 'first render, cold browser cache (snapshots)', value: fmt(n('timeToDrawnColdMs')), unit: 'ms', goal: '≤ 2,000 ms', met: n('timeToDrawnColdMs') <= 2000 },
    { name: 'first render, warm', value: fmt(n('timeToDrawnWarmMs')), unit: 'ms' },
    { name: 'first render at 3840×2160', value: fmt(n('timeToDrawn4kMs')), unit: 'ms' },
    { name: 'JavaScript loaded by /screen (gzip)', value: fmt(n('jsGzipKB')), unit: `KB (${fmt(n('jsKB'))} KB raw)`, goal: '≤ 800 KB', met: n('jsGzipKB') <= 800 },
    { name: `endurance: ${fmt(n('updates'))} updates, ${fmt(n('rotations'))} rotations — JS heap growth`, value: fmt(n('heapGrowthMB'), 1), unit: `MB (${n('heapBeforeMB')} → ${n('heapAfterMB')})`, goal: '≤ 20 MB', met: n('heapGrowthMB') <= 20 },
    { name: 'DOM nodes before / after', value: `${n('domNodesBefore')} / ${n('domNodesAfter')}` },
    { name: 'machine load (1-min average)', value: `load ${before} before, ${os.loadavg()[0]!.toFixed(2)} after` },
  ], ['Headless Chromium against the real app and the built frontend (npm run build:web first); see tests/bench/screen.bench.ts.']);
}
