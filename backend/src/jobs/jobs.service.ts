// Runs the schedule of cron/schedule.ts in this process (unless JOBS=off):
// one run of a job at a time, its last outcome kept for /api/jobs and the
// screens, a refresh right after every load that added rows, and a job's
// follow-up (the alerts after a refresh that wrote snapshots) as a run of its own.
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
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

@Injectable()
export class JobsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Jobs');
  private readonly status = new Map<string, JobStatus>();
  private readonly inFlight = new Map<string, Promise<JobStatus>>();
  private unsubscribe: (() => void) | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly moduleRef: ModuleRef,
    private readonly registry: SchedulerRegistry,
    private readonly events: DataEvents,
    private readonly lease: JobLeaseService,
  ) {
    for (const j of SCHEDULE) {
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
    for (const spec of SCHEDULE) {
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
    const next = (): void => void this.run('refresh').catch(() => undefined);
    const running = this.inFlight.get('refresh');
    if (running) void running.then(next, next);
    else next();
  }

  /** Runs a job now; a run already in progress is joined rather than started twice. */
  run(name: string): Promise<JobStatus> {
    const spec = SCHEDULE.find((j) => j.name === name);
    if (!spec) throw new UnknownJobError(`unknown job "${name}" (jobs: ${SCHEDULE.map((j) => j.name).join(', ')})`);
    const running = this.inFlight.get(name);
    if (running) return running;
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
    try {
      st.lastResult = await spec.run({ get: (t) => this.moduleRef.get(t, { strict: false }) });
      st.lastStatus = 'ok';
      st.lastError = null;
    } catch (e) {
      st.lastStatus = 'failed';
      st.lastError = e instanceof Error ? e.message : String(e);
      this.log.error(`job ${spec.name} failed: ${st.lastError}`);
      this.events.emit({ type: 'job-failed', job: spec.name, error: st.lastError });
    } finally {
      st.running = false;
      st.lastEnd = new Date().toISOString();
    }
    return { ...st };
  }
}
