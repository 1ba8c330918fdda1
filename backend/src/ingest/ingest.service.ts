// Loading ledger files: parse → stage (invisible) → commit (deduplicated) →
// record the run. One load at a time in a process, so staging and the
// duplicate check never race.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConflictException, Inject, Injectable, Logger } from '@nestjs/common';
import { SCHEMA, type RecordKind } from '../ledger/ledger.schema';
import { MEASURE_KINDS } from '../ledger/measures.schema';
import { CARE_KINDS } from '../care/care.schema';
import { PII_CODEC } from '../security/pii.provider';
import { maskName, maskFreeText, PreparedPii, type PiiCodec, type Protector } from '../security/pii';
import { DataEvents } from '../common/data-events';
import { faultPoint } from '../common/fault';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { FileRejected, parseFile, type Batch, type FileSummary, type RejectedRow } from './parse';
import { IngestRepository, type RejectRow, type RunRow, type WarningRow } from './ingest.repository';
import { protectionInputs, toStageLine, withFile, type RowContext } from './ingest.rows';
import { Mutex } from '../common/mutex';

const KINDS: RecordKind[] = ['ledger', 'service', 'help', 'event', ...MEASURE_KINDS, ...CARE_KINDS];

/** Batches parsed ahead of the one being staged, while the protection worker computes theirs. */
const PARSE_AHEAD = 4;
/** A file's first batches are protected on the main thread: a small file never waits for a worker. */
const LOCAL_BATCHES = 2;

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
 * Where a run's accepted rows wait until the commit. On the embedded engine
 * they are written to TabSeparated chunk files under DATA_DIR/tmp; each
 * finished chunk is moved (deduplicated) into the run's hidden stage table by
 * the engine on its own threads while the next chunk is parsed, and the
 * commit attaches the stage table's parts to the raw table in one step. On a
 * server they go to the staging tables. Either way nothing is visible before
 * the commit.
 */
class Stager {
  /** Rows per chunk file: each is staged by its own INSERT … SELECT, which bounds the engine's memory. */
  private readonly chunkRows = Number(process.env.INGEST_CHUNK_ROWS) || 100_000;
  private readonly open = new Map<RecordKind, Chunk>();
  private readonly created = new Set<RecordKind>();
  private readonly staged = new Map<RecordKind, number>();
  private chunks = 0;
  /** Stage work in order: a chunk is deduplicated against the chunks before it. */
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private readonly dir: string;

  constructor(
    private readonly repo: IngestRepository,
    private readonly runId: number,
    tmpRoot: string,
  ) {
    this.dir = path.join(tmpRoot, `run-${runId}`);
  }

  /** Adds rows (TabSeparated lines, without line ends). */
  async add(kind: RecordKind, lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    this.staged.set(kind, (this.staged.get(kind) ?? 0) + lines.length);
    if (this.failure) throw this.failure;
    if (!this.repo.stagesToFiles) {
      await this.repo.stage(kind, lines.join('\n') + '\n');
      return;
    }
    let c = this.open.get(kind);
    if (!c) {
      fs.mkdirSync(this.dir, { recursive: true });
      const base = path.join(this.dir, `${kind}-${this.chunks++}`);
      c = { path: `${base}.tsv`, rows: new LineFile(`${base}.tsv`, 1 << 20), n: 0 };
      this.open.set(kind, c);
    }
    for (let i = 0; i < lines.length; i++) c.rows.line(lines[i]!);
    c.n += lines.length;
    if (c.n >= this.chunkRows) this.seal(kind);
  }

  /** Closes the kind's open chunk and queues it for staging. */
  private seal(kind: RecordKind): void {
    const c = this.open.get(kind);
    if (!c) return;
    this.open.delete(kind);
    c.rows.close();
    const first = !this.created.has(kind);
    this.created.add(kind);
    this.chain = this.chain.then(async () => {
      if (this.failure) return;
      try {
        if (first) await this.repo.createRunStage(kind, this.runId);
        await this.repo.stageChunk(kind, this.runId, c.path);
        await faultPoint('ingest.stage');
        fs.rmSync(c.path, { force: true });
      } catch (e) {
        this.failure ??= e;
      }
    });
  }

  async commit(kind: RecordKind): Promise<{ staged: number; inserted: number }> {
    const staged = this.staged.get(kind) ?? 0;
    this.seal(kind);
    await this.chain;
    if (this.failure) throw this.failure;
    if (!this.repo.stagesToFiles) return this.repo.commit(kind, this.runId);
    if (!this.created.has(kind)) return { staged, inserted: 0 };
    return { staged, inserted: await this.repo.attachRunStage(kind, this.runId) };
  }

