// The reporting tree (GET /api/regions, loaded once per session) and the
// breadcrumb trail of a page. The trail itself is pure (unit-tested).
import { shallowRef } from 'vue';
import { getJson } from '../api';
import type { RegionRef } from './types';

export interface Crumb {
  label: string;
  /** A path to open; absent = plain text (the current page, or a region the user cannot open). */
  to?: string;
}

/** By code, like the server: 220581 is both a unit and its own county, the unit wins. */
export function regionIndex(regions: readonly RegionRef[]): Map<string, RegionRef> {
  const out = new Map<string, RegionRef>();
  for (const r of regions) {
    const had = out.get(r.code);
    if (!had || (had.level === 'county' && r.level !== 'county')) out.set(r.code, r);
  }
  return out;
}

/** The regions from the province down to `code` (the same code appears once). */
export function pathTo(regions: readonly RegionRef[], code: string): RegionRef[] {
  const idx = regionIndex(regions);
  const out: RegionRef[] = [];
  let cur = idx.get(code);
  const seen = new Set<string>();
  while (cur && !seen.has(cur.code)) {
    out.unshift(cur);
    seen.add(cur.code);
    cur = cur.parentCode ? idx.get(cur.parentCode) : undefined;
  }
  return out;
}

/**
 * The trail to a region page: every region above is a link when the user may
 * open it, else plain text; the last region is a link only when more follows.
 */
export function regionCrumbs(
  regions: readonly RegionRef[],
  code: string,
  canOpen: (code: string) => boolean,
  tail: Crumb[] = [],
  query = '',
): Crumb[] {
  const path = pathTo(regions, code);
  const crumbs: Crumb[] = path.map((r, i) => {
    const last = i === path.length - 1 && tail.length === 0;
    return last || !canOpen(r.code) ? { label: r.name } : { label: r.name, to: `/r/${r.code}${query}` };
  });
  return [...crumbs, ...tail];
}

/** The children a region page lists are counties for a unit, units for the province. */
export function isCountyLevel(regions: readonly RegionRef[], code: string): boolean {
  return regions.some((r) => r.code === code && r.level === 'county');
}

const cache = shallowRef<RegionRef[] | null>(null);
let inflight: Promise<RegionRef[]> | null = null;

export async function loadRegions(): Promise<RegionRef[]> {
  if (cache.value) return cache.value;
  inflight ??= getJson<RegionRef[]>('/api/regions')
    .then((r) => {
      cache.value = r;
      return r;
    })
    .finally(() => {
      inflight = null;
    });
  return inflight;
}
