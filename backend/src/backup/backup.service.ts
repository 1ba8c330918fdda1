// Backups of the embedded engine's data: the engine's own BACKUP DATABASE into
// a folder, plus a manifest (tables, row counts, migrations, the PII key's
// fingerprint). Consistent: it runs while no load and no metric-state rebuild
// runs (it takes both locks), so a load committing at that moment is wholly in
// the backup or wholly after it. The PII key is left out unless asked for: a
// backup without its key cannot be read, so the key is kept apart (docs/deploy.md).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLICKHOUSE, type ClickHouseHandle } from '../clickhouse/clickhouse.provider';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { faultPoint } from '../common/fault';
import { IngestService } from '../ingest/ingest.service';
import { MetricsStateService } from '../metrics/metrics.state.service';
import { loadPiiKeys, piiKeyFingerprint, piiKeyText } from '../security/pii';
import { BackupRepository, UNSAFE_PATH } from './backup.repository';
import { BACKUP_FORMAT, type BackupManifest, type BackupResult } from './backup.types';
import { campaignPeers } from '../campaigns/campaigns.current';

/** A refused backup or restore: one line an operator can act on. */
export class BackupError extends Error {}

/** Nightly backups are named by their Beijing time, so they sort by age. */
const NIGHTLY = /^backup-\d{8}-\d{6}$/;

export function checkFolderPath(p: string, what: string): string {
  const abs = path.resolve(p);
  if (UNSAFE_PATH.test(abs)) throw new BackupError(`${what} ${JSON.stringify(abs)}: a path with a quote, a backslash or a control character cannot be used`);
  return abs;
}

/** The folder must be new or empty: a backup never overwrites or mixes with anything. */
export function requireEmptyFolder(dir: string, what: string): void {
  if (!fs.existsSync(dir)) return;
  if (!fs.statSync(dir).isDirectory()) throw new BackupError(`${what} ${dir} is a file, not a folder`);
  const entries = fs.readdirSync(dir);
  if (entries.length) {
    throw new BackupError(`${what} ${dir} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}): choose a new or empty folder`);
  }
}

export function folderBytes(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += folderBytes(p);
    else if (e.isFile()) n += fs.statSync(p).size;
  }
  return n;
}

