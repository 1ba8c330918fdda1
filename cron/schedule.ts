// What runs when. A tick only calls a service method (cron/*.job.ts), and
// every job can be run once with `npm run cli -- job <name>`.
import { pullInbox } from './pull-inbox.job';
import { pullPostgres } from './pull-postgres.job';
import { refresh } from './refresh.job';
import type { JobSpec } from './job.types';

export const SCHEDULE: JobSpec[] = [
  {
    name: 'pull-inbox',
    // Every minute: a clerk expects a dropped file in the dashboard within a minute.
    cron: process.env.INBOX_CRON || '0 * * * * *',
    what: 'load finished files from the inbox folder, then move them to processed/',
    run: pullInbox,
  },
  {
    name: 'pull-postgres',
    // Every minute, offset from the inbox pull so the two loads do not queue behind each other.
    cron: process.env.PG_CRON || '20 * * * * *',
    what: "pull new and changed rows from the provincial platform's PostgreSQL (only when SOURCE_PG_URL is set)",
    enabled: (cfg) => Boolean(cfg.sourcePgUrl),
    run: pullPostgres,
  },
  {
    name: 'refresh',
    // Also triggered right after every load that added rows; the 5-minute tick heals a missed trigger.
    cron: process.env.REFRESH_CRON || '30 */5 * * * *',
    what: 'recompute the daily metric snapshots of every region when the data changed',
    run: refresh,
  },
];
