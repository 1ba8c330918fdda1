// The care metrics (kinds 9–12) of every region and day, on the kept-state
// path: the person state (person_spans) is brought up to the loaded runs
// first, then the care state is rebuilt from it and the small care tables,
// and one day (or every day) is read from its day deltas. Snapshots are
// written by the refresh beside the metric snapshots.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { REGIONS, MEIHEKOU_CODE, UNITS, REGION_BY_CODE, type Region } from '../regions/regions.data';
import { rulesFor, type CampaignConfig } from '../metrics/campaign.config';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { MetricsStateService } from '../metrics/metrics.state.service';
import { CARE_STATE_NAME, CareStateRepository, type OverdueInterval } from './care.state.repository';
import { Mutex } from '../common/mutex';
import { completeDay, overdueIntervals } from './care.logic';
import { toCareMetrics, type CareCounts, type CareMetrics } from './care.types';

type Key = string; // `${level}:${code}`
const key = (level: string, code: string): Key => `${level}:${code}`;

export interface UnitPublicity {
  unit: string;
  /** Item → first day a publication of the unit or its counties carried it. */
  firstDay: Map<string, string>;
  /** The day the checklist became complete, or null. */
  complete: string | null;
}

const addDay = (d: string, n: number): string => {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
};

/** Whether a region shows the publicity keys (reporting units, the province, and 梅河口 as a county). */
export function publicityApplies(r: Pick<Region, 'level' | 'code'>): boolean {
  return r.level !== 'county' || r.code === MEIHEKOU_CODE;
}

@Injectable()
export class CareMetricsService {
  private readonly log = new Logger('CareState');
  private readonly mutex = new Mutex();
  private publicity: { runs: string; units: Map<string, UnitPublicity> } | null = null;
  private dayMemo = new Map<string, Map<Key, CareCounts>>();

  constructor(
    private readonly repo: CareStateRepository,
    private readonly personState: MetricsStateService,
    @Inject(APP_CONFIG) private readonly appCfg: AppConfig,
  ) {}

  private rulesKey(cfg: CampaignConfig): string {
    return JSON.stringify(cfg.care);
  }

  /** Brings the care state up to the succeeded load runs (and the person state with it). Returns the runs. */
  ensure(): Promise<number[]> {
    return this.mutex.run(async () => {
      const cfg = rulesFor(this.appCfg);
      const runs = await this.personState.repo.succeededRuns();
      const rec = await this.personState.repo.load(CARE_STATE_NAME);
      if (rec && rec.rules === this.rulesKey(cfg) && rec.runs.join(',') === runs.join(',')) return runs;
      const t0 = performance.now();
      await this.personState.sync();
      await this.repo.rebuildMarks(runs, cfg);
      const plans = await this.repo.plans(runs);
      const visits = new Map((await this.repo.visitDays(runs, cfg)).map((v) => [v.person_key, v.days]));
      const intervals: OverdueInterval[] = [];
      for (const p of plans) {
        const list = p.plans.map(([plan_id, plan_date, visit_days, status]) => ({ plan_id, plan_date, visit_days: visit_days === null ? null : Number(visit_days), status }));
        for (const [a, b] of overdueIntervals(list, visits.get(p.person_key) ?? [], cfg.care.defaultVisitDays)) intervals.push({ person_key: p.person_key, a, b });
      }
      await this.repo.writeOverdue(intervals);
      await this.repo.rebuildDays(runs);
      await this.personState.repo.save({ runs, rules: this.rulesKey(cfg) }, CARE_STATE_NAME);
      this.dayMemo.clear();
      this.publicity = null;
      this.log.log(`care state rebuilt: ${plans.length} planned person(s), ${intervals.length} overdue interval(s) in ${Math.round(performance.now() - t0)} ms`);
      return runs;
    });
  }

  /**
   * The load runs the care state is read for now: brought up to them first, unless a sync runs (a refresh,
   * a backup) — then the state as it stands, so that a request never waits for a refresh to finish.
   */
  private async current(): Promise<{ runs: number[]; fresh: boolean }> {
    if (this.mutex.busy || this.personState.busy) return { runs: await this.personState.repo.succeededRuns(), fresh: false };
    return { runs: await this.ensure(), fresh: true };
  }

  /** Every unit's 亮相 publications: first day per item and the day its checklist became complete. */
  async unitPublicity(): Promise<Map<string, UnitPublicity>> {
    const { runs } = await this.current();
    const rk = runs.join(',');
    if (this.publicity?.runs === rk) return this.publicity.units;
    const cfg = rulesFor(this.appCfg);
    const units = new Map<string, UnitPublicity>(UNITS.map((u) => [u.code, { unit: u.code, firstDay: new Map(), complete: null }]));
    for (const r of await this.repo.publicity(runs)) units.get(r.unit)?.firstDay.set(r.item, r.first_day);
    for (const u of units.values()) u.complete = completeDay(u.firstDay, cfg.care.publicityItems);
    this.publicity = { runs: rk, units };
    return units;
  }

