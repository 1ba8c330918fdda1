// Retention settings (README configuration table, docs/deploy.md).
import { ConfigError } from '../config/config';
import type { Retention } from './housekeeping.types';

export const RETENTION_ENV: Record<keyof Retention, { env: string; fallback: number }> = {
  outboxDays: { env: 'RETAIN_OUTBOX_DAYS', fallback: 30 },
  deliveriesDays: { env: 'RETAIN_DELIVERIES_DAYS', fallback: 90 },
  stageDays: { env: 'RETAIN_STAGE_DAYS', fallback: 1 },
  reportsDays: { env: 'RETAIN_REPORTS_DAYS', fallback: 730 },
  // The source files may be the only copy outside the store: kept unless the operator says otherwise.
  processedDays: { env: 'RETAIN_PROCESSED_DAYS', fallback: 0 },
};

export function loadRetention(env: NodeJS.ProcessEnv = process.env): Retention {
  const out = {} as Retention;
  for (const [key, { env: name, fallback }] of Object.entries(RETENTION_ENV) as Array<[keyof Retention, { env: string; fallback: number }]>) {
    const raw = env[name];
    if (raw === undefined || raw === '') {
      out[key] = fallback;
      continue;
    }
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 36_500) throw new ConfigError(`${name} must be a whole number of days (0 = keep for ever), got "${raw}"`);
    out[key] = n;
  }
  return out;
}
