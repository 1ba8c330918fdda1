// View models of the HTML panels: recruitment compliance, lagging counties,
// and the side-by-side scorecard of the units scene.
import type { RateForecast } from '../../../../backend/src/metrics/forecast.types';
import type {
  ScreenChild, ScreenLaggingCounty, ScreenPayload, ScreenRateKey, ScreenRecruitment,
} from '../../../../backend/src/screen/screen.types';
import { DASH, forecastHint, int, pct, shortDay, signed } from './format';
import { statusOf, type Status } from './theme';

export const RATE_LABEL: Record<ScreenRateKey, string> = {
  contactRate: '联系率',
  rate1311: '1311完成率',
  employmentRate: '就业率',
  helpSlaRate: '求助24小时联系率',
  hardshipOneOnOneRate: '一对一帮扶率',
};

export type Quota = 'ok' | 'pending' | 'missed';

export interface RecruitmentRow {
  code: string;
  name: string;
  week: { status: Quota; text: string };
  month: { status: Quota; text: string };
}

export interface RecruitmentView {
  weekTitle: string;
  monthTitle: string;
  weekOk: number;
  monthOk: number;
  total: number;
  rows: RecruitmentRow[];
}

const QUOTA_TEXT: Record<Quota, string> = { ok: '已达标', pending: '待举办', missed: '未达标' };

export function buildRecruitmentView(r: ScreenRecruitment): RecruitmentView {
  const week = Number(r.week.label.slice(6));
  return {
    weekTitle: `第${week}周（${shortDay(r.week.start)}–${shortDay(r.week.end)}）专业性`,
    monthTitle: `${Number(r.month.label.slice(5, 7))}月 综合性`,
    weekOk: r.units.filter((u) => u.week === 'ok').length,
    monthOk: r.units.filter((u) => u.month === 'ok').length,
    total: r.units.length,
    rows: r.units.map((u) => ({
      code: u.code,
      name: u.name,
      week: { status: u.week, text: u.week === 'ok' ? `${u.weekProfessional}场` : QUOTA_TEXT[u.week] },
      month: { status: u.month, text: u.month === 'ok' ? `${u.monthComprehensive}场` : QUOTA_TEXT[u.month] },
    })),
  };
}

export interface ProjectionCell {
  /** The projected end value, "87.3%"; "—" without a projection. */
  text: string;
  status: Status;
  /** For the cell's title: "需日增 0.35 个百分点" / "已达目标". */
  hint: string;
}

/** The lagging list's projection column for one rate of one county. */
export function projectionCell(f: RateForecast | undefined, target: number): ProjectionCell {
  const hint = forecastHint(f);
  if (!f || f.projectedEnd === null) return { text: DASH, status: 'none', hint };
  return { text: pct(f.projectedEnd), status: f.onTrack ? 'good' : statusOf(f.projectedEnd, target), hint };
}

export interface LaggingRow {
  code: string;
  name: string;
  unitName: string;
  metric: string;
  value: string;
  path: string;
  /** "−12.3" percentage points behind the path, or "后25%" when on path but in the bottom quarter. */
  gap: string;
  status: Status;
  more: number;
  /** The worst metric projected to the campaign's end at the current pace (forecast.ts). */
  projected: ProjectionCell;
}

/** Each rate's target value (the end-of-campaign figure, not the day's path). */
export function targetValues(t: ScreenPayload['targets']): Record<ScreenRateKey, number> {
  return Object.fromEntries(Object.entries(t).map(([k, x]) => [k, x.target])) as Record<ScreenRateKey, number>;
}

/** `targets`: each rate's target value (the projection is coloured against it). */
export function buildLaggingRows(list: readonly ScreenLaggingCounty[], limit: number, targets?: Partial<Record<ScreenRateKey, number>>): LaggingRow[] {
  return list.slice(0, limit).map((c) => {
    const worst = [...c.reasons].sort((a, b) => (a.gap ?? Infinity) - (b.gap ?? Infinity))[0]!;
    const below = worst.reason === 'below_target' && worst.gap !== null;
    return {
      code: c.code,
      name: c.name,
      unitName: c.unitName,
      metric: RATE_LABEL[worst.metric],
      value: pct(worst.value),
      path: pct(worst.path),
      gap: below ? signed(Math.round(worst.gap! * 1000) / 10, 1) : '后25%',
      status: below ? statusOf(worst.value, worst.path) : 'near',
      more: c.reasons.length - 1,
      projected: projectionCell(c.forecast?.[worst.metric], targets?.[worst.metric] ?? 1),
    };
  });
}

export interface ScoreCell {
  text: string;
  status: Status;
}

export interface ScoreRow {
  code: string;
  name: string;
  received: string;
  rates: Record<'contactRate' | 'rate1311' | 'employmentRate' | 'hardshipOneOnOneRate', ScoreCell>;
  overdue: ScoreCell;
  week: Quota | null;
  month: Quota | null;
}

export const SCORE_RATES = ['contactRate', 'rate1311', 'employmentRate', 'hardshipOneOnOneRate'] as const;

export function buildScoreRows(p: Pick<ScreenPayload, 'children' | 'targets' | 'recruitment'>): ScoreRow[] {
  const rec = new Map(p.recruitment.units.map((u) => [u.code, u]));
  return p.children.map((c: ScreenChild) => {
    const rates = {} as ScoreRow['rates'];
    for (const k of SCORE_RATES) rates[k] = { text: pct(c[k]), status: statusOf(c[k], p.targets[k].path) };
    const u = c.level === 'unit' ? rec.get(c.code) : undefined;
    return {
      code: c.code,
      name: c.name,
      received: int(c.received),
      rates,
      overdue: { text: int(c.helpOverdue), status: c.helpOverdue === 0 ? 'good' : statusOf(c.helpSlaRate, p.targets.helpSlaRate.path) },
      week: u ? u.week : null,
      month: u ? u.month : null,
    };
  });
}
