// Kinds 9–12 and kind 4's additions (../shared/spec/measures.md): ingest from
// CSV and one XLSX workbook, every reject reason, ID numbers protected, and
// every care metric key at the spec's edges. Every expectation is worked out
// by hand from the fixture below (reasoning beside it); the single-day answer
// and the refresh's snapshots must both give it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server';
import { cliMetrics, getJson, ingest, ledgerCsv, pid, serviceCsv, writeCsv, type IngestSummary, type LedgerRow, type ServiceRow } from '../helpers/ledger-fixtures';
import { CLICKHOUSE, type ClickHouseHandle } from '../../backend/src/clickhouse/clickhouse.provider';
import { MetricsService } from '../../backend/src/metrics/metrics.service';
import { CASE_TYPES, EVENT_CAMPAIGNS, STORY_TYPES } from '../../backend/src/care/care.schema';
import { AlertsService } from '../../backend/src/alerts/alerts.service';
import { endOfDay, parseShanghai, type RuleKey } from '../../backend/src/alerts/alerts.rules';
import { PII_CODEC } from '../../backend/src/security/pii.provider';
import type { PiiCodec } from '../../backend/src/security/pii';
import { ReportsService } from '../../backend/src/reports/reports.service';
import { readXlsx } from './reports.fixture';

const H = (n: number) => pid(100 + n);
const hs = { hardship: '脱贫家庭', received: '2022-07-01', updated: '2022-07-01 08:00:00', status: '未就业' };

const ledger: LedgerRow[] = [
  { id: H(1), county: '220102', ...hs },
  { id: H(2), county: '220102', ...hs },
  // H3 is employed from 08-20 (a version stamped that day).
  { id: H(3), county: '220102', ...hs },
  { id: H(3), county: '220102', ...hs, status: '已就业', updated: '2022-08-20 10:00:00' },
  { id: H(4), county: '220203', ...hs },
  // H5 has a plan but no 困难类别: never counted.
  { id: H(5), county: '220102', received: '2022-07-01', updated: '2022-07-01 08:00:00' },
  // H6 moves from 南关区 (长春) to 昌邑区 (吉林) on 08-10.
  { id: H(6), county: '220102', ...hs },
  { id: H(6), county: '220202', ...hs, updated: '2022-08-10 09:00:00' },
];

const services: ServiceRow[] = [
  { rid: 'V1', id: H(1), time: '2022-07-15 10:00', type: '跟踪回访', county: '220102' },
  { rid: 'V4', id: H(4), time: '2022-07-20 10:00', type: '跟踪回访', county: '220203' },
  { rid: 'V6', id: H(6), time: '2022-07-21 23:59:59', type: '跟踪回访', county: '220102' },
  // Another type is no return visit.
  { rid: 'X2', id: H(2), time: '2022-07-20 10:00', type: '一对一帮扶', county: '220102' },
];

const PLAN_HEAD = ['计划编号', '身份证号', '服务专员', '制定日期', '帮扶措施', '回访周期', '计划状态'];

