// The KPI tiles: the region's key numbers against their target path on the
// day, with the change since last week. Pure view models (HTML tiles).
import type { Metrics } from '../../../../backend/src/metrics/metrics.types';
import type { ScreenPayload, ScreenRateKey } from '../../../../backend/src/screen/screen.types';
import { int, pct, pointsDelta } from './format';
import { statusOf, type Status } from './theme';
import { yoyLine } from './yoy';

export type KpiKey = 'received' | 'contactRate' | 'rate1311' | 'employmentRate' | 'hardshipOneOnOneRate' | 'helpOverdue';

export interface KpiTile {
  key: KpiKey;
  label: string;
  /** The number as shown, and the raw value it shows. */
  value: string;
  raw: number | null;
  unit: string;
  /** What it is measured against: the target path on the day, or context. */
  note: string;
  status: Status;
  /** Change since last week, as shown ("▲1.2" points, "▲128" persons), and whether that change is good. */
  delta: { text: string; dir: 'up' | 'down' | 'flat'; good: boolean | null } | null;
  /** The same campaign day of the previous campaign year (rates only): "去年同期 71.2%" and the change since, in points ("▲3.4"). */
  yoy: { text: string; delta: string; dir: 'up' | 'down' | 'flat' | null; raw: number | null; title: string } | null;
}

export const KPI_KEYS: readonly KpiKey[] = ['received', 'contactRate', 'rate1311', 'employmentRate', 'hardshipOneOnOneRate', 'helpOverdue'];

const RATE_TILES: Array<{ key: KpiKey & ScreenRateKey; label: string }> = [
  { key: 'contactRate', label: '联系率' },
  { key: 'rate1311', label: '1311服务完成率' },
  { key: 'employmentRate', label: '就业率' },
  { key: 'hardshipOneOnOneRate', label: '困难人员一对一帮扶' },
];

function dir(n: number): 'up' | 'down' | 'flat' {
  return n > 0 ? 'up' : n < 0 ? 'down' : 'flat';
}

/** ▲1.2 / ▼0.4 / ±0 — an arrow reads from five metres where a sign does not. */
export function arrowDelta(n: number, digits: number): string {
  const abs = Math.abs(n);
  const body = digits ? abs.toFixed(digits) : int(abs);
  if (Number(abs.toFixed(digits)) === 0) return '±0';
  return `${n > 0 ? '▲' : '▼'}${body}`;
}

function yoyTile(py: ScreenPayload['previousYear'], key: ScreenRateKey): KpiTile['yoy'] {
  const y = yoyLine(py, key);
  if (!y) return null;
  return { text: `去年同期 ${y.value}`, delta: y.points === null ? '' : arrowDelta(y.points, 1), dir: y.dir, raw: y.raw, title: y.title };
}

export function buildKpiTiles(p: Pick<ScreenPayload, 'metrics' | 'previous' | 'targets' | 'previousYear'>): KpiTile[] {
  const m: Metrics = p.metrics;
  const prev = p.previous;
  const tiles: KpiTile[] = [];

  const dReceived = prev ? m.received - prev.received : null;
  tiles.push({
    key: 'received',
    label: '已接收人数',
    value: int(m.received),
    raw: m.received,
    unit: '人',
    note: m.pendingDistribution > 0 ? `待下发 ${int(m.pendingDistribution)} 人` : `有就业意愿 ${int(m.intentEmployment)} 人`,
    status: 'none',
    delta: dReceived === null ? null : { text: arrowDelta(dReceived, 0), dir: dir(dReceived), good: null },
    yoy: null,
  });

  for (const t of RATE_TILES) {
    const target = p.targets[t.key];
    const d = pointsDelta(m[t.key], prev ? prev[t.key] : null);
    tiles.push({
      key: t.key,
      label: t.label,
      value: pct(m[t.key]),
      raw: m[t.key],
      unit: '',
      note: `目标进度 ${pct(target.path)}`,
      status: statusOf(m[t.key], target.path),
      delta: d === null ? null : { text: arrowDelta(d, 1), dir: dir(d), good: d === 0 ? null : d > 0 },
      yoy: yoyTile(p.previousYear, t.key),
    });
  }

  const sla = p.targets.helpSlaRate;
  const dOverdue = prev ? m.helpOverdue - prev.helpOverdue : null;
  tiles.push({
    key: 'helpOverdue',
    label: '求助超时未联系',
    value: int(m.helpOverdue),
    raw: m.helpOverdue,
    unit: '件',
    note: `24小时联系率 ${pct(m.helpSlaRate)}`,
    status: m.helpOverdue === 0 ? 'good' : statusOf(m.helpSlaRate, sla.path),
    delta: dOverdue === null ? null : { text: arrowDelta(dOverdue, 0), dir: dir(dOverdue), good: dOverdue === 0 ? null : dOverdue < 0 },
    yoy: null,
  });
  return tiles;
}
