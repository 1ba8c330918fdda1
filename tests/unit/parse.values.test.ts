// Cell values: dates, IDs, region codes, enums, multi-valued cells and the
// cross-field rule, as a clerk sees them (row number + reason).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFile, type Batch, type FileSummary } from '../../backend/src/ingest/parse';
import { makeIdNumber } from '../../backend/src/ledger/id-number';

// 2022-12-01 08:00 in Shanghai: "now + 1 day" is 2022-12-02 08:00:00.
const NOW = new Date('2022-12-01T00:00:00Z');
const ID = makeIdNumber('220102', '19990101', 1);

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'parse-values-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function load(csv: string): Promise<{ batches: Batch[]; summary: FileSummary }> {
  const p = join(dir, `v${++n}.csv`);
  writeFileSync(p, csv);
  const gen = parseFile(p, { now: NOW });
  const batches: Batch[] = [];
  for (;;) {
    const r = await gen.next();
    if (r.done) return { batches, summary: r.value };
    batches.push(r.value);
  }
}

/** One service row per value of 服务时间 (or of another column via `row`). */
const SVC = '记录编号,身份证号,服务时间,服务类型,联系方式,联系结果,县区代码,服务人员,备注';
async function services(rows: string[]) {
  const { batches, summary } = await load(`${SVC}\n${rows.join('\n')}\n`);
  const byRow = new Map<number, { ok: true; record: Record<string, unknown>; warnings: string[] } | { ok: false; reason: string }>();
  for (const b of batches) {
    for (const a of b.accepted) byRow.set(a.row, { ok: true, record: a.record as unknown as Record<string, unknown>, warnings: a.warnings });
    for (const r of b.rejected) byRow.set(r.row, { ok: false, reason: r.reason });
  }
  return { byRow, summary };
}
const at = (time: string, id = ID) => `S1,${id},${time},职业指导,,,220102,,`;

describe('dates and date-times', () => {
  it('accepts every date form, with and without time, and normalises them', async () => {
    const forms: [string, string][] = [
      ['2022-07-05', '2022-07-05 00:00:00'],
      ['2022/7/5', '2022-07-05 00:00:00'],
      ['2022年7月5日', '2022-07-05 00:00:00'],
      ['2022-07-05 08:30', '2022-07-05 08:30:00'],
      ['2022-07-05 08:30:15', '2022-07-05 08:30:15'],
      ['2022-07-05T08:30:15', '2022-07-05 08:30:15'],
      ['2022/7/5 8:05', '2022-07-05 08:05:00'],
      ['2022年7月5日 23:59:59', '2022-07-05 23:59:59'],
      [' 2022-07-05 ', '2022-07-05 00:00:00'],
    ];
    const { byRow } = await services(forms.map(([v]) => at(v)));
    forms.forEach(([, want], i) => expect(byRow.get(i + 2), forms[i]![0]).toMatchObject({ ok: true, record: { service_time: want } }));
  });

  it('rejects dates that do not exist or are not dates', async () => {
    const { byRow } = await services([at('2022-02-30'), at('2022-13-01'), at('2022/2/29'), at('2022-07-05 24:00'), at('07/05/2022'), at('昨天')]);
    expect(byRow.get(2)).toEqual({ ok: false, reason: '日期无效：服务时间 = 2022-02-30' });
    expect(byRow.get(3)).toEqual({ ok: false, reason: '日期无效：服务时间 = 2022-13-01' });
    expect(byRow.get(4)).toEqual({ ok: false, reason: '日期无效：服务时间 = 2022/2/29' });
    expect(byRow.get(5)).toEqual({ ok: false, reason: '日期无效：服务时间 = 2022-07-05 24:00' });
    expect(byRow.get(6)).toMatchObject({ ok: false, reason: expect.stringMatching(/^日期无效：服务时间 = 07\/05\/2022/) });
    expect(byRow.get(7)).toMatchObject({ ok: false, reason: expect.stringMatching(/^日期无效：服务时间 = 昨天/) });
  });

  it('accepts 2020-02-29 (leap year)', async () => {
    const { byRow } = await services([at('2020-02-29')]);
    expect(byRow.get(2)).toMatchObject({ ok: true });
  });

  it('rejects dates later than now + 1 day', async () => {
    const { byRow } = await services([at('2022-12-02 08:00:00'), at('2022-12-02 08:00:01'), at('2023-01-01')]);
    expect(byRow.get(2)).toMatchObject({ ok: true });
    expect(byRow.get(3)).toEqual({ ok: false, reason: '日期晚于当前日期：服务时间 = 2022-12-02 08:00:01' });
    expect(byRow.get(4)).toEqual({ ok: false, reason: '日期晚于当前日期：服务时间 = 2023-01-01' });
  });

  it('checks date columns of the ledger the same way', async () => {
    const head = '身份证号,姓名,毕业年份,人员类别,信息来源,接收日期,下发日期,更新时间';
    const { batches } = await load(`${head}\n${ID},张三,2022,应届毕业生,高校,2022年7月1日,2022-12-03,2022/7/2 9:00\n`);
    expect(batches[0]!.rejected).toMatchObject([{ row: 2, reason: '日期晚于当前日期：下发日期 = 2022-12-03' }]);
    const ok = await load(`${head}\n${ID},张三,2022,应届毕业生,高校,2022年7月1日,2022-07-03 00:00,2022/7/2 9:00\n`);
    expect(ok.batches[0]!.accepted[0]!.record).toMatchObject({ received_date: '2022-07-01', assigned_date: '2022-07-03', updated_at: '2022-07-02 09:00:00' });
  });
});

