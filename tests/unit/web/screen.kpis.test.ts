import { describe, expect, it } from 'vitest';
import { arrowDelta, buildKpiTiles, KPI_KEYS } from '../../../frontend/src/screen/options/kpis';
import { payload } from './screen.fixture';

describe('buildKpiTiles', () => {
  const tiles = buildKpiTiles(payload());
  const tile = (k: string) => tiles.find((t) => t.key === k)!;

  it('shows the six key numbers in a fixed order', () => {
    expect(tiles.map((t) => t.key)).toEqual(KPI_KEYS);
  });

  it('shows each number formatted, with its raw value', () => {
    expect(tile('received')).toMatchObject({ value: '1,000', raw: 1000, unit: '人' });
    expect(tile('contactRate')).toMatchObject({ value: '90.0%', raw: 0.9 });
    expect(tile('helpOverdue')).toMatchObject({ value: '10', raw: 10, unit: '件' });
  });

  it('measures rates against the target path of the day', () => {
    expect(tile('contactRate').note).toBe('目标进度 48.0%');
    expect(tile('contactRate').status).toBe('good');
    expect(tile('hardshipOneOnOneRate').status).toBe('far');
    expect(tile('helpOverdue').status).toBe('near');
  });

  it('gives the change since last week, judging its direction', () => {
    expect(tile('received').delta).toEqual({ text: '▲100', dir: 'up', good: null });
    expect(tile('contactRate').delta).toEqual({ text: '▲2.0', dir: 'up', good: true });
    expect(tile('employmentRate').delta).toEqual({ text: '▼2.0', dir: 'down', good: false });
    expect(tile('rate1311').delta).toEqual({ text: '±0', dir: 'flat', good: null });
    // Fewer overdue requests is good.
    expect(tile('helpOverdue').delta).toEqual({ text: '▼2', dir: 'down', good: true });
  });

  it('has no change before the campaign has a week behind it', () => {
    expect(buildKpiTiles(payload({ previous: null })).every((t) => t.delta === null)).toBe(true);
  });

  it('shows a dash, not 0% or NaN, for a rate without a denominator', () => {
    const p = payload();
    const t = buildKpiTiles({ ...p, metrics: { ...p.metrics, contactRate: null } }).find((x) => x.key === 'contactRate')!;
    expect(t.value).toBe('—');
    expect(t.status).toBe('none');
    expect(t.delta).toBeNull();
  });

  it('writes arrows with the right precision', () => {
    expect(arrowDelta(1.25, 1)).toBe('▲1.3');
    expect(arrowDelta(-1280, 0)).toBe('▼1,280');
    expect(arrowDelta(0.01, 1)).toBe('±0');
  });
});
