// The wall's "at this pace" panel and the lagging list's projection column, pure.
import { describe, expect, it } from 'vitest';
import { buildForecastPanel, targetText } from '../../../frontend/src/screen/options/forecast';
import { buildLaggingRows, projectionCell, targetValues } from '../../../frontend/src/screen/options/tables';
import { payload } from './screen.fixture';

describe('forecast panel', () => {
  it('heads with the rate most counties will miss, first in the rates’ order on a tie', () => {
    const v = buildForecastPanel(payload().forecastMiss);
    // rate1311 and hardshipOneOnOneRate both have 2 misses: rate1311 comes first.
    expect(v.headline).toBe('按当前进度：2 个县区12月31日前1311完成率达不到 90%');
    expect(v.note).toBe('距行动结束 92 天 · 按近14天日均进度推算，共 3 个县区');
  });

  it('says per rate how many miss, or that all make it, or that there is too little data', () => {
    const rows = buildForecastPanel(payload().forecastMiss).rows;
    expect(rows.map((r) => r.text)).toEqual(['1 个县区达不到 95%', '2 个县区达不到 90%', '全部可达 90%', '暂无足够数据', '2 个县区达不到 100%']);
    expect(rows.map((r) => r.status)).toEqual(['far', 'far', 'good', 'none', 'far']);
    expect(rows[0]!.missShare).toBe(0.5);
    expect(rows[3]!.missShare).toBe(0);
  });

  it('in the style of the issue: "6 个县区年底前联系率达不到 95%"', () => {
    const f = { ...payload().forecastMiss, counties: 72 };
    f.rates = f.rates.map((r) => (r.metric === 'contactRate' ? { ...r, miss: 6, onTrack: 60, unknown: 6 } : { ...r, miss: 0, onTrack: 66, unknown: 6 }));
    const v = buildForecastPanel(f);
    expect(v.headline).toBe('按当前进度：6 个县区12月31日前联系率达不到 95%');
    // 6 of 66 projected: within 10%.
    expect(v.rows[0]!.status).toBe('near');
  });

  it('when nobody misses, and when nothing can be projected', () => {
    const base = payload().forecastMiss;
    const fine = buildForecastPanel({ ...base, rates: base.rates.map((r) => ({ ...r, miss: 0, onTrack: 3, unknown: 0 })) });
    expect(fine.headline).toBe('按当前进度：各县区12月31日前均可达到目标');
    const none = buildForecastPanel({ ...base, rates: base.rates.map((r) => ({ ...r, miss: 0, onTrack: 0, unknown: 3 })) });
    expect(none.headline).toBe('按当前进度：数据不足，暂无法推算');
  });

  it('after the end it reports the final values instead of a pace', () => {
    const v = buildForecastPanel({ ...payload().forecastMiss, daysLeft: 0 });
    expect(v.headline).toBe('行动已结束：按12月31日的数值，2 个县区1311完成率未达到 90%');
    expect(v.note).toBe('按近14天日均进度推算，共 3 个县区');
  });

  it('writes targets as the notice does', () => {
    expect(targetText(0.95)).toBe('95%');
    expect(targetText(1)).toBe('100%');
    expect(targetText(0.925)).toBe('92.5%');
  });
});

describe('lagging list projection column', () => {
  it('shows the worst metric’s projected end value, coloured against the target', () => {
    const p = payload();
    const rows = buildLaggingRows(p.lagging, 5, targetValues(p.targets));
    expect(rows[0]!.projected).toEqual({ text: '61.2%', status: 'far', hint: '需日增 0.82 个百分点' });
    expect(rows[1]!.projected).toEqual({ text: '97.0%', status: 'good', hint: '需日增 0.49 个百分点' });
  });

  it('without a projection, a dash and why', () => {
    expect(projectionCell(undefined, 0.9)).toEqual({ text: '—', status: 'none', hint: '数据不足，暂无法推算' });
    expect(projectionCell({ projectedEnd: null, onTrack: null, neededPerDay: 0.01 }, 0.9)).toEqual({ text: '—', status: 'none', hint: '数据不足，暂无法推算，需日增 1.00 个百分点' });
    expect(projectionCell({ projectedEnd: 0.9, onTrack: true, neededPerDay: 0 }, 0.9).hint).toBe('已达目标');
    expect(projectionCell({ projectedEnd: 0.8, onTrack: false, neededPerDay: null }, 0.9)).toEqual({ text: '80.0%', status: 'behind', hint: '行动已结束' });
  });

  it('targetValues takes the end targets, not the day’s path', () => {
    expect(targetValues(payload().targets)).toEqual({ contactRate: 0.95, rate1311: 0.9, employmentRate: 0.9, helpSlaRate: 0.95, hardshipOneOnOneRate: 1 });
  });
});