describe('identity numbers', () => {
  it('accepts a lower-case x and stores it upper-case', async () => {
    let x = '';
    for (let seq = 0; !x; seq++) { const id = makeIdNumber('220102', '19990101', seq); if (id.endsWith('X')) x = id; }
    const { byRow } = await services([at('2022-07-05', x.toLowerCase())]);
    expect(byRow.get(2)).toMatchObject({ ok: true, record: { id_number: x } });
  });

  it('rejects a wrong check digit, a wrong length and an impossible birth date', async () => {
    const wrong = ID.slice(0, 17) + (ID[17] === '1' ? '2' : '1');
    const { byRow } = await services([at('2022-07-05', wrong), at('2022-07-05', ID.slice(0, 15)), at('2022-07-05', makeIdNumber('220102', '19990231', 1))]);
    expect(byRow.get(2)).toEqual({ ok: false, reason: '身份证号校验位错误（invalid ID number）' });
    expect(byRow.get(3)).toEqual({ ok: false, reason: '身份证号格式错误，应为18位（invalid ID number）' });
    expect(byRow.get(4)).toEqual({ ok: false, reason: '身份证号出生日期无效（invalid ID number）' });
  });
});

describe('region codes', () => {
  const withCode = (code: string) => `S1,${ID},2022-07-05,职业指导,,,${code},,`;

  it('rejects an unknown code', async () => {
    const { byRow } = await services([withCode('229999')]);
    expect(byRow.get(2)).toMatchObject({ ok: false, reason: expect.stringContaining('县区代码 229999 不存在') });
  });

  it('maps 公主岭 220381 to 220184 with a warning', async () => {
    const { byRow, summary } = await services([withCode('220381'), withCode('220184')]);
    const r = byRow.get(2);
    expect(r).toMatchObject({ ok: true, record: { county_code: '220184' } });
    expect(r && r.ok && r.warnings).toEqual([expect.stringContaining('220381')]);
    expect(byRow.get(3)).toMatchObject({ ok: true, warnings: [] });
    expect(summary.sheets[0]!.warnings).toBe(1);
  });

  it('accepts a reporting unit as 招聘活动 地区代码 but not as 县区代码', async () => {
    const ev = await load('活动编号,地区代码,活动名称,活动类型,举办形式,举办日期,岗位数,参与人数\nE1,220100,长春市专场,综合性,线下,2022-07-05,120,\nE2,229999,x,综合性,,2022-07-05,,\n');
    expect(ev.batches[0]!.accepted[0]!.record).toEqual({
      event_id: 'E1', region_code: '220100', name: '长春市专场', event_type: '综合性', mode: '线下', event_date: '2022-07-05', jobs: 120, attendees: null,
    });
    expect(ev.batches[0]!.rejected).toMatchObject([{ row: 3, reason: expect.stringContaining('229999 不存在') }]);
    const { byRow } = await services([withCode('220100')]);
    expect(byRow.get(2)).toMatchObject({ ok: false, reason: expect.stringContaining('220100 不存在') });
  });
});

