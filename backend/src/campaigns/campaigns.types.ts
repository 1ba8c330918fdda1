// Campaign years (issue 18): the shapes GET /api/campaigns and the year-over-year
// figures answer. Pure types: the frontend imports them.
import type { ScreenRateKey } from '../screen/screen.types';

export interface CampaignInfo {
  year: number;
  /** First and last day of the campaign's window (YYYY-MM-DD). */
  start: string;
  end: string;
  /** Archived: read-only, no scheduled jobs, no loads. */
  archived: boolean;
  /** The campaign the install started with (its data lives in the main database). */
  home: boolean;
}

export interface CampaignsResponse {
  /** Oldest first. */
  campaigns: CampaignInfo[];
  /** The campaign a request without ?campaign= gets: the one whose window holds today, else the latest. */
  current: number;
}

/**
 * The same region on the same campaign day of the previous campaign year: day N since that campaign
 * started (day 0 = its first day), clamped into its window. `rates` are that day's values there;
 * `diff` is this year's value minus them (null where either side has no value).
 */
export interface PreviousYear {
  campaign: number;
  asOf: string;
  day: number;
  rates: Record<ScreenRateKey, number | null>;
  diff: Record<ScreenRateKey, number | null>;
}