function beijingStamp(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

@Injectable()
export class BackupService {
  private readonly log = new Logger('Backup');

  constructor(
    private readonly repo: BackupRepository,
    private readonly ingest: IngestService,
    private readonly state: MetricsStateService,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    @Inject(CLICKHOUSE) private readonly ch: ClickHouseHandle,
  ) {}

  /**
   * Backs everything up into `out` (a new or empty folder): `clickhouse/` (the engine's backup),
   * `backup.json` (written last), and `pii.key` only with `withKey`.
   */
  async backup(out: string, opts: { withKey?: boolean; taken?: 'online' | 'offline' } = {}): Promise<BackupResult> {
    if (this.ch.engine !== 'embedded') {
      throw new BackupError(
        'backup copies the embedded engine’s DATA_DIR; with CLICKHOUSE_URL use the ClickHouse server’s own BACKUP … TO Disk/S3 (docs/deploy.md, "Backup and restore")',
      );
    }
    if (this.cfg.campaignHome === false) throw new BackupError(`backup runs in the home campaign year's application (it holds every year), not in ${this.cfg.campaignYear ?? 'another'}'s`);
    const dest = checkFolderPath(out, 'backup folder');
    const dataDir = path.resolve(this.cfg.dataDir, 'clickhouse');
    if (dest === dataDir || dest.startsWith(dataDir + path.sep)) throw new BackupError(`backup folder ${dest} is inside the engine's own folder ${dataDir}`);
    requireEmptyFolder(dest, 'backup folder');
    const t0 = Date.now();
    const keyText = piiKeyText(this.cfg.dataDir);
    const fingerprint = piiKeyFingerprint(loadPiiKeys(this.cfg.dataDir));
    fs.mkdirSync(dest, { recursive: true });
    try {
      // No load and no state rebuild while the engine copies: every table shows the same moment.
      // (Queued behind a load in progress in this same tick: the line below means "after it".)
      this.log.log(`backup ${dest}: waiting until no load or state rebuild runs`);
      const manifest = await this.ingest.exclusive(() =>
        this.state.exclusive(async (): Promise<BackupManifest> => {
          await faultPoint('backup.copy');
          const createdAt = new Date().toISOString();
          const tables = await this.repo.tables();
          const migrations = await this.repo.migrations();
          await this.repo.backupDatabase(path.join(dest, 'clickhouse'));
          const campaigns = await this.backupOtherYears(dest);
          return {
            format: BACKUP_FORMAT, version: 1, createdAt, method: 'engine-backup', database: this.ch.database,
            engineVersion: await this.repo.engineVersion(), migrations, tables, ...(campaigns.length ? { campaigns } : {}), piiKeyFingerprint: fingerprint,
            keyIncluded: Boolean(opts.withKey), taken: opts.taken ?? 'offline',
          };
        }),
      );
      if (opts.withKey) fs.writeFileSync(path.join(dest, 'pii.key'), keyText + '\n', { mode: 0o600 });
      fs.writeFileSync(path.join(dest, 'backup.json'), JSON.stringify(manifest, null, 2) + '\n');
      const result: BackupResult = {
        path: dest, createdAt: manifest.createdAt, tables: manifest.tables.length,
        rows: manifest.tables.reduce((a, t) => a + (t.rows ?? 0), 0), bytes: folderBytes(dest), ms: Date.now() - t0,
        keyIncluded: manifest.keyIncluded, taken: manifest.taken,
      };
      this.log.log(`backup ${dest}: ${result.tables} tables, ${result.rows} rows, ${result.bytes} bytes in ${result.ms} ms`);
      return result;
    } catch (e) {
      // Half a backup is no backup: nothing stays that a restore could mistake for one.
      fs.rmSync(dest, { recursive: true, force: true });
      throw e;
    }
  }

  /**
   * Every other campaign year's database into `clickhouse-<year>/`, each while that year's loads and state
   * rebuilds wait (where its application runs in this process).
   */
  private async backupOtherYears(dest: string): Promise<NonNullable<BackupManifest['campaigns']>> {
    const peers = campaignPeers();
    const out: NonNullable<BackupManifest['campaigns']> = [];
    for (const c of peers?.list() ?? []) {
      if (c.home) continue;
      const ch = await peers!.handle(c.year);
      const repo = new BackupRepository(ch);
      const copy = async () => {
        const tables = await repo.tables();
        await repo.backupDatabase(path.join(dest, `clickhouse-${c.year}`));
        return tables;
      };
      const app = peers!.appOf(c.year);
      const tables = app ? await app.get(IngestService).exclusive(() => app.get(MetricsStateService).exclusive(copy)) : await copy();
      out.push({ year: c.year, database: ch.database, tables });
    }
    return out;
  }

  /** The nightly job: a new backup under BACKUP_DIR, then only the newest BACKUP_KEEP kept. */
  async scheduled(now = new Date()): Promise<BackupResult> {
    const root = checkFolderPath(this.cfg.backupDir, 'BACKUP_DIR');
    fs.mkdirSync(root, { recursive: true });
    let name = `backup-${beijingStamp(now)}`;
    for (let i = 1; fs.existsSync(path.join(root, name)); i++) name = `backup-${beijingStamp(new Date(now.getTime() + i * 1000))}`;
    // Through the schedule it runs in the server; `cli job backup` opens DATA_DIR itself (JOBS=off).
    const result = await this.backup(path.join(root, name), { taken: this.cfg.jobs ? 'online' : 'offline' });
    const nightly = fs.readdirSync(root).filter((n) => NIGHTLY.test(n)).sort();
    const complete = nightly.filter((n) => fs.existsSync(path.join(root, n, 'backup.json')));
    // Older than the newest BACKUP_KEEP, or never finished (a process killed while it wrote): gone.
    const removed = [
      ...complete.slice(0, Math.max(0, complete.length - this.cfg.backupKeep)),
      ...nightly.filter((n) => n !== name && !complete.includes(n)),
    ].sort();
    for (const n of removed) fs.rmSync(path.join(root, n), { recursive: true, force: true });
    return { ...result, removed };
  }
}
