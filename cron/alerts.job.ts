import { AlertsService } from '../backend/src/alerts/alerts.service';
import type { JobContext } from './job.types';

/**
 * Evaluates the overdue rules at the current time (escalating, resolving) and sends what is due from the
 * outbox; stops early, writing nothing, when a load's refresh asks (ctx.signal; the refresh evaluates after it).
 */
export function alerts(ctx: JobContext): Promise<unknown> {
  return ctx.get(AlertsService).runScheduled(ctx.signal);
}

/** Sends each region its daily digest of what is open inside it. */
export function alertsDigest(ctx: JobContext): Promise<unknown> {
  return ctx.get(AlertsService).digest();
}
