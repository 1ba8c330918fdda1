import { describe, expect, it } from 'vitest';
import {
  backoffDelay, disconnectedText, nextFocusUnit, pullFailureText, scenesFor, staleText, STALE_DAYS,
} from '../../../frontend/src/screen/options/logic';
import { countyValues, MAP_METRICS, pathOf, worstGapValues } from '../../../frontend/src/screen/options/metrics';
import { buildLaggingRows, buildRecruitmentView, buildScoreRows } from '../../../frontend/src/screen/options/tables';
import type { ScreenPlan } from '../../../backend/src/screen/screen.types';
import { payload } from './screen.fixture';

const plan: ScreenPlan = {
  scenes: [{ id: 'overview', seconds: 60 }, { id: 'units', seconds: 30 }, { id: 'focus', seconds: 30 }],
  pauseSeconds: 60,
};

describe('rotation', () => {
  it('rotates every planned scene on the province wall, skips focus on a unit wall', () => {
    expect(scenesFor(plan, 'province').map((s) => s.id)).toEqual(['overview', 'units', 'focus']);
    expect(scenesFor(plan, 'unit').map((s) => s.id)).toEqual(['overview', 'units']);
    expect(scenesFor({ scenes: [{ id: 'focus', seconds: 10 }], pauseSeconds: 5 }, 'unit')).toEqual([{ id: 'overview', seconds: 60 }]);
  });

  it('focuses the units in turn', () => {
    const units = [{ code: 'a' }, { code: 'b' }];
    expect(nextFocusUnit(units, null)).toBe('a');
    expect(nextFocusUnit(units, 'a')).toBe('b');
    expect(nextFocusUnit(units, 'b')).toBe('a');
    expect(nextFocusUnit(units, 'gone')).toBe('a');
    expect(nextFocusUnit([], null)).toBeNull();
  });
});

describe('connection', () => {
  it('backs off exponentially to 30 s, spreading walls with jitter', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((a) => backoffDelay(a))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(backoffDelay(5, 0.5)).toBe(27000);
  });

  it('says when the data stopped, by the server clock in Beijing time', () => {
    expect(disconnectedText('2022-09-30T02:05:00.000Z')).toBe('数据连接中断 · 最后更新 10:05');
  });

  it('says plainly when the ledger data is old', () => {
    expect(staleText(0)).toBeNull();
    expect(staleText(STALE_DAYS - 1)).toBeNull();
    expect(staleText(9)).toBe('数据已 9 天未更新');
    expect(staleText(null)).toBe('暂无台账数据');
  });
});

describe('map values', () => {
  it('reads each county\'s value of the metric', () => {
    const p = payload();
    expect(countyValues(p, 'contactRate')).toEqual({ '220102': 0.5, '220171': 0.2, '229901': null });
    expect(countyValues(p, 'received')['220171']).toBe(5);
    expect(pathOf(p, MAP_METRICS[0]!)).toBe(0.48);
    expect(pathOf(p, MAP_METRICS.find((m) => m.kind === 'count')!)).toBeNull();
  });

  it('finds each county\'s worst gap to the path', () => {
    const g = worstGapValues(payload());
    // contact 0.5−0.48, 1311 0.5−0.45, employment 0.6−0.45, one-on-one 0.8−1.
    expect(g['220102']).toBeCloseTo(-0.2);
    expect(g['229901']).toBeCloseTo(-0.2);
  });
});

describe('tables', () => {
  it('summarises the recruitment quotas of the week and the month', () => {
    const v = buildRecruitmentView(payload().recruitment);
    expect(v.weekTitle).toBe('第39周（09/26–10/02）专业性');
    expect(v.monthTitle).toBe('9月 综合性');
    expect([v.weekOk, v.monthOk, v.total]).toEqual([1, 1, 2]);
    expect(v.rows[0]!.week).toEqual({ status: 'ok', text: '2场' });
    expect(v.rows[1]!.week).toEqual({ status: 'pending', text: '待举办' });
    expect(v.rows[1]!.month).toEqual({ status: 'missed', text: '未达标' });
  });

  it('names each lagging county\'s worst metric and its gap in points', () => {
    const rows = buildLaggingRows(payload().lagging, 5);
    expect(rows[0]).toMatchObject({ name: '长春经济技术开发区', metric: '联系率', value: '20.0%', path: '48.0%', gap: '−28.0', status: 'far', more: 1 });
    expect(rows[1]).toMatchObject({ name: '南关区', gap: '后25%' });
    expect(buildLaggingRows(payload().lagging, 1)).toHaveLength(1);
  });

  it('scores every child on each rate against the path', () => {
    const rows = buildScoreRows(payload());
    expect(rows.map((r) => r.code)).toEqual(['220100', '222400', '229900']);
    expect(rows[0]!.rates.contactRate).toEqual({ text: '95.0%', status: 'good' });
    expect(rows[1]!.rates.contactRate.status).toBe('far');
    expect(rows[2]!.rates.contactRate).toEqual({ text: '—', status: 'none' });
    expect(rows[2]!.overdue.status).toBe('good');
    expect(rows[1]!.week).toBe('pending');
    expect(rows[2]!.week).toBeNull();
  });
});

describe('the freshness stamp after a failed pull', () => {
  it('names the source and the Beijing time of the failure, and says the numbers are the last good load', () => {
    expect(pullFailureText({ job: 'pull-postgres', source: '省平台数据库', at: '2022-09-30T02:05:00.000Z' })).toBe('省平台数据库拉取失败（10:05），显示上次成功导入的数据');
    expect(pullFailureText(null)).toBeNull();
    expect(pullFailureText(undefined)).toBeNull();
  });
});
