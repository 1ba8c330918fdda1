import { AlertsService } from '../backend/src/alerts/alerts.service';
import type { JobContext } from './job.types';

/** Evaluates the overdue rules at the current time (escalating, resolving) and sends what is due from the outbox. */
export function alerts(ctx: JobContext): Promise<unknown> {
  return ctx.get(AlertsService).runScheduled();
}

/** Sends each region its daily digest of what is open inside it. */
export function alertsDigest(ctx: JobContext): Promise<unknown> {
  return ctx.get(AlertsService).digest();
}
