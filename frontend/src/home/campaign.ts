// The campaign's calendar from the server (GET /api/campaign): the one source of
// every page's default day and of every date picker's bounds. Asked once and
// again after 10 minutes, so a page left open rolls over at midnight. Each
// campaign year has its own calendar (?campaign=YEAR): remembered per year.
import { getJson } from '../api';
import { chosenCampaign } from '../campaign/campaigns';
import type { CampaignDay } from '../../../backend/src/metrics/metrics.types';

export type { CampaignDay };

const cache = new Map<number | null, { at: number; p: Promise<CampaignDay> }>();

export function loadCampaign(): Promise<CampaignDay> {
  const year = chosenCampaign();
  const hit = cache.get(year);
  if (hit && Date.now() - hit.at < 600_000) return hit.p;
  const p = getJson<CampaignDay>('/api/campaign');
  const entry = { at: Date.now(), p };
  cache.set(year, entry);
  p.catch(() => {
    if (cache.get(year) === entry) cache.delete(year);
  });
  return p;
}

/** Forget the remembered calendars (after new data arrives, say). */
export function forgetCampaign(): void {
  cache.clear();
}
