import { describe, expect, it } from 'vitest';
import { buildTimeline, diffVersions, fieldText, helpStatus } from '../../../frontend/src/workbench/person';
import type { PersonVersion } from '../../../frontend/src/workbench/types';

const v1: PersonVersion = {
  updatedAt: '2022-07-05 09:00:00', countyCode: '220102', receivedDate: '2022-07-01', assignedDate: '2022-07-03', category: '有就业意愿',
  hardship: [], employmentStatus: '未就业', employmentDate: null, school: '吉林大学', major: '软件工程', education: '本科', gender: '男',
  cohort: '2022届', source: '教育部门', graduationYear: 2022, file: 'ledger.csv', row: 12, runId: 1,
};
const v2: PersonVersion = { ...v1, updatedAt: '2022-08-10 10:00:00', hardship: ['脱贫家庭'], employmentStatus: '已就业', employmentDate: '2022-08-09', row: 40, runId: 2 };
const v3: PersonVersion = { ...v2, updatedAt: '2022-08-11 10:00:00', file: 'ledger-2.csv', runId: 3 };

describe('diffVersions', () => {
  const d = diffVersions([v1, v2, v3]);

  it('numbers versions oldest first and lists nothing as changed in the first', () => {
    expect(d.map((x) => x.index)).toEqual([1, 2, 3]);
    expect(d[0]!.changes).toEqual([]);
    expect(d[0]!.unchanged).toBe(false);
  });

  it('says what changed between two versions, in ledger words', () => {
    expect(d[1]!.changes).toEqual([
      { label: '困难类别', from: '—', to: '脱贫家庭' },
      { label: '就业状态', from: '未就业', to: '已就业' },
      { label: '就业日期', from: '—', to: '2022-08-09' },
    ]);
    expect([...d[1]!.changed]).toEqual(['hardship', 'employmentStatus', 'employmentDate']);
  });

  it('marks a re-sent version with the same content (where it came from is not content)', () => {
    expect(d[2]!.unchanged).toBe(true);
  });

  it('shows lists, empties and numbers as text', () => {
    expect(fieldText(v2, 'hardship')).toBe('脱贫家庭');
    expect(fieldText(v1, 'hardship')).toBe('—');
    expect(fieldText(v1, 'graduationYear')).toBe('2022');
  });
});

describe('helpStatus', () => {
  it('counts a first contact exactly 24 hours later as in time', () => {
    expect(helpStatus({ requestId: 'Q1', requestedAt: '2022-09-01 08:00:00', countyCode: '220102', firstContactAt: '2022-09-02 08:00:00' }).tone).toBe('ok');
    expect(helpStatus({ requestId: 'Q1', requestedAt: '2022-09-01 08:00:00', countyCode: '220102', firstContactAt: '2022-09-02 08:01:00' }).tone).toBe('late');
    expect(helpStatus({ requestId: 'Q1', requestedAt: '2022-09-01 08:00:00', countyCode: '220102', firstContactAt: null })).toEqual({ tone: 'open', text: '尚未联系' });
    expect(helpStatus({ requestId: 'Q1', requestedAt: '2022-09-01 08:00:00', countyCode: '220102', firstContactAt: '2022-09-01 08:30:00' }).text).toBe('30 分钟内联系');
  });
});

describe('buildTimeline', () => {
  it('puts services, help requests and record changes on one line, newest first', () => {
    const t = buildTimeline(
      [
        { recordId: 'S1', serviceTime: '2022-07-06 10:00:00', serviceType: '联系', contactMethod: '电话', contactResult: '已联系', countyCode: '220102', staff: '王老师', note: '', versions: 1 },
        { recordId: 'S2', serviceTime: '2022-08-01 10:00:00', serviceType: '职业指导', contactMethod: '', contactResult: '', countyCode: '220102', staff: '', note: '简历指导', versions: 2 },
      ],
      [{ requestId: 'Q1', requestedAt: '2022-07-20 09:00:00', countyCode: '220102', firstContactAt: null }],
      [v1, v2],
    );
    expect(t.map((x) => x.id)).toEqual(['v-2', 's-S2', 'h-Q1', 's-S1', 'v-1']);
    expect(t[0]!.detail).toContain('就业状态：未就业 → 已就业');
    expect(t[1]!.detail).toBe('简历指导 · 已更正 1 次');
    expect(t[2]!.tone).toBe('open');
    expect(t[3]!.detail).toBe('电话 · 已联系 · 服务人员 王老师');
  });
});
