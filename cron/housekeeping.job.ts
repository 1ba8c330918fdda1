import { HousekeepingService } from '../backend/src/housekeeping/housekeeping.service';
import type { JobContext } from './job.types';

/** Prunes sent notices, the delivery log, stage data of finished loads and old report forms past their retention. */
export function housekeeping(ctx: JobContext): Promise<unknown> {
  return ctx.get(HousekeepingService).prune();
}
