// Bulk account import, pure: row checks (roles in Chinese and English, the
// region a role needs, duplicates regardless of case, phones) and password masking.
import { describe, expect, it } from 'vitest';
import { maskPassword, normalisePhone, phoneKind, validateRows, type RawImportRow } from '../../backend/src/auth/users.import';

const row = (n: number, cells: RawImportRow['cells']): RawImportRow => ({ row: n, cells });

describe('users import rows', () => {
  it('accepts the roles in Chinese or English and scopes them', () => {
    const r = validateRows([
      row(2, { username: 'a-prov', role: '省级用户', region: '' }),
      row(3, { username: 'b.unit', role: 'UNIT', region: '220100' }),
      row(4, { username: 'mhk_unit', role: '市州', region: '220581' }),
      row(5, { username: 'mhk_county', role: '县区', region: '220581' }),
      row(6, { username: 'root2', role: '管理员', region: '220000' }),
    ], new Set());
    expect(r.map((x) => [x.role, x.region, x.errors])).toEqual([
      ['province', '220000', []], ['unit', '220100', []], ['unit', '220581', []], ['county', '220581', []], ['admin', '220000', []],
    ]);
  });

  it('says what is wrong with a bad row, in words a clerk can act on', () => {
    const r = validateRows([
      row(2, { username: 'Zhang', role: '县级', region: '220102' }),
      row(3, { username: 'zhang', role: '县级', region: '220103' }),
      row(4, { username: 'x', role: '县级', region: '220104' }),
      row(5, { username: 'prov2', role: '省级', region: '220100' }),
      row(6, { username: 'unit2', role: '市级', region: '220102' }),
      row(7, { username: 'cty2', role: '县级', region: '' }),
      row(8, { username: 'cty3', role: '县级', region: '22010' }),
      row(9, { username: 'Existing', role: '县级', region: '220105' }),
      row(10, { username: 'longname', role: '县级', region: '220106', displayName: '名'.repeat(51) }),
    ], new Set(['existing']));
    const e = (n: number) => r.find((x) => x.row === n)!.errors.join('；');
    expect(e(2)).toBe('');
    expect(e(3)).toContain('与第 2 行重复');
    expect(e(4)).toContain('3-32位');
    expect(e(5)).toContain('应为 220000');
    expect(e(6)).toContain('不是市级单位');
    expect(e(7)).toContain('须填写地区代码');
    expect(e(8)).toContain('6位数字');
    expect(e(9)).toContain('已存在');
    expect(e(10)).toContain('50个字');
  });

  it('phones: mobiles and landlines, +86 and spaces dropped; a bad one is shown masked', () => {
    expect(normalisePhone('+86 138 0000 1234')).toBe('13800001234');
    expect(phoneKind('13800001234')).toBe('mobile');
    expect(phoneKind('0431-88691597')).toBe('phone');
    expect(phoneKind('043188691597')).toBe('phone');
    expect(phoneKind('12345678901')).toBeNull();
    const [bad] = validateRows([row(2, { username: 'cty9', role: '县级', region: '220102', phone: '1380000' })], new Set());
    expect(bad!.errors.join()).toContain('138****');
    expect(bad!.errors.join()).not.toContain('1380000');
    expect(maskPassword('Abcdefghijkmnp2a')).toBe('Ab**************');
  });
});
