import type { RecordKind, RecordOfKind } from '../../ledger/ledger.schema';

export interface ParsedRow<K extends RecordKind = RecordKind> {
  kind: K;
  /** 1-based row number as the clerk sees it in Excel: the header is row 1. */
  row: number;
  record: RecordOfKind[K];
  warnings: string[];
}

export interface RejectedRow {
  kind: RecordKind | null;
  row: number;
  /** Chinese, actionable; may carry an English hint in parentheses. */
  reason: string;
  /** The row's cells as read, joined as one CSV line. */
  raw: string;
  sheet?: string;
}

export interface Batch {
  kind: RecordKind;
  sheet?: string;
  accepted: ParsedRow[];
  rejected: RejectedRow[];
}

export interface SheetSummary {
  sheet?: string;
  kind: RecordKind | null;
  rows: number;
  accepted: number;
  rejected: number;
  warnings: number;
  unknownColumns: string[];
  /** Why this sheet was not loaded (e.g. "缺少必填列 …"); absent when it loaded. */
  error?: string;
}

export interface FileSummary {
  file: string;
  format: 'csv' | 'xlsx';
  encoding?: 'utf-8' | 'utf-8-bom' | 'gb18030';
  sheets: SheetSummary[];
  /** Set when part of the file could not be loaded (a sheet rejected whole, a corrupt tail). */
  fileError?: string;
}

/** The whole file cannot be loaded; the message is the clerk-facing reason. */
export class FileRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileRejected';
  }
}

export interface ParseOptions {
  /** "Now" for the future-date check (default: the current time). */
  now?: Date;
  /** Rows (accepted + rejected) per yielded batch; default 500. */
  batchSize?: number;
}
