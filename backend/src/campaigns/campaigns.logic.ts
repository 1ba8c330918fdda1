// Which campaign year a request, a file or a day belongs to, and "the same
// campaign day last year" (issue 18). Pure functions: unit-tested.
import type { CampaignInfo } from './campaigns.types';

export class CampaignChoiceError extends Error {}

const YEAR = /^\d{4}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function dayMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export function addDays(day: string, n: number): string {
  return new Date(dayMs(day) + n * 86_400_000).toISOString().slice(0, 10);
}

function inWindow(c: Pick<CampaignInfo, 'start' | 'end'>, day: string): boolean {
  return day >= c.start && day <= c.end;
}

/** The campaign whose window holds the day, else the latest (the list is oldest first and not empty). */
export function campaignOfDay<T extends Pick<CampaignInfo, 'year' | 'start' | 'end'>>(list: readonly T[], day: string | null): T {
  return (day && DAY.test(day) ? list.find((c) => inWindow(c, day)) : undefined) ?? list[list.length - 1]!;
}

function names(list: readonly Pick<CampaignInfo, 'year'>[]): string {
  return list.map((c) => c.year).join('、');
}

/**
 * The campaign a request asks for: `?campaign=YEAR` (which must be one of the install's), else the one whose
 * window holds `?asOf=`, else the one whose window holds today, else the latest.
 */
export function campaignOfRequest<T extends Pick<CampaignInfo, 'year' | 'start' | 'end'>>(
  list: readonly T[],
  query: URLSearchParams,
  today: string,
): T {
  const asked = query.getAll('campaign');
  if (asked.length > 1) throw new CampaignChoiceError('campaign 只能给一个年份 / give one campaign year');
  if (asked.length === 1) {
    const y = asked[0]!;
    if (!YEAR.test(y)) throw new CampaignChoiceError(`campaign 应为年份，如 2022（收到“${y.slice(0, 20)}”） / campaign must be a year such as 2022`);
    const c = list.find((x) => x.year === Number(y));
    if (!c) throw new CampaignChoiceError(`没有 ${y} 年的攻坚行动（本系统有：${names(list)}） / no ${y} campaign here (there are: ${names(list)})`);
    return c;
  }
  const asOf = query.get('asOf');
  if (asOf && DAY.test(asOf)) {
    const c = list.find((x) => inWindow(x, asOf));
    if (c) return c;
  }
  return campaignOfDay(list, today);
}

/** The campaign most of these record days fall in, or null when none falls in any window. */
export function campaignOfDays<T extends Pick<CampaignInfo, 'year' | 'start' | 'end'>>(list: readonly T[], days: readonly string[]): T | null {
  const votes = new Map<T, number>();
  for (const d of days) {
    const c = list.find((x) => inWindow(x, d));
    if (c) votes.set(c, (votes.get(c) ?? 0) + 1);
  }
  let best: T | null = null;
  for (const [c, n] of votes) if (!best || n > votes.get(best)!) best = c;
  return best;
}

/** The campaign before this one in the install (the latest earlier year), or null. */
export function previousCampaign<T extends Pick<CampaignInfo, 'year'>>(list: readonly T[], year: number): T | null {
  return list.filter((c) => c.year < year).at(-1) ?? null;
}

/**
 * Day N of this campaign (N days after its start) mapped onto another campaign: its start + N, clamped into
 * its window. Returns that day and N.
 */
export function sameCampaignDay(
  day: string,
  from: Pick<CampaignInfo, 'start'>,
  to: Pick<CampaignInfo, 'start' | 'end'>,
): { asOf: string; day: number } {
  const n = Math.round((dayMs(day) - dayMs(from.start)) / 86_400_000);
  let asOf = addDays(to.start, Math.max(0, n));
  if (asOf > to.end) asOf = to.end;
  return { asOf, day: n };
}
