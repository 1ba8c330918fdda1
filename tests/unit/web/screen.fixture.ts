// A small, hand-made screen payload for the wall's pure builders.
import { zeroMeasureMetrics } from '../../../backend/src/measures/measures.types';
import type { Metrics } from '../../../backend/src/metrics/metrics.types';
import type { Forecasts, RateForecast } from '../../../backend/src/metrics/forecast.types';
import type { ScreenPayload, ScreenTarget } from '../../../backend/src/screen/screen.types';

const NONE: RateForecast = { projectedEnd: null, onTrack: null, neededPerDay: null };

export function forecasts(over: Partial<Forecasts> = {}): Forecasts {
  return { contactRate: NONE, rate1311: NONE, employmentRate: NONE, helpSlaRate: NONE, hardshipOneOnOneRate: NONE, ...over };
}

export function metrics(over: Partial<Metrics> = {}): Metrics {
  return {
    received: 1000, pendingDistribution: 20, contacted: 900, contactRate: 0.9, intentEmployment: 700, completed1311: 350, rate1311: 0.5,
    employed: 600, employmentRate: 0.6, hardship: 50, hardshipOneOnOne: 40, hardshipEmployed: 30, helpRequests: 100,
    helpContactedInSla: 90, helpOverdue: 10, helpSlaRate: 0.9, hardshipOneOnOneRate: 0.8,
    ...zeroMeasureMetrics(),
    ...over,
  };
}

function target(value: number | null, path: number, t: number): ScreenTarget {
  return { target: t, path, value, gap: value === null ? null : value - path, met: value === null ? null : value >= path };
}

