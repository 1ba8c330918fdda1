import { ReportsService } from '../backend/src/reports/reports.service';
import type { JobContext } from './job.types';

/** Thursday 12:00: the weekly 附件2 form of the current ISO week, archived (re-made, it replaces that week's file). */
export function weeklyReport(ctx: JobContext): Promise<unknown> {
  return ctx.get(ReportsService).runScheduled('weekly');
}

/** Thursday 12:05: the 专项工作进展表 (training centres, job posts, policy delivery) of the current ISO week, archived. */
export function measuresReport(ctx: JobContext): Promise<unknown> {
  return ctx.get(ReportsService).runScheduled('measures');
}

/** 1st and 16th: the contact and help progress of the half-month that just ended. */
export function semimonthlyReport(ctx: JobContext): Promise<unknown> {
  return ctx.get(ReportsService).runScheduled('semimonthly');
}

/** Every morning: today's province-wide 小程序求助 dispatch list. */
export function dispatchReport(ctx: JobContext): Promise<unknown> {
  return ctx.get(ReportsService).runScheduled('dispatch');
}

/** Monday 08:00: the open rights-protection cases, overdue first (measure 九). */
export function rightsReport(ctx: JobContext): Promise<unknown> {
  return ctx.get(ReportsService).runScheduled('rights');
}
