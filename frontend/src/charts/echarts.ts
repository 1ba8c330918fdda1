// ECharts, registered once for the whole app: only the modules we draw with,
// so the bundle stays small (echarts/core instead of the full build).
import * as echarts from 'echarts/core';
import {
  BarChart, EffectScatterChart, FunnelChart, GaugeChart, LineChart, LinesChart, MapChart, PieChart, ScatterChart,
} from 'echarts/charts';
import {
  DataZoomComponent, GeoComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { JilinMap } from '../../../backend/src/map/map.types';

echarts.use([
  MapChart, ScatterChart, EffectScatterChart, LinesChart, BarChart, LineChart, FunnelChart, GaugeChart, PieChart,
  GeoComponent, TooltipComponent, GridComponent, LegendComponent, VisualMapComponent, TitleComponent, DataZoomComponent,
  MarkLineComponent, CanvasRenderer,
]);

declare global {
  interface Window {
    /** The ECharts namespace, for e2e tests (`__echarts__.getInstanceByDom(el)`). */
    __echarts__?: typeof echarts;
  }
}
window.__echarts__ = echarts;

export const FONT_FAMILY = "'Noto Sans SC', sans-serif";

/** The app's one chart theme (provided through vue-echarts' THEME_KEY in App.vue). */
export const THEME_NAME = 'desk';
echarts.registerTheme(THEME_NAME, {
  // Canvas text does not inherit CSS: name the bundled font, or CJK glyphs fall back to the host's (none here).
  textStyle: { fontFamily: FONT_FAMILY },
  tooltip: { textStyle: { fontFamily: FONT_FAMILY } },
  color: ['#2a6db5', '#e8590c', '#23926b', '#8e5bb8', '#c9a227', '#d64545', '#3aa6b9', '#6b7a8c'],
});

/** The wall screen's dark theme (provided by ScreenPage): transparent on its dark panels, the bundled font. */
export const SCREEN_THEME_NAME = 'screen';
echarts.registerTheme(SCREEN_THEME_NAME, {
  backgroundColor: 'transparent',
  textStyle: { fontFamily: FONT_FAMILY, color: '#e6eef9' },
  tooltip: { textStyle: { fontFamily: FONT_FAMILY } },
  color: ['#3cc8ff', '#ffc53d', '#33d68f', '#c79bff', '#ff7eb0', '#ff8a3d'],
});

/**
 * Resolves once the bundled font is loaded: a canvas draws with whatever font
 * is ready at that moment and never redraws when the web font arrives.
 */
export async function fontsReady(): Promise<void> {
  if (typeof document === 'undefined' || !('fonts' in document)) return;
  try {
    await Promise.all([
      document.fonts.load(`400 14px ${FONT_FAMILY}`, '吉林省长春市'),
      document.fonts.load(`700 14px ${FONT_FAMILY}`, '吉林省长春市'),
    ]);
  } catch {
    // A missing font is cosmetic; draw anyway.
  }
}

export const JILIN_MAP_NAME = 'jilin';

/** Registers the county map under 'jilin' (first call wins: the map is the same for the whole session). */
export function registerJilinMap(map: JilinMap): void {
  if (echarts.getMap(JILIN_MAP_NAME)) return;
  // Our FeatureCollection is plain GeoJSON; ECharts' own GeoJSON type is narrower about `id`.
  echarts.registerMap(JILIN_MAP_NAME, map.counties as unknown as Parameters<typeof echarts.registerMap>[1]);
}

export { echarts };
