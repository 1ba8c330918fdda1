// What a backup folder holds and what backup/restore report (the CLI prints these as JSON).

export const BACKUP_FORMAT = 'jilin-campaign-backup';

export interface BackupTable {
  name: string;
  engine: string;
  /** Rows at the moment of the backup (exact count); null for a table without data of its own (a view). */
  rows: number | null;
}

/** backup.json, written last: a folder without it is not a complete backup. */
export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: 1;
  /** ISO time (UTC) the engine's BACKUP began. */
  createdAt: string;
  /** How: the embedded engine's own BACKUP DATABASE … TO File(), in the folder `clickhouse/`. */
  method: 'engine-backup';
  database: string;
  engineVersion: string;
  /** Applied migrations (schema_migrations) at backup time. */
  migrations: number[];
  tables: BackupTable[];
  /**
   * The install's other campaign years (issue 18), each its database's engine backup in `clickhouse-<year>/`;
   * absent in backups of an install with one year.
   */
  campaigns?: Array<{ year: number; database: string; tables: BackupTable[] }>;
  /** One-way fingerprint of the PII key the data is encrypted with (security/pii.ts). */
  piiKeyFingerprint: string;
  /** The key itself is in `pii.key` only when the backup was made with --with-key. */
  keyIncluded: boolean;
  /** online: taken from a running server (through its control channel); offline: the CLI opened DATA_DIR. */
  taken: 'online' | 'offline';
}

export interface BackupResult {
  path: string;
  createdAt: string;
  tables: number;
  rows: number;
  bytes: number;
  ms: number;
  keyIncluded: boolean;
  taken: 'online' | 'offline';
  /** Older backups removed by the nightly job's retention (BACKUP_KEEP). */
  removed?: string[];
}

export interface RestoreResult {
  from: string;
  dataDir: string;
  tables: number;
  rows: number;
  /** Where the PII key came from: PII_KEY, a --key file, or the backup's own pii.key. */
  key: 'env' | 'file' | 'backup';
  /** Migrations newer than the backup, applied after the restore. */
  migrated: string[];
  ms: number;
}
