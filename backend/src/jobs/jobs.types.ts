// What GET /api/jobs answers per scheduled job. Pure: imported by the frontend's admin home too.
export interface JobStatus {
  name: string;
  cron: string;
  what: string;
  enabled: boolean;
  running: boolean;
  lastStart: string | null;
  lastEnd: string | null;
  lastStatus: 'ok' | 'failed' | null;
  lastError: string | null;
  lastResult: unknown;
}
