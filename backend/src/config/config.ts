// Every setting the product reads, in one place (README's configuration table
// is written from this list). Values come from the environment only.
import * as path from 'node:path';
import { repoRoot } from './paths';

export interface AppConfig {
  port: number;
  dataDir: string;
  clickhouse: {
    url: string | null;
    user: string;
    password: string;
    database: string;
    cluster: string | null;
  };
  /** 'json' (one object a line) or 'pretty'. */
  logFormat: 'json' | 'pretty';
  /** Load the generated demo campaign into an empty data directory on `npm start`. */
  demo: boolean;
  /** Run the scheduled jobs in this process. */
  jobs: boolean;
  inboxDir: string;
  sourcePgUrl: string | null;
  /** JSON file mapping the platform's tables onto the ledger kinds (docs/ingestion.md). */
  sourcePgMapping: string | null;
  webDir: string;
  /** Where the nightly backup writes (BACKUP_DIR, else DATA_DIR/backups), and how many it keeps (BACKUP_KEEP). */
  backupDir: string;
  backupKeep: number;
  /** Answer the hot GETs (/api/screen/:code, /api/metrics/:code?asOf=) from their prepared bodies before Express/Nest (HOT_GET, default on). */
  hotGet: boolean;
  /** The campaign year this application serves (set per campaign by the campaign registry; absent: the configured one). */
  campaignYear?: number;
  /** The year the install began with (its data in the main database; the root of the inbox is its). */
  campaignHome?: boolean;
  /** This campaign year pulls the PostgreSQL tables of its own mapping (CAMPAIGN_CONFIG's sourcePgMapping), not the home year's. */
  sourcePgOwnMapping?: boolean;
  /** An archived campaign: read-only (no loads, no scheduled jobs). */
  readOnly?: boolean;
}

export class ConfigError extends Error {}

function intFrom(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${name} must be a whole number between 0 and 65535, got "${raw}"`);
  return n;
}

function flag(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  const v = raw.toLowerCase();
  if (['1', 'on', 'true', 'yes'].includes(v)) return true;
  if (['0', 'off', 'false', 'no'].includes(v)) return false;
  throw new ConfigError(`${name} must be on or off, got "${raw}"`);
}

function backupKeep(raw: string | undefined): number {
  const n = intFrom('BACKUP_KEEP', raw, 7);
  if (n < 1) throw new ConfigError(`BACKUP_KEEP must be at least 1 (the backup just written is always kept), got "${raw}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const dataDir = path.resolve(env.DATA_DIR || './data');
  const db = env.CLICKHOUSE_DATABASE || 'campaign';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(db)) throw new ConfigError(`CLICKHOUSE_DATABASE must be a plain identifier, got "${db}"`);
  return {
    port: intFrom('PORT', env.PORT, 3000),
    dataDir,
    clickhouse: {
      url: env.CLICKHOUSE_URL || null,
      user: env.CLICKHOUSE_USER || 'default',
      password: env.CLICKHOUSE_PASSWORD || '',
      database: db,
      cluster: env.CLICKHOUSE_CLUSTER || null,
    },
    logFormat: (env.LOG_FORMAT as 'json' | 'pretty' | undefined) ?? (env.NODE_ENV === 'development' ? 'pretty' : 'json'),
    demo: flag('DEMO', env.DEMO, true),
    jobs: flag('JOBS', env.JOBS, true),
    inboxDir: path.resolve(env.INBOX_DIR || path.join(dataDir, 'inbox')),
    sourcePgUrl: env.SOURCE_PG_URL || null,
    sourcePgMapping: env.SOURCE_PG_MAPPING || null,
    webDir: path.resolve(env.WEB_DIR || path.join(repoRoot(), 'dist', 'web')),
    backupDir: path.resolve(env.BACKUP_DIR || path.join(dataDir, 'backups')),
    backupKeep: backupKeep(env.BACKUP_KEEP),
    hotGet: flag('HOT_GET', env.HOT_GET, true),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
