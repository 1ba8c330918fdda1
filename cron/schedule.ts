// What runs when. A tick only calls a service method (cron/*.job.ts), and
// every job can be run once with `npm run cli -- job <name>`.
import { pullInbox } from './pull-inbox.job';
import { pullPostgres } from './pull-postgres.job';
import { refresh, refreshChanged } from './refresh.job';
import { alerts, alertsDigest } from './alerts.job';
import { digestCron } from '../backend/src/alerts/notify/notify.settings';
import { housekeeping } from './housekeeping.job';
import { backup } from './backup.job';
import { dispatchReport, measuresReport, rightsReport, semimonthlyReport, weeklyReport } from './reports.job';
import type { JobSpec } from './job.types';

export const SCHEDULE: JobSpec[] = [
  {
    name: 'pull-inbox',
    // Every 10 seconds (an empty inbox costs one directory listing): a dropped file must be on the wall
    // within a minute, load and refresh included, so the wait for the tick cannot take the whole minute.
    cron: process.env.INBOX_CRON || '*/10 * * * * *',
    what: 'load finished files from the inbox folder, then move them to processed/',
    run: pullInbox,
  },
  {
    name: 'pull-postgres',
    // Every minute, offset from the inbox pull so the two loads do not queue behind each other.
    cron: process.env.PG_CRON || '20 * * * * *',
    what: "pull new and changed rows from the provincial platform's PostgreSQL (only when SOURCE_PG_URL is set)",
    // The platform's tables feed the home campaign year; another year pulls only tables of its own mapping (docs/ingestion.md, "Campaign years").
    enabled: (cfg) => Boolean(cfg.sourcePgUrl) && (cfg.campaignHome !== false || cfg.sourcePgOwnMapping === true),
    run: pullPostgres,
  },
  {
    name: 'refresh',
    // Also triggered right after every load that added rows; the 5-minute tick heals a missed trigger.
    cron: process.env.REFRESH_CRON || '30 */5 * * * *',
    what: 'recompute the daily metric snapshots of every region when the data changed, then evaluate the alerts',
    run: refresh,
    // New snapshots mean new conditions: evaluate at once rather than at the next :x0:45 (a fresh install, a new load).
    followedBy: refreshChanged,
  },
  {
    name: 'report-weekly',
    // Thursday 12:00: cities report 附件2 every Thursday (通知 五(四)); the form is the current ISO week as of that day.
    cron: process.env.REPORT_WEEKLY_CRON || '0 0 12 * * 4',
    what: 'generate and archive the weekly 附件2 progress form (离校未就业高校毕业生信息衔接工作进展汇总表) of the current week',
    run: weeklyReport,
  },
  {
    name: 'report-measures',
    // With the weekly 附件2: the 专项工作进展表 of 实训中心, 岗位开发 and 政策落实 (measures.md kinds 5–8) of the current ISO week.
    cron: process.env.REPORT_MEASURES_CRON || '0 5 12 * * 4',
    what: 'generate and archive the weekly 专项工作进展表 (training centres, job posts, policy delivery) of the current week',
    run: measuresReport,
  },
  {
    name: 'report-semimonthly',
    // 1st and 16th, 08:00: the ministry's 半月调度 of contact and help progress, for the half-month just ended.
    cron: process.env.REPORT_SEMIMONTHLY_CRON || '0 0 8 1,16 * *',
    what: 'generate and archive the semi-monthly 实名联系和帮扶进度 form of the half-month that just ended',
    run: semimonthlyReport,
  },
  {
    name: 'report-dispatch',
    // Every day 08:00: the 日调度 of 小程序 help requests, before the counties start their calls.
    cron: process.env.REPORT_DISPATCH_CRON || '0 0 8 * * *',
    what: 'generate and archive the daily list of 小程序 help requests still waiting for a first contact',
    run: dispatchReport,
  },
  {
    name: 'report-rights',
    // Monday 08:00: the week's chase of 约谈 / 限期纠正 cases starts from the list of open cases, overdue first.
    cron: process.env.REPORT_RIGHTS_CRON || '0 0 8 * * 1',
    what: 'generate and archive the list of open rights-protection cases (就业权益保障案件清单), overdue first',
    run: rightsReport,
  },
  {
    name: 'alerts',
    // Every 10 minutes, and right after each refresh that wrote new snapshots (the refresh's followedBy, so that
    // run shows here too): deadlines pass with time, not only with data. Also sends held and retried notices.
    cron: process.env.ALERTS_CRON || '45 */10 * * * *',
    what: 'evaluate the overdue-alert rules at the current time, resolve and escalate alerts, and send due notices',
    run: alerts,
    // A load's refresh does not wait behind a whole evaluation (a minute at national size): the evaluation stops
    // at its next step and the refresh's own follow-up evaluates the new data (never twice in a row: AlertsService).
    yieldsTo: ['refresh'],
  },
  {
    name: 'alerts-digest',
    // Once a day at ALERT_DIGEST_HOUR (default 08:00), before the offices start their calls.
    cron: process.env.ALERT_DIGEST_CRON || digestCron(),
    what: 'send each region with a channel its daily digest of open alerts and overdue dispatch orders',
    run: alertsDigest,
  },
  {
    name: 'housekeeping',
    // Daily at 03:30, when nobody loads or reads: prune what is past its retention (RETAIN_*_DAYS, docs/deploy.md).
    cron: process.env.HOUSEKEEPING_CRON || '0 30 3 * * *',
    what: 'delete sent notices, old delivery log rows, stage data of finished loads and old archived reports past their retention',
    run: housekeeping,
  },
  {
    name: 'backup',
    // 02:30 every night, when no clerk is loading files: a copy of the whole data directory
    // (without the PII key) into BACKUP_DIR, keeping the newest BACKUP_KEEP (default 7).
    cron: process.env.BACKUP_CRON || '0 30 2 * * *',
    what: 'back the data directory up into BACKUP_DIR (default DATA_DIR/backups) and keep the newest BACKUP_KEEP (default 7)',
    // The home year's application backs up (docs/deploy.md, "Campaign years").
    enabled: (cfg) => !cfg.clickhouse.url && cfg.campaignHome !== false,
    run: backup,
  },
];
