// The campaign's calendar from the server (GET /api/campaign): the one source of
// every page's default day and of every date picker's bounds. Asked once and
// again after 10 minutes, so a page left open rolls over at midnight.
import { getJson } from '../api';
import type { CampaignDay } from '../../../backend/src/metrics/metrics.types';

export type { CampaignDay };

let cache: { at: number; p: Promise<CampaignDay> } | null = null;

export function loadCampaign(): Promise<CampaignDay> {
  if (cache && Date.now() - cache.at < 600_000) return cache.p;
  const p = getJson<CampaignDay>('/api/campaign');
  cache = { at: Date.now(), p };
  p.catch(() => (cache = null));
  return p;
}

/** Forget the remembered calendar (after new data arrives, say). */
export function forgetCampaign(): void {
  cache = null;
}
