import { InboxService } from '../backend/src/ingest/inbox.service';
import type { JobContext } from './job.types';

/** Loads every finished file in the inbox and moves it to processed/. */
export async function pullInbox(ctx: JobContext): Promise<unknown> {
  const r = await ctx.get(InboxService).pull();
  return { picked: r.picked.length, waiting: r.waiting.length, failed: r.results.filter((x) => x.status === 'failed').length };
}
