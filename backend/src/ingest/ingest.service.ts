// Loading ledger files: parse → stage (invisible) → commit (deduplicated) →
// record the run. One load at a time in a process, so staging and the
// duplicate check never race.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { SCHEMA, type RecordKind } from '../ledger/ledger.schema';
import { PII_CODEC } from '../security/pii.provider';
import { maskName, maskFreeText, type PiiCodec } from '../security/pii';
import { DataEvents } from '../common/data-events';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { FileRejected, parseFile, type Batch, type FileSummary, type RejectedRow } from './parse';
import { IngestRepository, type RejectRow, type RunRow, type WarningRow } from './ingest.repository';
import { toStageLine, withFile, type RowContext } from './ingest.rows';

const KINDS: RecordKind[] = ['ledger', 'service', 'help', 'event'];

export interface KindCounts {
  rows: number;
  accepted: number;
  rejected: number;
  warnings: number;
  /** Accepted rows whose content was already loaded (they change nothing). */
  duplicates: number;
}

export interface FileResult {
  file: string;
  runId: number;
  status: 'succeeded' | 'rejected' | 'failed';
  error?: string;
  accepted: number;
  rejected: number;
  warnings: number;
  duplicates: number;
  /** Rows actually added to the raw tables. */
  inserted: number;
  kinds: Partial<Record<RecordKind, KindCounts>>;
  unknownColumns: string[];
  encoding?: string;
}

export interface IngestSummary {
  accepted: number;
  rejected: number;
  warnings: number;
  duplicates: number;
  inserted: number;
  failed: number;
  files: FileResult[];
}

export interface LoadOptions {
  source?: string;
  /** Called with rows read so far and the file's size progress (0..1). */
  onProgress?: (file: string, rows: number, fraction: number) => void;
  now?: Date;
}

/**
 * Where a run's accepted rows wait until the commit: TabSeparated files under
 * DATA_DIR/tmp for the embedded engine (read back with file()), the staging
 * tables otherwise. Either way nothing is visible before the commit.
 */
class Stager {
  /** Rows per staged file: each file is committed by its own INSERT … SELECT, which bounds the engine's memory. */
  private readonly chunkRows = Number(process.env.INGEST_CHUNK_ROWS) || 200_000;
  private readonly files = new Map<RecordKind, Array<{ path: string; stream: fs.WriteStream; rows: number }>>();
  private readonly dir: string;

  constructor(
    private readonly repo: IngestRepository,
    private readonly runId: number,
    tmpRoot: string,
  ) {
    this.dir = path.join(tmpRoot, `run-${runId}`);
  }

  async add(kind: RecordKind, tsv: string, rows: number): Promise<void> {
    if (!tsv) return;
    if (!this.repo.stagesToFiles) return this.repo.stage(kind, tsv);
    const list = this.files.get(kind) ?? [];
    this.files.set(kind, list);
    let f = list[list.length - 1];
    if (!f || f.rows >= this.chunkRows) {
      if (f) await endStream(f.stream);
      fs.mkdirSync(this.dir, { recursive: true });
      const p = path.join(this.dir, `${kind}-${list.length}.tsv`);
      f = { path: p, stream: fs.createWriteStream(p), rows: 0 };
      list.push(f);
    }
    f.rows += rows;
    const stream = f.stream;
    if (!stream.write(tsv)) await new Promise<void>((r) => stream.once('drain', () => r()));
  }

  async commit(kind: RecordKind): Promise<{ staged: number; inserted: number }> {
    if (!this.repo.stagesToFiles) return this.repo.commit(kind, this.runId);
    let staged = 0;
    for (const f of this.files.get(kind) ?? []) {
      await endStream(f.stream);
      staged += (await this.repo.commitFromFile(kind, this.runId, f.path)).staged;
    }
    // Counted once at the end: later chunks may replace rows of earlier ones.
    return { staged, inserted: staged ? await this.repo.countRun(kind, this.runId) : 0 };
  }

  async discard(): Promise<void> {
    for (const list of this.files.values()) for (const f of list) f.stream.destroy();
    fs.rmSync(this.dir, { recursive: true, force: true });
    if (!this.repo.stagesToFiles) await this.repo.dropStage(this.runId);
  }
}

