// The wall's Jilin choropleth: the desk map's option (charts/jilinMap.option)
// re-dressed for the dark wall, coloured by where each county stands against
// the target path (or by size for counts), with the markers coloured the same
// way, and optionally zoomed onto one unit with its counties named.
import type { GeoComponentOption, VisualMapComponentOption } from 'echarts/components';
import type { LinesSeriesOption, MapSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import {
  buildJilinMapOption, HIGHLIGHT_SERIES_ID, MAP_SERIES_ID, MARKER_SERIES_ID, UNIT_BORDER_SERIES_ID,
  type JilinMapOption, type RegionNode,
} from '../../charts/jilinMap.option';
import type { JilinMap, LngLat } from '../../../../backend/src/map/map.types';
import { int, pct, shortName } from './format';
import { COLORS, FONT, FS, STATUS_COLOR, STATUS_LABEL, statusOf, TOOLTIP } from './theme';

export interface ScreenMapInput {
  map: JilinMap;
  regions: readonly RegionNode[];
  /** By county-level code; codes missing are drawn as "no data". */
  values: Readonly<Record<string, number | null>>;
  metricLabel: string;
  /**
   * 'rate': a fraction coloured against `path`; 'gap': percentage points
   * against the path (0 = on path); 'count': sized on a blue ramp.
   */
  kind: 'rate' | 'gap' | 'count';
  path?: number | null;
  /** Zoom onto this unit and name its counties. */
  focusUnit?: string | null;
  /** Outline this unit. */
  highlightUnit?: string | null;
}

const COUNT_RAMP = ['#15345c', '#1d5a93', '#2a86c8', '#47b4ec', '#8fdcff'];

function fmtValue(kind: ScreenMapInput['kind'], v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '暂无数据';
  if (kind === 'rate') return pct(v);
  if (kind === 'gap') return v >= 0 ? '达到目标进度' : `落后 ${(-v * 100).toFixed(1)} 个百分点`;
  return `${int(v)} 人`;
}

/** The colour a value gets (also used for the markers, which the visualMap does not reach). */
export function mapColor(input: Pick<ScreenMapInput, 'kind' | 'path' | 'values'>, v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return COLORS.none;
  if (input.kind === 'count') {
    const nums = Object.values(input.values).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
    const min = Math.min(...nums);
    const max = Math.max(...nums);
    const t = max > min ? (v - min) / (max - min) : 1;
    return COUNT_RAMP[Math.min(COUNT_RAMP.length - 1, Math.floor(t * COUNT_RAMP.length))]!;
  }
  const path = input.kind === 'gap' ? 0 : (input.path ?? 0);
  return STATUS_COLOR[statusOf(v, path)];
}

/** [[west, north], [east, south]] around a unit's polygons and markers, padded. */
export function unitBounds(map: JilinMap, unitCode: string): [LngLat, LngLat] | null {
  const pts: LngLat[] = [];
  for (const f of map.counties.features) {
    if (f.properties.unitCode !== unitCode) continue;
    const rings = f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat();
    for (const r of rings) pts.push(...r);
  }
  for (const m of map.markers) if (m.unitCode === unitCode) pts.push(m.coord);
  if (!pts.length) return null;
  let w = Infinity, e = -Infinity, s = Infinity, n = -Infinity;
  for (const [x, y] of pts) {
    w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y);
  }
  // Markers alone (长白山) span little: keep at least ~1° around them.
  const padX = Math.max((e - w) * 0.08, 0.5 - (e - w) / 2, 0.05);
  const padY = Math.max((n - s) * 0.08, 0.4 - (n - s) / 2, 0.05);
  return [[w - padX, n + padY], [e + padX, s - padY]];
}

type AnySeries = MapSeriesOption | LinesSeriesOption | ScatterSeriesOption;

