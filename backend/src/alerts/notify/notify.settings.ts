// Notification settings from the environment (docs/alerts.md lists them).
import { ConfigError } from '../../config/config';
import { parseSmtpUrl, type SmtpSettings } from './smtp';

export interface QuietHours {
  /** Minutes after midnight, Asia/Shanghai; the window may wrap midnight. */
  start: number;
  end: number;
}

export interface NotifySettings {
  publicUrl: string;
  quiet: QuietHours | null;
  digestHour: number;
  retryAttempts: number;
  retryBaseMs: number;
  httpTimeoutMs: number;
  /** IM robots refuse more than about 20 messages a minute; the rest wait for the next run. */
  imPerMinute: number;
  maxNames: number;
  smtp: SmtpSettings | null;
}

/** A bad setting stops the start with one line (main.ts and the CLI print ConfigError messages plainly). */
export class NotifyConfigError extends ConfigError {}

export function parseQuietHours(raw: string | undefined): QuietHours | null {
  const v = (raw ?? '22:00-07:00').trim();
  if (v === '' || v.toLowerCase() === 'off') return null;
  const m = /^([01]?\d|2[0-3]):([0-5]\d)\s*-\s*([01]?\d|2[0-3]):([0-5]\d)$/.exec(v);
  if (!m) throw new NotifyConfigError(`ALERT_QUIET_HOURS must look like 22:00-07:00 (or off), got "${v}"`);
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  return start === end ? null : { start, end };
}

/** Whether an instant falls in the quiet hours (Asia/Shanghai wall time). */
export function isQuiet(ms: number, q: QuietHours | null): boolean {
  if (!q) return false;
  const d = new Date(ms + 8 * 3_600_000);
  const min = d.getUTCHours() * 60 + d.getUTCMinutes();
  return q.start < q.end ? min >= q.start && min < q.end : min >= q.start || min < q.end;
}

function int(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new NotifyConfigError(`${name} must be a whole number between ${min} and ${max}, got "${raw}"`);
  return n;
}

export function digestHour(env: NodeJS.ProcessEnv = process.env): number {
  return int('ALERT_DIGEST_HOUR', env.ALERT_DIGEST_HOUR, 8, 0, 23);
}

/** The digest job's cron (cron/schedule.ts). Never throws at import: a bad hour is reported when the app starts. */
export function digestCron(env: NodeJS.ProcessEnv = process.env): string {
  try {
    return `0 0 ${digestHour(env)} * * *`;
  } catch {
    return '0 0 8 * * *';
  }
}

export function loadNotifySettings(env: NodeJS.ProcessEnv = process.env): NotifySettings {
  const publicUrl = (env.PUBLIC_URL || 'http://localhost:3000').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(publicUrl)) throw new NotifyConfigError(`PUBLIC_URL must start with http:// or https://, got "${publicUrl}"`);
  let smtp: SmtpSettings | null = null;
  if (env.SMTP_URL) {
    try {
      smtp = parseSmtpUrl(env.SMTP_URL, env.SMTP_FROM || 'campaign-alerts@localhost');
    } catch (e) {
      throw new NotifyConfigError(`SMTP_URL: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return {
    publicUrl,
    quiet: parseQuietHours(env.ALERT_QUIET_HOURS),
    digestHour: digestHour(env),
    retryAttempts: int('ALERT_RETRY_ATTEMPTS', env.ALERT_RETRY_ATTEMPTS, 5, 1, 20),
    retryBaseMs: int('ALERT_RETRY_BASE_MS', env.ALERT_RETRY_BASE_MS, 60_000, 0, 86_400_000),
    httpTimeoutMs: int('ALERT_HTTP_TIMEOUT_MS', env.ALERT_HTTP_TIMEOUT_MS, 10_000, 100, 120_000),
    imPerMinute: int('ALERT_IM_PER_MINUTE', env.ALERT_IM_PER_MINUTE, 20, 1, 10_000),
    maxNames: 5,
    smtp,
  };
}

/** Backoff before the next try after `attempts` failed ones: base, 2×base, 4×base, … */
export function backoffMs(attempts: number, baseMs: number): number {
  return baseMs * 2 ** Math.max(0, attempts - 1);
}
