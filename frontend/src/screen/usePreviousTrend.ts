// The wall's trend overlay (issue 18): the previous campaign year's trend up to
// the same campaign day (GET /api/screen/:code?campaign=<previous>&asOf=<its
// same day>), laid on this year's days. Asked once per region and day (the
// scenes remount, the previous year does not change); without a previous year
// or when it cannot be had, there is simply no overlay.
import { computed, shallowRef, watch, type ComputedRef } from 'vue';
import { getJson } from '../api';
import { loadCampaigns, shownCampaign } from '../campaign/campaigns';
import type { ScreenPayload, ScreenTrendPoint } from '../../../backend/src/screen/screen.types';
import type { PreviousTrend } from './options/trend';
import { alignByCampaignDay } from './options/yoy';

interface Loaded {
  campaign: number;
  trend: ScreenTrendPoint[];
  start: string;
  previousStart: string;
}

const cache = new Map<string, Promise<Loaded | null>>();

async function load(code: string, campaign: number | undefined, asOf: string, prev: { campaign: number; asOf: string }): Promise<Loaded | null> {
  const [list, p] = await Promise.all([
    loadCampaigns(),
    getJson<Pick<ScreenPayload, 'trend'>>(`/api/screen/${encodeURIComponent(code)}?campaign=${prev.campaign}&asOf=${encodeURIComponent(prev.asOf)}`),
  ]);
  const cur = campaign !== undefined ? list?.campaigns.find((c) => c.year === campaign) : shownCampaign(list, asOf);
  const before = list?.campaigns.find((c) => c.year === prev.campaign);
  if (!cur || !before) return null;
  return { campaign: prev.campaign, trend: p.trend, start: cur.start, previousStart: before.start };
}

export function usePreviousTrend(payload: () => ScreenPayload | null): ComputedRef<PreviousTrend | null> {
  const loaded = shallowRef<Loaded | null>(null);
  const key = computed(() => {
    const p = payload();
    const py = p?.previousYear;
    return p && py ? `${p.region.code}|${p.campaign ?? ''}|${py.campaign}|${py.asOf}` : null;
  });
  watch(key, (k) => {
    const p = payload();
    const py = p?.previousYear;
    if (!k || !p || !py) {
      loaded.value = null;
      return;
    }
    let hit = cache.get(k);
    if (!hit) {
      hit = load(p.region.code, p.campaign, p.asOf, py).catch(() => null);
      if (cache.size > 20) cache.clear();
      cache.set(k, hit);
    }
    void hit.then((l) => {
      if (key.value === k) loaded.value = l;
      if (!l) cache.delete(k);
    });
  }, { immediate: true });

  return computed(() => {
    const l = loaded.value;
    const p = payload();
    if (!l || !p) return null;
    return { campaign: l.campaign, points: alignByCampaignDay(p.trend.map((t) => t.asOf), l.start, l.trend, l.previousStart) };
  });
}