export function buildScreenMapOption(input: ScreenMapInput): JilinMapOption {
  const { map, regions, values, kind, focusUnit } = input;
  const base = buildJilinMapOption({
    map, regions, values, metricLabel: input.metricLabel, highlightUnit: input.highlightUnit ?? null, highlightCounty: null,
  });
  const names = new Map<string, string>();
  for (const f of map.counties.features) names.set(f.id, f.properties.name);
  for (const m of map.markers) names.set(m.code, m.name);
  const label = (code: string) => shortName(names.get(code) ?? code);
  const inFocus = (unitCode: string) => !focusUnit || unitCode === focusUnit;
  const tip = (code: string) => `<b>${names.get(code) ?? code}</b><br/>${input.metricLabel}：${fmtValue(kind, values[code])}`;

  const list = (Array.isArray(base.series) ? base.series : [base.series]) as AnySeries[];
  const series = list.map((s): AnySeries => {
    const id = String(s.id);
    switch (id) {
      case MAP_SERIES_ID: {
        const m = s as MapSeriesOption;
        return {
          ...m,
          tooltip: { formatter: (p: unknown) => tip((p as { name: string }).name) },
          data: map.counties.features.map((f) => ({
            name: f.id,
            value: inFocus(f.properties.unitCode) ? (values[f.id] ?? Number.NaN) : Number.NaN,
          })),
        };
      }
      case UNIT_BORDER_SERIES_ID:
        return { ...(s as LinesSeriesOption), lineStyle: { color: '#dbe9ff', width: 2.4, opacity: 0.95 } };
      case HIGHLIGHT_SERIES_ID:
        return { ...(s as LinesSeriesOption), lineStyle: { color: COLORS.path, width: 4, opacity: 1 } };
      case MARKER_SERIES_ID: {
        const sc = s as ScatterSeriesOption;
        return {
          ...sc,
          data: map.markers.map((m) => {
            const shown = inFocus(m.unitCode);
            const hl = m.unitCode === input.highlightUnit;
            return {
              name: m.code,
              value: [m.coord[0], m.coord[1]],
              symbol: m.unitCode === '229900' ? 'triangle' : 'diamond',
              symbolSize: focusUnit ? 24 : 16,
              itemStyle: {
                color: shown ? mapColor(input, values[m.code]) : COLORS.none,
                borderColor: hl ? COLORS.path : '#eaf3ff',
                borderWidth: hl ? 3 : 1.5,
                opacity: shown ? 1 : 0.5,
              },
              label: { show: Boolean(focusUnit) && shown },
            };
          }),
          label: {
            show: false,
            position: 'right',
            fontSize: FS.axis,
            fontFamily: FONT,
            color: COLORS.title,
            textBorderColor: '#040b17',
            textBorderWidth: 3,
            formatter: (p: { dataIndex: number }) => label(map.markers[p.dataIndex]?.code ?? ''),
          },
          labelLayout: { hideOverlap: true },
          tooltip: { formatter: (p: unknown) => tip(map.markers[(p as { dataIndex: number }).dataIndex]?.code ?? '') },
        };
      }
      default:
        return s;
    }
  });

  const bounds = focusUnit ? unitBounds(map, focusUnit) : null;
  const geo: GeoComponentOption = {
    ...(base.geo as GeoComponentOption),
    top: 16,
    bottom: 16,
    left: 16,
    right: 16,
    preserveAspect: 'contain',
    ...(bounds ? { boundingCoords: bounds } : {}),
    // Outside the unit in focus: a dim backdrop without names.
    regions: map.counties.features
      .filter((f) => !inFocus(f.properties.unitCode))
      .map((f) => ({ name: f.id, itemStyle: { areaColor: '#0d1d33', borderColor: '#24416a' }, label: { show: false } })),
    itemStyle: { areaColor: COLORS.none, borderColor: '#5b7faa', borderWidth: 0.8 },
    emphasis: { label: { show: false }, itemStyle: { areaColor: '#3a5f8f' } },
    label: {
      show: Boolean(focusUnit),
      color: COLORS.title,
      fontSize: FS.axis,
      fontFamily: FONT,
      textBorderColor: '#040b17',
      textBorderWidth: 3,
      formatter: (p: unknown) => label((p as { name: string }).name),
    },
  };

  let visualMap: VisualMapComponentOption;
  const legendText = { color: COLORS.text, fontSize: FS.axis, fontFamily: FONT };
  // A legend over the map keeps its own backdrop, so it reads over any colour.
  const legendBox = { backgroundColor: 'rgba(4, 11, 23, 0.78)', padding: 10, borderRadius: 4 };
  if (kind === 'count') {
    const nums = Object.values(values).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
    const min = nums.length ? Math.min(...nums) : 0;
    const max = nums.length ? Math.max(...nums) : 1;
    visualMap = {
      type: 'continuous', seriesIndex: 0, min, max: max > min ? max : min + 1, text: ['多', '少'], calculable: false,
      left: 8, bottom: 8, itemWidth: 18, itemHeight: 140, textStyle: legendText, inRange: { color: COUNT_RAMP }, ...legendBox,
    };
  } else {
    const path = kind === 'gap' ? 0 : (input.path ?? 0);
    visualMap = {
      type: 'piecewise',
      seriesIndex: 0,
      left: 8,
      bottom: 8,
      itemWidth: 22,
      itemHeight: 16,
      itemGap: 8,
      textStyle: legendText,
      ...legendBox,
      pieces: [
        { gte: path - 1e-9, label: STATUS_LABEL.good, color: STATUS_COLOR.good },
        { gte: path - 0.05, lt: path - 1e-9, label: STATUS_LABEL.near, color: STATUS_COLOR.near },
        { gte: path - 0.15, lt: path - 0.05, label: STATUS_LABEL.behind, color: STATUS_COLOR.behind },
        { lt: path - 0.15, label: STATUS_LABEL.far, color: STATUS_COLOR.far },
      ],
    };
  }

  return {
    ...base,
    animationDurationUpdate: 500,
    tooltip: { ...TOOLTIP, trigger: 'item' },
    geo,
    visualMap,
    series,
  } as JilinMapOption;
}
