// What the housekeeping module reports: the data directory's size (admins'
// page, GET /api/admin/storage) and what a pruning run removed. Shared with
// the frontend (imported, never restated).

/** The data directory's size, broken into parts that add up to `totalBytes`. */
export interface StorageReport {
  dataDir: string;
  totalBytes: number;
  parts: Array<{ name: string; bytes: number }>;
  measuredAt: string;
}

/** Chinese labels of the storage parts, for the admin page. */
export const STORAGE_PART_LABELS: Record<string, string> = {
  clickhouse: '数据库（台账、指标、预警等）',
  reports: '报表归档（数据库内）',
  inbox: '收件箱（待导入文件）',
  processed: '已导入文件（processed）',
  backups: '备份',
  demo: '演示数据文件',
  tmp: '导入临时文件',
  other: '其他',
};

/** Days to keep each kind of housekeeping data; 0 keeps it for ever. */
export interface Retention {
  /** Finished (sent or given-up) notices in the alert outbox. */
  outboxDays: number;
  /** The notice delivery log (alert_deliveries). */
  deliveriesDays: number;
  /** Staged rows, stage tables and temporary chunk files of finished ingest runs. */
  stageDays: number;
  /** Generated report forms in the archive. */
  reportsDays: number;
  /** Source files moved to the inbox's processed/ folder after loading. */
  processedDays: number;
}

export interface PruneResult {
  now: string;
  retention: Retention;
  outbox: number;
  deliveries: number;
  reports: number;
  stagePartitions: number;
  stageTables: number;
  tmpDirs: number;
  processedFiles: number;
}
