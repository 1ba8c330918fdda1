// The demo-campaign generator: a plausible 2022 campaign for Jilin province
// (July–December) written as ledger-contract CSV files (ledger-format.md):
// ledger.csv (台账), services.csv (服务记录), help.csv (求助登记) and
// events.csv (招聘活动).
//
// Deterministic for a seed (own PRNG, no clock) and streaming: persons are
// generated one at a time, each person's ledger versions, services and help
// requests are written right away and nothing about the person is kept.
// What is kept is small: per-county tables, per-(ID area, birth year, gender)
// counters that make ID numbers unique without remembering them, and the
// running totals that steer the optional exact service / help-request counts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeIdNumber } from '../ledger/id-number';
import {
  CATEGORIES, COHORTS, CONTACT_METHODS, CONTACT_RESULTS, EDUCATIONS, EMPLOYMENT_STATUSES, EVENT_MODES, EVENT_TYPES,
  GENDERS, HARDSHIPS, SCHEMA, SERVICE_TYPES, SOURCES, type RecordKind,
} from '../ledger/ledger.schema';
import {
  COUNTIES, GONGZHULING_CODE, GONGZHULING_LEGACY_CODE, MEIHEKOU_CODE, UNITS, type Region,
} from '../regions/regions.data';
import { CsvSink, END_SEC, SEC_PER_DAY, csvCell, dayOf, fmtDate, fmtDateTime } from './demo.csv';
import { Rng, pickCumulative } from './demo.random';
import { writeMeasureDemo } from './demo.measures';
import { CareDemo, eventCampaign } from './demo.care';
import {
  GIVEN_FEMALE, GIVEN_MALE, GRAD_UNIVERSITIES, KOREAN_SURNAMES, PHONE_PREFIXES, QUOTED_CONTACT_FAIL_NOTES,
  QUOTED_FOLLOWUP_NOTES, QUOTED_INTERNSHIP_NOTES, QUOTED_JOB_NOTES, QUOTED_ONE_ON_ONE_NOTES, QUOTED_TRAINING_NOTES,
  SURNAMES, UNI_MAJORS, UNIVERSITIES, VOC_MAJORS, VOC_SCHOOLS,
} from './demo.vocab';

