// The wall's look in one place: a dark, high-contrast theme for LED walls,
// sized for a 1920×1080 design canvas read from five metres.

export const DESIGN_WIDTH = 1920;
export const DESIGN_HEIGHT = 1080;

export const FONT = "'Noto Sans SC', sans-serif";

export const COLORS = {
  bg: '#040b17',
  panel: '#0a1930',
  panelEdge: '#1f4270',
  title: '#f2f8ff',
  text: '#e6eef9',
  /** Secondary text: still bright (≥ 7:1 on the panel), never thin grey. */
  soft: '#b4c8e2',
  grid: '#25456f',
  accent: '#3cc8ff',
  path: '#ffd84d',
  good: '#33d68f',
  near: '#ffc53d',
  behind: '#ff8a3d',
  far: '#ff4d5e',
  none: '#2b4366',
  series: ['#3cc8ff', '#ffc53d', '#33d68f', '#c79bff', '#ff7eb0'],
} as const;

/** Font sizes in design pixels. */
export const FS = {
  axis: 18,
  label: 20,
  legend: 20,
  value: 22,
} as const;

export type Status = 'good' | 'near' | 'behind' | 'far' | 'none';

/** Where a rate stands against its target path: met, within 5 points, 5–15 points behind, further. */
export function statusOf(value: number | null | undefined, path: number): Status {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'none';
  const behind = path - value;
  if (behind <= 1e-9) return 'good';
  if (behind <= 0.05) return 'near';
  if (behind <= 0.15) return 'behind';
  return 'far';
}

export const STATUS_COLOR: Record<Status, string> = {
  good: COLORS.good,
  near: COLORS.near,
  behind: COLORS.behind,
  far: COLORS.far,
  none: COLORS.none,
};

export const STATUS_LABEL: Record<Exclude<Status, 'none'>, string> = {
  good: '达到目标进度',
  near: '落后5个百分点以内',
  behind: '落后5–15个百分点',
  far: '落后15个百分点以上',
};

/** The shared look of a chart's tooltip on the wall. */
export const TOOLTIP = {
  backgroundColor: 'rgba(6, 18, 38, 0.96)',
  borderColor: COLORS.panelEdge,
  textStyle: { color: COLORS.text, fontSize: FS.label, fontFamily: FONT },
  confine: true,
} as const;
