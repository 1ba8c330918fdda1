// Demo data of kinds 5–8 (measures.md): training centres (a few per county,
// some opened late, a few counties without one by the deadline), stays of
// ledger persons with realistic exits and living allowances, job posts per
// source (most published on 96885 within days, some late), and policy
// delivery with amounts in the right ranges (loans up to 300,000 元, subsidies
// in the low thousands), some still pending. Read off the ledger file the main
// generator has just written, so stays and grants belong to real persons in
// their own county. Deterministic for a seed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { SCHEMA, type RecordKind } from '../ledger/ledger.schema';
import { EXIT_CHANNELS, POLICY_CHANNELS, POLICY_TYPES, POST_SOURCES } from '../ledger/measures.schema';
import { COUNTIES, GONGZHULING_CODE, GONGZHULING_LEGACY_CODE, UNITS, MEIHEKOU_CODE } from '../regions/regions.data';
import { CsvSink, csvCell, dayOf, fmtDate } from './demo.csv';
import { Rng } from './demo.random';

const LAST = dayOf(12, 31);
const JUL1 = dayOf(7, 1);

interface Person {
  id: string;
  county: string;
  received: number;
}

/** Day index (from 2022-01-01) of a 'YYYY-MM-DD' in 2022. */
function dayIndex(s: string): number {
  return Math.round((Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))) - Date.UTC(2022, 0, 1)) / 86_400_000);
}

/** Distributed persons of the ledger file (their last county), sampled by `keep` on the ID. */
async function readPersons(ledgerCsv: string, keep: (id: string) => boolean): Promise<Person[]> {
  const rl = readline.createInterface({ input: fs.createReadStream(ledgerCsv, 'utf8'), crlfDelay: Infinity });
  const out = new Map<string, Person>();
  let header = true;
  for await (const line of rl) {
    if (header) {
      header = false;
      continue;
    }
    const id = line.slice(0, 18);
    if (!keep(id) || line.includes('"')) continue;
    const c = line.split(',');
    const county = c[11] === GONGZHULING_LEGACY_CODE ? GONGZHULING_CODE : c[11] ?? '';
    if (!county) continue;
    out.set(id, { id, county, received: dayIndex(c[10]!) });
  }
  return [...out.values()];
}

/** A stable 0..1 from an ID and a salt (which persons get a stay, a grant …). */
function share(id: string, salt: number): number {
  let h = 2166136261 ^ salt;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return ((h >>> 0) % 100_000) / 100_000;
}

const CENTRE_NAMES = ['高校毕业生就业见习实训中心', '青年就业创业实训中心', '技能实训基地', '就业实训中心'];
const EMPLOYERS = ['中国第一汽车集团有限公司', '吉林化纤集团', '长春欧亚集团', '修正药业集团', '吉林银行', '东北师范大学附属中学', '皓月集团', '吉林石化公司', '长光卫星技术股份有限公司', '通化钢铁集团'];
const TITLES = ['技术员', '行政助理', '会计', '销售代表', '质检员', '教师', '护士', '软件工程师', '乡村振兴协理员', '社区专干'];

/** Policy amount in 元 (cents where the rule gives them). */
function amountOf(policy: string, r: Rng): string {
  switch (policy) {
    case '一次性扩岗补助': return '1500';
    case '一次性吸纳就业补贴': return String(1000 + 500 * r.int(3));
    case '社会保险补贴': return (600 + r.int(2400) + r.int(100) / 100).toFixed(2);
    case '灵活就业社保补贴': return (500 + r.int(1500) + r.int(100) / 100).toFixed(2);
    case '初创补贴': return String(5000 + 1000 * r.int(6));
    case '创业培训补贴': return String(800 + 100 * r.int(8));
    case '创业担保贷款': return String(50_000 + 10_000 * r.int(26)); // up to 300,000
    case '职业技能培训补贴': return String(500 + 100 * r.int(21));
    default: return String(100 + 20 * r.int(11)); // 职业技能鉴定补贴
  }
}

// Shares of each enum (same order as measures.schema.ts).
const EXIT_WEIGHTS = [0.45, 0.2, 0.08, 0.12, 0.15];
const SOURCE_WEIGHTS = [0.08, 0.05, 0.07, 0.35, 0.1, 0.1, 0.25];
const POLICY_WEIGHTS = [0.22, 0.12, 0.16, 0.1, 0.05, 0.08, 0.04, 0.18, 0.05];
const CHANNEL_WEIGHTS = [0.45, 0.25, 0.3];

function weighted<T>(values: readonly T[], weights: readonly number[], r: Rng): T {
  let u = r.next();
  for (let i = 0; i < values.length; i++) {
    u -= weights[i]!;
    if (u < 0) return values[i]!;
  }
  return values[values.length - 1]!;
}

const headersOf = (kind: RecordKind): string[] => SCHEMA[kind].map((c) => c.header);

export interface MeasureDemoFile {
  path: string;
  kind: RecordKind;
  rows: number;
}

