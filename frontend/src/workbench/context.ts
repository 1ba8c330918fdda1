// Facts every workbench page needs once per session: the default day (the
// campaign's current day, GET /api/campaign) and whether the loaded data is
// the generated demo.
import { getJson } from '../api';
import { loadCampaign } from '../home/campaign';
import { chosenCampaign } from '../campaign/campaigns';
import type { IngestRun } from './types';

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

/**
 * The day a page shows when the URL names none: the campaign's current day
 * from the server (GET /api/campaign — today while the campaign runs, its
 * last day with data once it has ended), the same on every page.
 */
export async function defaultAsOf(): Promise<string> {
  try {
    return (await loadCampaign()).day;
  } catch {
    // Fall back to the campaign's calendar; a page still shows its own errors.
    return clampedToday();
  }
}

/** A date picker's bounds: the campaign's first valid day to its current day. */
export async function dayBounds(): Promise<{ min: string; max: string }> {
  try {
    const c = await loadCampaign();
    return { min: c.from, max: c.day };
  } catch {
    return { min: CAMPAIGN.from, max: clampedToday() };
  }
}

/** The campaign's 1311 rule (CAMPAIGN_CONFIG `rule1311`): the components a job-seeker may miss, with their minimums. */
export async function rule1311(): Promise<Array<{ type: string; min: number }>> {
  return (await loadCampaign()).rule1311;
}

/** Per campaign year (?campaign=), as every API answer is. */
const demoCache = new Map<number | null, Promise<boolean>>();

/** Whether the loaded data came from the generated demo (any demo load run). */
export function isDemoData(): Promise<boolean> {
  const year = chosenCampaign();
  let p = demoCache.get(year);
  if (!p) {
    p = getJson<IngestRun[]>('/api/ingest/runs?source=demo&limit=1')
      .then((runs) => runs.length > 0)
      .catch(() => {
        demoCache.delete(year);
        return false;
      });
    demoCache.set(year, p);
  }
  return p;
}