  async discard(): Promise<void> {
    for (const c of this.open.values()) c.rows.close();
    this.open.clear();
    await this.chain;
    fs.rmSync(this.dir, { recursive: true, force: true });
    if (this.repo.stagesToFiles) await this.repo.dropRunStages(this.runId);
    else await this.repo.dropStage(this.runId);
  }
}

/**
 * Rejects and warnings of a run, written in blocks in the background so the
 * parse never waits on the engine for them (a query per batch would
 * serialise parsing behind the stage queries). flush() writes the rest and
 * reports the first failure.
 */
class RowWriter<T> {
  private rows: T[] = [];
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  constructor(private readonly write: (rows: T[]) => Promise<void>, private readonly blockRows = 10_000) {}

  push(rows: T[]): void {
    for (const r of rows) this.rows.push(r);
    if (this.rows.length >= this.blockRows) this.send();
  }

  private send(): void {
    const block = this.rows;
    this.rows = [];
    this.chain = this.chain.then(() => this.write(block).catch((e: unknown) => void (this.failure ??= e)));
  }

  async flush(): Promise<void> {
    if (this.rows.length) this.send();
    await this.chain;
    if (this.failure) throw this.failure;
  }
}

interface Chunk {
  path: string;
  rows: LineFile;
  /** Rows written so far. */
  n: number;
}

/**
 * Buffer's own UTF-8 writer without write()'s argument juggling (about 15 % faster per line over
 * a million rows); write() where a runtime lacks it.
 */
const rawUtf8Write = (Buffer.prototype as unknown as { utf8Write?: (s: string, offset: number) => number }).utf8Write;
function utf8Write(buf: Buffer, s: string, offset: number): number {
  return rawUtf8Write ? rawUtf8Write.call(buf, s, offset) : buf.write(s, offset);
}

/**
 * A file written line by line through one reused buffer with plain
 * synchronous writes: no joined batch string, no Buffer per batch, and no
 * write-stream drain round trip (which left the parser idle on big files);
 * a buffer goes to the page cache in well under a millisecond.
 */
class LineFile {
  private readonly fd: number;
  private readonly buf: Buffer;
  private off = 0;

  constructor(file: string, size: number) {
    this.fd = fs.openSync(file, 'w');
    this.buf = Buffer.allocUnsafe(size);
  }

  line(s: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    const most = s.length * 3 + 1;
    if (this.off + most > this.buf.length) {
      this.flush();
      if (most > this.buf.length) {
        fs.writeSync(this.fd, s + '\n');
        return;
      }
    }
    this.off += utf8Write(this.buf, s, this.off);
    this.buf[this.off++] = 10;
  }

  private flush(): void {
    let done = 0;
    while (done < this.off) done += fs.writeSync(this.fd, this.buf, done, this.off - done);
    this.off = 0;
  }

