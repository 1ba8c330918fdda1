import { describe, expect, it } from 'vitest';
import { buildJilinMap } from '../../../backend/src/map/map.builder';
import { REGIONS } from '../../../backend/src/regions/regions.data';
import {
  buildJilinMapOption, HIGHLIGHT_SERIES_ID, MAP_SERIES_ID, MARKER_SERIES_ID, UNIT_BORDER_SERIES_ID, type JilinMapOption, type RegionNode,
} from '../../../frontend/src/charts/jilinMap.option';

const map = buildJilinMap();
const regions: RegionNode[] = REGIONS.map((r) => ({ ...r }));

type AnySeries = Record<string, unknown> & { id?: string; type?: string; data?: unknown[] };
function series(option: JilinMapOption, id: string): AnySeries {
  const list = (Array.isArray(option.series) ? option.series : [option.series]) as AnySeries[];
  const s = list.find((x) => x.id === id);
  if (!s) throw new Error(`no series ${id}`);
  return s;
}
type Formatter = (p: { name?: string; dataIndex?: number }) => string;
const tooltipOf = (s: AnySeries): Formatter => (s.tooltip as { formatter: Formatter }).formatter;

describe('buildJilinMapOption', () => {
  const option = buildJilinMapOption({ map, regions });

  it('draws the counties on the registered jilin map, named by code', () => {
    const geo = option.geo as { map: string; nameProperty: string };
    expect(geo.map).toBe('jilin');
    expect(geo.nameProperty).toBe('code');
    const counties = series(option, MAP_SERIES_ID);
    expect(counties.type).toBe('map');
    expect(counties.geoIndex).toBe(0);
    expect(counties.data).toHaveLength(60);
  });

  it('is neutral without values: no visualMap', () => {
    expect(option.visualMap).toBeUndefined();
  });

  it('draws unit borders as polylines on the geo, above the counties', () => {
    const borders = series(option, UNIT_BORDER_SERIES_ID);
    expect(borders).toMatchObject({ type: 'lines', coordinateSystem: 'geo', polyline: true });
    expect(borders.data!.length).toBe(map.unitBorders.reduce((n, b) => n + b.lines.length, 0));
    const width = (borders.lineStyle as { width: number }).width;
    const countyWidth = ((option.geo as { itemStyle: { borderWidth: number } }).itemStyle).borderWidth;
    expect(width).toBeGreaterThan(countyWidth);
  });

  it('shows the 12 markers as a scatter series on the geo', () => {
    const markers = series(option, MARKER_SERIES_ID);
    expect(markers).toMatchObject({ type: 'scatter', coordinateSystem: 'geo' });
    expect(markers.data).toHaveLength(12);
  });

  it('names a county and its unit in the tooltip', () => {
    const fmt = tooltipOf(series(option, MAP_SERIES_ID));
    expect(fmt({ name: '220184' })).toContain('公主岭市');
    expect(fmt({ name: '220184' })).toMatch(/公主岭市.*·\s*长春市/);
    expect(fmt({ name: '220581' })).toMatch(/梅河口市.*·\s*梅河口市/);
  });

  it('names a marker and its unit in the tooltip', () => {
    const fmt = tooltipOf(series(option, MARKER_SERIES_ID));
    const chibei = map.markers.findIndex((m) => m.code === '229901');
    expect(fmt({ dataIndex: chibei })).toMatch(/池北区.*·\s*长白山管委会/);
    const zone = map.markers.findIndex((m) => m.code === '220173');
    expect(fmt({ dataIndex: zone })).toMatch(/长春高新技术产业开发区.*·\s*长春市/);
  });

  it('colours counties through a visualMap when values are given', () => {
    const values: Record<string, number | null> = { '220102': 10, '220184': 40, '220581': null };
    const o = buildJilinMapOption({ map, regions, values, metricLabel: '未就业人数' });
    expect(o.visualMap).toMatchObject({ min: 10, max: 40, seriesIndex: 0 });
    const data = series(o, MAP_SERIES_ID).data as Array<{ name: string; value: number }>;
    expect(data.find((d) => d.name === '220184')?.value).toBe(40);
    expect(Number.isNaN(data.find((d) => d.name === '220581')?.value)).toBe(true);
    const fmt = tooltipOf(series(o, MAP_SERIES_ID));
    expect(fmt({ name: '220184' })).toContain('未就业人数：40');
    expect(fmt({ name: '220581' })).toContain('暂无数据');
  });

  it('outlines a highlighted unit or county, and nothing otherwise', () => {
    expect(series(option, HIGHLIGHT_SERIES_ID).data).toHaveLength(0);
    const unit = buildJilinMapOption({ map, regions, highlightUnit: '220100' });
    expect(series(unit, HIGHLIGHT_SERIES_ID).data).toHaveLength(map.unitBorders.find((b) => b.unitCode === '220100')!.lines.length);
    const county = buildJilinMapOption({ map, regions, highlightCounty: '220184' });
    expect(series(county, HIGHLIGHT_SERIES_ID).data!.length).toBeGreaterThan(0);
  });

  it('enlarges and labels highlighted markers (长白山 has no polygon)', () => {
    const o = buildJilinMapOption({ map, regions, highlightUnit: '229900' });
    const data = series(o, MARKER_SERIES_ID).data as Array<{ name: string; symbolSize: number; label: { show: boolean } }>;
    const shown = data.filter((d) => d.label.show).map((d) => d.name).sort();
    expect(shown).toEqual(['229901', '229902', '229903']);
  });
});