describe('service records', () => {
  it('requires 联系结果 when 服务类型 is 联系', async () => {
    const { byRow } = await services([
      `S1,${ID},2022-07-05,联系,电话,,220102,,`,
      `S2,${ID},2022-07-05,联系,电话,未联系上,220102,,`,
      `S3,${ID},2022-07-05,岗位推介,,,220102,,`,
    ]);
    expect(byRow.get(2)).toEqual({ ok: false, reason: '服务类型为“联系”时必须填写联系结果' });
    expect(byRow.get(3)).toMatchObject({ ok: true, record: { contact_result: '未联系上' } });
    expect(byRow.get(4)).toMatchObject({ ok: true, record: { contact_result: null } });
  });

  it('rejects values outside the enum, listing the allowed ones', async () => {
    const { byRow } = await services([`S1,${ID},2022-07-05,职业指导,微信,,220102,,`]);
    expect(byRow.get(2)).toEqual({ ok: false, reason: '联系方式 的值 “微信” 不在允许范围（允许：走访、电话、数据比对、短信、其他）' });
  });

  it('reports every problem of a row, joined with ；', async () => {
    const { byRow } = await services([`,${ID.slice(0, 17)}0,2022-02-30,联系,,,229999,,`]);
    const r = byRow.get(2);
    expect(r?.ok).toBe(false);
    const reasons = r && !r.ok ? r.reason.split('；') : [];
    expect(reasons).toEqual([
      '缺少必填项 记录编号',
      expect.stringMatching(/^身份证号/),
      '日期无效：服务时间 = 2022-02-30',
      expect.stringContaining('县区代码 229999 不存在'),
      '服务类型为“联系”时必须填写联系结果',
    ]);
  });
});

describe('ledger rows', () => {
  const head = '身份证号,姓名,性别,联系电话,学历,毕业年份,人员类别,信息来源,接收日期,县区代码,帮扶类别,困难类别,就业状态,更新时间';
  const row = (hardship: string, extra: Partial<{ year: string; name: string; gender: string }> = {}) =>
    `${ID.slice(0, 17)}${ID[17]!.toLowerCase()} ,${extra.name ?? ' 张三 '},${extra.gender ?? '男'},13912345678,本科,${extra.year ?? '2022'},应届毕业生,高校,2022-07-01,220102,有就业意愿,${hardship},未就业,2022-07-02 10:00`;

  it('outputs the record exactly, with null for empty optional cells and [] for no hardship', async () => {
    const { batches } = await load(`${head}\n${row('')}\n`);
    expect(batches[0]!.accepted[0]).toEqual({
      kind: 'ledger', row: 2, warnings: [],
      record: {
        id_number: ID, name: '张三', gender: '男', phone: '13912345678', school: null, major: null, education: '本科',
        graduation_year: 2022, cohort: '应届毕业生', source: '高校', received_date: '2022-07-01', county_code: '220102',
        assigned_date: null, category: '有就业意愿', hardship: [], employment_status: '未就业', employment_date: null,
        updated_at: '2022-07-02 10:00:00',
      },
    });
  });

  it('splits 困难类别 on ; ； 、 and , — de-duplicated, in schema order', async () => {
    const cells = ['残疾;脱贫家庭', '残疾；零就业家庭', '特殊困难、残疾、特殊困难', '"零就业家庭,脱贫家庭"', '脱贫家庭'];
    const { batches } = await load(`${head}\n${cells.map((c) => row(c)).join('\n')}\n`);
    expect(batches[0]!.rejected).toEqual([]);
    expect(batches[0]!.accepted.map((a) => (a.record as { hardship: string[] }).hardship)).toEqual([
      ['脱贫家庭', '残疾'], ['零就业家庭', '残疾'], ['残疾', '特殊困难'], ['脱贫家庭', '零就业家庭'], ['脱贫家庭'],
    ]);
  });

  it('rejects an unknown 困难类别 value, a bad year, a missing name and a bad gender', async () => {
    const { batches } = await load(`${head}\n${row('残疾;低保')}\n${row('', { year: '1989' })}\n${row('', { year: '二〇二二' })}\n${row('', { name: '', gender: 'M' })}\n`);
    expect(batches[0]!.rejected.map((r) => [r.row, r.reason])).toEqual([
      [2, '困难类别 的值 “低保” 不在允许范围（允许：脱贫家庭、零就业家庭、残疾、特殊困难）'],
      [3, '毕业年份 应在 1990–2100 之间：1989'],
      [4, '毕业年份 应为不小于 0 的整数：二〇二二'],
      [5, '缺少必填项 姓名；性别 的值 “M” 不在允许范围（允许：男、女）'],
    ]);
  });
});

describe('help requests', () => {
  it('reads a help request, first contact optional', async () => {
    const { batches } = await load(`求助编号,身份证号,姓名,求助时间,县区代码,首次联系时间\nQ1,${ID},,2022/7/5 9:15,220381,\n`);
    expect(batches[0]!.accepted[0]).toEqual({
      kind: 'help', row: 2, warnings: [expect.stringContaining('220184')],
      record: { request_id: 'Q1', id_number: ID, name: null, requested_at: '2022-07-05 09:15:00', county_code: '220184', first_contact_at: null },
    });
  });
});
