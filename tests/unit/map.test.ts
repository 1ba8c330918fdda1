import { describe, expect, it } from 'vitest';
import { buildJilinMap } from '../../backend/src/map/map.builder';
import type { LngLat } from '../../backend/src/map/map.types';
import { COUNTIES, UNITS } from '../../backend/src/regions/regions.data';

const map = buildJilinMap();
const features = map.counties.features;
const byCode = new Map(features.map((f) => [f.id, f]));

function rings(code: string): LngLat[][] {
  const g = byCode.get(code)!.geometry;
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

/** Ray casting: is the point inside any ring of the county? */
function inside(code: string, [x, y]: LngLat): boolean {
  return rings(code).some((ring) => {
    let hit = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
    }
    return hit;
  });
}

describe('buildJilinMap', () => {
  it('has the 60 county polygons, 公主岭 under its current code and unit', () => {
    expect(features).toHaveLength(60);
    expect(new Set(features.map((f) => f.id)).size).toBe(60);
    expect(byCode.has('220381')).toBe(false);
    expect(byCode.get('220184')?.properties).toEqual({ code: '220184', name: '公主岭市', unitCode: '220100', unitName: '长春市' });
  });

  it('makes 梅河口 its own unit', () => {
    expect(byCode.get('220581')?.properties.unitCode).toBe('220581');
    expect(byCode.get('220581')?.properties.unitName).toBe('梅河口市');
  });

  it('labels every feature from the reporting tree', () => {
    for (const f of features) {
      expect(f.properties.code).toBe(f.id);
      const county = COUNTIES.find((c) => c.code === f.id);
      expect(county?.name).toBe(f.properties.name);
      expect(county?.parentCode).toBe(f.properties.unitCode);
    }
  });

  it('marks the 9 development zones and 长白山\'s 3 areas', () => {
    expect(map.markers).toHaveLength(12);
    expect(map.markers.map((m) => m.code).sort()).toEqual(
      ['220171', '220172', '220173', '220174', '220271', '220272', '220273', '220771', '220871', '229901', '229902', '229903'],
    );
    expect(map.markers.filter((m) => m.unitCode === '229900').map((m) => m.name).sort()).toEqual(['池北区', '池南区', '池西区'].sort());
    const keys = new Set(map.markers.map((m) => m.coord.join(',')));
    expect(keys.size).toBe(12);
  });

  it('places each development zone inside its own unit', () => {
    for (const m of map.markers.filter((x) => x.unitCode !== '229900')) {
      const hosts = features.filter((f) => inside(f.id, m.coord)).map((f) => f.properties.unitCode);
      expect(hosts, m.name).toEqual([m.unitCode]);
    }
  });

  it('covers exactly the 72 county-level units of the tree', () => {
    const codes = [...features.map((f) => f.id), ...map.markers.map((m) => m.code)].sort();
    expect(codes).toEqual(COUNTIES.map((c) => c.code).sort());
    expect(codes).toHaveLength(72);
  });

  it('draws an outline for every unit that has polygons, none for 长白山', () => {
    const borders = new Map(map.unitBorders.map((b) => [b.unitCode, b]));
    for (const u of UNITS) {
      if (u.code === '229900') {
        expect(borders.get(u.code)?.lines ?? []).toHaveLength(0);
      } else {
        const lines = borders.get(u.code)?.lines ?? [];
        expect(lines.length, u.name).toBeGreaterThan(0);
        expect(lines.every((l) => l.length >= 2)).toBe(true);
      }
    }
  });

  it('traces 梅河口\'s outline as its polygon\'s ring', () => {
    const outline = map.unitBorders.find((b) => b.unitCode === '220581')!;
    const points = outline.lines.reduce((n, l) => n + l.length - 1, 0);
    expect(points).toBe(rings('220581').reduce((n, r) => n + r.length - 1, 0));
  });

  it('rounds coordinates to 3 decimals and keeps the payload small', () => {
    const json = JSON.stringify(map);
    expect(json).not.toMatch(/\d\.\d{4,}/);
    expect(json.length).toBeLessThan(600_000);
  });

  it('is cached', () => {
    expect(buildJilinMap()).toBe(map);
  });
});
