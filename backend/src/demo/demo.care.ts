// Demo data of kinds 9–12 and kind 4's 专项活动: help plans for hardship
// graduates with return visits (most on cadence, some late), rights cases
// with correction deadlines, every unit's 亮相 publications (a few late or
// short), 典型 stories. Its own random streams, so the other files stay
// byte for byte what they were. Called from demo.generator.ts.
import * as path from 'node:path';
import { SCHEMA } from '../ledger/ledger.schema';
import { COUNTIES, MEIHEKOU_CODE, UNITS } from '../regions/regions.data';
import {
  CASE_ACTIONS, CASE_TYPES, DEADLINE_ACTIONS, EVENT_CAMPAIGNS, PARTY_KINDS, PLAN_MEASURES, PUBLICITY_ITEMS, STORY_MEDIA, STORY_TYPES,
  type CareKind,
} from '../care/care.schema';
import { CsvSink, SEC_PER_DAY, csvCell, dayOf, fmtDate, fmtDateTime } from './demo.csv';
import { Rng } from './demo.random';

const LAST_DAY = dayOf(12, 31);
const CADENCES: readonly (number | null)[] = [null, null, 30, 30, 15, 20, 45, 60];

/** The demo's "today" for overdue cases: the data run to the year's end, but cases are chased from mid-November. */
const CASE_HORIZON = dayOf(11, 20);

export interface CarePerson {
  index: number;
  id: string;
  county: string;
  staff: readonly string[];
  /** Day the person was first reached (plans follow contact), or -1. */
  contactDay: number;
  /** Day of employment, or -1. */
  empDay: number;
  lagging: boolean;
}

/** 专项活动 and 举办形式 of a generated event, from a hash of its number (no draw from the event stream). */
export function eventCampaign(seed: number, i: number, e: { name: string; mode: string; type: string }): { campaign: string; mode: string } {
  const h = hash(seed, i);
  let campaign = '';
  if (e.name.includes('百日千万')) campaign = '百日千万网络招聘';
  else if (e.name.includes('金秋招聘月')) campaign = '金秋招聘月';
  else if (h % 10 >= 4) campaign = EVENT_CAMPAIGNS[(h >>> 4) % EVENT_CAMPAIGNS.length]!;
  const mode = e.mode === '线上' && (h >>> 8) % 4 === 0 ? '直播带岗' : e.mode;
  return { campaign, mode };
}

