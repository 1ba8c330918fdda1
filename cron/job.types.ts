import type { AppConfig } from '../backend/src/config/config';

/** What a job may reach: the app's services (Nest's ModuleRef / application context). */
export interface JobContext {
  get<T>(type: abstract new (...args: never[]) => T): T;
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
}