/** Writes centres.csv, stays.csv, posts.csv and grants.csv next to the ledger file; `persons` scales them. */
export async function writeMeasureDemo(outDir: string, seed: number, persons: number): Promise<MeasureDemoFile[]> {
  const ledgerCsv = path.join(outDir, 'ledger.csv');
  const sinks = {
    centre: new CsvSink(path.join(outDir, 'centres.csv'), headersOf('centre')),
    stay: new CsvSink(path.join(outDir, 'stays.csv'), headersOf('stay')),
    post: new CsvSink(path.join(outDir, 'posts.csv'), headersOf('post')),
    grant: new CsvSink(path.join(outDir, 'grants.csv'), headersOf('grant')),
  };
  const r = new Rng(seed, 5);
  // ---- centres: 1–3 per county (more at national size), a few counties late or without one ----
  const perCounty = Math.max(1, Math.min(28, Math.round(persons / 80_000)));
  const centresOf = new Map<string, Array<{ id: string; opened: number }>>();
  let seq = 0;
  // Three counties never get one (the no_training_centre alert stays open for them), a few only after the deadline.
  const without = new Set(r.shuffled(COUNTIES.map((c) => c.code)).slice(0, 3));
  for (const c of COUNTIES) {
    const u = r.next();
    if (without.has(c.code)) continue;
    const late = u < 0.08; // first centre only after the 2022-08-31 deadline
    const n = perCounty + r.int(perCounty + 2);
    const list: Array<{ id: string; opened: number }> = [];
    for (let k = 0; k < n; k++) {
      const opened = late ? dayOf(9, 5) + r.int(60) : k === 0 ? JUL1 + r.int(45) : JUL1 + r.int(120);
      const id = `SX${c.code}${String(++seq).padStart(4, '0')}`;
      list.push({ id, opened });
      sinks.centre.row(`${id},${csvCell(`${c.name}${k === 0 ? '' : `第${k + 1}`}${CENTRE_NAMES[k % CENTRE_NAMES.length]!}`)},${c.code},${fmtDate(opened)},${20 + 10 * r.int(9)}`);
    }
    centresOf.set(c.code, list);
  }
  // ---- stays (about 15 % of persons) and grants (about 0.75 per person) ----
  const people = await readPersons(ledgerCsv, (id) => share(id, 1) < 0.15 || share(id, 2) < 0.6);
  let staySeq = 0;
  let grantSeq = 0;
  for (const p of people) {
    const centres = centresOf.get(p.county);
    if (centres && share(p.id, 1) < 0.15) {
      const c = centres[r.int(centres.length)]!;
      let entered = Math.max(p.received + 3 + r.int(40), c.opened);
      const stays = r.chance(0.1) ? 2 : 1;
      for (let k = 0; k < stays && entered <= LAST - 2; k++) {
        const exitDay = r.chance(0.65) ? entered + 7 + r.int(70) : -1;
        const exits = exitDay >= 0 && exitDay <= LAST;
        const until = exits ? exitDay : LAST;
        const allowance = (Math.min(until - entered, 60) * (20 + r.int(11)) + (r.chance(0.3) ? r.int(100) / 100 : 0)).toFixed(2);
        sinks.stay.row(`JZ${String(++staySeq).padStart(8, '0')},${p.id},${c.id},${fmtDate(entered)},${allowance},${
          exits ? `${fmtDate(exitDay)},${weighted(EXIT_CHANNELS, EXIT_WEIGHTS, r)}` : ','}`);
        if (!exits) break;
        entered = exitDay + 5 + r.int(30);
      }
    }
    if (share(p.id, 2) < 0.6) {
      const n = 1 + (r.chance(0.25) ? 1 : 0);
      for (let k = 0; k < n; k++) {
        const policy = weighted(POLICY_TYPES, POLICY_WEIGHTS, r);
        const applied = Math.min(LAST, p.received + 10 + r.int(120));
        const took = r.chance(0.12) ? -1 : 2 + r.int(r.chance(0.1) ? 60 : 25);
        const granted = took < 0 || applied + took > LAST ? '' : fmtDate(applied + took);
        const channel = r.chance(0.95) ? weighted(POLICY_CHANNELS, CHANNEL_WEIGHTS, r) : '';
        const employer = policy.startsWith('一次性') || policy === '社会保险补贴' ? r.pick(EMPLOYERS) : '';
        sinks.grant.row(`ZC${String(++grantSeq).padStart(9, '0')},${p.id},${policy},${amountOf(policy, r)},${fmtDate(applied)},${granted},${channel},${p.county},${employer}`);
      }
    }
    if (sinks.stay.full) await sinks.stay.flush();
    if (sinks.grant.full) await sinks.grant.flush();
  }
  // ---- posts: about 2.5 % of persons, by county and some by the unit itself ----
  const posts = Math.max(200, Math.round(persons * 0.025));
  const regions = [...COUNTIES.map((c) => c.code), ...UNITS.filter((u) => u.code !== MEIHEKOU_CODE).map((u) => u.code)];
  for (let i = 0; i < posts; i++) {
    const region = regions[r.int(regions.length)]!;
    const source = weighted(POST_SOURCES, SOURCE_WEIGHTS, r);
    const openings = source === '事业单位招聘' || source === '三支一扶' ? 1 + r.int(5) : 1 + r.int(30);
    const developed = JUL1 + r.int(LAST - JUL1 - 3);
    const lag = r.chance(0.08) ? -1 : r.chance(0.1) ? 4 + r.int(10) : r.int(4);
    const published = lag < 0 || developed + lag > LAST ? '' : fmtDate(developed + lag);
    const hired = r.int(Math.floor(openings * 0.7) + 1);
    const employer = source === '事业单位招聘' ? '' : r.pick(EMPLOYERS);
    sinks.post.row(`GW${String(i + 1).padStart(8, '0')},${region},${source},${employer},${r.pick(TITLES)},${fmtDate(developed)},${openings},${published},${hired}`);
    if (sinks.post.full) await sinks.post.flush();
  }
  const kinds = ['centre', 'stay', 'post', 'grant'] as const;
  for (const k of kinds) await sinks[k].close();
  return kinds.map((kind) => ({ path: sinks[kind].path, kind, rows: sinks[kind].rows }));
}