function hash(a: number, b: number): number {
  let z = (Math.imul(a | 0, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca6b)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const headersOf = (kind: CareKind | 'service'): string[] => SCHEMA[kind].map((c) => c.header);

export class CareDemo {
  readonly sinks: { plan: CsvSink; visit: CsvSink; rights: CsvSink; publicity: CsvSink; story: CsvSink };
  private readonly r: Rng;
  private planSeq = 0;
  private visitSeq = 0;
  private readonly storyIds: string[] = [];

  constructor(seed: number, private readonly persons: number, outDir: string) {
    this.r = new Rng(seed, 9);
    this.sinks = {
      plan: new CsvSink(path.join(outDir, 'plans.csv'), headersOf('plan')),
      visit: new CsvSink(path.join(outDir, 'plan-visits.csv'), headersOf('service')),
      rights: new CsvSink(path.join(outDir, 'rights.csv'), headersOf('rights')),
      publicity: new CsvSink(path.join(outDir, 'publicity.csv'), headersOf('publicity')),
      story: new CsvSink(path.join(outDir, 'stories.csv'), headersOf('story')),
    };
  }

  get needsFlush(): boolean {
    return this.sinks.plan.full || this.sinks.visit.full;
  }

  async flush(): Promise<void> {
    await this.sinks.plan.flush();
    await this.sinks.visit.flush();
  }

  /** A hardship person: a plan soon after contact (late or missing in lagging counties), visits on its cadence until work. */
  hardshipPerson(p: CarePerson): void {
    const r = this.r;
    if (p.contactDay < 0 || !r.chance(p.lagging ? 0.6 : 0.93)) return;
    const planDay = Math.min(LAST_DAY, p.contactDay + (r.chance(p.lagging ? 0.5 : 0.1) ? 8 + r.int(20) : r.int(6)));
    const cadence = r.pick(CADENCES);
    const every = cadence ?? 30;
    const measures = r.shuffled(PLAN_MEASURES).slice(0, 1 + r.int(3)).join(';');
    const specialist = p.staff.length ? r.pick(p.staff) : '专员';
    const done = p.empDay >= 0 && r.chance(0.7);
    const planId = `BF${String(++this.planSeq).padStart(8, '0')}`;
    this.sinks.plan.row(`${planId},${p.id},${specialist},${fmtDate(planDay)},${csvCell(measures)},${cadence ?? ''},${done ? '已完成' : '执行中'}`);
    // Visits: on cadence (a day or two early), until work; a share stop early or slip, and become overdue.
    const slips = r.chance(p.lagging ? 0.5 : 0.15);
    const stopAt = p.empDay >= 0 ? p.empDay : LAST_DAY;
    const slipFrom = slips ? planDay + every * (1 + r.int(3)) : Number.POSITIVE_INFINITY;
    for (let d = planDay + every - r.int(3); d <= stopAt && d <= LAST_DAY; d += every - r.int(3)) {
      if (d > slipFrom) {
        if (r.chance(0.6)) break;
        d += 5 + r.int(20);
        if (d > stopAt || d > LAST_DAY) break;
      }
      const sec = d * SEC_PER_DAY + 32_400 + r.int(28_800);
      this.sinks.visit.row(`HF${String(++this.visitSeq).padStart(9, '0')},${p.id},${fmtDateTime(sec)},跟踪回访,${r.chance(0.7) ? '电话' : '走访'},,${p.county},${specialist},`);
    }
    // A few get a revised plan with a shorter cadence.
    if (r.chance(0.04) && planDay + 40 < LAST_DAY) {
      const again = planDay + 20 + r.int(20);
      this.sinks.plan.row(`BF${String(++this.planSeq).padStart(8, '0')},${p.id},${specialist},${fmtDate(again)},${csvCell(measures)},15,执行中`);
    }
    if (this.storyIds.length < this.persons / 400 && p.empDay >= 0 && r.chance(0.1)) this.storyIds.push(`${p.id}|${p.county}|${p.empDay}`);
  }

  /** Rights cases, publications and stories (after the persons). */
  regionRecords(): void {
    const r = this.r;
    const codes = [...UNITS.map((u) => u.code), ...COUNTIES.map((c) => c.code)];
    const cases = Math.max(40, Math.round(this.persons / 30));
    for (let i = 0; i < cases; i++) {
      const code = r.pick(codes);
      const opened = dayOf(7, 1) + r.int(CASE_HORIZON - dayOf(7, 1));
      const type = r.pickSkewed(CASE_TYPES);
      const action = r.pick(CASE_ACTIONS);
      const needsDeadline = DEADLINE_ACTIONS.includes(action);
      const deadline = needsDeadline || r.chance(0.2) ? opened + 10 + r.int(30) : -1;
      // Most close before their deadline; some are still open past it.
      const closes = r.chance(0.75);
      const closed = closes ? Math.min(CASE_HORIZON, opened + 3 + r.int(deadline >= 0 ? deadline - opened : 40)) : -1;
      const party = `${r.pick(['吉', '长', '松', '白'])}${r.pick(['华', '信', '诚', '達'])}${r.pick(['人力资源', '教育咨询', '科技', '商贸'])}有限公司`;
      this.sinks.rights.row([
        `QY2022${String(i + 1).padStart(6, '0')}`, code, type, party, r.pick(PARTY_KINDS), fmtDate(opened), action,
        deadline >= 0 ? fmtDate(deadline) : '', closed >= 0 && closed >= opened ? fmtDate(closed) : '', String(r.int(4) === 0 ? 0 : 1 + r.int(12)),
      ].join(','));
    }
    // 亮相: every unit publishes in the first ten days of July, in 1–4 releases; two are late, one leaves out an item.
    const order = r.shuffled(UNITS.map((_, i) => i));
    const late = new Set(order.slice(0, 2));
    const short = order[2]!;
    const perUnit = Math.max(1, Math.round(this.persons / 11 / 3000));
    let pub = 0;
    UNITS.forEach((u, ui) => {
      const counties = COUNTIES.filter((c) => c.parentCode === u.code && u.code !== MEIHEKOU_CODE);
      const items: string[] = r.shuffled(PUBLICITY_ITEMS.filter((x) => x !== (r.chance(0.5) ? '公开信' : '服务公告')));
      const wanted = ui === short ? items.filter((x) => x !== '机构目录') : items;
      const releases = Math.min(wanted.length, 1 + r.int(4));
      for (let k = 0; k < releases * perUnit; k++) {
        const part = wanted.filter((_, j) => j % releases === k % releases);
        const lateOne = late.has(ui) && k % releases === releases - 1;
        const day = lateOne ? dayOf(7, 11) + r.int(10) : dayOf(7, 1) + r.int(10);
        const where = counties.length && r.chance(0.3) ? r.pick(counties).code : u.code;
        const channel = r.pick(['门户网站', '微信公众号', '政务新媒体', '报纸']);
        this.sinks.publicity.row(`LX2022${String(++pub).padStart(5, '0')},${where},${fmtDate(day)},${csvCell(part.join(';'))},${channel},https://rst.jl.gov.cn/lx/${u.code}/${pub}`);
      }
    });
    // 典型 stories: a few hundred graduates in work, some without an ID number.
    let s = 0;
    for (const entry of this.storyIds) {
      const [id, county, emp] = entry.split('|') as [string, string, string];
      const day = Math.min(LAST_DAY, Number(emp) + 10 + r.int(40));
      this.sinks.story.row(`DX2022${String(++s).padStart(5, '0')},${county},${r.chance(0.8) ? id : ''},${r.pick(STORY_TYPES)},${csvCell(r.shuffled(STORY_MEDIA).slice(0, 1 + r.int(2)).join(';'))},${fmtDate(day)}`);
    }
  }

  async close(): Promise<void> {
    for (const s of Object.values(this.sinks)) await s.close();
  }

  destroy(): void {
    for (const s of Object.values(this.sinks)) s.destroy();
  }

  /** Load order: plans and their visits after the ledger and services. */
  files(): { path: string; kind: CareKind | 'service'; rows: number }[] {
    const s = this.sinks;
    return [
      { path: s.plan.path, kind: 'plan', rows: s.plan.rows },
      { path: s.visit.path, kind: 'service', rows: s.visit.rows },
      { path: s.rights.path, kind: 'rights', rows: s.rights.rows },
      { path: s.publicity.path, kind: 'publicity', rows: s.publicity.rows },
      { path: s.story.path, kind: 'story', rows: s.story.rows },
    ];
  }
}