export interface DemoOptions {
  outDir: string;
  /** Number of persons (default 22000). */
  persons?: number;
  /** PRNG seed (default 2022). */
  seed?: number;
  /** Exact total of service rows (default: what the campaign model gives, ~6–8 per person). */
  services?: number;
  /** Exact total of help requests (default persons / 8). */
  helpRequests?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface DemoResult {
  files: { path: string; kind: RecordKind; rows: number }[];
  /** Kinds 9–12 (and the plans' return visits), loaded after `files`. */
  careFiles: { path: string; kind: RecordKind; rows: number }[];
}

// ---------------------------------------------------------------------------
// Rows are written positionally; fail loudly if the schema's column order moves.
const COLUMN_ORDER: Partial<Record<RecordKind, readonly string[]>> = {
  ledger: [
    'id_number', 'name', 'gender', 'phone', 'school', 'major', 'education', 'graduation_year', 'cohort', 'source',
    'received_date', 'county_code', 'assigned_date', 'category', 'hardship', 'employment_status', 'employment_date',
    'updated_at',
  ],
  service: ['record_id', 'id_number', 'service_time', 'service_type', 'contact_method', 'contact_result', 'county_code', 'staff', 'note'],
  help: ['request_id', 'id_number', 'name', 'requested_at', 'county_code', 'first_contact_at'],
  event: ['event_id', 'region_code', 'name', 'event_type', 'mode', 'event_date', 'jobs', 'attendees', 'campaign'],
  centre: ['centre_id', 'name', 'county_code', 'opened_date', 'capacity'],
  stay: ['stay_id', 'id_number', 'centre_id', 'entered_date', 'allowance', 'exit_date', 'exit_channel'],
  post: ['post_id', 'region_code', 'post_source', 'employer', 'title', 'developed_date', 'openings', 'published_date', 'hired'],
  grant: ['grant_id', 'id_number', 'policy', 'amount', 'applied_date', 'granted_date', 'channel', 'county_code', 'employer'],
};
for (const kind of Object.keys(COLUMN_ORDER) as RecordKind[]) {
  if (SCHEMA[kind].map((c) => c.key).join(',') !== COLUMN_ORDER[kind]!.join(',')) {
    throw new Error(`demo generator: column order of ${kind} no longer matches SCHEMA`);
  }
}
const headersOf = (kind: RecordKind): string[] => SCHEMA[kind].map((c) => c.header);

// ---------------------------------------------------------------------------
// Calendar (day indices from 2022-01-01).
const JUL1 = dayOf(7, 1);
const AUG1 = dayOf(8, 1);
const SEP1 = dayOf(9, 1);
const OCT31 = dayOf(10, 31);
const LAST_DAY = dayOf(12, 31);
const MONTH_STARTS = [7, 8, 9, 10, 11, 12].map((m) => dayOf(m, 1));

// Enum values, checked against the schema constants by the compiler.
type ServiceType = (typeof SERVICE_TYPES)[number];
const st = (t: ServiceType): number => SERVICE_TYPES.indexOf(t);
const S_CONTACT = st('联系');
const S_GUIDANCE = st('职业指导');
const S_JOB = st('岗位推介');
const S_TRAINING = st('技能培训');
const S_INTERNSHIP = st('就业见习');
const S_STARTUP_TRAINING = st('创业培训');
const S_STARTUP_SERVICE = st('创业服务');
const S_POLICY = st('政策落实');
const S_ONE_ON_ONE = st('一对一帮扶');
const S_FOLLOWUP = st('跟踪回访');
const S_PUBLIC_JOB = st('公益性岗位安置');
type ContactMethod = (typeof CONTACT_METHODS)[number];
const cm = (m: ContactMethod): number => CONTACT_METHODS.indexOf(m);
const M_VISIT = cm('走访');
const M_PHONE = cm('电话');
const M_DATA = cm('数据比对');
const M_SMS = cm('短信');
const M_OTHER = cm('其他');
const R_OK = CONTACT_RESULTS.indexOf('已联系');
const R_FAIL = CONTACT_RESULTS.indexOf('未联系上');
const CAT_EMPLOY: (typeof CATEGORIES)[number] = '有就业意愿';
const CAT_STARTUP: (typeof CATEGORIES)[number] = '有创业意愿';
const CAT_UNREACHABLE: (typeof CATEGORIES)[number] = '无法联系';
const CAT_NOT_NOW: (typeof CATEGORIES)[number] = '暂无就业意愿';
type Status = (typeof EMPLOYMENT_STATUSES)[number];
const ST_NONE: Status = '未就业';
const ST_EMPLOYED: Status = '已就业';
const ST_STARTUP: Status = '自主创业';
const ST_FLEX: Status = '灵活就业';
const ST_PUBLIC: Status = '公益性岗位';
const ST_STUDY: Status = '升学';
const ST_ARMY: Status = '参军';
const [GENDER_M, GENDER_F] = GENDERS;
const [COHORT_GRAD, COHORT_YOUTH] = COHORTS;
type Source = (typeof SOURCES)[number];
const SRC_EDU: Source = '教育部门';
const SRC_COLLEGE: Source = '高校';
const SRC_APP: Source = '小程序';
const SRC_UNEMPLOYED: Source = '失业登记';
const SRC_OTHER: Source = '其他';
/** Typical age at graduation per education level (专科, 本科, 硕士, 博士). */
const GRAD_AGE = [21, 22, 25, 29];
const AGE_JITTER = [-1, 0, 0, 0, 0, 1, 1, 2];

// ---------------------------------------------------------------------------
// Counties: static weights and ID areas, plus per-seed lagging/quality/staff.

interface County {
  code: string;
  name: string;
  unit: string;
  weight: number;
  /** Area code used in the persons' ID numbers (a real Jilin code). */
  idArea: string;
  korean: boolean;
  lagging: boolean;
  /** 0..1, how well a non-lagging county runs its services. */
  quality: number;
  staff: string[];
  /** Other county-level units of the same reporting unit. */
  siblings: string[];
}

/** Development zones and 长白山's areas issue no ID numbers: the district / county they lie in. */
const ID_AREA_OF: Record<string, string> = {
  '220171': '220105', '220172': '220102', '220173': '220104', '220174': '220106',
  '220271': '220203', '220272': '220211', '220273': '220221',
  '220771': '220702', '220871': '220802',
  '229901': '222426', '229902': '220621', '229903': '220623',
  // Born before 2020, 公主岭 people carry its old code in their ID numbers.
  [GONGZHULING_CODE]: GONGZHULING_LEGACY_CODE,
};

function countyWeight(c: Region): number {
  const code = c.code;
  if (code.startsWith('2299')) return 0.25;
  if (code[4] === '7') return 0.4; // development zones
  if (/^2201(0[2-6])$/.test(code)) return 3.2; // 长春 urban districts
  if (code === '220112' || code === '220113') return 2;
  if (/^2202(0[2-4]|11)$/.test(code)) return 2.8; // 吉林 urban districts
  if (code === '222401') return 2.6; // 延吉
  if (code[4] === '8' || /^22240[2-6]$/.test(code)) return 2; // county-level cities
  if (code[4] === '0') return 1.5; // other districts
  return 1; // counties
}

function buildCounties(seed: number): County[] {
  const r = new Rng(seed, 1);
  const counties: County[] = COUNTIES.map((c) => ({
    code: c.code,
    name: c.name,
    unit: c.parentCode ?? '',
    weight: countyWeight(c),
    idArea: ID_AREA_OF[c.code] ?? c.code,
    korean: c.code.startsWith('2224'),
    lagging: false,
    quality: r.next(),
    staff: Array.from({ length: 6 }, () => makeName(r, r.chance(0.45), c.code.startsWith('2224'))),
    siblings: COUNTIES.filter((o) => o.parentCode === c.parentCode && o.code !== c.code).map((o) => o.code),
  }));
  // ~6 lagging counties, each in a different reporting unit, among the ordinary-sized ones.
  let lagging = 0;
  for (const unit of r.shuffled(UNITS.map((u) => u.code))) {
    if (lagging === 6) break;
    const candidates = counties.filter((c) => c.unit === unit && c.weight >= 1);
    if (candidates.length === 0) continue;
    r.pick(candidates).lagging = true;
    lagging++;
  }
  return counties;
}

/** Real ID area codes for persons registered away from their birthplace. */
const OTHER_ID_AREAS: readonly string[] = COUNTIES.map((c) => c.code).filter((c) => c[4] !== '7' && !c.startsWith('2299'));

function makeName(r: Rng, male: boolean, korean: boolean): string {
  const surname = korean && r.chance(0.35) ? r.pick(KOREAN_SURNAMES) : r.pickSkewed(SURNAMES);
  const given = male ? GIVEN_MALE : GIVEN_FEMALE;
  return r.chance(0.28) ? surname + r.pick(given) : surname + r.pick(given) + r.pick(given);
}

// ---------------------------------------------------------------------------
// Birth dates for ID numbers, per year 1988–2001.
const BIRTH_YEAR_MIN = 1988;
const BIRTH_YEAR_MAX = 2001;
const BIRTH_DATES: readonly (readonly string[])[] = Array.from({ length: BIRTH_YEAR_MAX - BIRTH_YEAR_MIN + 1 }, (_, i) => {
  const y = BIRTH_YEAR_MIN + i;
  const n = (Date.UTC(y + 1, 0, 1) - Date.UTC(y, 0, 1)) / 86_400_000;
  return Array.from({ length: n }, (_, d) => new Date(Date.UTC(y, 0, 1 + d)).toISOString().slice(0, 10).replace(/-/g, ''));
});

/** Steps coprime to 365 and 366, so m ↦ m·step (mod days) permutes a year's days. */
const BIRTH_DAY_STEPS = [97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167, 173];

const SVC_INITIAL_CAPACITY = 256;

class Generator {
  private readonly rng: Rng;
  private readonly counties: County[];
  private readonly cum: Float64Array;
  private readonly stride: number;
  private readonly idCounters = new Map<string, Int32Array>();
  // Scratch space for one person's services.
  private svcN = 0;
  private svcTime = new Int32Array(SVC_INITIAL_CAPACITY);
  private svcType = new Uint8Array(SVC_INITIAL_CAPACITY);
  private svcMethod = new Int8Array(SVC_INITIAL_CAPACITY);
  private svcResult = new Int8Array(SVC_INITIAL_CAPACITY);
  private svcOrder = new Int32Array(SVC_INITIAL_CAPACITY);
  private readonly versions: string[] = [];
  // Running totals.
  private svcSeq = 0;
  private helpSeq = 0;
  private naturalSvc = 0;
  private svcCarry = 0;
  private distributedSoFar = 0;
  private readonly helpTarget: number;
  /** Help plans and return visits of hardship persons (demo.care.ts). */
  care: CareDemo | null = null;