  /** Adds the publicity parts (pub_complete, pub_on_time) of a day to every region's counts. */
  private addPublicity(out: Map<Key, CareCounts>, units: Map<string, UnitPublicity>, asOf: string, cfg: CampaignConfig): void {
    const deadline = cfg.care.publicityDeadline;
    let complete = 0;
    let onTime = 0;
    for (const u of units.values()) {
      const c = u.complete !== null && u.complete <= asOf ? 1 : 0;
      const t = c && u.complete! <= deadline ? 1 : 0;
      complete += c;
      onTime += t;
      for (const k of u.unit === MEIHEKOU_CODE ? [key('unit', u.unit), key('county', u.unit)] : [key('unit', u.unit)]) {
        const m = out.get(k) ?? new Map<string, number>();
        m.set('pub_complete', c);
        m.set('pub_on_time', t);
        out.set(k, m);
      }
    }
    const p = out.get(key('province', '220000')) ?? new Map<string, number>();
    p.set('pub_complete', complete);
    p.set('pub_on_time', onTime);
    out.set(key('province', '220000'), p);
  }

  /** Every region's care counts as of a day: from the care snapshots when they saw `dataVersion`, else from the kept state. */
  async countsForDay(asOf: string, dataVersion: number): Promise<Map<Key, CareCounts>> {
    const memoKey = `${asOf}@${dataVersion}`;
    const hit = this.dayMemo.get(memoKey);
    if (hit) return hit;
    const out = new Map<Key, CareCounts>();
    if ((await this.repo.snapshotVersion(asOf)) >= dataVersion && dataVersion > 0) {
      for (const r of await this.repo.readSnapshots(asOf)) out.set(key(r.level, r.code), new Map(Object.entries(r.counts)));
    } else {
      const { fresh } = await this.current();
      for (const r of await this.repo.asOf(asOf)) {
        const k = key(r.level, r.code);
        const m = out.get(k) ?? new Map<string, number>();
        m.set(r.k, r.n);
        out.set(k, m);
      }
      this.addPublicity(out, await this.unitPublicity(), asOf, rulesFor(this.appCfg));
      // Read while a sync ran: not kept, the next request after the sync reads the state brought up to date.
      if (!fresh) return out;
    }
    if (this.dayMemo.size > 64) this.dayMemo.clear();
    this.dayMemo.set(memoKey, out);
    return out;
  }

  /** The care keys of one region from a day's counts. */
  metricsOf(day: Map<Key, CareCounts>, r: Pick<Region, 'level' | 'code'>, hardship: number): CareMetrics {
    return toCareMetrics(day.get(key(r.level, r.code)) ?? new Map(), hardship, publicityApplies(r));
  }

  /** Every region's care counts for each day of [from, to], from the kept state in one pass. */
  async countsDaily(from: string, to: string): Promise<Map<string, Map<Key, CareCounts>>> {
    await this.ensure();
    const cfg = rulesFor(this.appCfg);
    const units = await this.unitPublicity();
    const rows = await this.repo.daily(to);
    // Running sums per region and part, advanced day by day.
    const running = new Map<Key, Map<string, number>>();
    const days = new Map<string, Map<Key, CareCounts>>();
    let i = 0;
    const apply = (upTo: string) => {
      for (; i < rows.length && rows[i]!.day <= upTo; i++) {
        const r = rows[i]!;
        const k = key(r.level, r.code);
        const m = running.get(k) ?? new Map<string, number>();
        m.set(r.k, (m.get(r.k) ?? 0) + r.n);
        running.set(k, m);
      }
    };
    for (let d = from; d <= to; d = addDay(d, 1)) {
      apply(d);
      const snap = new Map<Key, CareCounts>();
      for (const [k, m] of running) snap.set(k, new Map(m));
      this.addPublicity(snap, units, d, cfg);
      days.set(d, snap);
    }
    return days;
  }

  /** Writes the care snapshots of [from, to] (every region, every day). */
  async writeSnapshots(from: string, to: string, dataVersion: number): Promise<void> {
    const days = await this.countsDaily(from, to);
    const rows: Array<{ as_of: string; level: string; code: string; counts: Record<string, number> }> = [];
    for (const [d, regions] of days) {
      for (const reg of REGIONS) {
        const m = regions.get(key(reg.level, reg.code));
        rows.push({ as_of: d, level: reg.level, code: reg.code, counts: m ? Object.fromEntries(m) : {} });
      }
    }
    await this.repo.writeSnapshots(rows, dataVersion);
    this.dayMemo.clear();
  }

  region(code: string): Region | undefined {
    return REGION_BY_CODE.get(code);
  }
}
