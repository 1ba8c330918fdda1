import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo, type DemoResult } from '../../backend/src/demo/demo.generator';
import { checkIdNumber } from '../../backend/src/ledger/id-number';
import { SCHEMA, type ColumnSpec, type RecordKind } from '../../backend/src/ledger/ledger.schema';
import { COUNTIES, COUNTY_CODES, UNITS, unitOfCounty } from '../../backend/src/regions/regions.data';

// An independent reader for what the contract promises: BOM, CRLF, RFC 4180 quotes.
function parseLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') { cells.push(cell); cell = ''; }
    else cell += ch;
  }
  if (quoted) throw new Error(`unterminated quote: ${line}`);
  cells.push(cell);
  return cells;
}

interface Table { headers: string[]; rows: Record<string, string>[]; lines: string[] }

function readCsv(file: string): Table {
  const bytes = fs.readFileSync(file);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString('utf8').slice(1);
  expect(text.endsWith('\r\n')).toBe(true);
  const lines = text.slice(0, -2).split('\r\n');
  for (const l of lines) expect(l.includes('\n') || l.includes('\r')).toBe(false);
  const headers = parseLine(lines[0]!);
  const rows = lines.slice(1).map((l) => {
    const cells = parseLine(l);
    if (cells.length !== headers.length) throw new Error(`${path.basename(file)}: ${cells.length} cells in ${l}`);
    return Object.fromEntries(headers.map((h, i) => [h, cells[i]!]));
  });
  return { headers, rows, lines: lines.slice(1) };
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const CAMPAIGN_START = Date.UTC(2022, 6, 1);
const CAMPAIGN_END = Date.UTC(2023, 0, 1); // exclusive

/** Milliseconds (as UTC wall clock) of a valid date / date-time, or null. */
function realTime(s: string, withTime: boolean): number | null {
  const m = (withTime ? DATETIME_RE : DATE_RE).exec(s);
  if (!m) return null;
  const [y, mo, d, h = 0, mi = 0, se = 0] = m.slice(1).map(Number) as number[];
  const t = Date.UTC(y!, mo! - 1, d!, h, mi, se);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo! - 1 || back.getUTCDate() !== d) return null;
  if (h > 23 || mi > 59 || se > 59) return null;
  return t;
}

function checkCell(kind: RecordKind, col: ColumnSpec, value: string, problems: string[]): void {
  const where = `${kind}.${col.header}=${JSON.stringify(value)}`;
  if (value === '') {
    if (col.required) problems.push(`${where}: required`);
    return;
  }
  switch (col.type) {
    case 'id':
      if (!checkIdNumber(value).ok) problems.push(`${where}: bad ID`);
      break;
    case 'enum':
      if (!col.values!.includes(value)) problems.push(`${where}: not in enum`);
      break;
    case 'multi':
      for (const v of value.split(/[;；、,]/)) if (!col.values!.includes(v)) problems.push(`${where}: not in enum`);
      break;
    case 'int':
      if (!/^\d+$/.test(value)) problems.push(`${where}: not an int`);
      break;
    case 'region':
      if (!COUNTY_CODES.has(value) && value !== '220381') problems.push(`${where}: unknown county`);
      break;
    case 'unitOrRegion':
      if (!COUNTY_CODES.has(value) && !UNITS.some((u) => u.code === value)) problems.push(`${where}: unknown region`);
      break;
    case 'date':
    case 'datetime': {
      const t = realTime(value, col.type === 'datetime');
      if (t === null) problems.push(`${where}: bad ${col.type}`);
      else if (t < CAMPAIGN_START || t >= CAMPAIGN_END) problems.push(`${where}: outside 2022-07-01..2022-12-31`);
      break;
    }
    case 'money':
      if (!/^\d+(\.\d{1,2})?$/.test(value)) problems.push(`${where}: not money`);
      break;
    case 'county':
      if (!COUNTY_CODES.has(value)) problems.push(`${where}: not a county-level code`);
      break;
    case 'text':
      break;
  }
}

// The base kinds' and kinds 5–8's files (the care kinds' files are DemoResult.careFiles).
const FILES = {
  ledger: 'ledger.csv', service: 'services.csv', help: 'help.csv', event: 'events.csv',
  centre: 'centres.csv', stay: 'stays.csv', post: 'posts.csv', grant: 'grants.csv',
} as Record<RecordKind, string>;
const KINDS = Object.keys(FILES) as RecordKind[];

