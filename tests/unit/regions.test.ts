import { describe, expect, it } from 'vitest';
import {
  REGIONS, COUNTIES, UNITS, checkCountyCode, checkUnitOrCountyCode, countiesUnder, unitOfCounty, REGION_BY_CODE,
} from '../../backend/src/regions/regions.data';

describe('reporting tree', () => {
  it('has 1 province, 11 units and 72 county-level units', () => {
    expect(REGIONS.filter((r) => r.level === 'province')).toHaveLength(1);
    expect(UNITS).toHaveLength(11);
    expect(COUNTIES).toHaveLength(72);
  });

  it('puts 公主岭 under 长春 and keeps 四平 without it', () => {
    expect(COUNTIES.find((c) => c.code === '220184')?.parentCode).toBe('220100');
    expect(countiesUnder('220300')).not.toContain('220184');
    expect(countiesUnder('220100')).toContain('220184');
  });

  it('makes 梅河口 its own unit and county, outside 通化', () => {
    expect(UNITS.map((u) => u.code)).toContain('220581');
    expect(COUNTIES.find((c) => c.code === '220581')?.parentCode).toBe('220581');
    expect(countiesUnder('220500')).not.toContain('220581');
    expect(countiesUnder('220581')).toEqual(['220581']);
    expect(REGION_BY_CODE.get('220581')?.level).toBe('unit');
  });

  it('puts 长白山 areas under 229900', () => {
    expect(countiesUnder('229900')).toEqual(['229901', '229902', '229903']);
    expect(unitOfCounty('229902')).toBe('229900');
  });

  it('every county belongs to exactly one unit and the units partition the province', () => {
    const fromUnits = UNITS.flatMap((u) => countiesUnder(u.code)).sort();
    expect(fromUnits).toEqual(COUNTIES.map((c) => c.code).sort());
    expect(new Set(fromUnits).size).toBe(72);
  });

  it('accepts 220381 as 220184 with a warning and rejects unknown codes', () => {
    expect(checkCountyCode('220381')).toMatchObject({ ok: true, code: '220184' });
    expect(checkCountyCode('220381')).toHaveProperty('warning');
    expect(checkCountyCode('229999')).toMatchObject({ ok: false });
    expect(checkCountyCode('220100')).toMatchObject({ ok: false });
    expect(checkUnitOrCountyCode('220100')).toMatchObject({ ok: true, code: '220100' });
    expect(checkUnitOrCountyCode('220000')).toMatchObject({ ok: false });
  });
});