describe('help plans, rights cases, 亮相, 典型 and 10+N: ingest and metrics', () => {
  let server: TestServer;
  let ch: ClickHouseHandle;
  let first: IngestSummary;
  let second: IngestSummary;
  let cli: Record<string, unknown>;
  const rejects: Array<{ kind: string; reason: string; sheet: string }> = [];

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'care-files-'));
    const dataDir = tempDataDir('care-data-');
    const plans1 = writeCsv(dir, 'plans1.csv', PLAN_HEAD, [
      // PL1 first with a 60-day cadence: replaced by the later file's 10 days.
      ['PL1', H(1), '王专员', '2022-07-05', '岗位推介;技能培训', 60, ''],
      ['PL3', H(3), '李专员', '2022-07-01', '岗位推介', 5, '执行中'],
      // A tie on 制定日期: the greatest 计划编号 (PL2-B, 已完成) is current, so H2 is never overdue.
      ['PL2-A', H(2), '王专员', '2022-07-10', '', '', ''],
      ['PL2-B', H(2), '王专员', '2022-07-10', '心理疏导、其他', 30, '已完成'],
      ['PL5', H(5), '王专员', '2022-07-02', '', '', ''],
      ['PL6', H(6), '赵专员', '2022-07-01', '就业见习', 20, ''],
      // rejects
      ['PLX1', H(1), '王专员', '2022-07-05', '', 0, ''],
      ['PLX2', H(1), '王专员', '2022-07-05', '', 91, ''],
      ['PLX3', H(1), '王专员', '2022-07-05', '', '', '暂停'],
      ['PLX4', H(1), '', '2022-07-05', '', '', ''],
      ['PLX5', '220102200001010000', '王专员', '2022-07-05', '', '', ''],
      ['PLX6', H(1), '王专员', '2022-07-05', '岗位推介;谈心', '', ''],
    ]);
    const plans2 = writeCsv(dir, 'plans2.csv', PLAN_HEAD, [['PL1', H(1), '王专员', '2022-07-05', '岗位推介;技能培训', 10, '执行中']]);
    const events = writeCsv(dir, 'events.csv', ['活动编号', '地区代码', '活动名称', '活动类型', '举办形式', '举办日期', '专项活动'], [
      ['E1', '220100', '直播带岗专场', '专业性', '直播带岗', '2022-07-05', '百日千万网络招聘'],
      ['E2', '220102', '综合招聘会', '综合性', '线下', '2022-07-06', ''],
      ['E3', '220200', '金秋专场', '专业性', '线上', '2022-07-07', '金秋招聘月'],
      ['EX4', '220200', '某活动', '专业性', '线上', '2022-07-07', '十大活动'],
    ]);
    const wb = new ExcelJS.Workbook();
    const sheet = (name: string, rows: unknown[][]) => wb.addWorksheet(name).addRows(rows);
    sheet('权益案件', [
      ['案件编号', '地区代码', '案件类型', '涉事单位', '单位性质', '受理日期', '处置方式', '纠正期限', '办结日期', '涉及毕业生人数'],
      ['R1', '220102', '黑职介', '某中介', '人力资源服务机构', '2022-07-05', '约谈', '2022-07-20', '2022-07-31', 2],
      // A unit's own case: counts at 长春 and the province, in no county; its deadline lies ahead of the load (allowed).
      ['R2', '220100', '虚假招聘', '', '', '2022-07-10', '限期纠正', '2022-07-25', '', ''],
      ['R3', '220203', '性别歧视', '', '民营企业', '2022-07-15', '查处', '', '2022-07-20', 3],
      // The legacy 公主岭 code: accepted as 220184 (长春) with a warning.
      ['R4', '220381', '售卖简历', '', '', '2022-07-01', '', '', '', ''],
      ['RX5', '220102', '黑职介', '', '', '2022-07-05', '约谈', '', '', ''],
      ['RX6', '220102', '黑职介', '', '', '2022-07-05', '', '', '2022-07-04', ''],
      ['RX7', '999999', '黑职介', '', '', '2022-07-05', '', '', '', ''],
      ['RX8', '220102', '电信诈骗', '', '', '2022-07-05', '', '', '', ''],
      ['RX9', '220102', '黑职介', '', '', '2022-07-05', '', '', '', -1],
    ]);
    sheet('亮相发布', [
      ['发布编号', '地区代码', '发布日期', '发布内容', '发布渠道', '链接'],
      // 长春: complete on 07-11 (late), its 机构目录 published by its county 南关区.
      ['P1', '220100', '2022-07-05', '公开信;求助途径;招聘渠道', '门户网站', 'https://example.cn/1'],
      ['P2', '220102', '2022-07-10', '机构目录', '微信公众号', ''],
      ['P3', '220100', '2022-07-11', '政策服务清单', '门户网站', ''],
      // 吉林: all in one release on 07-10 (on time).
      ['Q1', '220200', '2022-07-10', '服务公告；求助途径；招聘渠道；机构目录；政策服务清单', '', ''],
      // 梅河口: short of 政策服务清单, never complete.
      ['M1', '220581', '2022-07-03', '公开信、求助途径、招聘渠道、机构目录', '', ''],
      ['PX1', '220100', '2022-07-05', '', '', ''],
      ['PX2', '220100', '2022-07-05', '招聘会', '', ''],
    ]);
    sheet('典型宣传', [
      ['宣传编号', '地区代码', '身份证号', '典型类别', '宣传形式', '发布日期'],
      ['S1', '220102', H(1), '创业创新', '短视频;新闻报道', '2022-07-20'],
      ['S2', '220100', '', '生产一线', '自媒体', '2022-08-01'],
      ['SX3', '220100', '', '网红', '自媒体', '2022-08-01'],
      ['SX4', '220100', '', '生产一线', '', '2022-08-01'],
    ]);
    const xlsx = path.join(dir, 'care.xlsx');
    await wb.xlsx.writeFile(xlsx);
    first = await ingest(dataDir, [ledgerCsv(dir, 'ledger.csv', ledger), serviceCsv(dir, 'services.csv', services), plans1, events, xlsx]);
    second = await ingest(dataDir, [plans2]);
    cli = await cliMetrics(dataDir, '220100', '2022-07-26');
    server = await startTestServer({ dataDir });
    ch = server.app.get<ClickHouseHandle>(CLICKHOUSE);
    const rs = await ch.client.query({ query: 'SELECT kind, reason, sheet FROM ingest_rejects ORDER BY run_id, sheet, row', format: 'JSONEachRow' });
    rejects.push(...(await rs.json<{ kind: string; reason: string; sheet: string }>()));
  }, 240_000);

  afterAll(async () => {
    await server?.close();
  });

  async function m(code: string, day: string): Promise<Record<string, unknown>> {
    const r = await getJson(server.fetch, `/api/metrics/${code}?asOf=${day}`);
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
    return r.body;
  }

  it('loads every kind, the workbook in one go, and keeps each bad row with a reason a clerk can act on', () => {
    // accepted: ledger 8, services 4, plans 6, events 3, cases 4, publications 5, stories 2.
    expect(first).toMatchObject({ accepted: 8 + 4 + 6 + 3 + 4 + 5 + 2, rejected: 6 + 1 + 5 + 2 + 2 });
    expect(second).toMatchObject({ accepted: 1, rejected: 0 });
    const reasons = rejects.map((r) => r.reason);
    for (const want of [
      '回访周期 应在 1–90 之间：0', '回访周期 应在 1–90 之间：91', '计划状态 的值 “暂停” 不在允许范围', '缺少必填项 服务专员', '帮扶措施 的值 “谈心” 不在允许范围',
      '专项活动 的值 “十大活动” 不在允许范围',
      '处置方式为“约谈”时必须填写纠正期限', '办结日期 2022-07-04 早于受理日期 2022-07-05', '案件类型 的值 “电信诈骗” 不在允许范围', '涉及毕业生人数 应为不小于 0 的整数：-1',
      '缺少必填项 发布内容', '发布内容 的值 “招聘会” 不在允许范围', '典型类别 的值 “网红” 不在允许范围', '缺少必填项 宣传形式',
    ]) expect(reasons.some((r) => r.includes(want)), want).toBe(true);
    expect(reasons.filter((r) => /身份证号|ID/.test(r))).toHaveLength(1);
    expect(reasons.some((r) => r.includes('999999') || /地区代码|region/.test(r))).toBe(true);
    expect(new Set(rejects.filter((r) => r.sheet).map((r) => r.sheet))).toEqual(new Set(['权益案件', '亮相发布', '典型宣传']));
  });

  it('keeps ID numbers as the ledger does: a key, a mask and ciphertext, never the number', async () => {
    const rs = await ch.client.query({
      query: `SELECT id_masked, id_enc FROM plan_raw UNION ALL SELECT id_masked, id_enc FROM story_raw WHERE person_key IS NOT NULL`,
      format: 'JSONEachRow',
    });
    const rows = await rs.json<{ id_masked: string; id_enc: string }>();
    expect(rows.length).toBe(8);
    for (const r of rows) {
      expect(r.id_masked).toMatch(/^220102\*{8}\d{3}[\dX]$/);
      expect(r.id_enc).not.toContain('220102200');
    }
    const all = await ch.client.query({ query: `SELECT count() AS n FROM plan_raw WHERE position(toString(tuple(*)), {id:String}) > 0`, query_params: { id: H(1) }, format: 'JSONEachRow' });
    expect(Number((await all.json<{ n: string }>())[0]!.n)).toBe(0);
    // The legacy code was stored as 220184 with a warning.
    const w = await ch.client.query({ query: `SELECT region_code FROM rights_raw WHERE case_id = 'R4'`, format: 'JSONEachRow' });
    expect(await w.json()).toEqual([{ region_code: '220184' }]);
    const warn = await ch.client.query({ query: `SELECT count() AS n FROM ingest_warnings WHERE kind = 'rights'`, format: 'JSONEachRow' });
    expect(Number((await warn.json<{ n: string }>())[0]!.n)).toBe(1);
  });

  it('plans and return visits follow the person; the overdue rule at its edges', async () => {
    // 07-04: plans dated ≤ D are PL3 and PL6 (07-01) → 2 at 南关区. PL5's H5 is no hardship person.
    expect(await m('220102', '2022-07-04')).toMatchObject({ hardship: 4, hardshipWithPlan: 2, hardshipPlanRate: 0.5, hardshipVisited: 0 });
    // 07-25: H1's last visit 07-15 is exactly 10 days back (cadence 10 from the later file, not 60): not overdue.
    // H3 (5 days, no visit since 07-01) is overdue from 07-07. H6: visit 07-21, 20 days → not yet. H2: PL2-B 已完成.
    expect(await m('220102', '2022-07-25')).toMatchObject({ hardshipWithPlan: 4, hardshipPlanRate: 1, hardshipVisited: 2, hardshipVisitOverdue: 1 });
    // 07-26: one more day, H1 is overdue too.
    expect(await m('220102', '2022-07-26')).toMatchObject({ hardshipVisitOverdue: 2 });
    // 08-11: H6 moved to 昌邑区 on 08-10, overdue from 08-11 (07-21 + 20 < 08-11) → counted in 吉林, not 长春.
    // Were the tie resolved to PL2-A (30 days from 07-10), H2 would be overdue from 08-10 too.
    expect(await m('220102', '2022-08-11')).toMatchObject({ hardship: 3, hardshipWithPlan: 3, hardshipVisited: 1, hardshipVisitOverdue: 2 });
    expect(await m('220202', '2022-08-11')).toMatchObject({ hardship: 1, hardshipWithPlan: 1, hardshipVisited: 1, hardshipVisitOverdue: 1 });
    // H4 has a visit but no plan: visited, never overdue.
    expect(await m('220203', '2022-08-11')).toMatchObject({ hardship: 1, hardshipWithPlan: 0, hardshipPlanRate: 0, hardshipVisited: 1, hardshipVisitOverdue: 0 });
    expect(await m('220000', '2022-08-11')).toMatchObject({ hardshipWithPlan: 4, hardshipVisited: 3, hardshipVisitOverdue: 3 });
    // 08-20: H3 is employed → no longer overdue.
    expect(await m('220000', '2022-08-20')).toMatchObject({ hardshipVisitOverdue: 2 });
    // Nobody in 辽源: the rate is null.
    expect(await m('220400', '2022-08-20')).toMatchObject({ hardshipWithPlan: 0, hardshipPlanRate: null, hardshipVisitOverdue: 0 });
  });

  it('rights cases: open until closed, overdue the day after the deadline; a unit case counts in no county', async () => {
    const zeroTypes = Object.fromEntries(CASE_TYPES.map((t) => [t, 0]));
    // 长春 07-25: R1 (南关区), R2 (长春 itself), R4 (公主岭) received; all open; R1 overdue (deadline 07-20), R2's deadline is D: not yet.
    expect(await m('220100', '2022-07-25')).toMatchObject({ rightsCases: 3, rightsOpen: 3, rightsOverdue: 1, rightsGraduates: 2 });
    expect(await m('220100', '2022-07-26')).toMatchObject({ rightsOpen: 3, rightsOverdue: 2 });
    // 07-30: R1 still open (closed 07-31); 07-31: R1 closed on D → not open.
    expect(await m('220100', '2022-07-30')).toMatchObject({ rightsOpen: 3, rightsOverdue: 2 });
    expect(await m('220100', '2022-07-31')).toMatchObject({ rightsOpen: 2, rightsOverdue: 1 });
    expect(await m('220102', '2022-07-31')).toMatchObject({ rightsCases: 1, rightsOpen: 0, rightsOverdue: 0, rightsByType: { ...zeroTypes, 黑职介: 1 } });
    expect(await m('220184', '2022-07-31')).toMatchObject({ rightsCases: 1, rightsOpen: 1, rightsByType: { ...zeroTypes, 售卖简历: 1 } });
    expect(await m('220000', '2022-07-31')).toMatchObject({
      rightsCases: 4, rightsOpen: 2, rightsOverdue: 1, rightsGraduates: 5,
      rightsByType: { ...zeroTypes, 黑职介: 1, 虚假招聘: 1, 性别歧视: 1, 售卖简历: 1 },
    });
    // Before 07-01 nothing: R4 opened 07-01.
    expect(await m('220000', '2022-07-01')).toMatchObject({ rightsCases: 1, rightsOpen: 1 });
  });

  it('the 亮相 checklist per reporting unit: completed by a county, 07-10 on time, 07-11 late, null at counties but 梅河口', async () => {
    expect(await m('220200', '2022-07-10')).toMatchObject({ publicityComplete: 1, publicityOnTime: 1 });
    expect(await m('220100', '2022-07-10')).toMatchObject({ publicityComplete: 0, publicityOnTime: 0 });
    expect(await m('220100', '2022-07-11')).toMatchObject({ publicityComplete: 1, publicityOnTime: 0 });
    expect(await m('220000', '2022-07-10')).toMatchObject({ publicityComplete: 1, publicityOnTime: 1 });
    expect(await m('220000', '2022-07-11')).toMatchObject({ publicityComplete: 2, publicityOnTime: 1 });
    expect(await m('220102', '2022-07-11')).toMatchObject({ publicityComplete: null, publicityOnTime: null });
    expect(await m('220581', '2022-07-31')).toMatchObject({ publicityComplete: 0, publicityOnTime: 0 });
    const body = await m('220500', '2022-07-31');
    const meihekou = (body.children as Array<Record<string, unknown>>).find((c) => c.region === '220581');
    expect(meihekou).toBeUndefined(); // 梅河口 is no child of 通化
  });

  it('典型 stories and 10+N events by 专项活动 (empty = 其他), every enum value a key', async () => {
    const zeroCamp = Object.fromEntries(EVENT_CAMPAIGNS.map((t) => [t, 0]));
    const zeroStory = Object.fromEntries(STORY_TYPES.map((t) => [t, 0]));
    expect(await m('220100', '2022-07-31')).toMatchObject({ stories: 1, storiesByType: { ...zeroStory, 创业创新: 1 }, eventsByCampaign: { ...zeroCamp, 百日千万网络招聘: 1, 其他: 1 } });
    expect(await m('220100', '2022-08-01')).toMatchObject({ stories: 2, storiesByType: { ...zeroStory, 创业创新: 1, 生产一线: 1 } });
    expect(await m('220102', '2022-07-05')).toMatchObject({ eventsByCampaign: zeroCamp });
    expect(await m('220102', '2022-07-06')).toMatchObject({ eventsByCampaign: { ...zeroCamp, 其他: 1 } });
    expect(await m('220000', '2022-07-31')).toMatchObject({ eventsByCampaign: { ...zeroCamp, 百日千万网络招聘: 1, 其他: 1, 金秋招聘月: 1 } });
  });

  it('the CLI prints every key; the refresh writes snapshots that give the same answers', async () => {
    expect(cli).toMatchObject({
      region: '220100', asOf: '2022-07-26', hardshipWithPlan: 4, hardshipVisitOverdue: 2, rightsOpen: 3, rightsOverdue: 2,
      publicityComplete: 1, publicityOnTime: 0, stories: 1,
    });
    for (const k of ['hardshipPlanRate', 'hardshipVisited', 'rightsCases', 'rightsByType', 'rightsGraduates', 'storiesByType', 'eventsByCampaign']) {
      expect(cli).toHaveProperty(k);
    }
    const before = await m('220100', '2022-07-26');
    await server.app.get(MetricsService).refresh(true);
    const after = await m('220100', '2022-07-26');
    expect(after.source).toBe('snapshot');
    for (const k of ['hardshipWithPlan', 'hardshipVisitOverdue', 'rightsOpen', 'rightsOverdue', 'publicityComplete', 'eventsByCampaign', 'storiesByType']) {
      expect(after[k], k).toEqual(before[k]);
    }
    expect(await m('220102', '2022-08-11')).toMatchObject({ hardshipVisitOverdue: 2, publicityComplete: null });
    expect(await m('220000', '2022-07-11')).toMatchObject({ publicityComplete: 2, publicityOnTime: 1 });
  });

  it('the case list filters 无帮扶计划 and 回访逾期 on the server; the plan panel; the rights-case list; the checklist', async () => {
    const codec = server.app.get<PiiCodec>(PII_CODEC);
    const keys = async (q: string) => {
      const r = await getJson(server.fetch, `/api/cases?county=220102&${q}`);
      expect(r.status, JSON.stringify(r.body).slice(0, 200)).toBe(200);
      return (r.body.rows as Array<{ personKey: string }>).map((x) => x.personKey).sort();
    };
    expect(await keys('asOf=2022-07-04&noPlan=1')).toEqual([codec.personKey(H(1)), codec.personKey(H(2))].sort());
    expect(await keys('asOf=2022-07-26&noPlan=1')).toEqual([]);
    expect(await keys('asOf=2022-07-25&visitOverdue=1')).toEqual([codec.personKey(H(3))]);
    expect(await keys('asOf=2022-07-26&visitOverdue=1')).toEqual([codec.personKey(H(1)), codec.personKey(H(3))].sort());
    expect((await getJson(server.fetch, '/api/cases?county=220102&visitOverdue=2')).status).toBe(400);

    const panel = (await getJson(server.fetch, `/api/care/persons/${codec.personKey(H(1))}/plan?asOf=2022-07-26`)).body;
    expect(panel).toMatchObject({
      current: { planId: 'PL1', specialist: '王专员', planDate: '2022-07-05', measures: ['岗位推介', '技能培训'], visitDays: 10, status: '执行中' },
      lastVisit: '2022-07-15', nextDue: '2022-07-25', overdueDays: 1,
    });
    expect((panel.visits as unknown[]).length).toBe(1);
    const p2 = (await getJson(server.fetch, `/api/care/persons/${codec.personKey(H(2))}/plan?asOf=2022-07-26`)).body;
    expect(p2).toMatchObject({ current: { planId: 'PL2-B', status: '已完成' }, nextDue: null, overdueDays: 0 });
    expect((p2.plans as unknown[]).length).toBe(2);

    const cases = (await getJson(server.fetch, '/api/care/cases?region=220100&asOf=2022-07-26')).body;
    expect(cases).toMatchObject({ total: 3, open: 3, overdue: 2 });
    expect((cases.rows as Array<{ caseId: string; daysOverdue: number; deadline: string | null }>).map((c) => [c.caseId, c.daysOverdue, c.deadline])).toEqual([
      ['R1', 6, '2022-07-20'], ['R2', 1, '2022-07-25'], ['R4', 0, null],
    ]);
    expect((await getJson(server.fetch, '/api/care/cases?region=22010')).status).toBe(400);

    const list = (await getJson(server.fetch, '/api/care/checklist?region=220000&asOf=2022-07-31')).body;
    const units = list.units as Array<{ unit: string; complete: string | null; onTime: boolean; cells: Array<{ items: string[]; done: { day: string; regionName: string } | null; late: boolean }> }>;
    expect(units).toHaveLength(11);
    const cc = units.find((u) => u.unit === '220100')!;
    expect(cc).toMatchObject({ complete: '2022-07-11', onTime: false });
    expect(cc.cells.find((c) => c.items.includes('机构目录'))).toMatchObject({ done: { day: '2022-07-10', regionName: '南关区' }, late: false });
    expect(cc.cells.find((c) => c.items.includes('政策服务清单'))).toMatchObject({ done: { day: '2022-07-11' }, late: true });
    expect(units.find((u) => u.unit === '220200')).toMatchObject({ complete: '2022-07-10', onTime: true });
  });

  it('the semi-monthly form gains a 帮扶计划与回访 sheet per unit; the rights-case list has one row per open case', async () => {
    const reports = server.app.get(ReportsService);
    const semi = await reports.buildSemimonthly('2022-08-16', new Date('2022-12-31T04:00:00Z'));
    expect(semi.period.asOf).toBe('2022-08-15');
    const s = await readXlsx(semi.file.xlsx, '帮扶计划与回访');
    // As of 08-15: 长春 has H1, H2, H3 (H6 moved to 吉林 on 08-10); planned 3; visited H1; overdue H1 (since 07-26) and H3 (not yet employed).
    // 吉林: H4 and H6; planned H6; visited both; overdue H6 (from 08-11).       hardship plan rate visited overdue
    const row = (name: string) => s.body.find((r) => r.name === name)!.cells.slice(2);
    expect(row('长春市')).toEqual([3, 3, 1, 1, 2]);
    expect(row('吉林市')).toEqual([2, 1, 0.5, 2, 1]);
    expect(row('四平市')).toEqual([0, 0, '—', 0, 0]);
    expect(row('合计')).toEqual([5, 4, 0.8, 3, 3]);
    // The main sheet is still the first one, unchanged in layout.
    expect((await readXlsx(semi.file.xlsx)).ws.name).toBe('实名联系和帮扶进度');

    const rights = await reports.buildRights('2022-07-26', new Date('2022-12-31T04:00:00Z'));
    const r = await readXlsx(rights.file.xlsx, '权益案件清单');
    const lines: unknown[][] = [];
    for (let i = 5; r.row(i)[3]; i++) lines.push(r.row(i).slice(1, 10));
    // Open on 07-26: R1 (deadline 07-20, 6 days over), R2 (07-25, 1 day), R4 (no deadline); R3 closed 07-20.
    expect(lines).toEqual([
      ['长春市', '南关区', 'R1', '黑职介', '人力资源服务机构', '约谈', '2022-07-05', '2022-07-20', 6],
      ['长春市', '', 'R2', '虚假招聘', '', '限期纠正', '2022-07-10', '2022-07-25', 1],
      ['长春市', '公主岭市', 'R4', '售卖简历', '', '', '2022-07-01', '', 0],
    ]);
  });

  describe('alert rules at their boundaries (evaluated without writing)', () => {
    let key: (n: number) => string;
    const open = async (rule: RuleKey, at: number) =>
      (await server.app.get(AlertsService).evaluate(at, { dryRun: true })).open.filter((a) => a.rule === rule);
    const who = async (rule: RuleKey, at: number) => (await open(rule, at)).map((a) => a.subject).sort();
    beforeAll(() => {
      const codec = server.app.get<PiiCodec>(PII_CODEC);
      key = (n: number) => codec.personKey(H(n));
    });

    it('hardship_visit_overdue: the plan cadence since the last visit, not for a finished plan or once employed', async () => {
      // H3: plan 07-01, 5 days, no visit → due at 07-07 00:00.
      expect(await who('hardship_visit_overdue', endOfDay('2022-07-06'))).toEqual([]);
      expect(await who('hardship_visit_overdue', parseShanghai('2022-07-07 00:00:00'))).toEqual([key(3)]);
      // H1: visit 07-15, 10 days → 07-26 00:00.
      expect(await who('hardship_visit_overdue', endOfDay('2022-07-25'))).toEqual([key(3)]);
      expect(await who('hardship_visit_overdue', parseShanghai('2022-07-26 00:00:00'))).toEqual([key(1), key(3)].sort());
      // H6: visit 07-21, 20 days → 08-11 00:00, owned by its county of that day (昌邑区). H2's current plan is 已完成.
      const at = parseShanghai('2022-08-11 00:00:00');
      const h6 = (await open('hardship_visit_overdue', at)).find((a) => a.subject === key(6));
      expect(h6).toMatchObject({ ownerCode: '220202', level: 'county' });
      expect(h6!.detail).toMatchObject({ planId: 'PL6', visitDays: '20', lastVisit: '2022-07-21' });
      expect(await who('hardship_visit_overdue', endOfDay('2022-08-10'))).toEqual([key(1), key(3)].sort());
      // H3 employed from 08-20 10:00.
      expect(await who('hardship_visit_overdue', endOfDay('2022-08-20'))).toEqual([key(1), key(6)].sort());
      // Persons with a plan are judged by it, not by hardship_no_followup's fixed 30 days: only H4 (no plan; last service 07-20 10:00).
      expect(await who('hardship_no_followup', endOfDay('2022-08-20'))).toEqual([key(4)]);
    });

    it('hardship_no_plan: more than 7 days after receipt without a plan dated by the day', async () => {
      expect(await who('hardship_no_plan', endOfDay('2022-07-08'))).toEqual([]);
      // Received 07-01: due 07-09 00:00. H2's plans are dated 07-10.
      expect(await who('hardship_no_plan', parseShanghai('2022-07-09 00:00:00'))).toEqual([key(2), key(4)].sort());
      expect(await who('hardship_no_plan', parseShanghai('2022-07-10 00:00:00'))).toEqual([key(4)]);
    });

    it("rights_case_overdue: the day after the deadline while open, owned by the case's region", async () => {
      expect(await who('rights_case_overdue', endOfDay('2022-07-20'))).toEqual([]);
      expect(await who('rights_case_overdue', parseShanghai('2022-07-21 00:00:00'))).toEqual(['case:R1']);
      const both = await open('rights_case_overdue', endOfDay('2022-07-26'));
      expect(both.map((a) => [a.subject, a.ownerCode, a.ownerLevel])).toEqual(
        expect.arrayContaining([['case:R1', '220102', 'county'], ['case:R2', '220100', 'unit']]),
      );
      expect(both).toHaveLength(2);
      // R1 closed 07-31.
      expect(await who('rights_case_overdue', parseShanghai('2022-07-31 00:00:00'))).toEqual(['case:R2']);
    });

    it('publicity_missing: units incomplete after 07-10, naming what they miss', async () => {
      expect(await who('publicity_missing', endOfDay('2022-07-10'))).toEqual([]);
      const late = await open('publicity_missing', parseShanghai('2022-07-11 00:00:00'));
      // 长春 completes on 07-11 and 吉林 on 07-10: the other nine units are missing items.
      expect(late.map((a) => a.subject).sort()).toEqual(
        ['220300', '220400', '220500', '220581', '220600', '220700', '220800', '222400', '229900'].map((u) => `publicity:${u}`),
      );
      const mhk = late.find((a) => a.subject === 'publicity:220581')!;
      expect(mhk.title).toContain('缺政策服务清单');
      expect(mhk).toMatchObject({ ownerCode: '220581', level: 'unit' });
      expect(late.find((a) => a.subject === 'publicity:220400')!.title).toContain('缺公开信或服务公告、求助途径、招聘渠道、机构目录、政策服务清单');
    });
  });
});
