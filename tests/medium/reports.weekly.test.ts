// The weekly 附件2 form on a hand-made week (reports.fixture.ts), read back
// from the XLSX the API serves: layout, 11 units + 未分解到县 + 合计, 合计 = the
// column sums, every cell against values worked out by hand, the same numbers
// as GET /api/metrics for the as-of day, the archive, the audit log, and who
// may export what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { startTestServer, type Session, type TestServer } from '../helpers/server';
import { readXlsx, UNIT_CODES, UNIT_NAMES, writeFixture, type Cell, type Sheet } from './reports.fixture';

// Columns C.. of the form, in order (row 4 of the sheet; grouped under row 3).
const HEADERS_ROW_3 = [
  '序号', '单位', '接收未就业毕业生信息（人）', null, null, null, null, null, '已分解到县（人）', '实名联系', null,
  '分类建立帮扶台账（人）', null, null, null, null, '就业服务', null, null, '就业情况', null, '困难帮扶', null, null, null,
  '小程序求助', null, null, '招聘活动（场）', null, null, null,
];
const HEADERS_ROW_4 = [
  '序号', '单位', '合计', '教育部门', '高校', '小程序', '失业登记', '其他', '已分解到县（人）', '已联系（人）', '联系率',
  '有就业意愿', '有创业意愿', '无法联系', '暂无就业意愿', '未分类', '已提供服务（人）', '完成“1311”（人）', '“1311”完成率',
  '已就业（人）', '就业率', '困难毕业生（人）', '“一对一”服务（人）', '已就业（人）', '公益性岗位安置（人）',
  '求助（件）', '24小时内联系（件）', '超时（件）', '本周专业性', '本周综合性', '本月专业性', '本月综合性',
];