  constructor(
    private readonly n: number,
    seed: number,
    private readonly svcTarget: number | null,
    helpTarget: number,
    private readonly ledger: CsvSink,
    private readonly services: CsvSink,
    private readonly help: CsvSink,
  ) {
    this.rng = new Rng(seed, 0);
    this.counties = buildCounties(seed);
    this.cum = new Float64Array(this.counties.length);
    let acc = 0;
    this.counties.forEach((c, i) => {
      acc += c.weight;
      this.cum[i] = acc;
    });
    // Every county-level unit gets at least one (distributed) person when there are enough persons.
    this.stride = n >= this.counties.length ? Math.floor(n / this.counties.length) : 0;
    this.helpTarget = helpTarget;
  }

  get needsFlush(): boolean {
    return this.ledger.full || this.services.full || this.help.full;
  }

  // ---- ID numbers: unique by construction --------------------------------
  // For one (area, birth year, gender) the m-th person gets birth day
  // (m mod D)·step + c (mod D) and sequence ((m div D)·193 + c) mod 500, doubled
  // plus the gender bit: a bijection while m < 500·D, so no set of issued IDs
  // is needed.
  private allocId(area: string, year: number, male: boolean): string {
    let counters = this.idCounters.get(area);
    if (!counters) {
      counters = new Int32Array((BIRTH_YEAR_MAX - BIRTH_YEAR_MIN + 1) * 2);
      this.idCounters.set(area, counters);
    }
    const span = BIRTH_YEAR_MAX - BIRTH_YEAR_MIN + 1;
    for (let attempt = 0; attempt < span; attempt++) {
      // On overflow (only for huge runs) move to a neighbouring birth year.
      const y = BIRTH_YEAR_MIN + ((year - BIRTH_YEAR_MIN + attempt) % span);
      const slot = (y - BIRTH_YEAR_MIN) * 2 + (male ? 1 : 0);
      const days = BIRTH_DATES[y - BIRTH_YEAR_MIN]!;
      const m = counters[slot]!;
      const k = Math.floor(m / days.length);
      if (k >= 500) continue;
      counters[slot] = m + 1;
      const salt = Number(area) + slot * 7919;
      const mult = BIRTH_DAY_STEPS[salt % BIRTH_DAY_STEPS.length]!;
      const day = ((m % days.length) * mult + salt) % days.length;
      const seq = ((k * 193 + salt) % 500) * 2 + (male ? 1 : 0);
      return makeIdNumber(area, days[day]!, seq);
    }
    throw new Error(`demo generator: ID space of area ${area} exhausted`);
  }

  private workTime(): number {
    return 30_600 + this.rng.int(32_400); // 08:30–17:30
  }

