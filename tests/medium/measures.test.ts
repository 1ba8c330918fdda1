// Kinds 5–8 (training centres, stays, job posts, policy delivery) from file to
// metric, on the real engine: a hand-made fixture at the spec's boundaries,
// loaded as CSV (UTF-8 and GB18030) and as one mixed XLSX workbook, in two
// weeks (a centre arriving after its stays' file, a stay re-sent with its exit,
// a pending policy granted later). Every expected number below is worked out by
// hand from the fixture (tests/helpers/measures-fixtures.ts) in the comments.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { IngestService, type IngestSummary } from '../../backend/src/ingest/ingest.service';
import { IngestRepository } from '../../backend/src/ingest/ingest.repository';
import { MetricsService } from '../../backend/src/metrics/metrics.service';
import { MetricsRepository } from '../../backend/src/metrics/metrics.repository';
import { MetricsStateService } from '../../backend/src/metrics/metrics.state.service';
import { campaignConfig } from '../../backend/src/metrics/campaign.config';
import { CLICKHOUSE, type ClickHouseHandle } from '../../backend/src/clickhouse/clickhouse.provider';
import { COUNTIES } from '../../backend/src/regions/regions.data';
import { COUNT_KEYS, type CountsRow } from '../../backend/src/metrics/metrics.types';
import { AlertsService } from '../../backend/src/alerts/alerts.service';
import { endOfDay } from '../../backend/src/alerts/alerts.rules';
import { ReportsService } from '../../backend/src/reports/reports.service';
import { measuresReportRows } from '../../backend/src/measures/measures.report';
import { makeIdNumber } from '../../backend/src/ledger/id-number';
import {
  CENTRE_HEADER, CENTRES_1, CENTRES_2, GRANT_HEADER, GRANTS_1, GRANTS_2, P1, P2, P3, P4, POST_HEADER, POSTS_1, STAY_HEADER, STAYS_1, STAYS_2, csv, writeFile,
} from '../helpers/measures-fixtures';

const LEDGER_HEADER = '身份证号,姓名,性别,联系电话,毕业年份,人员类别,信息来源,接收日期,县区代码,下发日期,帮扶类别,困难类别,就业状态,更新时间';
const SERVICE_HEADER = '记录编号,身份证号,服务时间,服务类型,联系方式,联系结果,县区代码,服务人员,备注';
// P1 completes 1311 on 2022-08-01 (after entering C01 on 07-15); P2 on 2022-07-10 (before entering C02 on 08-05).
const SERVICES = [
  `F01,${P1},2022-07-16 10:00,职业指导,,,220102,,`, `F02,${P1},2022-07-17 10:00,岗位推介,,,220102,,`, `F03,${P1},2022-07-18 10:00,岗位推介,,,220102,,`,
  `F04,${P1},2022-07-19 10:00,岗位推介,,,220102,,`, `F05,${P1},2022-07-20 10:00,技能培训,,,220102,,`, `F06,${P1},2022-08-01 09:00,就业见习,,,220102,,`,
  `F07,${P2},2022-07-06 10:00,职业指导,,,220184,,`, `F08,${P2},2022-07-07 10:00,岗位推介,,,220184,,`, `F09,${P2},2022-07-07 11:00,岗位推介,,,220184,,`,
  `F10,${P2},2022-07-07 12:00,岗位推介,,,220184,,`, `F11,${P2},2022-07-08 10:00,技能培训,,,220184,,`, `F12,${P2},2022-07-10 10:00,就业见习,,,220184,,`,
];
const LEDGER = [
  `${P1},张三明,男,,2022,应届毕业生,高校,2022-07-05,220102,2022-07-06,有就业意愿,,未就业,2022-07-06 09:00`,
  `${P2},李四,女,,2022,应届毕业生,高校,2022-07-05,220184,2022-07-06,暂无就业意愿,,未就业,2022-07-06 09:00`,
  `${P3},王五,男,,2022,应届毕业生,高校,2022-07-05,220581,2022-07-06,有就业意愿,,未就业,2022-07-06 09:00`,
  `${P4},赵六,女,,2022,应届毕业生,高校,2022-07-05,220202,2022-07-06,有就业意愿,,未就业,2022-07-06 09:00`,
];

