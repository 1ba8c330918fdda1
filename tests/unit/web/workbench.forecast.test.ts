// The rate card's "年底预计" line, pure.
import { describe, expect, it } from 'vitest';
import { forecastLine } from '../../../frontend/src/workbench/forecast';

describe('forecastLine', () => {
  it('says the projection, whether it reaches the target and what a day needs', () => {
    expect(forecastLine({ projectedEnd: 0.7786, onTrack: false, neededPerDay: 0.00543 })).toEqual({ text: '77.9%（达不到）', tone: 'behind', hint: '需日增 0.54 个百分点' });
    expect(forecastLine({ projectedEnd: 0.97, onTrack: true, neededPerDay: 0 })).toEqual({ text: '97.0%（可达）', tone: 'good', hint: '已达目标' });
    expect(forecastLine({ projectedEnd: 0.9, onTrack: true, neededPerDay: null }).hint).toBe('行动已结束');
  });

  it('without a projection: a dash, and the daily gain needed when known', () => {
    expect(forecastLine(undefined)).toEqual({ text: '—', tone: 'none', hint: '数据不足，暂无法推算' });
    expect(forecastLine({ projectedEnd: null, onTrack: null, neededPerDay: 0.01 })).toEqual({ text: '—', tone: 'none', hint: '数据不足，暂无法推算，需日增 1.00 个百分点' });
  });
});