function isoWeekMonday(t: number): number {
  const day = new Date(t).getUTCDay(); // 0 = Sunday
  return t - ((day + 6) % 7) * 86_400_000;
}

const tmpDirs: string[] = [];
function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-test-'));
  tmpDirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('demo campaign generator', () => {
  const PERSONS = 2000;
  let dir: string;
  let result: DemoResult;
  const tables = {} as Record<RecordKind, Table>;
  const progress: [number, number][] = [];

  beforeAll(async () => {
    dir = tmpDir();
    result = await generateDemo({ outDir: dir, persons: PERSONS, seed: 7, onProgress: (d, t) => progress.push([d, t]) });
    for (const kind of KINDS) tables[kind] = readCsv(path.join(dir, FILES[kind]));
  });

  it('reports the four files with their row counts and progress', () => {
    expect(result.files.map((f) => [path.basename(f.path), f.kind])).toEqual(KINDS.map((k) => [FILES[k], k]));
    for (const f of result.files) expect(f.rows).toBe(tables[f.kind].rows.length);
    expect(progress.at(-1)).toEqual([PERSONS, PERSONS]);
  });

  it('writes the schema headers in order and only valid cells', () => {
    const problems: string[] = [];
    for (const kind of KINDS) {
      expect(tables[kind].headers).toEqual(SCHEMA[kind].map((c) => c.header));
      for (const row of tables[kind].rows) for (const col of SCHEMA[kind]) checkCell(kind, col, row[col.header]!, problems);
    }
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it('puts 联系结果 on every 联系 record and keeps ids unique', () => {
    const svc = tables.service.rows;
    expect(svc.filter((r) => r['服务类型'] === '联系' && r['联系结果'] === '')).toEqual([]);
    expect(new Set(svc.map((r) => r['记录编号'])).size).toBe(svc.length);
    const help = tables.help.rows;
    expect(new Set(help.map((r) => r['求助编号'])).size).toBe(help.length);
    const ev = tables.event.rows;
    expect(new Set(ev.map((r) => r['活动编号'])).size).toBe(ev.length);
  });

  it('describes PERSONS persons with plausible, consistent ledger versions', () => {
    const byId = new Map<string, Record<string, string>[]>();
    for (const r of tables.ledger.rows) {
      const list = byId.get(r['身份证号']!) ?? [];
      list.push(r);
      byId.set(r['身份证号']!, list);
    }
    expect(byId.size).toBe(PERSONS);
    let multiVersion = 0;
    for (const [id, versions] of byId) {
      const birthYear = Number(id.slice(6, 10));
      expect(birthYear).toBeGreaterThanOrEqual(1988);
      expect(birthYear).toBeLessThanOrEqual(2001);
      expect(new Set(versions.map((v) => v['姓名'])).size).toBe(1);
      expect(versions[0]!['姓名']).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
      expect(versions[0]!['联系电话']).toMatch(/^1\d{10}$/);
      const stamps = versions.map((v) => v['更新时间']!);
      expect([...stamps].sort()).toEqual(stamps);
      if (new Set(stamps).size > 1) multiVersion++;
      for (const v of versions) {
        const year = Number(v['毕业年份']);
        if (v['人员类别'] === '应届毕业生') expect(year).toBe(2022);
        else expect(year >= 2019 && year <= 2022).toBe(true);
        expect(v['更新时间']!.slice(0, 10) >= v['接收日期']!).toBe(true);
        if (v['下发日期']) expect(v['下发日期'] >= v['接收日期']!).toBe(true);
        if (v['就业日期']) expect(v['更新时间']!.slice(0, 10) >= v['就业日期']).toBe(true);
      }
    }
    expect(multiVersion).toBeGreaterThan(PERSONS * 0.9);
    // Exact duplicate rows exist (loading must not double-count them); legacy 公主岭 code and hardship too.
    expect(new Set(tables.ledger.lines).size).toBeLessThan(tables.ledger.lines.length);
    expect(tables.ledger.rows.some((r) => r['县区代码'] === '220381')).toBe(true);
    expect(tables.ledger.rows.some((r) => r['困难类别'].includes(';'))).toBe(true);
    // Some persons are never distributed to a county.
    const undistributed = [...byId.values()].filter((vs) => vs.every((v) => v['县区代码'] === ''));
    expect(undistributed.length).toBeGreaterThan(0);
    expect(undistributed.length).toBeLessThan(PERSONS * 0.1);
  });

  it('covers all 72 county-level units', () => {
    const seen = new Set(tables.ledger.rows.map((r) => (r['县区代码'] === '220381' ? '220184' : r['县区代码'])).filter(Boolean));
    expect(COUNTIES.filter((c) => !seen.has(c.code)).map((c) => c.code)).toEqual([]);
  });

  it('has roughly 6–8 services per person and persons/8 help requests', () => {
    const perPerson = tables.service.rows.length / PERSONS;
    expect(perPerson).toBeGreaterThan(5);
    expect(perPerson).toBeLessThan(9);
    expect(tables.help.rows.length).toBe(PERSONS / 8);
  });

  it('has late and never-contacted help requests', () => {
    let late = 0;
    let never = 0;
    for (const r of tables.help.rows) {
      if (r['首次联系时间'] === '') never++;
      else if (realTime(r['首次联系时间']!, true)! - realTime(r['求助时间']!, true)! > 24 * 3_600_000) late++;
    }
    expect(late).toBeGreaterThan(0);
    expect(never).toBeGreaterThan(0);
    expect(late + never).toBeLessThan(tables.help.rows.length / 2);
  });

  it('holds recruitment events for every unit, with some missed weeks', () => {
    const unitOf = (code: string): string => (UNITS.some((u) => u.code === code) ? code : unitOfCounty(code));
    const weeks = new Map<string, Set<number>>();
    const months = new Map<string, Set<number>>();
    for (const r of tables.event.rows) {
      const unit = unitOf(r['地区代码']!);
      const t = realTime(r['举办日期']!, false)!;
      if (r['活动类型'] === '专业性') {
        if (!weeks.has(unit)) weeks.set(unit, new Set());
        weeks.get(unit)!.add(isoWeekMonday(t));
      } else {
        if (!months.has(unit)) months.set(unit, new Set());
        months.get(unit)!.add(new Date(t).getUTCMonth());
      }
    }
    expect([...weeks.keys()].sort()).toEqual(UNITS.map((u) => u.code).sort());
    expect([...months.keys()].sort()).toEqual(UNITS.map((u) => u.code).sort());
    expect(tables.event.rows.some((r) => COUNTY_CODES.has(r['地区代码']!) && r['地区代码'] !== '220581')).toBe(true);
    // Whole ISO weeks inside the campaign: Monday 2022-07-04 … Monday 2022-12-19.
    const fullWeeks: number[] = [];
    for (let t = Date.UTC(2022, 6, 4); t <= Date.UTC(2022, 11, 19); t += 7 * 86_400_000) fullWeeks.push(t);
    const missed = UNITS.map((u) => fullWeeks.filter((w) => !weeks.get(u.code)!.has(w)).length);
    expect(missed.some((n) => n > 0)).toBe(true);
    expect(missed.every((n) => n < fullWeeks.length / 2)).toBe(true);
  });

  it('is byte-identical for the same seed and differs for another', async () => {
    const again = tmpDir();
    await generateDemo({ outDir: again, persons: PERSONS, seed: 7 });
    for (const kind of KINDS) {
      expect(fs.readFileSync(path.join(again, FILES[kind])).equals(fs.readFileSync(path.join(dir, FILES[kind])))).toBe(true);
    }
    const other = tmpDir();
    await generateDemo({ outDir: other, persons: PERSONS, seed: 8 });
    for (const kind of KINDS) {
      expect(fs.readFileSync(path.join(other, FILES[kind])).equals(fs.readFileSync(path.join(dir, FILES[kind])))).toBe(false);
    }
  });

  it('hits exact service and help-request totals when asked', async () => {
    const d = tmpDir();
    const res = await generateDemo({ outDir: d, persons: 500, services: 9000, helpRequests: 120, seed: 3 });
    const rows = Object.fromEntries(res.files.map((f) => [f.kind, f.rows]));
    expect(rows.service).toBe(9000);
    expect(rows.help).toBe(120);
    const svc = readCsv(path.join(d, FILES.service));
    expect(svc.rows.length).toBe(9000);
    expect(svc.rows.filter((r) => r['服务类型'] === '联系' && r['联系结果'] === '')).toEqual([]);
  });
});
