// Keeps the metric state (person_spans, help_days) in step with the loaded
// data: on each sync, the succeeded load runs not yet folded in are found,
// the persons they touch are rebuilt (everyone when that is most of them,
// when the campaign rules changed, or when there is no trustworthy state),
// and the help-request deltas are rebuilt whole. The refresh job's daily pass
// then reads this state instead of every raw row.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { faultPoint } from '../common/fault';
import { rulesFor } from './campaign.config';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { MetricsStateRepository } from './metrics.state.repository';
import { Mutex } from '../common/mutex';

export interface SyncResult {
  mode: 'none' | 'incremental' | 'full';
  /** Persons rebuilt (incremental), or null (none / full). */
  touched: number | null;
  newRuns: number;
  ms: number;
}


@Injectable()
export class MetricsStateService {
  private readonly log = new Logger('MetricsState');
  private readonly mutex = new Mutex();
  /** Beyond this share of the persons, rebuilding everyone is cheaper than rebuilding the touched ones. */
  fullShare = 0.3;

  constructor(readonly repo: MetricsStateRepository, @Inject(APP_CONFIG) private readonly appCfg: AppConfig) {}

  /** Whether a sync (or a task that excludes one) runs or waits now. */
  get busy(): boolean {
    return this.mutex.busy;
  }

  /** Runs `fn` while no sync runs (a backup takes the state whole, never half rebuilt). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.mutex.run(fn);
  }

  /**
   * Whether the kept state holds exactly the succeeded runs with today's rules (false while a sync
   * rebuilds it, or after a load it has not folded in yet): only then may a query read it instead of
   * the raw tables.
   */
  async isCurrent(): Promise<boolean> {
    const [prev, runs] = await Promise.all([this.repo.load(), this.repo.succeededRuns()]);
    if (!prev || prev.rules !== this.repo.rulesKey(rulesFor(this.appCfg))) return false;
    return prev.runs.length === runs.length && prev.runs.every((r, i) => r === runs[i]);
  }

  /** Brings the state up to the succeeded runs; `full` rebuilds it from scratch. One sync at a time. */
  sync(full = false): Promise<SyncResult> {
    return this.mutex.run(async () => {
      const t0 = performance.now();
      const cfg = rulesFor(this.appCfg);
      const runs = await this.repo.succeededRuns();
      const rules = this.repo.rulesKey(cfg);
      const prev = full ? null : await this.repo.load();
      const had = new Set(prev?.runs ?? []);
      const now = new Set(runs);
      const newRuns = runs.filter((r) => !had.has(r));
      // A folded run that is no longer a succeeded run (removed by hand): nothing incremental can undo it.
      const lost = prev ? prev.runs.some((r) => !now.has(r)) : false;
      let mode: SyncResult['mode'] = !prev || prev.rules !== rules || lost ? 'full' : newRuns.length ? 'incremental' : 'none';
      if (mode === 'none') return { mode, touched: null, newRuns: 0, ms: performance.now() - t0 };
      // Until the new record is saved the state counts as untrustworthy: a crash half way means a full rebuild next time.
      await this.repo.clear();
      await faultPoint('refresh.state');
      let touched: number | null = null;
      if (mode === 'incremental') {
        touched = await this.repo.collectTouched(newRuns, runs);
        const persons = await this.repo.persons();
        if (touched > this.fullShare * persons) mode = 'full';
        else await this.repo.rebuildTouched(runs, cfg);
      }
      if (mode === 'full') {
        touched = null;
        await this.repo.rebuildAll(runs, cfg);
      }
      await this.repo.rebuildHelp(runs, cfg);
      // A ledger or service delivery (the daily case) leaves kinds 5–8 as they were unless it touched a stay's person.
      if (mode === 'full' || (await this.repo.measuresTouched(newRuns, runs))) await this.repo.rebuildMeasures(runs);
      await this.repo.save({ runs, rules });
      const ms = performance.now() - t0;
      this.log.log(`metric state ${mode}: ${newRuns.length} new run(s)${touched === null ? '' : `, ${touched} person(s) rebuilt`} in ${Math.round(ms)} ms`);
      return { mode, touched, newRuns: newRuns.length, ms };
    });
  }
}
