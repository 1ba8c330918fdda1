// On a generated demo campaign: every report's numbers equal the metrics API
// for the same day, unit by unit and for the province, 合计 is the column sum,
// the breakdowns add up to 接收, and a large dispatch list stays consistent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, startTestServer, type TestServer } from '../helpers/server';
import { readXlsx, UNIT_CODES, UNIT_NAMES, type Cell } from './reports.fixture';
import { budget } from '../helpers/budget';

type Metrics = Record<string, number | null> & { region: string };

describe('reports on the demo campaign', () => {
  let server: TestServer;
  const json = { 'content-type': 'application/json' };

  const report = async (kind: string, body: unknown, sheet?: string) => {
    const g = await server.fetch(`/api/reports/${kind}`, { method: 'POST', headers: json, body: JSON.stringify(body) });
    expect(g.status, await g.clone().text()).toBe(201);
    const { id, asOf } = (await g.json()) as { id: string; asOf: string };
    const r = await server.fetch(`/api/reports/${id}/download`);
    return { asOf, sheet: await readXlsx(await r.arrayBuffer(), sheet) };
  };
  const metrics = async (asOf: string) => {
    const m = (await (await server.fetch(`/api/metrics/220000?asOf=${asOf}`)).json()) as Metrics & { children: Metrics[] };
    return { province: m, units: UNIT_CODES.map((c) => m.children.find((x) => x.region === c)!) };
  };
  const sumsHold = (body: Array<{ cells: Cell[] }>, rateCols: Set<number>) => {
    const total = body.at(-1)!.cells;
    for (let c = 2; c < total.length; c++) {
      if (rateCols.has(c)) continue;
      expect(total[c], `column ${c}`).toBe(body.slice(0, -1).reduce((a, r) => a + Number(r.cells[c]), 0));
    }
  };

  beforeAll(async () => {
    server = await startTestServer();
    await loadDemo(server, 1500);
  }, budget(120_000));
  afterAll(async () => {
    await server?.close();
  });

  it('weekly: equals GET /api/metrics for the as-of day, the groups add up to 接收, 合计 is the column sum', async () => {
    const { asOf, sheet } = await report('weekly', { week: '2022-W40' });
    expect(asOf).toBe('2022-10-09');
    expect(sheet.body.map((r) => r.name)).toEqual([...UNIT_NAMES, '未分解到县', '合计']);
    const { province, units } = await metrics(asOf);
    const pick = (m: Metrics) => [
      m.received, m.contacted, m.contactRate ?? '—', m.intentEmployment, m.completed1311, m.rate1311 ?? '—', m.employed, m.employmentRate ?? '—',
      m.hardship, m.hardshipOneOnOne, m.hardshipEmployed, m.helpRequests, m.helpContactedInSla, m.helpOverdue,
    ];
    const fromSheet = (c: Cell[]) => [c[2], c[9], c[10], c[11], c[17], c[18], c[19], c[20], c[21], c[22], c[23], c[25], c[26], c[27]];
    expect(fromSheet(sheet.body.at(-1)!.cells)).toEqual(pick(province));
    expect(sheet.body[11]!.cells[2]).toBe(province.pendingDistribution);
    units.forEach((u, i) => expect(fromSheet(sheet.body[i]!.cells), UNIT_NAMES[i]).toEqual(pick(u)));
    expect(Number(province.received)).toBeGreaterThan(500);
    sumsHold(sheet.body, new Set([10, 18, 20]));
    for (const r of sheet.body) {
      const c = r.cells.map(Number);
      expect(c[3]! + c[4]! + c[5]! + c[6]! + c[7]!, `${r.name} sources`).toBe(c[2]);
      expect(c[11]! + c[12]! + c[13]! + c[14]! + c[15]!, `${r.name} categories`).toBe(c[2]);
      expect(c[16]!, `${r.name} served ≤ contacted`).toBeLessThanOrEqual(c[9]!);
      expect(c[24]!, `${r.name} placed ≤ hardship`).toBeLessThanOrEqual(c[21]!);
      for (const x of c.slice(2)) if (!Number.isNaN(x)) expect(x).toBeGreaterThanOrEqual(0);
    }
  });

  it('semi-monthly: equals the metrics API at the period end, and its net change is the difference to the day before the period', async () => {
    const { asOf, sheet } = await report('semimonthly', { date: '2022-10-16' });
    expect(asOf).toBe('2022-10-15');
    const end = await metrics('2022-10-15');
    const before = await metrics('2022-09-30');
    const rows = [...end.units.map((u, i) => ({ e: u, b: before.units[i]!, cells: sheet.body[i]!.cells }))];
    rows.push({ e: end.province, b: before.province, cells: sheet.body.at(-1)!.cells });
    for (const { e, b, cells } of rows) {
      expect([cells[2], cells[3], cells[5], cells[13], cells[15], cells[16], cells[18]]).toEqual([
        e.received, e.contacted, Number(e.contacted) - Number(b.contacted), e.completed1311, Number(e.completed1311) - Number(b.completed1311),
        e.employed, Number(e.employed) - Number(b.employed),
      ]);
    }
    sumsHold(sheet.body, new Set([4, 14, 17, 21]));
  });

  it('the province-wide dispatch list: one list row per open request, the summary adds up', async () => {
    const { sheet: summary } = await report('dispatch', { date: '2022-10-31' }, '分地区汇总');
    const { sheet: list } = await report('dispatch', { date: '2022-10-31' }, '调度清单');
    const total = summary.body.at(-1)!.cells;
    expect(summary.body.slice(0, -1).reduce((a, r) => a + Number(r.cells[2]), 0)).toBe(total[2]);
    expect(Number(total[2])).toBe(Number(total[3]) + Number(total[4]));
    let n = 0;
    while (list.row(5 + n)[3]) n++;
    expect(n).toBe(total[2]);
    const hours = Array.from({ length: n }, (_x, i) => Number(list.row(5 + i)[6]));
    const overdue = Array.from({ length: n }, (_x, i) => list.row(5 + i)[7]).filter((st) => st === '超时未联系').length;
    expect(overdue).toBe(total[3]);
    expect(hours.every((h) => h >= 0)).toBe(true);
    expect(n).toBeGreaterThan(0);
    expect(Math.max(...hours)).toBe(total[5]);
  });
});
