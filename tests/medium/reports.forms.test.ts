// The semi-monthly progress form, the province-wide dispatch list, the
// liaison directory (附件3) and the scheduled report jobs, on the hand-made
// campaign of reports.fixture.ts; expected cells worked out by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { JobsService } from '../../backend/src/jobs/jobs.service';
import { ReportsService } from '../../backend/src/reports/reports.service';
import { startTestServer, type TestServer } from '../helpers/server';
import { readXlsx, UNIT_NAMES, writeFixture, type Cell } from './reports.fixture';

const D = '—';
const json = { 'content-type': 'application/json' };

describe('semi-monthly, dispatch and liaison reports', () => {
  let server: TestServer;

  const generate = async (kind: string, body: unknown) => {
    const r = await server.fetch(`/api/reports/${kind}`, { method: 'POST', headers: json, body: JSON.stringify(body) });
    expect(r.status, await r.clone().text()).toBe(201);
    return (await r.json()) as { id: string; period: string; asOf: string; periodStart: string; periodEnd: string; dataRows: number };
  };
  const download = async (id: string, sheet?: string) => {
    const r = await server.fetch(`/api/reports/${id}/download`);
    expect(r.status).toBe(200);
    return readXlsx(await r.arrayBuffer(), sheet);
  };

  beforeAll(async () => {
    server = await startTestServer();
    const files = writeFixture();
    const ingest = server.app.get(IngestService);
    for (const batch of [files.first, files.second]) {
      const s = await ingest.loadFiles(batch, { source: 'cli' });
      expect(s.files.every((f) => f.rejected === 0 && !f.error)).toBe(true);
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  it('semi-monthly: the half-month before the 调度日, cumulative as of its end, net change against the day before it began', async () => {
    const e = await generate('semimonthly', { date: '2022-09-16' });
    expect(e).toMatchObject({ id: 'semimonthly-2022-09-H1', period: '2022-09-H1', periodStart: '2022-09-01', periodEnd: '2022-09-15', asOf: '2022-09-15' });
    const s = await download(e.id);
    expect(String(s.row(1)[0])).toContain('2022年9月上半月：9月1日—9月15日，数据截至2022年9月15日24时');
    expect(s.body.map((r) => r.name)).toEqual([...UNIT_NAMES, '未分解到县', '合计']);
    // By hand, as of 09-15 24:00 against 08-31 24:00. P4's 09-13 version (有就业意愿, 已就业) now counts; P7 (长白山) arrived 09-12;
    // P9 was in 长春 on 08-31 and in 吉林 on 09-15.
    //        recv cont rate  Δ   意愿 创业 无法 暂无 未分 serv Δ  1311 rate Δ  emp rate  Δ  hs o2o rate hsE welf
    const want: Record<string, Cell[]> = {
      长春市: [4, 2, 0.5, 1, 3, 1, 0, 0, 0, 2, 1, 1, 1 / 3, 0, 3, 0.75, 1, 2, 1, 0.5, 2, 0],
      吉林市: [2, 1, 0.5, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 2, 1, 2, 1, 1, 1, 1, 1],
      长白山管委会: [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, D, 0, 0],
      梅河口市: [1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, D, 0, 0, 0, 0, 1, 0, 0, 0, 1],
      四平市: [0, 0, D, 0, 0, 0, 0, 0, 0, 0, 0, 0, D, 0, 0, D, 0, 0, 0, D, 0, 0],
      未分解到县: [1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, D, 0, 0, 0, 0, 0, 0, D, 0, 0],
      合计: [9, 5, 5 / 9, 3, 5, 1, 0, 1, 2, 4, 3, 1, 0.2, 0, 5, 5 / 9, 3, 4, 2, 0.5, 3, 2],
    };
    for (const [name, cells] of Object.entries(want)) {
      const got = s.body.find((r) => r.name === name)!.cells.slice(2);
      cells.forEach((w, i) => {
        if (typeof w === 'number' && !Number.isInteger(w)) expect(got[i], `${name} col ${i}`).toBeCloseTo(w, 10);
        else expect(got[i], `${name} col ${i}`).toBe(w);
      });
    }
    const rates = new Set([4, 14, 17, 21]); // columns E, O, R, V (0-based)
    const total = s.body.at(-1)!.cells;
    for (let c = 2; c < total.length; c++) {
      if (rates.has(c)) continue;
      expect(total[c], `column ${c}`).toBe(s.body.slice(0, -1).reduce((a, r) => a + Number(r.cells[c]), 0));
    }
    expect(s.ws.getCell('F5').numFmt).toBe('+0;-0;0');
    const m = (await (await server.fetch('/api/metrics/220000?asOf=2022-09-15')).json()) as Record<string, number>;
    expect([total[2], total[3], total[6], total[13], total[16], total[19], total[20], total[22]]).toEqual([
      m.received, m.contacted, m.intentEmployment, m.completed1311, m.employed, m.hardship, m.hardshipOneOnOne, m.hardshipEmployed,
    ]);
  });

  it('the province-wide dispatch list: open requests at the end of the day, masked names only, per county, with a per-unit summary', async () => {
    const e = await generate('dispatch', { date: '2022-09-11' });
    expect(e).toMatchObject({ id: 'dispatch-2022-09-11', dataRows: 3 });
    const list = await download(e.id, '调度清单');
    expect(list.row(4).slice(0, 8)).toEqual(['序号', '市（州）', '县（市、区）', '求助编号', '姓名', '求助时间', '已等待（小时）', '状态']);
    // H1 and H4 were contacted; H5 came after; H6 (no name on the request) takes P2's masked name from the ledger.
    expect([5, 6, 7].map((r) => list.row(r).slice(0, 8))).toEqual([
      [1, '长春市', '南关区', 'H2', '王*明', '2022-09-09 10:00:00', 62, '超时未联系'],
      [2, '长春市', '南关区', 'H6', '张*丰', '2022-09-10 09:00:00', 39, '超时未联系'],
      [3, '吉林市', '昌邑区', 'H3', '李*', '2022-09-11 20:00:00', 4, '待联系（未满24小时）'],
    ]);
    expect(list.row(8)[0]).toBeNull();
    const text = JSON.stringify([5, 6, 7].map((r) => list.row(r)));
    expect(text).not.toMatch(/\d{17}[\dX]|王小明|张三丰/);
    const summary = await download(e.id, '分地区汇总');
    expect(summary.body.map((r) => r.name)).toEqual([...UNIT_NAMES, '合计']);
    expect(summary.body[0]!.cells.slice(2, 6)).toEqual([2, 2, 0, 62]);
    expect(summary.body[1]!.cells.slice(2, 6)).toEqual([1, 0, 1, 4]);
    expect(summary.body[2]!.cells.slice(2, 6)).toEqual([0, 0, 0, D]);
    expect(summary.body.at(-1)!.cells.slice(2, 6)).toEqual([3, 2, 1, 62]);
  });

  it('the liaison directory (附件3): every unit, the liaison on file, blanks where none is', async () => {
    const put = await server.fetch('/api/liaisons', {
      method: 'PUT', headers: json,
      body: JSON.stringify({ regionCode: '220100', name: '王丽', title: '长春市人社局就业促进处', phone: '0431-88888888', mobile: '13800000000', email: 'wangli@example.cn' }),
    });
    expect(put.status).toBe(200);
    const e = await generate('liaisons', {});
    const s = await download(e.id);
    expect(String(s.row(1)[0])).toContain('2022年离校未就业毕业生服务攻坚行动联络员表');
    expect(s.body.map((r) => r.name)).toEqual(UNIT_NAMES);
    expect(s.body[0]!.cells.slice(0, 7)).toEqual([1, '长春市', '王丽', '长春市人社局就业促进处', '0431-88888888', '13800000000', 'wangli@example.cn']);
    expect(s.body[1]!.cells.slice(2, 7).map((v) => v ?? '')).toEqual(['', '', '', '', '']);
  });

  it('the scheduled jobs: Thursday → the current week as of that day; the 16th → the first half-month; 08:00 → the list at 08:00', async () => {
    const reports = server.app.get(ReportsService);
    // Thursday 2022-09-15 12:00 in Changchun.
    const w = await reports.runScheduled('weekly', new Date('2022-09-15T04:00:00Z'));
    expect(w.generated).toMatchObject({ id: 'weekly-2022-W37', periodStart: '2022-09-12', periodEnd: '2022-09-18', asOf: '2022-09-15', generatedBy: 'system' });
    const weekly = await download('weekly-2022-W37');
    expect(String(weekly.row(1)[0])).toContain('本期尚未结束，数据截至2022年9月15日');
    const h = await reports.runScheduled('semimonthly', new Date('2022-09-16T00:00:00Z'));
    expect(h.generated).toMatchObject({ id: 'semimonthly-2022-09-H1' });
    const d = await reports.runScheduled('dispatch', new Date('2022-09-16T00:00:00Z'));
    // At 2022-09-16 08:00: H2 has waited 166 h, H3 108 h, H5 95 h; H6 was contacted on 09-13.
    expect(d.generated).toMatchObject({ id: 'dispatch-2022-09-16', dataRows: 3 });
    const list = await download('dispatch-2022-09-16', '调度清单');
    expect([5, 6, 7].map((r) => [list.row(r)[3], list.row(r)[6]])).toEqual([['H2', 166], ['H5', 95], ['H3', 108]]);
    expect(String(list.row(1)[0])).toContain('2022年9月16日08:00仍未首次联系');
    // Run by the scheduler today, long after the campaign: nothing to report, and not a failure.
    const st = await server.app.get(JobsService).run('report-weekly');
    expect(st.lastStatus).toBe('ok');
    expect(st.lastResult).toMatchObject({ generated: null, skipped: expect.stringContaining('不在攻坚行动期间') });
    const list2 = (await (await server.fetch('/api/reports?kind=weekly')).json()) as { reports: Array<{ id: string }> };
    expect(list2.reports.map((r) => r.id)).toEqual(['weekly-2022-W37']);
  });
});