/** The XLSX cell of a CSV cell: numbers as Excel numbers where the column is numeric, quotes stripped. */
function xlsxCells(line: string, numeric: number[]): Array<string | number> {
  const cells: string[] = [];
  const re = /("([^"]|"")*"|[^,]*)(,|$)/g;
  for (let m = re.exec(line); m && m.index < line.length; m = re.exec(line)) cells.push(m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"'));
  return cells.map((c, i) => (numeric.includes(i) && /^\d+(\.\d+)?$/.test(c) ? Number(c) : c));
}

type M = Record<string, unknown>;

describe('kinds 5–8: ingest and metrics', () => {
  let server: TestServer;
  let ingest: IngestService;
  let dir: string;
  let week1: IngestSummary;
  const ch = () => server.app.get<ClickHouseHandle>(CLICKHOUSE).client;
  const rows = async <T>(query: string): Promise<T[]> => (await ch().query({ query, format: 'JSONEachRow' })).json<T>();
  const metrics = async (code: string, asOf: string): Promise<M> => {
    const r = await server.fetch(`/api/metrics/${code}?asOf=${asOf}`);
    expect(r.status).toBe(200);
    return (await r.json()) as M;
  };

  beforeAll(async () => {
    server = await startTestServer();
    ingest = server.app.get(IngestService);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'i14-measures-'));
    const wb = new ExcelJS.Workbook();
    const posts = wb.addWorksheet('岗位开发');
    posts.addRow(POST_HEADER.split(','));
    for (const l of POSTS_1) posts.addRow(xlsxCells(l, [6, 8]));
    const grants = wb.addWorksheet('政策落实');
    grants.addRow(GRANT_HEADER.split(','));
    for (const l of GRANTS_1) grants.addRow(xlsxCells(l, [3]));
    // Z05's 0.30 typed in Excel as =0.1+0.2 (a float 0.30000000000000004): read as 0.30.
    grants.getRow(6).getCell(4).value = { formula: '0.1+0.2', result: 0.1 + 0.2 };
    const book = path.join(dir, 'week1-posts-grants.xlsx');
    await wb.xlsx.writeFile(book);
    const files = [
      writeFile(dir, 'ledger.csv', csv(LEDGER_HEADER, LEDGER)),
      writeFile(dir, 'services.csv', csv(SERVICE_HEADER, SERVICES)),
      writeFile(dir, 'week1-centres.csv', csv(CENTRE_HEADER, CENTRES_1)),
      writeFile(dir, 'week1-stays.csv', csv(STAY_HEADER, STAYS_1), 'gb18030'),
      book,
    ];
    week1 = await ingest.loadFiles(files);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('recognises each kind by its headers and keeps every bad row with a reason a clerk can act on', async () => {
    expect(week1.failed).toBe(0);
    const kinds = Object.assign({}, ...week1.files.map((f) => f.kinds)) as Record<string, { accepted: number; rejected: number }>;
    expect(kinds.centre).toMatchObject({ accepted: 3, rejected: 3 });
    expect(kinds.stay).toMatchObject({ accepted: 6, rejected: 6 });
    expect(kinds.post).toMatchObject({ accepted: 4, rejected: 4 });
    expect(kinds.grant).toMatchObject({ accepted: 5, rejected: 4 });
    expect(week1.files.find((f) => f.file === 'week1-stays.csv')!.encoding).toBe('gb18030');
    const rej = await rows<{ kind: string; row: number; reason: string }>(
      `SELECT kind, row, reason FROM ingest_rejects WHERE kind IN ('centre', 'stay', 'post', 'grant') ORDER BY kind, row`,
    );
    const reason = (kind: string, row: number) => rej.find((r) => r.kind === kind && r.row === row)?.reason ?? '(accepted)';
    // Row numbers as in Excel: the header is row 1.
    expect(reason('centre', 5)).toMatch(/220100.*市级.*县级/);
    expect(reason('centre', 6)).toMatch(/容纳人数 应为不小于 1 的整数/);
    expect(reason('centre', 7)).toMatch(/缺少必填项 中心名称/);
    expect(reason('stay', 8)).toMatch(/退出日期 2022-09-04 早于进驻日期 2022-09-05/);
    expect(reason('stay', 9)).toMatch(/填写了退出日期时必须填写退出方式/);
    expect(reason('stay', 10)).toMatch(/生活补助 不能为负数/);
    expect(reason('stay', 11)).toMatch(/生活补助 最多保留两位小数/);
    expect(reason('stay', 12)).toMatch(/身份证/);
    expect(reason('stay', 13)).toMatch(/退出方式 的值 “跳槽” 不在允许范围/);
    expect(reason('post', 6)).toMatch(/已招用毕业生 11 超过岗位数 10/);
    expect(reason('post', 7)).toMatch(/岗位数 应为不小于 1 的整数/);
    expect(reason('post', 8)).toMatch(/岗位来源 的值 “外资企业”/);
    expect(reason('post', 9)).toMatch(/229999 不存在/);
    expect(reason('grant', 7)).toMatch(/办结日期 2022-09-01 早于受理日期 2022-09-02/);
    expect(reason('grant', 8)).toMatch(/金额 不能为负数/);
    expect(reason('grant', 9)).toMatch(/220200.*市级/);
    expect(reason('grant', 10)).toMatch(/金额 最多保留两位小数/);
    // 220381 (公主岭's old code) is stored as 220184 with a warning, for a centre and a post.
    const warn = await rows<{ kind: string; warning: string }>(`SELECT kind, warning FROM ingest_warnings WHERE kind IN ('centre', 'post')`);
    expect(warn.map((w) => w.kind).sort()).toEqual(['centre', 'post']);
    expect((await rows<{ c: string }>(`SELECT county_code AS c FROM centre_raw WHERE centre_id = 'C02'`))[0]!.c).toBe('220184');
  });

  it('stores money as exact decimals and ID numbers only as the ledger does (key, masked, encrypted)', async () => {
    const [m] = await rows<{ t: string; a: string; types: string }>(
      `SELECT toString(sum(amount)) AS t, toString(argMax(amount, version)) AS a, toTypeName(any(amount)) AS types FROM grant_raw`,
    );
    // 1500.10 + 300000 + 1234.56 + 5000.05 + 0.30
    expect(m).toEqual({ t: '307735.01', a: expect.any(String), types: 'Decimal(18, 2)' });
    const [s] = await rows<{ t: string }>(`SELECT toString(sum(allowance)) AS t FROM stay_raw`);
    expect(s!.t).toBe('3800.76'); // 1500.50 + 800 + 0.01 + 200.25 + 1000 + 300
    for (const id of [P1, P2, P3, P4]) {
      const [hit] = await rows<{ n: string }>(
        `SELECT (SELECT count() FROM stay_raw WHERE positionUTF8(concat(id_masked, id_enc, stay_id, file), '${id}') > 0)
              + (SELECT count() FROM grant_raw WHERE positionUTF8(concat(id_masked, id_enc, grant_id, employer, file), '${id}') > 0) AS n`,
      );
      expect(Number(hit!.n)).toBe(0);
    }
    const masked = await rows<{ id_masked: string }>(`SELECT DISTINCT id_masked FROM grant_raw ORDER BY id_masked`);
    expect(masked.every((r) => r.id_masked.includes('*'))).toBe(true);
  });

  it('loading the same files again changes nothing', async () => {
    const before = await server.app.get(IngestRepository).rawCounts();
    const again = await ingest.loadFiles(week1.files.map((f) => path.join(dir, f.file)));
    expect(again.inserted).toBe(0);
    const [n] = await rows<{ n: string }>(`SELECT (SELECT count() FROM centre_raw) + (SELECT count() FROM stay_raw) + (SELECT count() FROM post_raw) + (SELECT count() FROM grant_raw) AS n`);
    expect(Number(n!.n)).toBe(3 + 6 + 4 + 5);
    expect(await server.app.get(IngestRepository).rawCounts()).toEqual(before);
  });

  it('week 1, live from the raw tables: a stay whose centre is not loaded yet does not count', async () => {
    const p = await metrics('220000', '2022-09-05');
    expect(p.source).toBe('live');
    expect(p).toMatchObject({
      centres: 3, // C01, C02, C03 (C04 arrives in week 2)
      centreEntrants: 3, // P1, P2, P3 (P4's stay is in C04)
      centreResident: 2, // P1 (S04 open), P2 (S02 open); P3 left on 09-05 itself
      centreAllowance: 2800.76, // 1500.50 + 800 + 0.01 + 200.25 + 300
      policyGranted: 4, // Z01, Z02, Z04, Z05
      policyPersons: 3, // P1, P3, P4: P2's only record (Z03) is still pending
      policyPending: 1, // Z03
    });
  });

  describe('after week 2 (the centre arrives, a stay re-sent with its exit, a policy granted)', () => {
    beforeAll(async () => {
      const w2 = await ingest.loadFiles([
        writeFile(dir, 'week2-centres.csv', csv(CENTRE_HEADER, CENTRES_2)),
        writeFile(dir, 'week2-stays.csv', csv(STAY_HEADER, STAYS_2)),
        writeFile(dir, 'week2-grants.csv', csv(GRANT_HEADER, GRANTS_2)),
      ]);
      expect(w2.rejected).toBe(0);
      expect(w2.inserted).toBe(3);
    }, 60_000);

    const nCounties = (unit: string) => COUNTIES.filter((c) => c.parentCode === unit).length;

    /** Every expectation by hand, for the live path and (after a refresh) the snapshot path. */
    async function expectAll(source: 'live' | 'snapshot'): Promise<void> {
      const p = await metrics('220000', '2022-09-05');
      expect(p.source).toBe(source);
      expect(p).toMatchObject({
        centres: 4,
        countyCentreRate: 4 / 72, // 220102, 220184, 220581, 220204
        centreEntrants: 4,
        centreResident: 3, // P1, P2, P4
        centreExits: 2, // S01 (岗位匹配), S03 (其他)
        centreExitsByChannel: { 岗位匹配: 1, 见习留用: 0, 实现创业: 0, 公益性岗位托底: 0, 其他: 1 },
        centreExitsToWork: 1,
        centreExitWorkRate: 0.5,
        centre1311: 2, // P1 (from 08-01), P2 (from entering on 08-05)
        centreAllowance: 3800.76,
        postsDeveloped: 17, // G01 10 + G02 5 (长春市's own) + G03 2; G04 only on 09-10
        postsPublished: 12, // G01 10 + G03 2
        postsPublishedRate: 12 / 17,
        postsHired: 5,
        policyGranted: 4,
        policyPersons: 3, // P1, P3, P4
        policyAmount: 306500.45, // 1500.10 + 300000 + 5000.05 + 0.30
        policyPending: 1,
        policyOnlineRate: 0.5, // Z01 网上申办, Z04 主动发现 of 4
      });
      expect(p.postsBySource).toEqual({ 事业单位招聘: 5, 三支一扶: 2, 其他基层项目: 0, 重点企业: 10, 重大项目: 0, 专精特新企业: 0, 其他企业: 0 });
      expect(p.policyByType).toEqual({
        一次性扩岗补助: { granted: 1, amount: 1500.1 }, 一次性吸纳就业补贴: { granted: 0, amount: 0 }, 社会保险补贴: { granted: 0, amount: 0 },
        灵活就业社保补贴: { granted: 0, amount: 0 }, 初创补贴: { granted: 1, amount: 5000.05 }, 创业培训补贴: { granted: 0, amount: 0 },
        创业担保贷款: { granted: 1, amount: 300000 }, 职业技能培训补贴: { granted: 1, amount: 0.3 }, 职业技能鉴定补贴: { granted: 0, amount: 0 },
      });

      const late = await metrics('220000', '2022-10-08');
      expect(late).toMatchObject({
        centreExits: 3, // + S06 (见习留用) on 10-01
        centreExitsToWork: 2,
        centreExitWorkRate: 2 / 3,
        centreResident: 3, // P2 still in S02 after S06 ended
        postsDeveloped: 21,
        postsPublished: 16,
        policyGranted: 5,
        policyPersons: 4,
        policyAmount: 307735.01,
        policyPending: 0,
        policyOnlineRate: 3 / 5,
      });

      // 长春市: 朝阳区 and 公主岭市 plus its own post G02.
      const cc = await metrics('220100', '2022-09-05');
      expect(cc).toMatchObject({
        centres: 2, countyCentreRate: 2 / nCounties('220100'), centreEntrants: 2, centreResident: 2, centreExits: 1, centre1311: 2,
        centreAllowance: 2800.75, postsDeveloped: 17, postsPublished: 12, postsHired: 5, policyGranted: 2, policyPersons: 1,
        policyAmount: 301500.1, policyPending: 1,
      });
      const cy = cc.children as M[];
      const sum = (k: string) => cy.reduce((a, c) => a + Number(c[k]), 0);
      // a unit = the sum of its counties + its own records (G02's 5 posts)
      expect(sum('postsDeveloped') + 5).toBe(cc.postsDeveloped);
      expect(sum('centres')).toBe(cc.centres);

      // 朝阳区 on the day before and the day of S01's exit (2022-08-10).
      expect(await metrics('220102', '2022-08-09')).toMatchObject({ centreResident: 1, centreExits: 0, centre1311: 1, countyCentreRate: 1 });
      expect(await metrics('220102', '2022-08-10')).toMatchObject({ centreResident: 0, centreExits: 1, centreExitWorkRate: 1 });
      // 梅河口市 (a county-level unit and a reporting unit): P3 entered and left on 09-05.
      const mh = await metrics('220581', '2022-09-05');
      expect(mh).toMatchObject({ centres: 1, countyCentreRate: 1, centreEntrants: 1, centreResident: 0, centreExits: 1, centreExitWorkRate: 0, postsDeveloped: 0, postsPublishedRate: null, policyOnlineRate: 1 });
      // A county without a centre: 0 of 1, not null; no exits: a null rate.
      expect(await metrics('220103', '2022-09-05')).toMatchObject({ centres: 0, countyCentreRate: 0, centreExitWorkRate: null, policyAmount: 0 });
    }

    it('live: every key as the spec defines it', async () => {
      await expectAll('live');
    });

    it('the workbench drill: records behind a region, people masked, within the caller\'s scope, and their exports', async () => {
      const get = async (f: (p: string) => Promise<Response>, q: string) => {
        const r = await f(q);
        expect(r.status, q).toBe(200);
        return (await r.json()) as { total: number; rows: Array<Record<string, unknown>> };
      };
      const admin = (q: string) => server.fetch(q);
      const stays = await get(admin, '/api/measures/220100/records?kind=stay&asOf=2022-09-05');
      // 长春市: S01 and S04 (朝阳区), S02 and S06 (公主岭市)
      expect(stays.rows.map((r) => r.id).sort()).toEqual(['S01', 'S02', 'S04', 'S06']);
      expect(stays.rows.find((r) => r.id === 'S01')).toMatchObject({ name: '张*明', exit_date: '2022-08-10', exit_channel: '岗位匹配', allowance: '1500.5' });
      expect(stays.rows.every((r) => String(r.id_masked).includes('*') && !JSON.stringify(r).includes(P1))).toBe(true);
      // S06 left on 10-01: not yet on 09-05
      expect(stays.rows.find((r) => r.id === 'S06')).toMatchObject({ exit_date: '', exit_channel: '' });
      const county = await server.as('county', '220102');
      expect((await get((q) => county.fetch(q), '/api/measures/220102/records?kind=stay&asOf=2022-09-05')).rows.map((r) => r.id).sort()).toEqual(['S01', 'S04']);
      expect((await county.fetch('/api/measures/220100/records?kind=stay&asOf=2022-09-05')).status).toBe(403);
      // a unit's own post (G02) is in the unit's list and not in any county's
      expect((await get(admin, '/api/measures/220100/records?kind=post&asOf=2022-09-05')).rows.map((r) => r.id).sort()).toEqual(['G01', 'G02', 'G03']);
      expect((await get(admin, '/api/measures/220102/records?kind=post&asOf=2022-09-05')).rows.map((r) => r.id)).toEqual(['G01']);
      const centres = await get(admin, '/api/measures/220000/records?kind=centre&asOf=2022-09-05');
      expect(centres.rows.find((r) => r.id === 'C01')).toMatchObject({ entrants: 1, resident: 1, exits: 1, exits_by_channel: [1, 0, 0, 0, 0], allowance: '1700.75' });
      const grants = await get(admin, '/api/measures/220000/records?kind=grant&asOf=2022-09-05&limit=2&offset=0');
      expect(grants.total).toBe(5);
      expect(grants.rows).toHaveLength(2);
      expect((await server.fetch('/api/measures/220000/records?kind=nope&asOf=2022-09-05')).status).toBe(400);
      for (const q of ['/api/measures/220100/records.xlsx?kind=grant&asOf=2022-09-05', '/api/measures/220100/children.xlsx?section=policies&asOf=2022-09-05']) {
        const x = await server.fetch(q);
        expect(x.status, q).toBe(200);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(Buffer.from(await x.arrayBuffer()) as unknown as ExcelJS.Buffer);
        const ws = wb.worksheets[0]!;
        const cells = ws.getSheetValues().flat().map(String).join('|');
        expect(cells).not.toContain(P1);
        if (q.includes('children')) expect(cells).toContain('长春市（合计）');
        else expect(ws.rowCount).toBe(3 + 3); // title, subtitle, header; Z01, Z02 (朝阳区) and Z03 (公主岭市, applied 08-10, still pending)
      }
    });

    it('the weekly 专项工作进展表: one row per unit and 合计, as of the week\'s end, archived', async () => {
      const day = await server.app.get(MetricsService).countsForDay('2022-09-11'); // 2022-W36 ends on Sunday 09-11
      const rows = measuresReportRows(day.counts);
      expect(rows.map((r) => r.kind)).toEqual([...Array<string>(11).fill('unit'), 'total']);
      const row = (name: string) => rows.find((r) => r.values.name === name)!.values;
      expect(row('长春市')).toMatchObject({
        centres: 2, county_centres: 2, entrants: 2, resident: 2, exits: 1, exits_work: 1, exit_work_rate: 1, allowance: 2800.75,
        posts: 17, posts_public: 7, posts_enterprise: 10, published: 12, hired: 5, granted: 2, persons: 1, amount: 301500.1, loans: 300000, pending: 1, online: 1,
        online_rate: 0.5,
      });
      // G04 (developed 09-10) is published only on 09-12
      expect(row('梅河口市')).toMatchObject({ centres: 1, posts: 4, published: 0, published_rate: 0, granted: 1, amount: 5000.05, online: 1 });
      expect(row('吉林市')).toMatchObject({ centres: 1, entrants: 1, resident: 1, granted: 1, amount: 0.3, online: 0 });
      expect(row('合计')).toMatchObject({ centres: 4, posts: 21, published: 12, granted: 4, amount: 306500.45, loans: 300000, pending: 1 });
      const entry = await server.app.get(ReportsService).generate('measures', { week: '2022-W36' }, null, 'test');
      expect(entry).toMatchObject({ kind: 'measures', period: '2022-W36', asOf: '2022-09-11', unitRows: 11 });
      const list = (await (await server.fetch('/api/reports?kind=measures')).json()) as { reports: Array<{ id: string }> };
      expect(list.reports.map((r) => r.id)).toContain(entry.id);
      expect((await server.fetch(`/api/reports/${entry.id}/download`)).status).toBe(200);
    });

    it('alerts: counties without a centre after 08-31, a post unpublished after 3 days, a policy pending over 30 days', async () => {
      const alerts = server.app.get(AlertsService);
      const on = async (day: string) => (await alerts.evaluate(endOfDay(day), { dryRun: true })).open;
      // 08-31 has not ended yet at 08-30's end: no centre alert; G02 (developed 07-20, never published) is overdue since 07-23.
      const aug30 = await on('2022-08-30');
      expect(aug30.filter((a) => a.rule === 'no_training_centre')).toEqual([]);
      const posts = aug30.filter((a) => a.rule === 'post_unpublished');
      expect(posts.map((a) => [a.subject, a.ownerCode, a.ownerLevel])).toEqual([['post:G02', '220100', 'unit']]);
      // G03 was published on 08-10, 9 days after its development: late, but published, so no longer open.
      const sep5 = await on('2022-09-05');
      const noCentre = sep5.filter((a) => a.rule === 'no_training_centre').map((a) => a.countyCode);
      // 72 county-level units less 朝阳区 (C01), 公主岭市 (C02), 梅河口市 (C03 on 09-01), 船营区 (C04)
      expect(noCentre.length).toBe(72 - 4);
      expect(noCentre).not.toContain('220581');
      expect(noCentre).toContain('220103');
      // Z03 (applied 08-10) is pending on 09-30 (over 30 days) and granted on 10-08.
      expect((await on('2022-09-09')).filter((a) => a.rule === 'policy_pending')).toEqual([]);
      const sep30 = (await on('2022-09-30')).filter((a) => a.rule === 'policy_pending');
      expect(sep30.map((a) => [a.subject, a.countyCode, a.name])).toEqual([['grant:Z03', '220184', '李*']]);
      expect((await on('2022-10-08')).filter((a) => a.rule === 'policy_pending')).toEqual([]);
    });

    it('kept state and snapshots after a refresh give the same numbers, for every region and day as the raw tables', async () => {
      const svc = server.app.get(MetricsService);
      const r = await svc.refresh(true);
      expect(r.skipped).toBe(false);
      await expectAll('snapshot');
      const cfg = campaignConfig();
      const raw = server.app.get(MetricsRepository);
      const state = server.app.get(MetricsStateService).repo;
      const key = (x: CountsRow) => `${x.level}:${x.code}`;
      const daily = await state.countsDaily('2022-07-01', '2022-10-31', cfg);
      for (const day of ['2022-08-10', '2022-09-05', '2022-10-08']) {
        const want = new Map((await raw.countsAsOf(day, cfg)).map((x) => [key(x), x]));
        const one = await state.countsAsOf(day, cfg);
        const all = daily.filter((x) => x.as_of === day);
        expect(one.length).toBe(want.size);
        for (const got of [...one, ...all]) {
          const w = want.get(key(got))!;
          for (const k of COUNT_KEYS) expect(Number(got[k]), `${day} ${key(got)} ${k}`).toBe(Number(w[k]));
        }
      }
    });

    it('an incremental refresh keeps measure_days for a delivery that cannot change it, and rebuilds it when a stay\u2019s person completes 1311', async () => {
      const svc = server.app.get(MetricsService);
      const parts = async () => (await rows<{ name: string }>("SELECT name FROM system.parts WHERE table = 'measure_days' AND active ORDER BY name")).map((x) => x.name);
      await svc.refresh(true);
      const before = await parts();
      // A new person in 朝阳区 with no stay: nothing of kinds 5–8 can change.
      const P5 = makeIdNumber('220102', '20020202', 55);
      const led = await ingest.loadFiles([
        writeFile(dir, 'ledger-p5.csv', csv(LEDGER_HEADER, [`${P5},钱七,男,,2022,应届毕业生,高校,2022-07-05,220102,2022-07-06,有就业意愿,,未就业,2022-07-06 09:00`])),
      ]);
      expect(led.inserted).toBe(1);
      expect((await svc.refresh(true)).state?.mode).toBe('incremental');
      expect(await parts()).toEqual(before);
      expect(await metrics('220102', '2022-10-08')).toMatchObject({ source: 'snapshot', received: 2, centre1311: 1 });
      // P4 (in C04 since 07-25, 220204) completes 1311 on 09-10: centre1311 counts P4 from then.
      const p4 = ['职业指导', '岗位推介', '岗位推介', '岗位推介', '技能培训', '就业见习'].map((t, i) => `H0${i + 1},${P4},2022-09-${String(5 + i).padStart(2, '0')} 10:00,${t},,,220202,,`);
      const srv = await ingest.loadFiles([writeFile(dir, 'services-p4.csv', csv(SERVICE_HEADER, p4))]);
      expect(srv.inserted).toBe(6);
      expect((await svc.refresh(true)).state?.mode).toBe('incremental');
      expect(await parts()).not.toEqual(before);
      expect(await metrics('220000', '2022-09-09')).toMatchObject({ source: 'snapshot', centre1311: 2 });
      expect(await metrics('220000', '2022-09-10')).toMatchObject({ source: 'snapshot', centre1311: 3 });
      expect(await metrics('220204', '2022-09-10')).toMatchObject({ centre1311: 1 });
    });
  });
});