  close(): void {
    try {
      this.flush();
    } finally {
      fs.closeSync(this.fd);
    }
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

/** SHA-256 of a file, read through one reused buffer (a stream's fresh buffer per read is garbage the size of the file). */
export async function hashFile(file: string): Promise<string> {
  const h = crypto.createHash('sha256');
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      h.update(buf.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return h.digest('hex');
}

function emptyCounts(): KindCounts {
  return { rows: 0, accepted: 0, rejected: 0, warnings: 0, duplicates: 0 };
}

/** A load into an archived campaign year (the CLI says it and exits 2; through HTTP it would be a 409). */
export class ReadOnlyCampaignError extends ConflictException {}

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

  /** An archived campaign year takes no loads (only its own demo data, when the demo creates it). */
  private assertWritable(source: string | undefined): void {
    if (this.cfg.readOnly && source !== 'demo') {
      throw new ReadOnlyCampaignError(
        `${this.cfg.campaignYear ?? ''} 年攻坚行动已归档（只读），不能再导入数据；如需补录，请先取消归档：npm run cli -- campaign unarchive ${this.cfg.campaignYear ?? ''} / this campaign year is archived (read-only)`,
      );
    }
  }

  /** Loads files one run each; a file that fails leaves everything loaded before it in place. */
  loadFiles(files: string[], opts: LoadOptions = {}): Promise<IngestSummary> {
    this.assertWritable(opts.source);
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
        await this.repo.forgetRun(r.run_id);
        await this.repo.saveRun({ ...r, status: 'failed', finished_at: r.started_at, error: '进程在导入过程中中断，本次导入未生效，将在下次运行时重新导入（process stopped mid-load）' });
      }
      await this.repo.dropAllStages();
      fs.rmSync(this.tmpDir, { recursive: true, force: true });
      return stale.length;
    });
  }

  /** Runs `fn` while no load runs (e.g. a backup that must hold every load wholly or not at all). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.mutex.run(fn);
  }

  /**
   * Loads record batches from a non-file source (e.g. PostgreSQL) as one run.
   * `batches` yields validated rows like the file parser; `label` names the run.
   */
  loadBatches(label: string, source: string, batches: () => AsyncGenerator<Batch, FileSummary | void>): Promise<FileResult> {
    this.assertWritable(source);
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
    let stager: Stager | null = null;
    let rejects: RowWriter<RejectRow> | null = null;
    let warningRows: RowWriter<WarningRow> | null = null;
    let summary: FileSummary | void;
    try {
      // The very same file loaded before changes nothing, even if records were corrected since: it is
      // not read again (the same bytes give the same rows), its run reports the earlier run's counts,
      // every accepted row a duplicate. Hashing reads the file at disk speed, far faster than a parse.
      const contentHash = file ? await hashFile(file) : null;
      const earlier = contentHash === null ? null : await this.repo.fileLoaded(contentHash);
      const prev = earlier === null ? null : await this.repo.getRun(earlier);
      if (prev) return await this.sameAsEarlier(run, result, prev);
      stager = new Stager(this.repo, runId, this.tmpDir);
      rejects = new RowWriter<RejectRow>((rows) => this.repo.saveRejects(rows));
      warningRows = new RowWriter<WarningRow>((rows) => this.repo.saveWarnings(rows));
      const gen = open();
      const staging = stager, rejected = rejects, warned = warningRows;
      const stageBatch = async (batch: Batch, codec: Protector): Promise<void> => {
        const counts = (result.kinds[batch.kind] ??= emptyCounts());
        const fileLabel = batch.sheet ? `${label}#${batch.sheet}` : label;
        const lines: string[] = [];
        const batchCtx = withFile({ ...ctx, codec }, fileLabel);
        const warnings: WarningRow[] = [];
        for (const p of batch.accepted) {
          lines.push(toStageLine(p.kind, p.record, p.row, batchCtx));
          for (const w of p.warnings) warnings.push({ run_id: runId, file: fileLabel, row: p.row, kind: p.kind, warning: w });
        }
        await staging.add(batch.kind, lines);
        await faultPoint('ingest.parse');
        rejected.push(batch.rejected.map((r) => this.rejectRow(runId, label, r)));
        warned.push(warnings);
        counts.rows += batch.accepted.length + batch.rejected.length;
        counts.accepted += batch.accepted.length;
        counts.rejected += batch.rejected.length;
        counts.warnings += warnings.length;
        result.accepted += batch.accepted.length;
        result.rejected += batch.rejected.length;
        result.warnings += warnings.length;
        opts.onProgress?.(label, result.accepted + result.rejected, size ? Math.min(1, (result.accepted + result.rejected) / Math.max(1, size / 80)) : 1);
        // Let the event loop turn between batches: the engine's completions, the file hash and V8's own
        // garbage-collection tasks are served there, and a parse that only ever awaited settled promises
        // starved them (the heap then grew by 100 MB on a big file).
        await new Promise<void>((resolve) => setImmediate(resolve));
      };
      // Batches are staged in the order parsed; a few are parsed ahead while the protection worker
      // computes the person keys and ciphertexts of the ones before (pii.offload.ts).
      const ahead: { batch: Batch; codec: Promise<Protector> }[] = [];
      /** Stages the batches read ahead, oldest first, until at most `keep` wait. */
      const drain = async (keep: number): Promise<void> => {
        while (ahead.length > keep) {
          const a = ahead.shift()!;
          await stageBatch(a.batch, await a.codec);
        }
      };
      let parsed = 0;
      for (;;) {
        let next: IteratorResult<Batch, FileSummary | void>;
        try {
          next = await gen.next();
        } catch (e) {
          // A source that breaks half way: what was read before it counts as it did before the read-ahead
          // (staged, then the run fails and none of it becomes visible).
          await drain(0);
          throw e;
        }
        if (next.done) {
          summary = next.value;
          await drain(0);
          break;
        }
        const codec = file === null ? null : this.prepare(next.value, parsed++);
        if (codec) {
          ahead.push({ batch: next.value, codec });
          await drain(PARSE_AHEAD);
        } else {
          // Read ahead only while the worker protects: a batch protected here (and every PostgreSQL page,
          // fetched and staged one by one as before) is staged at once, after those before it.
          await drain(0);
          await stageBatch(next.value, this.codec);
        }
      }
      await rejects.flush();
      await warningRows.flush();
      const sheets = summary ? summary.sheets : [];
      // Sheets rejected whole (missing required column) are kept as one reject each.
      for (const s of sheets.filter((x) => x.error)) {
        await this.repo.saveRejects([{ run_id: runId, file: label, sheet: s.sheet ?? '', row: 0, kind: s.kind ?? '', reason: s.error!, raw_masked: '', raw_enc: '' }]);
        result.rejected += s.rows;
        if (s.kind) (result.kinds[s.kind] ??= emptyCounts()).rejected += s.rows;
      }
      result.unknownColumns = [...new Set(sheets.flatMap((s) => s.unknownColumns))];
      result.encoding = summary ? summary.encoding : undefined;
      for (const kind of KINDS) {
        const counts = result.kinds[kind];
        if (!counts) continue;
        const { staged, inserted } = await stager.commit(kind);
        counts.duplicates = staged - inserted;
        result.duplicates += staged - inserted;
        result.inserted += inserted;
        await faultPoint('ingest.commit');
      }
      await stager.discard();
      if (contentHash) await this.repo.recordFile(contentHash, label, runId);
      await faultPoint('ingest.finish');
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
      await stager?.discard().catch(() => undefined);
      // What was read before the failure is kept: the clerk sees the rows found wrong so far.
      await rejects?.flush().catch(() => undefined);
      await warningRows?.flush().catch(() => undefined);
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

  /** The run of a file whose very bytes were loaded before (run `prev`): nothing staged, the earlier counts as duplicates. */
  private async sameAsEarlier(run: RunRow, result: FileResult, prev: RunRow): Promise<FileResult> {
    let detail: { kinds?: Partial<Record<RecordKind, KindCounts>>; unknownColumns?: string[]; encoding?: string } = {};
    try {
      detail = JSON.parse(prev.detail || '{}') as typeof detail;
    } catch {
      // an old run without detail: counts only
    }
    const kinds: Partial<Record<RecordKind, KindCounts>> = {};
    for (const [k, c] of Object.entries(detail.kinds ?? {}) as Array<[RecordKind, KindCounts]>) kinds[k] = { ...c, duplicates: c.accepted };
    Object.assign(result, {
      accepted: Number(prev.accepted), rejected: Number(prev.rejected), warnings: Number(prev.warnings), duplicates: Number(prev.accepted),
      inserted: 0, kinds, unknownColumns: detail.unknownColumns ?? [], encoding: detail.encoding,
    });
    await this.repo.saveRun({
      ...run,
      status: 'succeeded',
      finished_at: new Date().toISOString(),
      rows_read: result.accepted + result.rejected,
      accepted: result.accepted,
      rejected: result.rejected,
      warnings: result.warnings,
      duplicates: result.duplicates,
      detail: JSON.stringify({ kinds, unknownColumns: result.unknownColumns, encoding: result.encoding, inserted: 0, sameFileAs: prev.run_id }),
    });
    this.log.log(`run ${run.run_id} ${run.label}: the same file as run ${prev.run_id}, nothing new`);
    return result;
  }

  /**
   * The worker's answers for a batch's ID numbers (and names, phones), or null when the batch is
   * protected here by the codec itself (a file's first batches, service records, kinds without
   * personal data, PII_WORKER=off, a failed worker).
   */
  private prepare(batch: Batch, index: number): Promise<Protector> | null {
    // A service record carries only its person key (one keyed hash, often the row before's person):
    // the round trip to the worker costs what it would save (measured, docs/benchmarks.md).
    const offload = index < LOCAL_BATCHES || batch.kind === 'service' ? null : this.codec.offload();
    if (!offload) return null;
    const keys: string[] = [];
    const encs: string[] = [];
    for (const p of batch.accepted) protectionInputs(p.kind, p.record, keys, encs);
    if (keys.length + encs.length === 0) return null;
    return offload.protect(keys, encs).then((r) => (r ? new PreparedPii(this.codec, keys, r.keys, encs, r.encs) : this.codec));
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
