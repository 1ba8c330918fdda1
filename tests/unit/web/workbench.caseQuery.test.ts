import { describe, expect, it } from 'vitest';
import {
  casesApiUrl, casesExportUrl, DEFAULT_STATE, hasFilters, pageCount, parseCaseQuery, toRouteQuery, withFilter,
} from '../../../frontend/src/workbench/caseQuery';

describe('the case list state in the URL', () => {
  it('reads the defaults from an empty query and writes none back', () => {
    const s = parseCaseQuery({});
    expect(s).toEqual(DEFAULT_STATE);
    expect(toRouteQuery(s)).toEqual({});
    expect(hasFilters(s)).toBe(false);
  });

  it('round-trips every filter, the sort and the page', () => {
    const q = {
      asOf: '2022-09-30', category: '有就业意愿', contacted: 'no', complete1311: 'no', missing: '技能培训', hardship: 'yes', noOneOnOne: '1',
      employment: '未就业', overdue: '1', sort: 'name', order: 'asc', page: '3', size: '50',
    };
    const s = parseCaseQuery(q);
    expect(s).toMatchObject({ contacted: 'no', missing: '技能培训', noOneOnOne: true, overdue: true, sort: 'name', order: 'asc', page: 3, size: 50 });
    expect(toRouteQuery(s)).toEqual(q);
    expect(hasFilters(s)).toBe(true);
  });

  it('drops what the API would refuse', () => {
    const s = parseCaseQuery({ contacted: 'maybe', category: 'x', missing: '面试', sort: 'id', order: 'up', page: '-2', size: '7', asOf: '30/9/2022', noOneOnOne: 'yes' });
    expect(s).toEqual(DEFAULT_STATE);
  });

  it('keeps a missing component of any service type the API takes, so another year\'s 1311 rule works', () => {
    expect(parseCaseQuery({ missing: '创业培训' }).missing).toBe('创业培训');
    expect(parseCaseQuery({ missing: '就业见习' }).missing).toBe('就业见习');
  });

  it('takes the first of repeated parameters', () => {
    expect(parseCaseQuery({ contacted: ['no', 'yes'] }).contacted).toBe('no');
  });
});

describe('API URLs', () => {
  const s = parseCaseQuery({ contacted: 'no', page: '2', size: '20', sort: 'name', order: 'asc' });

  it('asks the list for one page with the filters', () => {
    const u = new URL(casesApiUrl('220102', s), 'http://x');
    expect(u.pathname).toBe('/api/cases');
    expect(Object.fromEntries(u.searchParams)).toEqual({ county: '220102', contacted: 'no', sort: 'name', order: 'asc', limit: '20', offset: '20' });
  });

  it('exports the same filters and order, every page', () => {
    const u = new URL(casesExportUrl('220102', s), 'http://x');
    expect(u.pathname).toBe('/api/cases/export.xlsx');
    expect(Object.fromEntries(u.searchParams)).toEqual({ county: '220102', contacted: 'no', sort: 'name', order: 'asc' });
  });

  it('encodes Chinese values', () => {
    expect(casesApiUrl('220102', parseCaseQuery({ missing: '就业见习' }))).toContain(`missing=${encodeURIComponent('就业见习')}`);
  });
});

describe('paging', () => {
  it('starts again at page 1 when a filter changes', () => {
    const s = parseCaseQuery({ page: '4' });
    expect(withFilter(s, { contacted: 'yes' })).toMatchObject({ contacted: 'yes', page: 1 });
  });

  it('counts pages, at least one', () => {
    expect(pageCount(0, 20)).toBe(1);
    expect(pageCount(20, 20)).toBe(1);
    expect(pageCount(21, 20)).toBe(2);
  });
});
