import type { AppConfig } from '../backend/src/config/config';

/** What a job may reach: the app's services (Nest's ModuleRef / application context). */
export interface JobContext {
  get<T>(type: abstract new (...args: never[]) => T): T;
  /**
   * Aborted when a load asks for a job this one yields to (JobSpec.yieldsTo) while it runs, or started
   * while such a request waited. The job chooses whether and where to stop; a run that stops returns normally.
   */
  signal: AbortSignal;
}

export interface JobSpec {
  name: string;
  /** Six-field cron (seconds first), Asia/Shanghai. */
  cron: string;
  what: string;
  enabled?: (cfg: AppConfig) => boolean;
  run: (ctx: JobContext) => Promise<unknown>;
  /** The job to run right after a successful run with this result (null: none), recorded in /api/jobs like any run. */
  followedBy?: (result: unknown) => string | null;
  /**
   * Jobs this one makes way for: a run in progress is asked to stop (its signal) when a load that added
   * rows asks for one of them — the alert evaluation for the refresh, which is followed by an evaluation anyway.
   */
  yieldsTo?: readonly string[];
}
