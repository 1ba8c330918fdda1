// `npm run cli -- report …` (the built CLI): each kind writes its XLSX, prints
// one JSON line, archives province-wide reports, and bad input is a usage
// error with a message. Needs `npm run build:server` (npm test builds first).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/server';
import { ingest, runCli } from '../helpers/ledger-fixtures';
import { readXlsx, UNIT_NAMES, writeFixture } from './reports.fixture';
import { budget } from '../helpers/budget';

describe('report CLI', () => {
  let dataDir: string;
  let outDir: string;

  beforeAll(async () => {
    dataDir = tempDataDir('reports-cli-data-');
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reports-cli-out-'));
    const files = writeFixture();
    const a = await ingest(dataDir, files.first);
    const b = await ingest(dataDir, files.second);
    expect([a.rejected, b.rejected]).toEqual([0, 0]);
  }, budget(120_000));

  it('report weekly --week 2022-W36 --out F.xlsx writes the form and archives it', async () => {
    const out = path.join(outDir, 'w36.xlsx');
    const r = await runCli(dataDir, ['report', 'weekly', '--week', '2022-W36', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ kind: 'weekly', id: 'weekly-2022-W36', period: '2022-W36', asOf: '2022-09-11', out, rows: 13 });
    const s = await readXlsx(fs.readFileSync(out));
    expect(s.body.map((x) => x.name)).toEqual([...UNIT_NAMES, '未分解到县', '合计']);
    // 合计 by hand (reports.weekly.test.ts): 接收 8, of which 教育部门 4; 已联系 5; 1311 1; 已就业 4; 求助 5 (1 in time, 3 overdue).
    const t = s.body.at(-1)!.cells;
    expect([t[2], t[3], t[9], t[17], t[19], t[25], t[26], t[27]]).toEqual([8, 4, 5, 1, 4, 5, 1, 3]);
  });

  it('semimonthly, dispatch (province-wide or one region) and liaisons', async () => {
    const semi = await runCli(dataDir, ['report', 'semimonthly', '--date', '2022-09-16', '--out', path.join(outDir, 's.xlsx')]);
    expect(semi.code, semi.stderr).toBe(0);
    expect(semi.json).toMatchObject({ id: 'semimonthly-2022-09-H1', asOf: '2022-09-15' });

    const all = await runCli(dataDir, ['report', 'dispatch', '--date', '2022-09-16', '--out', path.join(outDir, 'd.xlsx')]);
    expect(all.code, all.stderr).toBe(0);
    // H2, H3 and H5 are still waiting at 2022-09-16 24:00.
    expect(all.json).toMatchObject({ id: 'dispatch-2022-09-16', rows: 3 });
    const one = await runCli(dataDir, ['report', 'dispatch', '--date', '2022-09-16', '--region', '220102', '--out', path.join(outDir, 'd1.xlsx')]);
    expect(one.code, one.stderr).toBe(0);
    expect(one.json).toMatchObject({ id: null, region: '220102', rows: 1 });
    const list = await readXlsx(fs.readFileSync(path.join(outDir, 'd1.xlsx')), '调度清单');
    expect(list.row(5).slice(3, 5)).toEqual(['H2', '王*明']);

    const li = await runCli(dataDir, ['report', 'liaisons', '--out', path.join(outDir, 'l.xlsx')]);
    expect(li.code, li.stderr).toBe(0);
    expect((await readXlsx(fs.readFileSync(path.join(outDir, 'l.xlsx')))).body.map((x) => x.name)).toEqual(UNIT_NAMES);
  }, budget(60_000));

  it('bad input is a usage error with a message, and no file is written', async () => {
    const out = path.join(outDir, 'bad.xlsx');
    const bad = await runCli(dataDir, ['report', 'weekly', '--week', '2022-W53', '--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('2022-W53');
    expect(fs.existsSync(out)).toBe(false);
    const noOut = await runCli(dataDir, ['report', 'weekly', '--week', '2022-W36']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out');
    const kind = await runCli(dataDir, ['report', 'monthly', '--out', out]);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain('report needs a kind');
  }, budget(60_000));
});