  private pushSvc(time: number, type: number, method: number, result: number): void {
    if (this.svcN === this.svcTime.length) this.growSvc();
    const i = this.svcN++;
    this.svcTime[i] = time > END_SEC ? END_SEC : time;
    this.svcType[i] = type;
    this.svcMethod[i] = method;
    this.svcResult[i] = result;
  }

  private growSvc(): void {
    const cap = this.svcTime.length * 2;
    const t = new Int32Array(cap); t.set(this.svcTime); this.svcTime = t;
    const ty = new Uint8Array(cap); ty.set(this.svcType); this.svcType = ty;
    const me = new Int8Array(cap); me.set(this.svcMethod); this.svcMethod = me;
    const re = new Int8Array(cap); re.set(this.svcResult); this.svcResult = re;
    this.svcOrder = new Int32Array(cap);
  }

  /** A working-hours time on a random day in [fromDay, toDay], never before `notBefore`. */
  private timeBetween(fromDay: number, toDay: number, notBefore: number): number {
    const day = toDay > fromDay ? fromDay + this.rng.int(toDay - fromDay + 1) : fromDay;
    let t = day * SEC_PER_DAY + this.workTime();
    if (t <= notBefore) t = notBefore + 60 + this.rng.int(3600);
    return t > END_SEC ? END_SEC : t;
  }

  /** How many service rows this person gets when an exact total is asked for. */
  private scaledServiceCount(i: number, natural: number): number {
    const target = this.svcTarget;
    if (target === null) return natural;
    this.naturalSvc += natural;
    const remaining = target - this.svcSeq;
    if (i === this.n - 1) return Math.max(0, remaining);
    if (natural === 0 || remaining <= 0) return 0;
    const meanNatural = (this.naturalSvc + 7 * 64) / (i + 1 + 64);
    const scale = remaining / (meanNatural * (this.n - i));
    const want = natural * scale + this.svcCarry;
    let k = Math.floor(want);
    this.svcCarry = want - k;
    if (k > remaining) k = remaining;
    return k;
  }

  /** Exact total of help requests, spread over distributed persons. */
  private helpCount(i: number, distributed: boolean): number {
    if (distributed) this.distributedSoFar++;
    const remaining = this.helpTarget - this.helpSeq;
    if (!distributed || remaining <= 0) return 0;
    if (i === this.n - 1) return remaining;
    const distributedShare = (this.distributedSoFar + 0.97 * 64) / (i + 1 + 64);
    const p = remaining / ((this.n - i) * distributedShare);
    const whole = Math.floor(p);
    const k = whole + (this.rng.next() < p - whole ? 1 : 0);
    return k > remaining ? remaining : k;
  }

