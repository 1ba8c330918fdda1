import { describe, expect, it } from 'vitest';
import { buildJilinMap } from '../../../backend/src/map/map.builder';
import { REGIONS } from '../../../backend/src/regions/regions.data';
import { MAP_SERIES_ID, MARKER_SERIES_ID, UNIT_BORDER_SERIES_ID, type RegionNode } from '../../../frontend/src/charts/jilinMap.option';
import { buildFunnelOption, FUNNEL_SERIES_ID, funnelStages } from '../../../frontend/src/screen/options/funnel';
import { buildRingOption, ringFacts } from '../../../frontend/src/screen/options/hardship';
import { buildScreenMapOption, mapColor, unitBounds } from '../../../frontend/src/screen/options/map';
import { MAP_METRICS } from '../../../frontend/src/screen/options/metrics';
import { buildRankingOption, RANKING_SERIES_ID, sortRanking } from '../../../frontend/src/screen/options/ranking';
import { COLORS, STATUS_COLOR, statusOf } from '../../../frontend/src/screen/options/theme';
import { buildTrendOption } from '../../../frontend/src/screen/options/trend';
import { payload } from './screen.fixture';

type AnySeries = Record<string, unknown> & { id?: string; type?: string; data?: unknown[] };
function seriesOf(option: { series?: unknown }): AnySeries[] {
  return (Array.isArray(option.series) ? option.series : [option.series]) as AnySeries[];
}
function byId(option: { series?: unknown }, id: string): AnySeries {
  const s = seriesOf(option).find((x) => x.id === id);
  if (!s) throw new Error(`no series ${id}`);
  return s;
}

const contact = MAP_METRICS.find((m) => m.key === 'contactRate')!;
const received = MAP_METRICS.find((m) => m.key === 'received')!;

describe('statusOf', () => {
  it('puts a rate against the target path in four bands', () => {
    expect(statusOf(0.95, 0.95)).toBe('good');
    expect(statusOf(0.91, 0.95)).toBe('near');
    expect(statusOf(0.85, 0.95)).toBe('behind');
    expect(statusOf(0.5, 0.95)).toBe('far');
    expect(statusOf(null, 0.95)).toBe('none');
  });
});

describe('buildRankingOption', () => {
  const rows = [
    { code: 'a', name: '甲市', value: 0.5 },
    { code: 'b', name: '延边朝鲜族自治州', value: null },
    { code: 'c', name: '丙市', value: 0.97 },
  ];

  it('ranks best first, regions without a value last', () => {
    expect(sortRanking(rows).map((r) => r.code)).toEqual(['c', 'a', 'b']);
  });

  it('colours each bar by where it stands against the path and draws the path', () => {
    const o = buildRankingOption({ rows, metric: contact, path: 0.95 });
    const s = byId(o, RANKING_SERIES_ID);
    const colors = (s.data as Array<{ itemStyle: { color: string } }>).map((d) => d.itemStyle.color);
    expect(colors).toEqual([STATUS_COLOR.good, STATUS_COLOR.far, STATUS_COLOR.none]);
    expect((s.markLine as { data: unknown[] }).data).toEqual([{ xAxis: 0.95 }]);
    expect((o.yAxis as { data: string[]; inverse: boolean }).data).toEqual(['丙市', '甲市', '延边州']);
    expect((o.xAxis as { max: number }).max).toBe(1);
  });

  it('ranks counts on their own scale without a target line', () => {
    const o = buildRankingOption({ rows: [{ code: 'a', name: '甲', value: 300 }, { code: 'b', name: '乙', value: 1200 }], metric: received, path: null });
    expect((o.xAxis as { max: number }).max).toBe(1200);
    expect(byId(o, RANKING_SERIES_ID).markLine).toBeUndefined();
  });
});

describe('buildTrendOption', () => {
  const o = buildTrendOption(payload().trend);

  it('draws the three rates day by day, keeping gaps as gaps', () => {
    const series = seriesOf(o);
    expect(series.map((s) => s.name)).toEqual(['联系率', '就业率', '1311']);
    expect(series[2]!.data).toEqual([0.1, 0.2, null]);
    expect((o.xAxis as { data: string[] }).data).toEqual(['2022-07-31', '2022-08-01', '2022-08-02']);
  });

  it('names the latest value of each line in the legend', () => {
    const f = (o.legend as { formatter: (n: string) => string }).formatter;
    expect(f('联系率')).toBe('联系率 70.0%');
    expect(f('1311')).toBe('1311 —');
  });

  it('labels the axis at month starts only', () => {
    const label = o.xAxis as { axisLabel: { formatter: (d: string) => string } };
    expect(label.axisLabel.formatter('2022-08-01')).toBe('8月');
    expect(label.axisLabel.formatter('2022-08-02')).toBe('');
  });
});

