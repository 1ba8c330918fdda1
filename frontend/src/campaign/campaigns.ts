// The install's campaign years (GET /api/campaigns) and the one the page shows
// (`?campaign=YEAR`, absent = the server's current). An install with one
// campaign, or a server without the endpoint, shows no year anywhere.
import { getJson } from '../api';
import type { CampaignInfo, CampaignsResponse } from '../../../backend/src/campaigns/campaigns.types';
import { campaignInSearch } from './campaignQuery';

export type { CampaignInfo, CampaignsResponse };

/** The campaign named in the page's URL, or null (the server's current). */
export function chosenCampaign(): number | null {
  return campaignInSearch(window.location.search);
}

let cache: Promise<CampaignsResponse | null> | null = null;

/** The campaign list, asked once per page load; null when the server has none to offer (an older server, an error). */
export function loadCampaigns(): Promise<CampaignsResponse | null> {
  cache ??= getJson<CampaignsResponse>('/api/campaigns')
    .then((r) => (Array.isArray(r?.campaigns) ? r : null))
    .catch(() => {
      cache = null;
      return null;
    });
  return cache;
}

/**
 * The campaign a page's figures of `day` belong to: the URL's, else (as the server picks) the one whose
 * window holds the day, else the server's current. Null when unknown.
 */
export function shownCampaign(list: CampaignsResponse | null, day?: string, chosen = chosenCampaign()): CampaignInfo | null {
  if (!list) return null;
  if (chosen !== null) return list.campaigns.find((c) => c.year === chosen) ?? null;
  const holding = day ? list.campaigns.find((c) => c.start <= day && day <= c.end) : undefined;
  return holding ?? list.campaigns.find((c) => c.year === list.current) ?? null;
}

/** Set by the selector right before it navigates to the server's current year (the URL then drops ?campaign=). */
let dropping = false;
export function dropCampaignOnNextNavigation(): void {
  dropping = true;
}
/** Read once by the router's guard. */
export function takeDropping(): boolean {
  const d = dropping;
  dropping = false;
  return d;
}

/** The query of a switch to `year`: the day is dropped (it belongs to the other calendar), the current year drops ?campaign=. */
export function switchQuery<Q extends Record<string, unknown>>(query: Q, year: number, current: number): Q {
  const q: Record<string, unknown> = { ...query };
  delete q.asOf;
  if (year === current) delete q.campaign;
  else q.campaign = String(year);
  return q as Q;
}
