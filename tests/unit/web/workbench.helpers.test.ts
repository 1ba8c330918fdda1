import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../frontend/src/api';
import { clampedToday } from '../../../frontend/src/workbench/context';
import { fileNameFrom } from '../../../frontend/src/workbench/download';
import { errorText, zhMessage } from '../../../frontend/src/workbench/errors';
import { rowKeyAction, isActivation } from '../../../frontend/src/workbench/keyboard';
import { recruitmentGrid } from '../../../frontend/src/workbench/recruitment';
import type { RecruitmentCompliance } from '../../../frontend/src/workbench/types';

describe('rowKeyAction', () => {
  it('moves the focus with the arrows, Home and End, within the rows', () => {
    expect(rowKeyAction('ArrowDown', 0, 3)).toEqual({ type: 'focus', index: 1 });
    expect(rowKeyAction('ArrowDown', 2, 3)).toEqual({ type: 'focus', index: 2 });
    expect(rowKeyAction('ArrowUp', 0, 3)).toEqual({ type: 'focus', index: 0 });
    expect(rowKeyAction('End', 0, 3)).toEqual({ type: 'focus', index: 2 });
    expect(rowKeyAction('Home', 2, 3)).toEqual({ type: 'focus', index: 0 });
  });

  it('opens the row on Enter and ignores other keys and empty tables', () => {
    expect(rowKeyAction('Enter', 1, 3)).toEqual({ type: 'open', index: 1 });
    expect(rowKeyAction('a', 1, 3)).toBeNull();
    expect(rowKeyAction('ArrowDown', 0, 0)).toBeNull();
  });

  it('sorts a header on Enter and Space', () => {
    expect(isActivation({ key: 'Enter' })).toBe(true);
    expect(isActivation({ key: ' ' })).toBe(true);
    expect(isActivation({ key: 'Tab' })).toBe(false);
  });
});

describe('fileNameFrom', () => {
  it('reads the UTF-8 name the server sends', () => {
    const h = `attachment; filename*=UTF-8''${encodeURIComponent('南关区人员名单-2022-09-30.xlsx')}`;
    expect(fileNameFrom(h, 'x.xlsx')).toBe('南关区人员名单-2022-09-30.xlsx');
    expect(fileNameFrom('attachment; filename="a.xlsx"', 'x.xlsx')).toBe('a.xlsx');
    expect(fileNameFrom(null, 'x.xlsx')).toBe('x.xlsx');
  });
});

describe('error messages', () => {
  it('keeps the Chinese half of the server message and names a refusal', () => {
    expect(zhMessage('无权查看地区 220103 / region 220103 is outside your scope')).toBe('无权查看地区 220103');
    expect(errorText(new ApiError('无权查看地区 220103 / region 220103 is outside your scope', 403))).toBe('无权访问：无权查看地区 220103');
    expect(errorText(new ApiError('asOf 日期格式错误 / bad', 400))).toBe('asOf 日期格式错误');
    expect(errorText(new Error('boom'))).toBe('页面出错，请重试');
  });
});

describe('clampedToday', () => {
  it('is the Beijing day, clamped into the campaign', () => {
    expect(clampedToday(new Date('2022-09-30T16:30:00Z'))).toBe('2022-10-01');
    expect(clampedToday(new Date('2025-01-01T00:00:00Z'))).toBe('2022-12-31');
    expect(clampedToday(new Date('2022-01-01T00:00:00Z'))).toBe('2022-07-01');
  });
});

describe('recruitmentGrid', () => {
  const c = (unitCode: string, name: string, missWeek: boolean): RecruitmentCompliance => ({
    unitCode, name, from: '2022-07-01', to: '2022-08-10', judgedAsOf: '2022-08-10',
    weeks: [
      { week: '2022-W26', start: '2022-06-27', end: '2022-07-03', professional: 1, comprehensive: 0, ended: true, missed: false },
      { week: '2022-W27', start: '2022-07-04', end: '2022-07-10', professional: missWeek ? 0 : 2, comprehensive: 1, ended: true, missed: missWeek },
      { week: '2022-W31', start: '2022-08-01', end: '2022-08-07', professional: 1, comprehensive: 0, ended: true, missed: false },
      { week: '2022-W32', start: '2022-08-08', end: '2022-08-14', professional: 0, comprehensive: 0, ended: false, missed: false },
    ],
    months: [
      { month: '2022-07', start: '2022-07-01', end: '2022-07-31', professional: 3, comprehensive: 0, ended: true, missed: true },
      { month: '2022-08', start: '2022-08-01', end: '2022-08-31', professional: 1, comprehensive: 0, ended: false, missed: false },
    ],
    weeksMissed: missWeek ? 1 : 0, monthsMissed: 1,
  });

  it('lays out weeks and months per unit with misses marked', () => {
    const g = recruitmentGrid([c('220100', '长春市', true), c('220200', '吉林市', false)]);
    expect(g.weeks.map((w) => w.label)).toEqual(['6/27', '7/4', '8/1', '8/8']);
    expect(g.weeks.map((w) => w.monthStart)).toEqual([true, true, true, false]);
    expect(g.months.map((m) => m.label)).toEqual(['7月', '8月']);
    expect(g.rows[0]!.weeks.map((x) => x.status)).toEqual(['ok', 'missed', 'ok', 'running']);
    expect(g.rows[1]!.weeks[1]!.status).toBe('ok');
    expect(g.rows[0]!.months.map((x) => x.status)).toEqual(['missed', 'running']);
    expect(g.rows[0]!.weeks[1]!.title).toContain('未达标');
    expect(g.judgedAsOf).toBe('2022-08-10');
  });

  it('is empty without units', () => {
    expect(recruitmentGrid([])).toEqual({ weeks: [], months: [], rows: [], judgedAsOf: '' });
  });
});