describe('buildFunnelOption', () => {
  const f = payload().funnel;

  it('goes received → contacted → job-seekers → each 1311 component → complete', () => {
    const stages = funnelStages(f);
    expect(stages.map((s) => s.label)).toEqual([
      '已接收', '已联系', '有就业意愿', '职业指导≥1次', '岗位推介≥3次', '技能培训≥1次', '就业见习≥1次', '1311全部完成',
    ]);
    expect(stages.map((s) => s.count)).toEqual([1000, 900, 700, 600, 500, 450, 400, 350]);
    expect(stages[1]!.share).toBeCloseTo(0.9);
    expect(stages[7]!.share).toBeCloseTo(0.5);
  });

  it('centres the bars with a transparent pad so it reads as a funnel', () => {
    const o = buildFunnelOption(f);
    expect(byId(o, 'funnel-pad').data).toEqual([0, 50, 150, 200, 250, 275, 300, 325]);
    expect((byId(o, FUNNEL_SERIES_ID).data as Array<{ value: number }>).map((d) => d.value)).toEqual([1000, 900, 700, 600, 500, 450, 400, 350]);
  });

  it('has no shares and no NaN for an empty region', () => {
    const stages = funnelStages({ received: 0, contacted: 0, jobSeekers: 0, components: [], completed: 0 });
    expect(stages.map((s) => s.share)).toEqual([null, null, null, null]);
  });
});

describe('hardship rings', () => {
  it('fills to the rate and colours by the target', () => {
    const o = buildRingOption(0.8, 1);
    const s = seriesOf(o)[0]!;
    expect(s.data).toEqual([{ value: 0.8 }]);
    expect((s.progress as { itemStyle: { color: string } }).itemStyle.color).toBe(STATUS_COLOR.far);
    expect((s.detail as { formatter: () => string }).formatter()).toBe('80.0%');
  });

  it('names the counts beside each ring', () => {
    const p = payload();
    const [h, help] = ringFacts(p.hardship, p.help);
    expect(h!.lines[0]).toBe('40/50人');
    expect(help!.lines).toEqual(['90/100件', '超时10件', '24小时目标95%']);
  });
});

describe('buildScreenMapOption', () => {
  const map = buildJilinMap();
  const regions: RegionNode[] = REGIONS.map((r) => ({ ...r }));
  const values = { '220102': 0.96, '220171': 0.5, '229901': null };

  it('colours counties against the target path in four bands, on a dark wall', () => {
    const o = buildScreenMapOption({ map, regions, values, metricLabel: '联系率', kind: 'rate', path: 0.95 });
    const vm = o.visualMap as { type: string; pieces: Array<{ color: string }> };
    expect(vm.type).toBe('piecewise');
    expect(vm.pieces.map((p) => p.color)).toEqual([STATUS_COLOR.good, STATUS_COLOR.near, STATUS_COLOR.behind, STATUS_COLOR.far]);
    const counties = byId(o, MAP_SERIES_ID).data as Array<{ name: string; value: number }>;
    expect(counties).toHaveLength(60);
    expect(counties.find((d) => d.name === '220102')!.value).toBe(0.96);
    expect(Number.isNaN(counties.find((d) => d.name === '220183')!.value)).toBe(true);
    expect((o.geo as { itemStyle: { areaColor: string } }).itemStyle.areaColor).toBe(COLORS.none);
    expect(byId(o, UNIT_BORDER_SERIES_ID).lineStyle).toMatchObject({ color: '#dbe9ff' });
  });

  it('colours the markers the visualMap does not reach the same way', () => {
    const o = buildScreenMapOption({ map, regions, values, metricLabel: '联系率', kind: 'rate', path: 0.95 });
    const markers = byId(o, MARKER_SERIES_ID).data as Array<{ name: string; itemStyle: { color: string } }>;
    expect(markers).toHaveLength(12);
    expect(markers.find((m) => m.name === '220171')!.itemStyle.color).toBe(STATUS_COLOR.far);
    expect(markers.find((m) => m.name === '229901')!.itemStyle.color).toBe(COLORS.none);
  });

  it('sizes counts on a ramp', () => {
    const counts = { '220102': 10, '220171': 100 };
    const o = buildScreenMapOption({ map, regions, values: counts, metricLabel: '已接收人数', kind: 'count' });
    expect((o.visualMap as { type: string; max: number }).max).toBe(100);
    expect(mapColor({ kind: 'count', values: counts }, 100)).not.toBe(mapColor({ kind: 'count', values: counts }, 10));
  });

  it('zooms onto a unit, naming its counties and dimming the rest', () => {
    const o = buildScreenMapOption({ map, regions, values, metricLabel: '联系率', kind: 'rate', path: 0.95, focusUnit: '220100' });
    const geo = o.geo as { boundingCoords: number[][]; label: { show: boolean }; regions: Array<{ name: string }> };
    expect(geo.label.show).toBe(true);
    const [[w, n], [e, s]] = geo.boundingCoords as [[number, number], [number, number]];
    expect(w).toBeLessThan(124.6);
    expect(e).toBeGreaterThan(127);
    expect(n).toBeGreaterThan(s);
    expect(geo.regions.some((r) => r.name === '220102')).toBe(false);
    expect(geo.regions.some((r) => r.name === '222401')).toBe(true);
  });

  it('frames 长白山, which has markers only', () => {
    const b = unitBounds(map, '229900')!;
    expect(b[1][0] - b[0][0]).toBeGreaterThanOrEqual(1);
    expect(b[0][1] - b[1][1]).toBeGreaterThanOrEqual(0.8);
    expect(unitBounds(map, '999999')).toBeNull();
  });
});
