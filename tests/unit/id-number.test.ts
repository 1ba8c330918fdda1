import { describe, expect, it } from 'vitest';
import { checkIdNumber, makeIdNumber } from '../../backend/src/ledger/id-number';

describe('身份证号', () => {
  // 11010519491231002X is the standard's worked example (GB 11643-1999, Annex).
  it('accepts the GB 11643 example and a lower-case x', () => {
    expect(checkIdNumber('11010519491231002X')).toEqual({ ok: true, id: '11010519491231002X' });
    expect(checkIdNumber('11010519491231002x')).toEqual({ ok: true, id: '11010519491231002X' });
  });
  it('rejects a wrong check digit, a bad date and a bad length', () => {
    expect(checkIdNumber('110105194912310021')).toMatchObject({ ok: false, reason: expect.stringContaining('校验位') });
    expect(checkIdNumber('110105194902300023')).toMatchObject({ ok: false, reason: expect.stringContaining('出生日期') });
    expect(checkIdNumber('1101051949123100')).toMatchObject({ ok: false });
  });
  it('makes valid numbers', () => {
    const id = makeIdNumber('220102', '20000229', 17);
    expect(checkIdNumber(id)).toEqual({ ok: true, id });
  });
});