const D = '—';
// By hand, as of Sunday 2022-09-11 24:00 (see the fixture's comments):
//            recv  edu 高校 小程序 失业 其他  distr  cont rate   意愿 创业 无法 暂无 未分  served 1311 rate  emp rate  hs o2o hsE welf  help sla over  wP wC mP mC
const ZERO: Cell[] = [0, 0, 0, 0, 0, 0, 0, 0, D, 0, 0, 0, 0, 0, 0, 0, D, 0, D, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const EXPECTED: Record<string, Cell[]> = {
  // P1 P2 P3 P4 (P9 moved to 吉林 on 09-09); contacted P1 P3; 1311 P1; employed P1 P3; hardship P1 P4 (one-on-one, employed: P1);
  // help H1 (in time), H2 and H6 (overdue); events E1 (专业性) and E2 (综合性, on 南关区).
  长春市: [4, 1, 1, 1, 1, 0, 4, 2, 0.5, 2, 1, 1, 0, 0, 2, 1, 0.5, 2, 0.5, 2, 1, 1, 0, 3, 1, 2, 1, 1, 1, 1],
  // P5 P9; contacted and served P5; 1311 none of P9; employed P5 (公益性岗位) P9 (灵活就业); P5 hardship, one-on-one, employed, placed;
  // help H3 (not yet due); E3 in September only.
  吉林市: [2, 1, 0, 0, 0, 1, 2, 1, 0.5, 1, 0, 0, 1, 0, 1, 0, 0, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0],
  四平市: ZERO, // E7 moved to 09-13
  辽源市: ZERO,
  通化市: ZERO,
  白山市: ZERO,
  松原市: ZERO,
  白城市: ZERO,
  延边朝鲜族自治州: ZERO,
  // P7 arrives 09-12; E6 on the Sunday.
  长白山管委会: [0, 0, 0, 0, 0, 0, 0, 0, D, 0, 0, 0, 0, 0, 0, 0, D, 0, D, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0],
  // P6: no category, contacted and served and placed by 公益性岗位安置, not employed; H4 contacted after 48 h.
  梅河口市: [1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, D, 0, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0],
  // P8: no county yet, contacted.
  未分解到县: [1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, D, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  合计: [8, 4, 1, 1, 1, 1, 7, 5, 0.625, 3, 1, 1, 1, 2, 4, 1, 1 / 3, 4, 0.5, 4, 2, 2, 2, 5, 1, 3, 2, 1, 3, 1],
};
const RATE_COLS = new Set([10, 18, 20]); // 0-based column indexes of the rates (K 联系率, S “1311”完成率, U 就业率)

describe('weekly report (附件2)', () => {
  let server: TestServer;
  let sheet: Sheet;
  let download: Response;

  beforeAll(async () => {
    server = await startTestServer();
    const files = writeFixture();
    const ingest = server.app.get(IngestService);
    for (const batch of [files.first, files.second]) {
      const s = await ingest.loadFiles(batch, { source: 'cli' });
      expect(s.files.map((f) => [f.file, f.rejected, f.error ?? null])).toEqual(batch.map((f) => [f.split('/').pop(), 0, null]));
    }
    const gen = await server.fetch('/api/reports/weekly', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ week: '2022-W36' }),
    });
    expect(gen.status, await gen.clone().text()).toBe(201);
    download = await server.fetch('/api/reports/weekly-2022-W36/download');
    sheet = await readXlsx(await download.clone().arrayBuffer());
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is served as an XLSX attachment with a Chinese file name', () => {
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toContain('spreadsheetml.sheet');
    const cd = download.headers.get('content-disposition') ?? '';
    expect(cd).toMatch(/^attachment;/);
    expect(cd).toContain(`filename*=UTF-8''${encodeURIComponent('离校未就业高校毕业生信息衔接工作进展汇总表_2022-W36.xlsx')}`);
  });

  it('is laid out like the government form: title with the period, 填报单位 and 填报日期, two header rows', () => {
    const title = String(sheet.row(1)[0]);
    expect(title).toContain('离校未就业高校毕业生信息衔接工作进展汇总表');
    expect(title).toContain('2022年第36周：9月5日—9月11日，数据截至2022年9月11日24时');
    expect(sheet.merges).toEqual(expect.arrayContaining(['A1:AF1', 'A3:A4', 'B3:B4', 'C3:H3', 'I3:I4', 'J3:K3', 'AC3:AF3']));
    expect(sheet.ws.getCell('A1').font.bold).toBe(true);
    const today = new Date(Date.now() + 8 * 3600_000);
    expect(sheet.row(2)).toContain('填报单位：吉林省人力资源和社会保障厅');
    expect(sheet.row(2)).toContain(`填报日期：${today.getUTCFullYear()}年${today.getUTCMonth() + 1}月${today.getUTCDate()}日`);
    // exceljs repeats a merged block's value in every cell it covers; the first cell of each block is what a reader sees.
    const r3 = sheet.row(3).map((v, i) => (i > 0 && HEADERS_ROW_3[i] === null ? null : v));
    expect(r3).toEqual(HEADERS_ROW_3);
    expect(sheet.row(4)).toEqual(HEADERS_ROW_4);
    expect(sheet.ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect(sheet.ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1 });
    expect(sheet.ws.getCell('K5').numFmt).toBe('0.0%');
  });

  it('has the 11 units in the reporting tree order, then 未分解到县 and 合计', () => {
    expect(sheet.body.map((r) => r.name)).toEqual([...UNIT_NAMES, '未分解到县', '合计']);
    expect(sheet.body.slice(0, 11).map((r) => r.cells[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('合计 is the sum of the rows above it in every count column; its rates come from its sums', () => {
    const rows = sheet.body.slice(0, -1);
    const total = sheet.body.at(-1)!.cells;
    for (let c = 2; c < HEADERS_ROW_4.length; c++) {
      if (RATE_COLS.has(c)) continue;
      const sum = rows.reduce((a, r) => a + Number(r.cells[c]), 0);
      expect(total[c], HEADERS_ROW_4[c]!).toBe(sum);
    }
    expect(total[10]).toBeCloseTo(Number(total[9]) / Number(total[2]));
  });

  it('matches the hand-checked week cell by cell', () => {
    for (const r of sheet.body) {
      const want = EXPECTED[r.name]!;
      const got = r.cells.slice(2);
      want.forEach((w, i) => {
        if (typeof w === 'number' && RATE_COLS.has(i + 2)) expect(got[i], `${r.name} ${HEADERS_ROW_4[i + 2]}`).toBeCloseTo(w, 10);
        else expect(got[i], `${r.name} ${HEADERS_ROW_4[i + 2]}`).toBe(w);
      });
    }
  });

  it('equals GET /api/metrics for the as-of day, for the province and each unit', async () => {
    const m = (await (await server.fetch('/api/metrics/220000?asOf=2022-09-11')).json()) as Record<string, unknown> & { children: Array<Record<string, unknown>> };
    const pick = (o: Record<string, unknown>) => [
      o.received, o.contacted, o.intentEmployment, o.completed1311, o.employed, o.hardship, o.hardshipOneOnOne, o.hardshipEmployed,
      o.helpRequests, o.helpContactedInSla, o.helpOverdue,
    ];
    const fromSheet = (cells: Cell[]) => [cells[2], cells[9], cells[11], cells[17], cells[19], cells[21], cells[22], cells[23], cells[25], cells[26], cells[27]];
    expect(fromSheet(sheet.body.at(-1)!.cells)).toEqual(pick(m));
    expect(sheet.body.find((r) => r.name === '未分解到县')!.cells[2]).toBe(m.pendingDistribution);
    UNIT_CODES.forEach((code, i) => {
      const child = m.children.find((c) => c.region === code)!;
      expect(fromSheet(sheet.body[i]!.cells), code).toEqual(pick(child));
    });
  });

  it('is archived once per week: re-generating replaces the file; the export is audit-logged', async () => {
    const again = await server.fetch('/api/reports/weekly', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ week: '2022-W36' }),
    });
    expect(again.status).toBe(201);
    const list = (await (await server.fetch('/api/reports')).json()) as { reports: Array<{ id: string; kind: string; period: string; asOf: string; unitRows: number }>; provinceWide: boolean };
    expect(list.provinceWide).toBe(true);
    expect(list.reports.filter((r) => r.id === 'weekly-2022-W36')).toEqual([
      expect.objectContaining({ kind: 'weekly', period: '2022-W36', asOf: '2022-09-11', unitRows: 11 }),
    ]);
    const audit = (await (await server.fetch('/api/admin/audit?action=report.export')).json()) as { rows: Array<{ target: string; username: string }> };
    expect(audit.rows).toEqual(expect.arrayContaining([expect.objectContaining({ target: 'weekly-2022-W36', username: 'admin' })]));
  });

  it('refuses bad periods with a message', async () => {
    for (const body of [{ week: '2022-36' }, { week: '2022-W53' }, { week: '2019-W10' }, { week: '2023-W01' }, {}, { week: '2022-W36', extra: 1 }]) {
      const r = await server.fetch('/api/reports/weekly', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(((await r.json()) as { message: unknown }).message).toBeTruthy();
    }
    // The campaign's last week runs into 2023: it is as of the campaign's last day.
    const last = await server.fetch('/api/reports/weekly', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ week: '2022-W52' }) });
    expect(await last.json()).toMatchObject({ periodStart: '2022-12-26', periodEnd: '2023-01-01', asOf: '2022-12-31' });
    expect((await server.fetch('/api/reports/monthly', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(400);
    expect((await server.fetch('/api/reports/weekly-2022-W01/download')).status).toBe(404);
  });

  describe('who may export what', () => {
    let county: Session;
    let unit: Session;
    let province: Session;
    beforeAll(async () => {
      county = await server.as('county', '220102');
      unit = await server.as('unit', '220100');
      province = await server.as('province');
    });

    it('a county or unit user cannot open province-wide forms or generate them', async () => {
      for (const s of [county, unit]) {
        expect((await s.fetch('/api/reports/weekly-2022-W36/download')).status).toBe(403);
        const gen = await s.fetch('/api/reports/weekly', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ week: '2022-W36' }) });
        expect(gen.status).toBe(403);
        const list = (await (await s.fetch('/api/reports')).json()) as { reports: unknown[]; provinceWide: boolean };
        expect(list).toMatchObject({ reports: [], provinceWide: false });
      }
      expect((await province.fetch('/api/reports/weekly-2022-W36/download')).status).toBe(200);
    });

    it("a county user gets its own county's dispatch list, and 403 for another county's", async () => {
      expect((await county.fetch('/api/reports/dispatch.xlsx?date=2022-09-16&region=220104')).status).toBe(403);
      expect((await county.fetch('/api/reports/dispatch.xlsx?date=2022-09-16&region=220100')).status).toBe(403);
      expect((await county.fetch('/api/reports/dispatch.xlsx?date=2022-09-16&region=220000')).status).toBe(403);
      expect((await unit.fetch('/api/reports/dispatch.xlsx?date=2022-09-16&region=220202')).status).toBe(403);
      const own = await county.fetch('/api/reports/dispatch.xlsx?date=2022-09-16');
      expect(own.status).toBe(200);
      expect(own.headers.get('content-disposition')).toContain(encodeURIComponent('小程序求助调度清单_南关区_2022-09-16.xlsx'));
      const list = await readXlsx(await own.arrayBuffer(), '调度清单');
      // As of 09-16 24:00, 南关区 has only H2 open (H1 contacted in time, H6 contacted on 09-13).
      expect(list.row(5).slice(0, 8)).toEqual([1, '长春市', '南关区', 'H2', '王*明', '2022-09-09 10:00:00', 182, '超时未联系']);
      expect(list.row(6)[0]).toBeNull();
      const summary = await readXlsx(await (await county.fetch('/api/reports/dispatch.xlsx?date=2022-09-16&region=220102')).arrayBuffer(), '分地区汇总');
      expect(summary.body.map((r) => r.cells.slice(1, 6))).toEqual([['南关区', 1, 1, 0, 182], ['合计', 1, 1, 0, 182]]);
      const audit = (await (await server.fetch('/api/admin/audit?action=report.export&username=t-county-220102')).json()) as { rows: Array<{ target: string }> };
      expect(audit.rows.map((r) => r.target)).toContain('dispatch-2022-09-16-220102');
    });

    it("a unit user's dispatch list covers its counties only", async () => {
      const res = await unit.fetch('/api/reports/dispatch.xlsx?date=2022-09-16');
      expect(res.status).toBe(200);
      const summary = await readXlsx(await res.arrayBuffer(), '分地区汇总');
      // 长春's counties: H2 (南关区, 182.0 h) and H5 (朝阳区, 09-12 09:00 → 09-16 24:00 = 111.0 h), both past 24 hours.
      expect(summary.body.find((r) => r.name === '南关区')!.cells.slice(2, 6)).toEqual([1, 1, 0, 182]);
      expect(summary.body.find((r) => r.name === '朝阳区')!.cells.slice(2, 6)).toEqual([1, 1, 0, 111]);
      expect(summary.body.at(-1)!.cells.slice(1, 6)).toEqual(['合计', 2, 2, 0, 182]);
      expect(summary.body.some((r) => r.name === '昌邑区')).toBe(false);
    });
  });
});
