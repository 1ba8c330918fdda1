import { DataEvents } from '../backend/src/common/data-events';
import { MetricsService } from '../backend/src/metrics/metrics.service';
import type { JobContext } from './job.types';

/** The longest the refresh waits for what its push started (a screen build takes under 2 s at national size alone). */
const SETTLE_MAX_MS = 60_000;

/** Rewrites the daily snapshots when the data changed since they were computed, then tells the screens. */
export async function refresh(ctx: JobContext): Promise<unknown> {
  const r = await ctx.get(MetricsService).refresh();
  if (!r.skipped && r.to) {
    const events = ctx.get(DataEvents);
    events.emit({ type: 'snapshot-ready', asOf: r.to, computedAt: new Date().toISOString() });
    // What the push started (the province's screen, built for the wall screens) goes before the alert
    // evaluation that follows this job: at national size that evaluation's queries slowed the build to 30 s.
    // Bounded: a build that hangs must not hold every later refresh.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([events.settled(), new Promise<void>((resolve) => (timer = setTimeout(resolve, SETTLE_MAX_MS)))]);
    clearTimeout(timer);
  }
  return r;
}

/** After a refresh that wrote snapshots (the demo load, a new file, a PostgreSQL pull), the alerts are evaluated. */
export function refreshChanged(result: unknown): string | null {
  const r = result as { skipped?: boolean } | null;
  return r && r.skipped === false ? 'alerts' : null;
}
