// The county map of Jilin as an ECharts option (pure: no DOM, no echarts
// runtime), so it can be unit-tested in node.
import type { ComposeOption } from 'echarts/core';
import type { LinesSeriesOption, MapSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import type { GeoComponentOption, TooltipComponentOption, VisualMapComponentOption } from 'echarts/components';
import type { CountyFeature, JilinMap, LngLat, MapMarker } from '../../../backend/src/map/map.types';

export type JilinMapOption = ComposeOption<
  MapSeriesOption | LinesSeriesOption | ScatterSeriesOption | GeoComponentOption | TooltipComponentOption | VisualMapComponentOption
>;

/** One node of the reporting tree as GET /api/regions returns it. */
export interface RegionNode {
  code: string;
  name: string;
  level: 'province' | 'unit' | 'county';
  parentCode: string | null;
  hasPolygon: boolean;
}

export interface JilinMapInput {
  map: JilinMap;
  regions: readonly RegionNode[];
  /** By county-level code; null = no data. Without it the map is drawn neutral. */
  values?: Readonly<Record<string, number | null>>;
  metricLabel?: string;
  /** A reporting unit to outline (its border, or its markers if it has no polygon). */
  highlightUnit?: string | null;
  /** A county-level unit to outline (its polygon, or its marker). */
  highlightCounty?: string | null;
}

export const MAP_SERIES_ID = 'counties';
export const MARKER_SERIES_ID = 'markers';
export const UNIT_BORDER_SERIES_ID = 'unit-borders';
export const HIGHLIGHT_SERIES_ID = 'highlight';

const COLORS = {
  area: '#e9eff6',
  areaHover: '#fde4c4',
  countyBorder: '#b3c2d3',
  unitBorder: '#3e5a7a',
  zone: '#2f6fb3',
  changbaishan: '#23926b',
  accent: '#e8590c',
  ramp: ['#e4eefa', '#a9cbec', '#5f9dd8', '#2a6db5', '#0f3f7a'],
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function formatValue(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '暂无数据' : v.toLocaleString('zh-CN');
}

/** Tooltip text for a county-level unit: "公主岭市 · 长春市", plus the metric when there is one. */
export function regionTooltip(name: string, unitName: string, metric?: { label: string; value: number | null | undefined }): string {
  const head = `<b>${escapeHtml(name)}</b> · ${escapeHtml(unitName)}`;
  return metric ? `${head}<br/>${escapeHtml(metric.label)}：${formatValue(metric.value)}` : head;
}

function ringsOf(f: CountyFeature): LngLat[][] {
  return f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat();
}

function isChangbaishan(m: MapMarker): boolean {
  return m.unitCode === '229900';
}

export function buildJilinMapOption(input: JilinMapInput): JilinMapOption {
  const { map, regions, values, highlightUnit, highlightCounty } = input;
  const metricLabel = input.metricLabel ?? '数值';
  const unitNames = new Map(regions.filter((r) => r.level === 'unit').map((r) => [r.code, r.name]));
  const features = map.counties.features;
  const featureByCode = new Map(features.map((f) => [f.id, f]));
  const metric = (code: string) => (values ? { label: metricLabel, value: values[code] } : undefined);

  const numbers = values
    ? Object.values(values).filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
    : [];
  const min = numbers.length ? Math.min(...numbers) : 0;
  const max = numbers.length ? Math.max(...numbers) : 1;

  const isHighlighted = (code: string, unitCode: string) => code === highlightCounty || unitCode === highlightUnit;

  const highlightLines: LngLat[][] = [];
  if (highlightUnit) {
    for (const b of map.unitBorders) if (b.unitCode === highlightUnit) highlightLines.push(...b.lines);
  }
  if (highlightCounty) {
    const f = featureByCode.get(highlightCounty);
    if (f) highlightLines.push(...ringsOf(f));
  }

  const mapSeries: MapSeriesOption = {
    id: MAP_SERIES_ID,
    type: 'map',
    name: metricLabel,
    geoIndex: 0,
    data: features.map((f) => ({ name: f.id, value: values ? (values[f.id] ?? Number.NaN) : Number.NaN })),
    tooltip: {
      formatter: (p: { name: string }) => {
        const f = featureByCode.get(p.name);
        return f ? regionTooltip(f.properties.name, f.properties.unitName, metric(f.id)) : '';
      },
    },
  };

  const borderSeries: LinesSeriesOption = {
    id: UNIT_BORDER_SERIES_ID,
    type: 'lines',
    coordinateSystem: 'geo',
    polyline: true,
    silent: true,
    animation: false,
    z: 3,
    lineStyle: { color: COLORS.unitBorder, width: 1.4, opacity: 0.9 },
    data: map.unitBorders.flatMap((b) => b.lines.map((coords) => ({ coords }))),
  };

  const markerSeries: ScatterSeriesOption = {
    id: MARKER_SERIES_ID,
    type: 'scatter',
    coordinateSystem: 'geo',
    z: 5,
    data: map.markers.map((m) => {
      const hl = isHighlighted(m.code, m.unitCode);
      const color = hl ? COLORS.accent : isChangbaishan(m) ? COLORS.changbaishan : COLORS.zone;
      return {
        name: m.code,
        value: [m.coord[0], m.coord[1]],
        symbol: isChangbaishan(m) ? 'triangle' : 'diamond',
        symbolSize: hl ? 14 : 9,
        itemStyle: { color, borderColor: '#fff', borderWidth: 1 },
        label: { show: hl },
      };
    }),
    label: {
      show: false,
      position: 'right',
      fontSize: 12,
      color: '#1f2d3d',
      backgroundColor: 'rgba(255,255,255,0.85)',
      padding: [2, 4],
      borderRadius: 3,
      formatter: (p: { dataIndex: number }) => map.markers[p.dataIndex]?.name ?? '',
    },
    emphasis: { scale: 1.4, label: { show: true } },
    tooltip: {
      formatter: (p: { dataIndex: number }) => {
        const m = map.markers[p.dataIndex];
        if (!m) return '';
        const kind = isChangbaishan(m) ? '长白山管委会所辖区域' : '开发区';
        return `${regionTooltip(m.name, unitNames.get(m.unitCode) ?? m.unitCode, metric(m.code))}<br/><span style="color:#7a8896">${kind}（无独立边界）</span>`;
      },
    },
  };

  const highlightSeries: LinesSeriesOption = {
    id: HIGHLIGHT_SERIES_ID,
    type: 'lines',
    coordinateSystem: 'geo',
    polyline: true,
    silent: true,
    // Hover feedback must be instant, not drawn in.
    animation: false,
    z: 4,
    lineStyle: { color: COLORS.accent, width: 3, opacity: 1 },
    data: highlightLines.map((coords) => ({ coords })),
  };

  const option: JilinMapOption = {
    tooltip: {
      trigger: 'item',
      confine: true,
      backgroundColor: 'rgba(255,255,255,0.96)',
      borderColor: '#c9d4e0',
      textStyle: { color: '#1f2d3d', fontSize: 13 },
    },
    geo: {
      map: 'jilin',
      nameProperty: 'code',
      roam: false,
      // Equal-area look at Jilin's latitude (1° of longitude ≈ 0.73° of latitude).
      aspectScale: 0.73,
      // Fit the box (layoutSize would fit a square and waste a wide panel).
      top: 12,
      bottom: 12,
      left: 12,
      right: 12,
      label: { show: false },
      itemStyle: { areaColor: COLORS.area, borderColor: COLORS.countyBorder, borderWidth: 0.6 },
      emphasis: { label: { show: false }, itemStyle: { areaColor: COLORS.areaHover } },
      select: { disabled: true },
    },
    series: [mapSeries, borderSeries, highlightSeries, markerSeries],
  };

  if (values) {
    const visualMap: VisualMapComponentOption = {
      type: 'continuous',
      seriesIndex: 0,
      min,
      max: max > min ? max : min + 1,
      text: ['高', '低'],
      calculable: false,
      left: 16,
      bottom: 16,
      itemHeight: 120,
      textStyle: { color: '#4a5a6a' },
      inRange: { color: COLORS.ramp },
    };
    option.visualMap = visualMap;
  }
  return option;
}
