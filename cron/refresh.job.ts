import { DataEvents } from '../backend/src/common/data-events';
import { MetricsService } from '../backend/src/metrics/metrics.service';
import type { JobContext } from './job.types';

/** Rewrites the daily snapshots when the data changed since they were computed, then tells the screens. */
export async function refresh(ctx: JobContext): Promise<unknown> {
  const r = await ctx.get(MetricsService).refresh();
  if (!r.skipped && r.to) ctx.get(DataEvents).emit({ type: 'snapshot-ready', asOf: r.to, computedAt: new Date().toISOString() });
  return r;
}