  person(i: number): void {
    const r = this.rng;
    const forced = this.stride > 0 && i % this.stride === 0 && i / this.stride < this.counties.length ? i / this.stride : -1;
    const c = this.counties[forced >= 0 ? forced : pickCumulative(this.cum, r.next())]!;
    const distributed = forced >= 0 || i === this.n - 1 || r.next() >= 0.03;
    const legacyCode = c.code === GONGZHULING_CODE && r.chance(0.06);
    const countyOut = legacyCode ? GONGZHULING_LEGACY_CODE : c.code;
    const lag = c.lagging;

    // ---- who ----
    const male = r.chance(0.48);
    const youth = r.chance(0.15);
    const eu = r.next();
    const edu = youth ? (eu < 0.55 ? 0 : eu < 0.95 ? 1 : 2) : eu < 0.42 ? 0 : eu < 0.9 ? 1 : eu < 0.985 ? 2 : 3;
    const gradYear = youth ? 2019 + r.int(4) : 2022;
    let birthYear = gradYear - GRAD_AGE[edu]! - r.pick(AGE_JITTER);
    if (youth && r.chance(0.35)) birthYear -= 1 + r.int(6);
    if (birthYear < BIRTH_YEAR_MIN) birthYear = BIRTH_YEAR_MIN;
    if (birthYear > BIRTH_YEAR_MAX) birthYear = BIRTH_YEAR_MAX;
    const id = this.allocId(r.chance(0.08) ? r.pick(OTHER_ID_AREAS) : c.idArea, birthYear, male);
    const name = makeName(r, male, c.korean);
    const phone = r.pick(PHONE_PREFIXES) + String(r.int(100_000_000)).padStart(8, '0');
    const school = edu === 0 ? r.pickSkewed(VOC_SCHOOLS) : edu === 1 ? r.pickSkewed(UNIVERSITIES) : r.pickSkewed(GRAD_UNIVERSITIES);
    const major = edu === 0 ? r.pickSkewed(VOC_MAJORS) : r.pickSkewed(UNI_MAJORS);
    const su = r.next();
    const source = youth
      ? su < 0.7 ? SRC_UNEMPLOYED : su < 0.9 ? SRC_APP : SRC_OTHER
      : su < 0.55 ? SRC_EDU : su < 0.8 ? SRC_COLLEGE : su < 0.95 ? SRC_APP : SRC_OTHER;
    let recvDay: number;
    if (youth) recvDay = JUL1 + r.int(OCT31 - JUL1 + 1);
    else {
      const ru = r.next();
      if (ru < 0.7) { const v = r.next(); recvDay = JUL1 + Math.floor(31 * v * v); }
      else if (ru < 0.9) recvDay = AUG1 + r.int(31);
      else recvDay = SEP1 + r.int(30);
    }
    const recvSec = recvDay * SEC_PER_DAY + this.workTime();
    const prefix = `${id},${name},${male ? GENDER_M : GENDER_F},${phone},${school},${major},${EDUCATIONS[edu]!},${gradYear},${youth ? COHORT_YOUTH : COHORT_GRAD},${source},${fmtDate(recvDay)},`;

    let hardship = '';
    let hardshipKnownAtStart = false;
    if (r.chance(0.05)) {
      const h1 = r.int(HARDSHIPS.length);
      hardship = HARDSHIPS[h1]!;
      if (r.chance(0.2)) hardship += ';' + HARDSHIPS[(h1 + 1 + r.int(HARDSHIPS.length - 1)) % HARDSHIPS.length]!;
      hardshipKnownAtStart = r.chance(0.6);
    }

    const versions = this.versions;
    versions.length = 0;
    versions.push(`,,,${hardshipKnownAtStart ? hardship : ''},,,${fmtDateTime(recvSec)}`);
    this.svcN = 0;

    if (distributed) {
      const assignedDay = recvDay + 1 + r.int(6);
      const assignSec = assignedDay * SEC_PER_DAY + this.workTime();
      const assigned = fmtDate(assignedDay);
      const hardAtAssign = hardshipKnownAtStart ? hardship : '';
      versions.push(`${countyOut},${assigned},,${hardAtAssign},,,${fmtDateTime(assignSec)}`);
      let lastSec = assignSec;

      // ---- contact ----
      const q = c.quality;
      const reachP = lag ? 0.42 + 0.15 * q : 0.93 + 0.05 * q;
      let reached = r.chance(reachP);
      let t = Math.max(
        (assignedDay + (lag ? 3 + r.int(40) : r.int(8))) * SEC_PER_DAY + this.workTime(),
        assignSec + 1800,
      );
      const lastContactSec = END_SEC - SEC_PER_DAY;
      const fails = reached ? (r.chance(0.2) ? 1 + r.int(2) : 0) : lag ? r.int(3) : 1 + r.int(3);
      let attempts = 0;
      let lastAttempt = assignSec;
      let okSec = -1;
      for (let a = 0; a < fails && t <= lastContactSec; a++) {
        this.pushSvc(t, S_CONTACT, r.chance(0.75) ? M_PHONE : M_SMS, R_FAIL);
        attempts++;
        lastAttempt = t;
        t += (1 + r.int(7)) * SEC_PER_DAY + r.int(7200) - 3600;
      }
      if (reached && t > lastContactSec) reached = false;

      if (reached) {
        const mu = r.next();
        const method = mu < 0.7 ? M_PHONE : mu < 0.82 ? M_VISIT : mu < 0.9 ? M_SMS : mu < 0.96 ? M_DATA : M_OTHER;
        this.pushSvc(t, S_CONTACT, method, R_OK);
        const contactSec = t;
        okSec = t;
        const contactDay = Math.floor(contactSec / SEC_PER_DAY);
        const cu = r.next();
        const cat = cu < 0.83 ? CAT_EMPLOY : cu < 0.88 ? CAT_STARTUP : CAT_NOT_NOW;
        const catSec = Math.min(END_SEC, contactSec + 600 + r.int(10_800));
        versions.push(`${countyOut},${assigned},${cat},${hardship},${ST_NONE},,${fmtDateTime(catSec)}`);
        lastSec = catSec;

        // ---- outcome ----
        let status: Status | null = null;
        const eu2 = r.next();
        if (cat === CAT_EMPLOY) {
          if (eu2 < (lag ? 0.6 : 0.9 + 0.08 * q)) {
            const k = r.next();
            status = hardship && k < 0.35 ? ST_PUBLIC : k < 0.75 ? ST_EMPLOYED : k < 0.95 ? ST_FLEX : ST_STARTUP;
          }
        } else if (cat === CAT_STARTUP) {
          if (eu2 < (lag ? 0.5 : 0.88)) {
            const k = r.next();
            status = k < 0.7 ? ST_STARTUP : k < 0.9 ? ST_EMPLOYED : ST_FLEX;
          }
        } else if (eu2 < 0.6) {
          const k = r.next();
          status = k < 0.45 ? ST_EMPLOYED : k < 0.85 ? ST_STUDY : ST_ARMY;
        }
        let empDay = -1;
        const room = LAST_DAY - contactDay - 3;
        if (status !== null && room > 0) {
          const v = r.next();
          empDay = contactDay + 3 + Math.floor(room * v * v);
        } else status = null;

        // ---- services after contact ----
        const startDay = Math.min(contactDay + 1, LAST_DAY);
        const endDay = Math.max(startDay, Math.min(LAST_DAY, empDay >= 0 ? empDay : contactDay + 150));
        const sometimes = (): number => (r.chance(0.5) ? r.pick([M_PHONE, M_VISIT, M_OTHER]) : -1);
        if (cat === CAT_EMPLOY) {
          const full = r.chance(lag ? 0.05 : 0.45 + 0.3 * q);
          if (full || r.chance(lag ? 0.3 : 0.6)) this.pushSvc(this.timeBetween(startDay, endDay, contactSec), S_GUIDANCE, sometimes(), -1);
          const jobs = full ? 3 + r.int(3) : lag ? r.int(3) : r.int(5);
          for (let j = 0; j < jobs; j++) this.pushSvc(this.timeBetween(startDay, endDay, contactSec), S_JOB, r.chance(0.5) ? M_SMS : -1, -1);
          if (full || r.chance(lag ? 0.1 : 0.3)) this.pushSvc(this.timeBetween(startDay, endDay, contactSec), S_TRAINING, -1, -1);
          if (full || r.chance(lag ? 0.03 : 0.1)) this.pushSvc(this.timeBetween(startDay, endDay, contactSec), S_INTERNSHIP, -1, -1);
          if (r.chance(0.35)) this.pushSvc(this.timeBetween(startDay, endDay, contactSec), S_POLICY, -1, -1);
        } else if (cat === CAT_STARTUP) {
          if (r.chance(0.8)) this.pushSvc(this.timeBetween(startDay, endDay, contactSec), S_STARTUP_TRAINING, -1, -1);
          if (r.chance(0.7)) this.pushSvc(this.timeBetween(startDay, endDay, contactSec), S_STARTUP_SERVICE, sometimes(), -1);
          if (r.chance(0.5)) this.pushSvc(this.timeBetween(startDay, endDay, contactSec), S_POLICY, -1, -1);
          if (r.chance(0.3)) this.pushSvc(this.timeBetween(startDay, endDay, contactSec), S_GUIDANCE, sometimes(), -1);
        } else if (r.chance(0.4)) {
          this.pushSvc(this.timeBetween(startDay, endDay, contactSec), S_GUIDANCE, sometimes(), -1);
        }
        if (hardship && r.chance(lag ? 0.25 : 0.92)) {
          const times = 1 + r.int(2);
          for (let j = 0; j < times; j++) {
            this.pushSvc(this.timeBetween(startDay, Math.min(endDay, startDay + 30), contactSec), S_ONE_ON_ONE, M_VISIT, -1);
          }
        }
        if (status === ST_PUBLIC) this.pushSvc(this.timeBetween(empDay, empDay, contactSec), S_PUBLIC_JOB, -1, -1);
        // Follow-up visits: after employment when there is one.
        const followups = r.chance(lag ? 0.4 : 0.95) ? 1 + (r.chance(0.5) ? 1 : 0) : 0;
        for (let j = 0; j < followups; j++) {
          const from = empDay >= 0 ? Math.min(LAST_DAY, empDay + 3) : startDay;
          const to = empDay >= 0 ? Math.min(LAST_DAY, empDay + 45) : LAST_DAY;
          this.pushSvc(this.timeBetween(from, to, contactSec), S_FOLLOWUP, r.chance(0.8) ? M_PHONE : M_VISIT, -1);
        }
        if (hardship) this.care?.hardshipPerson({ index: i, id, county: countyOut, staff: c.staff, contactDay, empDay, lagging: lag });

        if (status !== null) {
          const updDay = Math.min(LAST_DAY, empDay + r.int(9));
          let upd = updDay * SEC_PER_DAY + this.workTime();
          if (upd <= lastSec) upd = lastSec + 60 + r.int(3600);
          if (upd > END_SEC) upd = END_SEC;
          versions.push(`${countyOut},${assigned},${cat},${hardship},${status},${fmtDate(empDay)},${fmtDateTime(upd)}`);
          lastSec = upd;
        }
      } else if (attempts > 0) {
        // Given up after the failed attempts; some turn out employed by social-insurance data comparison.
        const giveUp = Math.max(Math.min(END_SEC, lastAttempt + 3600 + r.int(7200)), lastSec + 60);
        versions.push(`${countyOut},${assigned},${CAT_UNREACHABLE},${hardship},,,${fmtDateTime(giveUp)}`);
        lastSec = giveUp;
        if (r.chance(lag ? 0.3 : 0.4)) {
          const giveUpDay = Math.floor(giveUp / SEC_PER_DAY);
          if (giveUpDay + 5 < LAST_DAY) {
            const empDay = giveUpDay + 5 + r.int(LAST_DAY - giveUpDay - 5);
            const upd = Math.max(lastSec + 60, Math.min(END_SEC, (empDay + 1) * SEC_PER_DAY + this.workTime()));
            versions.push(`${countyOut},${assigned},${CAT_UNREACHABLE},${hardship},${ST_EMPLOYED},${fmtDate(empDay)},${fmtDateTime(Math.min(END_SEC, upd))}`);
            lastSec = upd;
          }
        }
      }

      // A clerk re-saves the record unchanged now and then.
      if (r.chance(0.08)) {
        const again = lastSec + (1 + r.int(30)) * SEC_PER_DAY;
        if (again <= END_SEC) {
          const lastTail = versions[versions.length - 1]!;
          versions.push(lastTail.slice(0, lastTail.lastIndexOf(',') + 1) + fmtDateTime(again));
        }
      }

      // ---- services: extra rows for an exact total, order, write ----
      const natural = this.svcN;
      const want = this.scaledServiceCount(i, natural);
      if (want > natural) {
        // Reached persons get more services after their contact; others more failed attempts.
        const after = okSec >= 0 ? okSec : assignSec;
        const from = Math.min(LAST_DAY, Math.floor(after / SEC_PER_DAY) + (okSec >= 0 ? 1 : 0));
        for (let j = natural; j < want; j++) {
          if (okSec >= 0) {
            const pu = r.next();
            const type = pu < 0.5 ? S_JOB : pu < 0.8 ? S_FOLLOWUP : pu < 0.9 ? S_GUIDANCE : S_POLICY;
            this.pushSvc(this.timeBetween(from, LAST_DAY, after), type, -1, -1);
          } else {
            this.pushSvc(this.timeBetween(from, LAST_DAY, after), S_CONTACT, M_PHONE, R_FAIL);
          }
        }
      }
      this.writeServices(id, c, countyOut, want);
    } else {
      this.scaledServiceCount(i, 0);
    }

    // ---- ledger versions (a handful written twice, byte for byte) ----
    const dup = r.chance(0.003) ? r.int(versions.length) : -1;
    for (let v = 0; v < versions.length; v++) {
      const line = prefix + versions[v]!;
      this.ledger.row(line);
      if (v === dup) this.ledger.row(line);
    }

    // ---- help requests ----
    const nHelp = this.helpCount(i, distributed);
    for (let h = 0; h < nHelp; h++) {
      const day = recvDay + r.int(LAST_DAY - recvDay + 1);
      const reqSec = day * SEC_PER_DAY + 25_200 + r.int(57_600); // 07:00–23:00
      const hu = r.next();
      let first = -1;
      if (hu < (lag ? 0.45 : 0.86)) first = reqSec + 300 + r.int(20 * 3600);
      else if (hu < (lag ? 0.78 : 0.94)) first = reqSec + 24 * 3600 + 60 + r.int(72 * 3600);
      const firstStr = first >= 0 && first <= END_SEC ? fmtDateTime(first) : '';
      this.help.row(`QZ${String(++this.helpSeq).padStart(8, '0')},${id},${name},${fmtDateTime(reqSec)},${countyOut},${firstStr}`);
    }
  }