export function payload(over: Partial<ScreenPayload> = {}): ScreenPayload {
  const m = metrics();
  return {
    region: { code: '220000', name: '吉林省', level: 'province' },
    breadcrumb: [{ code: '220000', name: '吉林省', level: 'province' }],
    asOf: '2022-09-30',
    weekAgo: '2022-09-23',
    range: { from: '2022-07-01', to: '2022-12-31' },
    today: '2022-09-30',
    serverTime: '2022-09-30T02:05:00.000Z',
    pullFailure: null,
    dataTime: '2022-09-30 09:58:12',
    computedAt: '2022-09-30T02:04:00.000Z',
    source: 'live',
    demo: false,
    staleDays: 0,
    metrics: m,
    previous: metrics({ received: 900, contactRate: 0.88, rate1311: 0.5, employmentRate: 0.62, helpOverdue: 12 }),
    targets: {
      contactRate: target(m.contactRate, 0.48, 0.95),
      rate1311: target(m.rate1311, 0.45, 0.9),
      employmentRate: target(m.employmentRate, 0.45, 0.9),
      helpSlaRate: target(m.helpSlaRate, 0.95, 0.95),
      hardshipOneOnOneRate: target(m.hardshipOneOnOneRate, 1, 1),
    },
    children: [
      { ...metrics({ contactRate: 0.95 }), code: '220100', name: '长春市', level: 'unit', unitCode: '220100', rank: {}, behind: [] },
      { ...metrics({ contactRate: 0.3 }), code: '222400', name: '延边朝鲜族自治州', level: 'unit', unitCode: '222400', rank: {}, behind: ['contactRate'] },
      { ...metrics({ contactRate: null, helpOverdue: 0 }), code: '229900', name: '长白山管委会', level: 'unit', unitCode: '229900', rank: {}, behind: [] },
    ],
    counties: {
      '220102': { ...metrics({ contactRate: 0.5 }), name: '南关区', unitCode: '220100' },
      '220171': { ...metrics({ contactRate: 0.2, received: 5 }), name: '长春经济技术开发区', unitCode: '220100' },
      '229901': { ...metrics({ contactRate: null, received: 0 }), name: '池北区', unitCode: '229900' },
    },
    trend: [
      { asOf: '2022-07-31', received: 500, contactRate: 0.5, rate1311: 0.1, employmentRate: 0.2, hardshipOneOnOneRate: 0.3, helpOverdue: 1 },
      { asOf: '2022-08-01', received: 600, contactRate: 0.6, rate1311: 0.2, employmentRate: 0.3, hardshipOneOnOneRate: 0.4, helpOverdue: 2 },
      { asOf: '2022-08-02', received: 700, contactRate: 0.7, rate1311: null, employmentRate: 0.4, hardshipOneOnOneRate: 0.5, helpOverdue: 3 },
    ],
    funnel: {
      received: 1000, contacted: 900, jobSeekers: 700,
      components: [
        { type: '职业指导', min: 1, count: 600 }, { type: '岗位推介', min: 3, count: 500 },
        { type: '技能培训', min: 1, count: 450 }, { type: '就业见习', min: 1, count: 400 },
      ],
      completed: 350,
    },
    hardship: { hardship: 50, oneOnOne: 40, employed: 30, oneOnOneRate: 0.8, target: 1 },
    help: { requests: 100, inSla: 90, overdue: 10, slaRate: 0.9, target: 0.95, slaHours: 24 },
    recruitment: {
      week: { label: '2022-W39', start: '2022-09-26', end: '2022-10-02' },
      month: { label: '2022-09', start: '2022-09-01', end: '2022-09-30' },
      units: [
        { code: '220100', name: '长春市', weekProfessional: 2, monthComprehensive: 1, week: 'ok', month: 'ok' },
        { code: '222400', name: '延边朝鲜族自治州', weekProfessional: 0, monthComprehensive: 0, week: 'pending', month: 'missed' },
      ],
    },
    lagging: [
      {
        code: '220171', name: '长春经济技术开发区', unitCode: '220100', unitName: '长春市', received: 5, worstGap: -0.28,
        forecast: forecasts({ contactRate: { projectedEnd: 0.612, onTrack: false, neededPerDay: 0.0082 } }),
        reasons: [
          { metric: 'contactRate', value: 0.2, path: 0.48, gap: -0.28, reason: 'below_target' },
          { metric: 'rate1311', value: 0.4, path: 0.45, gap: -0.05, reason: 'below_target' },
        ],
      },
      {
        code: '220102', name: '南关区', unitCode: '220100', unitName: '长春市', received: 300, worstGap: 0.02,
        forecast: forecasts({ contactRate: { projectedEnd: 0.97, onTrack: true, neededPerDay: 0.0049 } }),
        reasons: [{ metric: 'contactRate', value: 0.5, path: 0.48, gap: 0.02, reason: 'bottom_quarter' }],
      },
    ],
    laggingTotal: 2,
    forecast: forecasts({ contactRate: { projectedEnd: 0.93, onTrack: false, neededPerDay: 0.0006 } }),
    forecastMiss: {
      counties: 3, end: '2022-12-31', daysLeft: 92,
      rates: [
        { metric: 'contactRate', target: 0.95, miss: 1, onTrack: 1, unknown: 1 },
        { metric: 'rate1311', target: 0.9, miss: 2, onTrack: 0, unknown: 1 },
        { metric: 'employmentRate', target: 0.9, miss: 0, onTrack: 2, unknown: 1 },
        { metric: 'helpSlaRate', target: 0.95, miss: 0, onTrack: 0, unknown: 3 },
        { metric: 'hardshipOneOnOneRate', target: 1, miss: 2, onTrack: 0, unknown: 1 },
      ],
    },
    care: {
      rows: [
        { code: '220100', name: '长春市', hardship: 40, withPlan: 30, planRate: 0.75, visitOverdue: 4 },
        { code: '220200', name: '吉林市', hardship: 0, withPlan: 0, planRate: null, visitOverdue: 0 },
      ],
      totals: { hardship: 40, withPlan: 30, planRate: 0.75, visited: 20, visitOverdue: 4 },
      rights: { total: 5, open: 3, overdue: 1, graduates: 7, byType: { 黑职介: 2, 虚假招聘: 3, 求职培训贷: 0 } },
      checklist: {
        deadline: '2022-07-10',
        items: ['公开信/服务公告', '求助途径', '招聘渠道', '机构目录', '政策服务清单'],
        units: [
          { code: '220100', name: '长春市', cells: ['ok', 'ok', 'ok', 'late', 'ok'], complete: '2022-07-12', onTime: false },
          { code: '220200', name: '吉林市', cells: ['ok', 'missing', 'ok', 'ok', 'ok'], complete: null, onTime: false },
        ],
      },
      campaigns: { 百日千万网络招聘: 6, 金秋招聘月: 2, 其他: 0 },
      stories: 3,
    },
    ...over,
  };
}
