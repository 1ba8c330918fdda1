// Runs the schedule of cron/schedule.ts in this process (unless JOBS=off):
// one run of a job at a time, its last outcome kept for /api/jobs and the
// screens, a refresh right after every load that added rows, and a job's
// follow-up (the alerts after a refresh that wrote snapshots) as a run of its own,
// and a job that yields to that refresh (the alert evaluation) asked to stop
// while the refresh waits.
import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { SCHEDULE } from '../../../cron/schedule';
import type { JobSpec } from '../../../cron/job.types';
import { DataEvents } from '../common/data-events';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { JobLeaseService } from './job-lease.service';
import type { JobStatus } from './jobs.types';

export type { JobStatus } from './jobs.types';

export class UnknownJobError extends Error {}

/** The schedule to run instead of cron/schedule.ts (a unit test's own jobs). */
export const JOB_SCHEDULE = Symbol('JOB_SCHEDULE');

@Injectable()
export class JobsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Jobs');
  private readonly status = new Map<string, JobStatus>();
  private readonly inFlight = new Map<string, Promise<JobStatus>>();
  private unsubscribe: (() => void) | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  /** The stop signal of each run in progress (JobContext.signal). */
  private readonly stops = new Map<string, AbortController>();
  /**
   * Loads' requests for a job (the refresh) so far, and how many of them finished runs have served (a run
   * serves the requests made before it started): while some are not served, what yields to that job starts
   * asked to stop.
   */
  private readonly asked = new Map<string, number>();
  private readonly served = new Map<string, number>();
  private readonly schedule: readonly JobSpec[];

  constructor(
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly moduleRef: ModuleRef,
    private readonly registry: SchedulerRegistry,
    private readonly events: DataEvents,
    private readonly lease: JobLeaseService,
    @Optional() @Inject(JOB_SCHEDULE) schedule?: readonly JobSpec[],
  ) {
    this.schedule = schedule ?? SCHEDULE;
    for (const j of this.schedule) {
      this.status.set(j.name, {
        name: j.name, cron: j.cron, what: j.what, enabled: j.enabled ? j.enabled(cfg) : true, running: false,
        lastStart: null, lastEnd: null, lastStatus: null, lastError: null, lastResult: null,
      });
    }
  }

  onApplicationBootstrap(): void {
    if (!this.cfg.jobs) return;
    // Of several instances on one ClickHouse only the lease holder runs the schedule (JOBS=off ones never ask).
    void this.lease.start();
    for (const spec of this.schedule) {
      if (!this.status.get(spec.name)!.enabled) continue;
      const job = CronJob.from({
        cronTime: spec.cron,
        timeZone: 'Asia/Shanghai',
        onTick: () => void (this.lease.held() ? this.run(spec.name).catch(() => undefined) : undefined),
        start: true,
      });
      this.registry.addCronJob(spec.name, job as unknown as Parameters<SchedulerRegistry['addCronJob']>[1]);
    }
    // A load that added rows is followed by a refresh (debounced: several files arrive together).
    this.unsubscribe = this.events.subscribe((e) => {
      if (e.type !== 'data-loaded' || !this.lease.held()) return;
      if (this.refreshTimer) clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => this.refreshAfterLoad(), 1_000);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.lease.stop();
    this.unsubscribe?.();
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const name of this.registry.getCronJobs().keys()) this.registry.deleteCronJob(name);
  }

  /** Whether this process runs the schedule (JOBS=on; of several instances, only the lease holder runs it). */
  get scheduled(): boolean {
    return this.cfg.jobs;
  }

  list(): JobStatus[] {
    return [...this.status.values()].map((s) => ({ ...s }));
  }

  /**
   * The refresh a load asks for. A refresh already running may have read the data before this load
   * (joining it would leave the load off the wall until the next tick, minutes later): one more runs
   * right after it.
   */
  private refreshAfterLoad(): void {
    const running = this.inFlight.get('refresh');
    this.asked.set('refresh', (this.asked.get('refresh') ?? 0) + 1);
    // What yields to the refresh stops now (an alert evaluation in progress: the refresh is followed by one).
    this.askToYield('refresh');
    const next = (): void => void this.run('refresh').catch(() => undefined);
    if (running) void running.then(next, next);
    else next();
  }

  /** Whether a load's request for the job waits for a run, or its run is under way. */
  private wanted(name: string): boolean {
    return (this.asked.get(name) ?? 0) > (this.served.get(name) ?? 0);
  }

  /** Aborts the signal of every run in progress that yields to `name`. */
  private askToYield(name: string): void {
    for (const spec of this.schedule) if (spec.yieldsTo?.includes(name)) this.stops.get(spec.name)?.abort();
  }

  /** Runs a job now; a run already in progress is joined rather than started twice. */
  run(name: string): Promise<JobStatus> {
    const spec = this.schedule.find((j) => j.name === name);
    if (!spec) throw new UnknownJobError(`unknown job "${name}" (jobs: ${this.schedule.map((j) => j.name).join(', ')})`);
    const running = this.inFlight.get(name);
    // A run asked to stop is not what a new request wants: it runs again once that one has stopped.
    if (running) return this.stops.get(name)?.signal.aborted ? running.then(() => this.run(name), () => this.run(name)) : running;
    const p = this.execute(spec)
      .then(async (st) => {
        // The follow-up is part of this run (a caller awaiting the refresh also awaits its evaluation).
        const next = st.lastStatus === 'ok' ? spec.followedBy?.(st.lastResult) : null;
        if (next) await this.run(next);
        return st;
      })
      .finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, p);
    return p;
  }

  private async execute(spec: JobSpec): Promise<JobStatus> {
    const st = this.status.get(spec.name)!;
    st.running = true;
    st.lastStart = new Date().toISOString();
    const stop = new AbortController();
    // Started while a load's request for a job it yields to is not served yet (the 10-minute tick beside that
    // refresh, the follow-up of the refresh before it): asked to stop at once.
    if (spec.yieldsTo?.some((j) => this.wanted(j))) stop.abort();
    this.stops.set(spec.name, stop);
    const serves = this.asked.get(spec.name) ?? 0;
    try {
      st.lastResult = await spec.run({ get: (t) => this.moduleRef.get(t, { strict: false }), signal: stop.signal });
      st.lastStatus = 'ok';
      st.lastError = null;
    } catch (e) {
      st.lastStatus = 'failed';
      st.lastError = e instanceof Error ? e.message : String(e);
      this.log.error(`job ${spec.name} failed: ${st.lastError}`);
      this.events.emit({ type: 'job-failed', job: spec.name, error: st.lastError });
    } finally {
      this.served.set(spec.name, Math.max(this.served.get(spec.name) ?? 0, serves));
      this.stops.delete(spec.name);
      st.running = false;
      st.lastEnd = new Date().toISOString();
    }
    return { ...st };
  }
}