  private writeServices(id: string, c: County, countyOut: string, count: number): void {
    const r = this.rng;
    const n = Math.min(count, this.svcN);
    // Chronological order (insertion sort: a few rows per person).
    const order = this.svcOrder;
    const time = this.svcTime;
    for (let i = 0; i < this.svcN; i++) {
      const ti = time[i]!;
      let j = i - 1;
      while (j >= 0 && time[order[j]!]! > ti) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = i;
    }
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      const type = this.svcType[i]!;
      const method = this.svcMethod[i]!;
      const result = this.svcResult[i]!;
      let note = '';
      if (type === S_CONTACT) { if (result === R_FAIL && r.chance(0.4)) note = r.pick(QUOTED_CONTACT_FAIL_NOTES); }
      else if (type === S_JOB) { if (r.chance(0.5)) note = r.pick(QUOTED_JOB_NOTES); }
      else if (type === S_TRAINING) { if (r.chance(0.7)) note = r.pick(QUOTED_TRAINING_NOTES); }
      else if (type === S_INTERNSHIP) { if (r.chance(0.6)) note = r.pick(QUOTED_INTERNSHIP_NOTES); }
      else if (type === S_FOLLOWUP) { if (r.chance(0.4)) note = r.pick(QUOTED_FOLLOWUP_NOTES); }
      else if (type === S_ONE_ON_ONE) { if (r.chance(0.6)) note = r.pick(QUOTED_ONE_ON_ONE_NOTES); }
      const where = c.siblings.length > 0 && r.chance(0.02) ? r.pick(c.siblings) : countyOut;
      const staff = r.chance(0.85) ? r.pick(c.staff) : '';
      this.services.row(
        `FW${String(++this.svcSeq).padStart(9, '0')},${id},${fmtDateTime(time[i]!)},${SERVICE_TYPES[type]!},${method >= 0 ? CONTACT_METHODS[method]! : ''},${result >= 0 ? CONTACT_RESULTS[result]! : ''},${where},${staff},${note}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------
// Recruitment events: per reporting unit, 专业性 events most ISO weeks and a
// 综合性 event most months; a few (deterministic) misses.

const THEMES_SPECIAL: readonly string[] = [
  '信息技术', '装备制造', '汽车产业', '医药健康', '现代农业', '文化旅游', '金融财会', '教育培训', '电子商务', '建筑工程',
  '冰雪旅游', '石油化工', '食品加工', '现代物流', '新能源',
];
const THEMES_GENERAL: readonly string[] = [
  '高校毕业生综合招聘会', '"百日千万"网络招聘专项行动', '民营企业招聘月', '金秋招聘月', '"就选吉林"综合招聘会',
  '离校未就业高校毕业生服务攻坚行动专场', '冬季招聘会',
];

interface DemoEvent {
  unitIndex: number;
  region: string;
  name: string;
  type: (typeof EVENT_TYPES)[number];
  mode: (typeof EVENT_MODES)[number];
  day: number;
  jobs: number;
  attendees: number;
}

function writeEvents(seed: number, sink: CsvSink): void {
  const r = new Rng(seed, 2);
  const units = UNITS.map((u) => ({ unit: u, counties: COUNTIES.filter((c) => c.parentCode === u.code) }));
  // Two weaker units miss more; one unit always misses one full ISO week.
  const weak = new Set(r.shuffled(units.map((_, i) => i)).slice(0, 2));
  const forcedUnit = r.int(units.length);
  const mondays: number[] = [];
  for (let d = dayOf(6, 27); d <= LAST_DAY; d += 7) mondays.push(d); // ISO weeks 26 (27 Jun) … 52 (26 Dec)
  const forcedWeek = 1 + r.int(mondays.length - 2); // a week wholly inside July–December
  const events: DemoEvent[] = [];
  units.forEach(({ unit, counties }, ui) => {
    const missWeek = weak.has(ui) ? 0.2 : 0.04;
    const missMonth = weak.has(ui) ? 0.25 : 0.05;
    const regionOf = (): { code: string; name: string } => {
      if (r.chance(0.3) && unit.code !== MEIHEKOU_CODE) {
        const c = r.pick(counties);
        return { code: c.code, name: c.name };
      }
      return { code: unit.code, name: unit.name };
    };
    mondays.forEach((monday, wi) => {
      const missed = r.chance(missWeek);
      if (missed || (ui === forcedUnit && wi === forcedWeek)) return;
      const from = Math.max(monday, JUL1);
      const to = Math.min(monday + 6, LAST_DAY);
      const count = 1 + (r.chance(0.35) ? 1 : 0) + (r.chance(0.1) ? 1 : 0);
      for (let k = 0; k < count; k++) {
        const where = regionOf();
        const online = r.chance(0.4);
        const jobs = 30 + r.int(online ? 1500 : 700);
        events.push({
          unitIndex: ui,
          region: where.code,
          name: `${where.name}${r.pick(THEMES_SPECIAL)}${online ? '线上' : ''}专场招聘会`,
          type: '专业性',
          mode: online ? '线上' : '线下',
          day: from + r.int(to - from + 1),
          jobs,
          attendees: Math.round(jobs * (0.5 + r.next() * 2.5)),
        });
      }
    });
    MONTH_STARTS.forEach((start, mi) => {
      if (r.chance(missMonth)) return;
      const end = mi + 1 < MONTH_STARTS.length ? MONTH_STARTS[mi + 1]! - 1 : LAST_DAY;
      const count = 1 + (r.chance(0.3) ? 1 : 0);
      for (let k = 0; k < count; k++) {
        const where = regionOf();
        const online = r.chance(0.35);
        const jobs = 300 + r.int(online ? 6000 : 3000);
        events.push({
          unitIndex: ui,
          region: where.code,
          name: `${where.name}2022年${7 + mi}月${r.pick(THEMES_GENERAL)}`,
          type: '综合性',
          mode: online ? '线上' : '线下',
          day: start + r.int(end - start + 1),
          jobs,
          attendees: Math.round(jobs * (0.6 + r.next() * 2)),
        });
      }
    });
  });
  events.sort((a, b) => a.day - b.day || a.unitIndex - b.unitIndex);
  events.forEach((e, i) => {
    const id = `ZP2022${String(i + 1).padStart(5, '0')}`;
    const c = eventCampaign(seed, i, e);
    sink.row(`${id},${e.region},${csvCell(e.name)},${e.type},${c.mode},${fmtDate(e.day)},${e.jobs},${e.attendees},${c.campaign}`);
  });
}

// ---------------------------------------------------------------------------

const PROGRESS_EVERY = 4096;

export async function generateDemo(opts: DemoOptions): Promise<DemoResult> {
  const persons = Math.floor(opts.persons ?? 22_000);
  const seed = opts.seed ?? 2022;
  if (!(persons >= 1)) throw new RangeError('persons must be at least 1');
  if (!Number.isFinite(seed)) throw new RangeError('seed must be a finite number');
  const services = opts.services === undefined ? null : Math.max(0, Math.floor(opts.services));
  const helpRequests = Math.max(0, Math.floor(opts.helpRequests ?? persons / 8));

  fs.mkdirSync(opts.outDir, { recursive: true });
  const sinks = {
    ledger: new CsvSink(path.join(opts.outDir, 'ledger.csv'), headersOf('ledger')),
    service: new CsvSink(path.join(opts.outDir, 'services.csv'), headersOf('service')),
    help: new CsvSink(path.join(opts.outDir, 'help.csv'), headersOf('help')),
    event: new CsvSink(path.join(opts.outDir, 'events.csv'), headersOf('event')),
  };
  const all = [sinks.ledger, sinks.service, sinks.help, sinks.event];
  const care = new CareDemo(seed, persons, opts.outDir);
  try {
    writeEvents(seed, sinks.event);
    await sinks.event.close();
    const gen = new Generator(persons, seed, services, helpRequests, sinks.ledger, sinks.service, sinks.help);
    gen.care = care;
    for (let i = 0; i < persons; i++) {
      gen.person(i);
      if (care.needsFlush) await care.flush();
      if (gen.needsFlush) {
        await sinks.ledger.flush();
        await sinks.service.flush();
        await sinks.help.flush();
      }
      if (opts.onProgress && (i + 1) % PROGRESS_EVERY === 0) opts.onProgress(i + 1, persons);
    }
    await sinks.ledger.close();
    await sinks.service.close();
    await sinks.help.close();
    care.regionRecords();
    await care.close();
    opts.onProgress?.(persons, persons);
  } catch (e) {
    for (const s of all) s.destroy();
    care.destroy();
    throw e;
  }
  const measureFiles = await writeMeasureDemo(opts.outDir, seed, persons);
  return {
    files: [...(['ledger', 'service', 'help', 'event'] as const).map((kind) => ({ path: sinks[kind].path, kind, rows: sinks[kind].rows })), ...measureFiles],
    careFiles: care.files(),
  };
}
