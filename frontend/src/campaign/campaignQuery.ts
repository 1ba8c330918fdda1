// Which campaign year a page shows (issue 18): `?campaign=YEAR` in the page's
// URL, absent = the server's current one. Every API call of the page carries
// the same parameter. Pure: unit-tested.

const YEAR = /^\d{4}$/;
/** Calls about the install itself, not one campaign's data: the list of campaigns, signing in. */
const CAMPAIGN_FREE = ['/api/campaigns', '/api/auth/'];

/** The campaign named by a query value (`?campaign=2021`), or null for "the server's current". */
export function campaignOf(value: unknown): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && YEAR.test(v) ? Number(v) : null;
}

/** The campaign in a location's search string ("?asOf=…&campaign=2021"). */
export function campaignInSearch(search: string): number | null {
  return campaignOf(new URLSearchParams(search).get('campaign') ?? undefined);
}

/**
 * An API path with `campaign=YEAR` added, when a campaign is chosen and the path names none of its own
 * (the wall's previous-year trend asks for another year on purpose). Paths outside /api/ stay as they are.
 */
export function withCampaign(path: string, campaign: number | null): string {
  if (campaign === null || !path.startsWith('/api/')) return path;
  if (CAMPAIGN_FREE.some((p) => path.startsWith(p) && (p.endsWith('/') || /^[/?#]?$/.test(path.charAt(p.length))))) return path;
  const q = path.indexOf('?');
  const hash = path.indexOf('#');
  const end = hash < 0 ? path.length : hash;
  const search = q < 0 || q > end ? '' : path.slice(q + 1, end);
  if (new URLSearchParams(search).has('campaign')) return path;
  const base = path.slice(0, q < 0 || q > end ? end : q);
  const glue = search ? `?${search}&` : '?';
  return `${base}${glue}campaign=${campaign}${path.slice(end)}`;
}

/**
 * The query of a navigation that keeps the page's campaign: an in-app link or push that names no campaign
 * stays in the chosen one. A history move (back, forward, a typed address) keeps what its URL says, and so
 * does a navigation that drops the campaign on purpose (choosing the server's current year). Null = leave
 * the navigation as it is.
 */
export function carriedQuery<Q extends Record<string, unknown>>(to: Q, from: Record<string, unknown>, opts: { historyMove: boolean; dropping: boolean }): Q | null {
  if (opts.historyMove || opts.dropping) return null;
  if (campaignOf(to.campaign) !== null) return null;
  const year = campaignOf(from.campaign);
  if (year === null) return null;
  return { ...to, campaign: String(year) };
}

/** Days from one YYYY-MM-DD to another (UTC calendar days). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A YYYY-MM-DD moved by n days. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