function endStream(s: fs.WriteStream): Promise<void> {
  if (s.writableFinished) return Promise.resolve();
  return new Promise<void>((resolve, reject) => s.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

class Mutex {
  private tail: Promise<void> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.then(() => undefined, () => undefined);
    return next;
  }
}

// Enum values and region names are not personal data; other short Han-only cells may be names.
const NON_PERSONAL = new Set(Object.values(SCHEMA).flatMap((cols) => cols.flatMap((c) => [...(c.values ?? []), c.header])));

/** Masks a rejected row's raw text: ID numbers, phones and name-like cells. */
export function maskRawRow(raw: string): string {
  return maskFreeText(raw)
    .split(',')
    .map((cell) => {
      const t = cell.replace(/^"|"$/g, '').trim();
      return /^[\u4e00-\u9fa5·]{2,5}$/.test(t) && !NON_PERSONAL.has(t) && !/[市县区州旗]$/.test(t) ? cell.replace(t, maskName(t)) : cell;
    })
    .join(',');
}

export async function hashFile(file: string): Promise<string> {
  const h = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

function emptyCounts(): KindCounts {
  return { rows: 0, accepted: 0, rejected: 0, warnings: 0, duplicates: 0 };
}

@Injectable()
export class IngestService {
  private readonly log = new Logger('Ingest');
  private readonly mutex = new Mutex();

  constructor(
    private readonly repo: IngestRepository,
    @Inject(PII_CODEC) private readonly codec: PiiCodec,
    private readonly events: DataEvents,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  private get tmpDir(): string {
    return path.join(this.cfg.dataDir, 'tmp');
  }

  /** Loads files one run each; a file that fails leaves everything loaded before it in place. */
  loadFiles(files: string[], opts: LoadOptions = {}): Promise<IngestSummary> {
    return this.mutex.run(async () => {
      const results: FileResult[] = [];
      for (const f of files) results.push(await this.loadOne(f, opts));
      const sum = (k: 'accepted' | 'rejected' | 'warnings' | 'duplicates' | 'inserted') => results.reduce((a, r) => a + r[k], 0);
      const summary: IngestSummary = {
        accepted: sum('accepted'),
        rejected: sum('rejected'),
        warnings: sum('warnings'),
        duplicates: sum('duplicates'),
        inserted: sum('inserted'),
        failed: results.filter((r) => r.status === 'failed').length,
        files: results,
      };
      if (summary.inserted > 0) this.events.emit({ type: 'data-loaded', inserted: summary.inserted });
      return summary;
    });
  }

  /** Marks runs a dead process left "running" as failed and clears their staging. */
  async recoverAbandoned(): Promise<number> {
    return this.mutex.run(async () => {
      const stale = await this.repo.abandonedRuns();
      for (const r of stale) {
        await this.repo.deleteRunRows(r.run_id);
        await this.repo.saveRun({ ...r, status: 'failed', finished_at: r.started_at, error: '进程在导入过程中中断，本次导入未生效，将在下次运行时重新导入（process stopped mid-load）' });
      }
      await this.repo.dropAllStages();
      fs.rmSync(this.tmpDir, { recursive: true, force: true });
      return stale.length;
    });
  }

  /**
   * Loads record batches from a non-file source (e.g. PostgreSQL) as one run.
   * `batches` yields validated rows like the file parser; `label` names the run.
   */
  loadBatches(label: string, source: string, batches: () => AsyncGenerator<Batch, FileSummary | void>): Promise<FileResult> {
    return this.mutex.run(async () => {
      const r = await this.runOne(label, { source }, batches, null, 0);
      if (r.inserted > 0) this.events.emit({ type: 'data-loaded', inserted: r.inserted });
      return r;
    });
  }

  private async loadOne(file: string, opts: LoadOptions): Promise<FileResult> {
    const size = fs.existsSync(file) ? fs.statSync(file).size : 0;
    return this.runOne(path.basename(file), opts, () => parseFile(file, { now: opts.now }), file, size);
  }

  private async runOne(
    label: string,
    opts: LoadOptions,
    open: () => AsyncGenerator<Batch, FileSummary | void>,
    file: string | null,
    size: number,
  ): Promise<FileResult> {
    const runId = await this.repo.nextRunId();
    const startedAt = Date.now();
    const run: RunRow = {
      run_id: runId, source: opts.source ?? 'cli', label, status: 'running', started_at: new Date(startedAt).toISOString(), finished_at: null,
      rows_read: 0, accepted: 0, rejected: 0, warnings: 0, duplicates: 0, error: '', detail: '',
    };
    await this.repo.saveRun(run);
    const result: FileResult = {
      file: label, runId, status: 'succeeded', accepted: 0, rejected: 0, warnings: 0, duplicates: 0, inserted: 0, kinds: {}, unknownColumns: [],
    };
    const ctx: RowContext = { runId, file: label, codec: this.codec };
    const stager = new Stager(this.repo, runId, this.tmpDir);
    let summary: FileSummary | void;
    try {
      const contentHash = file ? await hashFile(file) : null;
      const gen = open();
      for (;;) {
        const next = await gen.next();
        if (next.done) {
          summary = next.value;
          break;
        }
        const batch = next.value;
        const counts = (result.kinds[batch.kind] ??= emptyCounts());
        const fileLabel = batch.sheet ? `${label}#${batch.sheet}` : label;
        const lines: string[] = [];
        const batchCtx = withFile(ctx, fileLabel);
        const warnings: WarningRow[] = [];
        for (const p of batch.accepted) {
          lines.push(toStageLine(p.kind, p.record, p.row, batchCtx));
          for (const w of p.warnings) warnings.push({ run_id: runId, file: fileLabel, row: p.row, kind: p.kind, warning: w });
        }
        await stager.add(batch.kind, lines.length ? lines.join('\n') + '\n' : '', lines.length);
        await this.repo.saveRejects(batch.rejected.map((r) => this.rejectRow(runId, label, r)));
        await this.repo.saveWarnings(warnings);
        counts.rows += batch.accepted.length + batch.rejected.length;
        counts.accepted += batch.accepted.length;
        counts.rejected += batch.rejected.length;
        counts.warnings += warnings.length;
        result.accepted += batch.accepted.length;
        result.rejected += batch.rejected.length;
        result.warnings += warnings.length;
        opts.onProgress?.(label, result.accepted + result.rejected, size ? Math.min(1, (result.accepted + result.rejected) / Math.max(1, size / 80)) : 1);
      }
      const sheets = summary ? summary.sheets : [];
      // Sheets rejected whole (missing required column) are kept as one reject each.
      for (const s of sheets.filter((x) => x.error)) {
        await this.repo.saveRejects([{ run_id: runId, file: label, sheet: s.sheet ?? '', row: 0, kind: s.kind ?? '', reason: s.error!, raw_masked: '', raw_enc: '' }]);
        result.rejected += s.rows;
        if (s.kind) (result.kinds[s.kind] ??= emptyCounts()).rejected += s.rows;
      }
      result.unknownColumns = [...new Set(sheets.flatMap((s) => s.unknownColumns))];
      result.encoding = summary ? summary.encoding : undefined;
      // The very same file loaded before changes nothing, even if records were corrected since.
      const seenBefore = contentHash ? await this.repo.fileLoaded(contentHash) : null;
      for (const kind of KINDS) {
        const counts = result.kinds[kind];
        if (!counts) continue;
        const { staged, inserted } = seenBefore ? { staged: counts.accepted, inserted: 0 } : await stager.commit(kind);
        counts.duplicates = staged - inserted;
        result.duplicates += staged - inserted;
        result.inserted += inserted;
      }
      await stager.discard();
      if (contentHash) await this.repo.recordFile(contentHash, label, runId);
      if (summary && summary.fileError) result.error = summary.fileError;
    } catch (e) {
      if (e instanceof FileRejected) {
        result.status = 'rejected';
        result.error = e.message;
        await this.repo.saveRejects([{ run_id: runId, file: label, sheet: '', row: 0, kind: '', reason: e.message, raw_masked: '', raw_enc: '' }]);
      } else {
        result.status = 'failed';
        result.error = e instanceof Error ? e.message : String(e);
        this.log.error(`run ${runId} (${label}) failed: ${result.error}`);
      }
      // Nothing of a rejected or failed file stays visible.
      await this.repo.deleteRunRows(runId).catch(() => undefined);
      await stager.discard().catch(() => undefined);
      result.inserted = 0;
    }
    await this.repo.saveRun({
      ...run,
      status: result.status,
      finished_at: new Date().toISOString(),
      rows_read: result.accepted + result.rejected,
      accepted: result.accepted,
      rejected: result.rejected,
      warnings: result.warnings,
      duplicates: result.duplicates,
      error: result.error ?? '',
      detail: JSON.stringify({ kinds: result.kinds, unknownColumns: result.unknownColumns, encoding: result.encoding, inserted: result.inserted }),
    });
    this.log.log(`run ${runId} ${label}: ${result.status}, accepted ${result.accepted}, rejected ${result.rejected}, new ${result.inserted}`);
    return result;
  }

  private rejectRow(runId: number, file: string, r: RejectedRow): RejectRow {
    return {
      run_id: runId,
      file,
      sheet: r.sheet ?? '',
      row: r.row,
      kind: r.kind ?? '',
      reason: maskFreeText(r.reason),
      raw_masked: maskRawRow(r.raw),
      raw_enc: this.codec.encrypt(r.raw),
    };
  }
}
