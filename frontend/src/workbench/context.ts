// Facts every workbench page needs once per session: the default day (the
// server's "today", clamped into the campaign) and whether the loaded data is
// the generated demo.
import { getJson } from '../api';
import { session } from '../session';
import type { CasePage, IngestRun } from './types';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CAMPAIGN = { from: '2022-07-01', to: '2022-12-31' };

/** Today in Asia/Shanghai (UTC+8 all year), clamped into the 2022 campaign. */
export function clampedToday(now = new Date(), range = CAMPAIGN): string {
  const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  return today < range.from ? range.from : today > range.to ? range.to : today;
}

export function isDay(s: unknown): s is string {
  return typeof s === 'string' && DAY.test(s);
}

let dayCache: { day: string; at: number } | null = null;

/**
 * The day a page shows when the URL names none. The metrics API needs an
 * explicit day, the case list picks the server's default (today clamped into
 * the campaign, stretched to the loaded data): ask it for one row of a county
 * in scope. Re-asked after 10 minutes so a page left open rolls over at midnight.
 */
export async function defaultAsOf(): Promise<string> {
  if (dayCache && Date.now() - dayCache.at < 600_000) return dayCache.day;
  const county = session.me?.regions.find((r) => r.startsWith('county:'))?.slice('county:'.length);
  let day = clampedToday();
  if (county) {
    try {
      day = (await getJson<CasePage>(`/api/cases?county=${county}&limit=1`)).asOf;
    } catch {
      // Fall back to the campaign's calendar; a page still shows its own errors.
    }
  }
  dayCache = { day, at: Date.now() };
  return day;
}

let demoCache: Promise<boolean> | null = null;

/** Whether the loaded data came from the generated demo (any demo load run). */
export function isDemoData(): Promise<boolean> {
  demoCache ??= getJson<IngestRun[]>('/api/ingest/runs?source=demo&limit=1')
    .then((runs) => runs.length > 0)
    .catch(() => {
      demoCache = null;
      return false;
    });
  return demoCache;
}
