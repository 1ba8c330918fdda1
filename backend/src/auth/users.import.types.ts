// Bulk account import (XLSX): what the preview and the import answer. Pure
// types, shared by the backend, the admin page and the CLI.

/** One row of the file as read and checked; `errors` empty = it will be (or was) created. */
export interface ImportRow {
  /** Row number in the sheet (as Excel shows it). */
  row: number;
  username: string;
  role: string;
  roleLabel: string;
  region: string;
  regionName: string;
  displayName: string;
  /** Masked (138****5678); empty when none was given. */
  phoneMasked: string;
  /** Reasons in Chinese a clerk can act on; empty when the row is good. */
  errors: string[];
}

export interface ImportPreview {
  fileName: string;
  sheet: string;
  /** Data rows read (blank rows skipped). */
  rows: ImportRow[];
  valid: number;
  invalid: number;
}

export interface ImportedAccount {
  row: number;
  username: string;
  role: string;
  region: string;
  regionName: string;
  displayName: string;
  /** The initial password, masked for the screen; in full only in the passwords sheet. */
  passwordMasked: string;
}

export interface ImportResult extends ImportPreview {
  created: ImportedAccount[];
  /** Good rows that failed when created (e.g. the username was taken in the meantime). */
  failed: Array<{ row: number; username: string; error: string }>;
  /** Liaison directory rows written from the phone column. */
  liaisons: number;
  /** The one-time passwords sheet: file name and base64 XLSX (handed back once, never stored). */
  passwordsFileName: string;
  passwordsXlsx: string;
}
