// The overdue-visit rule and the 亮相 checklist (measures.md), at their edges, by hand.
import { describe, expect, it } from 'vitest';
import { completeDay, missingItems, NEVER, overdueIntervals } from '../../backend/src/care/care.logic';

const plan = (plan_id: string, plan_date: string, visit_days: number | null, status = '执行中') => ({ plan_id, plan_date, visit_days, status });
const CHECK = [['公开信', '服务公告'], ['求助途径'], ['招聘渠道'], ['机构目录'], ['政策服务清单']];

describe('overdueIntervals', () => {
  it('counts from the plan date when there is no visit: more than 回访周期 days later', () => {
    // 07-01 + 10 = 07-11 is exactly 10 days: not overdue; 07-12 is.
    expect(overdueIntervals([plan('A', '2022-07-01', 10)], [], 30)).toEqual([['2022-07-12', NEVER]]);
  });
  it('an empty 回访周期 takes the default', () => {
    expect(overdueIntervals([plan('A', '2022-07-01', null)], [], 30)).toEqual([['2022-08-01', NEVER]]);
  });
  it('a visit resets the clock; a visit before the plan date does not count', () => {
    expect(overdueIntervals([plan('A', '2022-07-10', 5)], ['2022-07-01', '2022-07-20', '2022-07-12'], 30)).toEqual([
      ['2022-07-18', '2022-07-20'], // from the 07-12 visit: 07-17 is exactly 5 days
      ['2022-07-26', NEVER],
    ]);
  });
  it('a visit on the day it falls due keeps it on time', () => {
    expect(overdueIntervals([plan('A', '2022-07-01', 5)], ['2022-07-06'], 30)).toEqual([['2022-07-12', NEVER]]);
  });
  it('a finished current plan is never overdue; a later plan takes over from its date', () => {
    expect(overdueIntervals([plan('A', '2022-07-01', 5, '已完成')], [], 30)).toEqual([]);
    expect(overdueIntervals([plan('A', '2022-07-01', 5), plan('B', '2022-07-20', 5, '已完成')], [], 30)).toEqual([['2022-07-07', '2022-07-20']]);
    // The new plan's date counts as its last visit.
    expect(overdueIntervals([plan('A', '2022-07-01', 5), plan('B', '2022-07-20', 30)], [], 30)).toEqual([
      ['2022-07-07', '2022-07-20'],
      ['2022-08-20', NEVER],
    ]);
  });
  it('ties on 制定日期: the greatest 计划编号 is current', () => {
    expect(overdueIntervals([plan('B', '2022-07-01', 5, '已完成'), plan('A', '2022-07-01', 5)], [], 30)).toEqual([]);
    expect(overdueIntervals([plan('B', '2022-07-01', 5), plan('A', '2022-07-01', 5, '已完成')], [], 30)).toEqual([['2022-07-07', NEVER]]);
  });
});

describe('the 亮相 checklist', () => {
  it('is complete on the day the last entry is first carried; either 公开信 or 服务公告 will do', () => {
    const first = new Map([['服务公告', '2022-07-03'], ['公开信', '2022-07-08'], ['求助途径', '2022-07-01'], ['招聘渠道', '2022-07-02'], ['机构目录', '2022-07-05'], ['政策服务清单', '2022-07-04']]);
    expect(completeDay(first, CHECK)).toBe('2022-07-05');
    first.delete('机构目录');
    expect(completeDay(first, CHECK)).toBeNull();
    expect(missingItems(first, CHECK, '2022-07-02')).toEqual(['公开信或服务公告', '机构目录', '政策服务清单']);
  });
});
