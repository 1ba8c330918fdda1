import { describe, expect, it } from 'vitest';
import { REGIONS } from '../../../backend/src/regions/regions.data';
import { isCountyLevel, pathTo, regionCrumbs, regionIndex } from '../../../frontend/src/workbench/regions';

const regions = REGIONS.map((r) => ({ ...r }));
const all = () => true;

describe('breadcrumbs', () => {
  it('walks from the province down to a county', () => {
    expect(pathTo(regions, '220102').map((r) => r.name)).toEqual(['吉林省', '长春市', '南关区']);
  });

  it('links every region above the page, the page itself is text', () => {
    expect(regionCrumbs(regions, '220102', all)).toEqual([
      { label: '吉林省', to: '/r/220000' },
      { label: '长春市', to: '/r/220100' },
      { label: '南关区' },
    ]);
  });

  it('links the last region when more follows, and keeps the day', () => {
    const c = regionCrumbs(regions, '220102', all, [{ label: '人员名单', to: '/r/220102/cases' }, { label: '张*明' }], '?asOf=2022-09-30');
    expect(c.map((x) => x.label)).toEqual(['吉林省', '长春市', '南关区', '人员名单', '张*明']);
    expect(c[2]).toEqual({ label: '南关区', to: '/r/220102?asOf=2022-09-30' });
  });

  it('shows regions the user may not open as plain text', () => {
    const county = (code: string) => code === '220102';
    expect(regionCrumbs(regions, '220102', county, [{ label: '人员名单' }])).toEqual([
      { label: '吉林省' },
      { label: '长春市' },
      { label: '南关区', to: '/r/220102' },
      { label: '人员名单' },
    ]);
  });

  it('treats 梅河口市 as a unit (its own county once) and 长白山 areas under 长白山管委会', () => {
    expect(regionIndex(regions).get('220581')?.level).toBe('unit');
    expect(pathTo(regions, '220581').map((r) => r.code)).toEqual(['220000', '220581']);
    expect(isCountyLevel(regions, '220581')).toBe(true);
    expect(isCountyLevel(regions, '220100')).toBe(false);
    expect(pathTo(regions, '229901').map((r) => r.name)).toEqual(['吉林省', '长白山管委会', '池北区']);
  });
});
