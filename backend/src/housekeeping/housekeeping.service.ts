// Keeps a year-long install healthy: prunes what is past its retention
// (finished notices, the delivery log, stage data of finished loads, old
// report forms, optionally loaded source files) and measures the data
// directory for the admins.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { HousekeepingRepository } from './housekeeping.repository';
import { loadRetention } from './housekeeping.settings';
import type { PruneResult, Retention, StorageReport } from './housekeeping.types';

const DAY = 86_400_000;

@Injectable()
export class HousekeepingService {
  private readonly log = new Logger('Housekeeping');
  readonly retention: Retention;

  constructor(
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly repo: HousekeepingRepository,
  ) {
    // Read (and checked) at start: a wrong setting stops the start with one line, not the nightly run.
    this.retention = loadRetention();
  }

  private get processedDir(): string {
    return path.join(this.cfg.inboxDir, 'processed');
  }

  private get backupDir(): string {
    return path.resolve(process.env.BACKUP_DIR || path.join(this.cfg.dataDir, 'backups'));
  }

  /** Removes what is older than its retention at `now` (strictly older than now − N days; 0 days keeps for ever). */
  async prune(now = Date.now(), retention: Retention = this.retention): Promise<PruneResult> {
    const cutoff = (days: number) => new Date(now - days * DAY).toISOString();
    const res: PruneResult = {
      now: new Date(now).toISOString(), retention, outbox: 0, deliveries: 0, reports: 0,
      stagePartitions: 0, stageTables: 0, tmpDirs: 0, processedFiles: 0,
    };
    if (retention.outboxDays) res.outbox = await this.repo.pruneOutbox(cutoff(retention.outboxDays));
    if (retention.deliveriesDays) res.deliveries = await this.repo.pruneDeliveries(cutoff(retention.deliveriesDays));
    if (retention.reportsDays) res.reports = await this.repo.pruneReports(cutoff(retention.reportsDays));
    if (retention.stageDays) {
      const runs = await this.repo.finishedRunsBefore(cutoff(retention.stageDays));
      const s = await this.repo.pruneStages(runs);
      res.stagePartitions = s.partitions;
      res.stageTables = s.tables;
      res.tmpDirs = removeRunEntries(path.join(this.cfg.dataDir, 'tmp'), /^run-(\d+)$/, runs);
    }
    if (retention.processedDays) {
      // Named `<run>-<file>` when moved: the age is the load's, not the file's own time stamp.
      const runs = await this.repo.finishedRunsBefore(cutoff(retention.processedDays));
      res.processedFiles = removeRunEntries(this.processedDir, /^(\d+)-/, runs);
    }
    const removed = res.outbox + res.deliveries + res.reports + res.stagePartitions + res.stageTables + res.tmpDirs + res.processedFiles;
    if (removed) {
      this.log.log(`pruned ${res.outbox} outbox rows, ${res.deliveries} delivery log rows, ${res.reports} archived reports, ` +
        `${res.stagePartitions + res.stageTables} stage partitions/tables, ${res.tmpDirs} temp folders, ${res.processedFiles} processed files`);
    }
    return res;
  }

  /** The data directory's size by part; the parts add up to the total (each file is counted once, in one part). */
  async storage(): Promise<StorageReport> {
    const seen = new Set<string>();
    const dataDir = this.cfg.dataDir;
    const sizes = new Map<string, number>();
    const add = (name: string, bytes: number) => sizes.set(name, (sizes.get(name) ?? 0) + bytes);
    // Folders with a part of their own, wherever they are configured; measured first so the walk of
    // DATA_DIR below does not count them again.
    const own: Array<[string, string]> = [
      ['processed', this.processedDir],
      ['inbox', this.cfg.inboxDir],
      ['backups', this.backupDir],
      ['clickhouse', path.join(dataDir, 'clickhouse')],
      ['demo', path.join(dataDir, 'demo')],
      ['tmp', path.join(dataDir, 'tmp')],
    ];
    for (const [name, dir] of own) add(name, treeBytes(dir, seen));
    add('other', treeBytes(dataDir, seen));
    if (this.cfg.clickhouse.url) add('clickhouse', await this.repo.databaseBytes());
    // The report archive lives inside the store: shown apart, taken out of the store's part.
    const reports = Math.min(await this.repo.reportArchiveBytes(), sizes.get('clickhouse') ?? 0);
    add('clickhouse', -reports);
    add('reports', reports);
    const order = ['clickhouse', 'reports', 'inbox', 'processed', 'backups', 'demo', 'tmp', 'other'];
    const parts = order.map((name) => ({ name, bytes: sizes.get(name) ?? 0 }));
    return { dataDir, totalBytes: parts.reduce((s, p) => s + p.bytes, 0), parts, measuredAt: new Date().toISOString() };
  }
}

/** Sum of the sizes of the regular files under `root` not yet in `seen` (hard links and nested parts count once). */
function treeBytes(root: string, seen: Set<string>): number {
  let total = 0;
  const walk = (p: string): void => {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      return; // gone while we walked (the engine merges parts all the time)
    }
    const id = `${st.dev}:${st.ino}`;
    if (seen.has(id)) return;
    seen.add(id);
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = fs.readdirSync(p);
      } catch {
        return;
      }
      for (const n of names) walk(path.join(p, n));
    } else if (st.isFile()) total += st.size;
  };
  walk(root);
  return total;
}

/** Removes the entries of `dir` whose name carries (first group of `re`) one of `runs`; returns how many. */
function removeRunEntries(dir: string, re: RegExp, runs: Set<number>): number {
  if (!runs.size || !fs.existsSync(dir)) return 0;
  let n = 0;
  for (const name of fs.readdirSync(dir)) {
    const m = re.exec(name);
    if (!m || !runs.has(Number(m[1]))) continue;
    fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    n++;
  }
  return n;
}
