// The case list and the person page: who is not yet served and why, masked,
// scoped, exportable; revealing one person is explicit and audited.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { startTestServer, type Session, type TestServer } from '../helpers/server';
import { helpCsv, ledgerCsv, pid, serviceCsv } from '../helpers/ledger-fixtures';

interface CaseRow { personKey: string; name: string; idNumber: string; phone: string; contacted: boolean; missing1311: string[]; reasons: string[]; helpOverdue: number }
interface Page { total: number; rows: CaseRow[] }

describe('case list and person page', () => {
  let server: TestServer;
  let county: Session;
  let other: Session;
  let unit: Session;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-'));
  // Persons in 南关区 220102: A not contacted; B job-seeker missing only 就业见习; C hardship without one-on-one
  // and with a help request 30 hours unanswered; D in 宽城区 220103 (another county).
  const [A, B, C, D] = [pid(1), pid(2), pid(3), pid(4)];

  beforeAll(async () => {
    server = await startTestServer();
    const files = [
      ledgerCsv(dir, 'ledger.csv', [
        { id: A, name: '张三明', received: '2022-07-05', county: '220102', updated: '2022-07-06 09:00' },
        { id: B, name: '李四光', received: '2022-07-05', county: '220102', category: '有就业意愿', updated: '2022-07-06 09:00' },
        { id: C, name: '王五一', received: '2022-07-05', county: '220102', category: '暂无就业意愿', hardship: '残疾', updated: '2022-07-06 09:00' },
        { id: D, name: '赵六二', received: '2022-07-05', county: '220103', updated: '2022-07-06 09:00' },
      ]),
      serviceCsv(dir, 'services.csv', [
        { rid: 'S1', id: B, time: '2022-07-10 10:00', type: '联系', result: '已联系', county: '220102' },
        { rid: 'S2', id: B, time: '2022-07-11 10:00', type: '职业指导', county: '220102' },
        { rid: 'S3', id: B, time: '2022-07-12 10:00', type: '岗位推介', county: '220102' },
        { rid: 'S4', id: B, time: '2022-07-13 10:00', type: '岗位推介', county: '220102' },
        { rid: 'S5', id: B, time: '2022-07-14 10:00', type: '岗位推介', county: '220102' },
        { rid: 'S6', id: B, time: '2022-07-15 10:00', type: '技能培训', county: '220102' },
        { rid: 'S7', id: C, time: '2022-07-10 10:00', type: '联系', result: '已联系', county: '220102' },
      ]),
      helpCsv(dir, 'help.csv', [{ hid: 'H1', id: C, at: '2022-07-20 08:00', county: '220102' }]),
    ];
    const s = await server.app.get(IngestService).loadFiles(files);
    expect(s.rejected).toBe(0);
    county = await server.as('county', '220102');
    other = await server.as('county', '220103');
    unit = await server.as('unit', '220100');
  });
  afterAll(async () => {
    await server?.close();
  });

  const list = async (s: Session, query: string): Promise<Page> => {
    const r = await s.fetch(`/api/cases?county=220102&asOf=2022-07-31${query}`);
    expect(r.status).toBe(200);
    return (await r.json()) as Page;
  };

  it('lists the county’s persons, masked, with the reasons they still need attention', async () => {
    const page = await list(county, '&sort=name');
    expect(page.total).toBe(3);
    const text = JSON.stringify(page);
    for (const secret of [A, B, C, '张三明', '李四光']) expect(text).not.toContain(secret);
    const byName = Object.fromEntries(page.rows.map((r) => [r.name, r]));
    expect(byName['张*明']!.reasons).toContain('未联系');
    expect(byName['李*光']!.missing1311).toEqual(['就业见习']);
    expect(byName['王*一']!.reasons).toEqual(['困难毕业生未一对一帮扶', '求助超时未联系 1 件']);
  });

  it('filters on the server: not contacted, missing internship, hardship without help, overdue requests', async () => {
    expect((await list(county, '&contacted=no')).rows.map((r) => r.name)).toEqual(['张*明']);
    expect((await list(county, `&missing=${encodeURIComponent('就业见习')}`)).rows.map((r) => r.name)).toEqual(['李*光']);
    expect((await list(county, '&noOneOnOne=1')).rows.map((r) => r.name)).toEqual(['王*一']);
    expect((await list(county, '&overdue=1')).rows.map((r) => r.name)).toEqual(['王*一']);
    const paged = await list(county, '&sort=name&limit=2&offset=2');
    expect(paged.total).toBe(3);
    expect(paged.rows).toHaveLength(1);
  });

  it('refuses another county’s list and bad filters', async () => {
    expect((await other.fetch('/api/cases?county=220102&asOf=2022-07-31')).status).toBe(403);
    expect((await county.fetch('/api/cases?county=220102&contacted=maybe')).status).toBe(400);
    expect((await county.fetch('/api/cases?county=220100')).status).toBe(400);
  });

  it('the person page shows versions and services; another county cannot open it', async () => {
    const b = (await list(county, '&contacted=yes&category=' + encodeURIComponent('有就业意愿'))).rows[0]!;
    const r = await county.fetch(`/api/persons/${b.personKey}`);
    const person = (await r.json()) as { name: string; versions: unknown[]; services: Array<{ serviceType: string }> };
    expect(person.name).toBe('李*光');
    expect(person.versions).toHaveLength(1);
    expect(person.services.map((s) => s.serviceType)).toEqual(['联系', '职业指导', '岗位推介', '岗位推介', '岗位推介', '技能培训']);
    expect((await other.fetch(`/api/persons/${b.personKey}`)).status).toBe(403);
  });

  it('reveals one person to a county or unit user in scope, and audits it; the province cannot', async () => {
    const a = (await list(county, '&contacted=no')).rows[0]!;
    const r = await county.fetch(`/api/persons/${a.personKey}/reveal`, { method: 'POST' });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ idNumber: A, name: '张三明', phone: '' });
    expect((await unit.fetch(`/api/persons/${a.personKey}/reveal`, { method: 'POST' })).status).toBe(200);
    const province = await server.as('province');
    expect((await province.fetch(`/api/persons/${a.personKey}/reveal`, { method: 'POST' })).status).toBe(403);
    expect((await other.fetch(`/api/persons/${a.personKey}/reveal`, { method: 'POST' })).status).toBe(403);
    const audit = (await (await server.fetch('/api/admin/audit?action=reveal')).json()) as { rows: Array<{ username: string; target: string }> };
    expect(audit.rows.map((x) => x.username).sort()).toEqual(['t-county-220102', 't-unit-220100']);
    expect(audit.rows.every((x) => x.target === a.personKey)).toBe(true);
  });

  it('exports the filtered list to Excel with a title row, masked, and audits the export', async () => {
    const r = await county.fetch(`/api/cases/export.xlsx?county=220102&asOf=2022-07-31&sort=name`);
    expect(r.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await r.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getCell('A1').value)).toContain('南关区');
    expect(String(ws.getCell('A2').value)).toContain('2022-07-31');
    expect(ws.getRow(3).getCell(1).value).toBe('姓名');
    const names = [4, 5, 6].map((i) => ws.getRow(i).getCell(1).value);
    expect(names).toEqual(['张*明', '李*光', '王*一']);
    expect(JSON.stringify(ws.getSheetValues())).not.toContain(A);
    const audit = (await (await server.fetch('/api/admin/audit?action=export&username=t-county-220102')).json()) as { total: number };
    expect(audit.total).toBe(1);
    expect((await other.fetch('/api/cases/export.xlsx?county=220102')).status).toBe(403);
  });

  it('data freshness per county: last ledger update, the load that brought it, rejected rows naming it', async () => {
    const rows = (await (await unit.fetch('/api/freshness/220100')).json()) as Array<{ county: string; lastLedgerUpdate: string | null; lastRun: number | null; rejects: number }>;
    const nanguan = rows.find((r) => r.county === '220102')!;
    expect(nanguan.lastLedgerUpdate).toBe('2022-07-06 09:00:00');
    expect(nanguan.lastRun).toBeGreaterThan(0);
    expect(rows.find((r) => r.county === '220112')).toMatchObject({ lastLedgerUpdate: null, rejects: 0 });
    expect(rows).toHaveLength(15);
    expect((await other.fetch('/api/freshness/220100')).status).toBe(403);
  });

  it('exports one person’s versions and services, masked, and a run’s rejects in scope', async () => {
    const b = (await list(county, '&contacted=yes&category=' + encodeURIComponent('有就业意愿'))).rows[0]!;
    const r = await county.fetch(`/api/persons/${b.personKey}/export.xlsx`);
    expect(r.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await r.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getCell('A1').value)).toContain('李*光');
    const kinds = ws.getColumn(1).values.slice(4);
    // One ledger version and six services, in time order.
    expect(kinds).toEqual(['台账版本', ...Array(6).fill('服务记录')]);
    expect(JSON.stringify(ws.getSheetValues())).not.toContain(B);
    expect((await other.fetch(`/api/persons/${b.personKey}/export.xlsx`)).status).toBe(403);
  });
});
