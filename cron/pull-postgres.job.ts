import { PgSourceService } from '../backend/src/ingest/pg.source';
import type { JobContext } from './job.types';

/** Pulls what changed in the provincial platform's PostgreSQL since the last watermark. */
export async function pullPostgres(ctx: JobContext): Promise<unknown> {
  const r = await ctx.get(PgSourceService).pull();
  const failed = r.kinds.filter((k) => k.result.status === 'failed');
  // A failed pull is already recorded as a failed run; failing the job also puts it on /api/jobs and the screens.
  if (failed.length) throw new Error(`PostgreSQL pull failed for ${failed.map((k) => k.table).join(', ')}: ${failed[0]!.result.error ?? ''}`);
  return { kinds: r.kinds.map((k) => ({ table: k.table, status: k.result.status, accepted: k.result.accepted, inserted: k.result.inserted })) };
}
