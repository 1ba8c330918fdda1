// The wall's behaviour as pure functions: which scenes rotate, which unit is
// focused next, reconnect delays and the banners.
import type { ScreenChild, ScreenPlan, ScreenPullFailure, ScreenSceneId } from '../../../../backend/src/screen/screen.types';
import { hhmmShanghai } from './format';

export const SCENE_TITLES: Record<ScreenSceneId, string> = {
  overview: '总览',
  units: '各地对比',
  lagging: '滞后县区',
  focus: '单位聚焦',
  support: '就业支持',
  care: '困难帮扶与权益保障',
};

/** The plan's scenes this wall can show: a unit's own wall is already in focus. */
export function scenesFor(plan: ScreenPlan, level: 'province' | 'unit' | 'county'): ScreenPlan['scenes'] {
  const scenes = plan.scenes.filter((s) => level === 'province' || s.id !== 'focus');
  return scenes.length ? scenes : [{ id: 'overview', seconds: 60 }];
}

/** The unit the next focus scene shows: the children in order, after the previous one. */
export function nextFocusUnit(children: readonly Pick<ScreenChild, 'code'>[], previous: string | null): string | null {
  if (!children.length) return null;
  const i = previous === null ? -1 : children.findIndex((c) => c.code === previous);
  return children[(i + 1) % children.length]!.code;
}

/** Exponential backoff: 1 s, 2 s, 4 s … capped (30 s); `jitter` in [0, 1) spreads 500 walls apart. */
export function backoffDelay(attempt: number, jitter = 0, baseMs = 1000, capMs = 30_000): number {
  const d = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(d * (1 - 0.2 * jitter));
}

export function disconnectedText(lastOkServerTime: string | null): string {
  return `数据连接中断 · 最后更新 ${hhmmShanghai(lastOkServerTime)}`;
}

/** Days without new ledger data from which the wall says so. */
export const STALE_DAYS = 7;

/** The freshness stamp's note while a data source's last pull failed: the numbers are the last good load's. */
export function pullFailureText(f: ScreenPullFailure | null | undefined): string | null {
  return f ? `${f.source}拉取失败（${hhmmShanghai(f.at)}），显示上次成功导入的数据` : null;
}

export function staleText(staleDays: number | null): string | null {
  if (staleDays === null) return '暂无台账数据';
  return staleDays >= STALE_DAYS ? `数据已 ${staleDays} 天未更新` : null;
}
