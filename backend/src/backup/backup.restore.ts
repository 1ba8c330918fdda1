// `npm run cli -- restore --from DIR`: a backup into an empty data directory.
// Checked before anything is written: the folder is a complete backup, the
// target is empty, and the PII key is the one the data was encrypted with
// (by its fingerprint). After the engine's RESTORE every table's row count is
// compared with the manifest, then newer migrations are applied.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openDatabase } from '../app.factory';
import { openClickHouse } from '../clickhouse/clickhouse.provider';
import type { AppConfig } from '../config/config';
import { piiKeyFingerprint, piiKeysFromText } from '../security/pii';
import { BackupRepository } from './backup.repository';
import { BackupError, checkFolderPath, requireEmptyFolder } from './backup.service';
import { BACKUP_FORMAT, type BackupManifest, type RestoreResult } from './backup.types';

export function readManifest(dir: string): BackupManifest {
  const file = path.join(dir, 'backup.json');
  if (!fs.existsSync(dir)) throw new BackupError(`no backup at ${dir}: the folder does not exist`);
  if (!fs.existsSync(file)) throw new BackupError(`${dir} is not a complete backup: backup.json is missing (a backup writes it last)`);
  let m: BackupManifest;
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8')) as BackupManifest;
  } catch (e) {
    throw new BackupError(`${file} cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (m.format !== BACKUP_FORMAT || m.version !== 1) throw new BackupError(`${dir} is not a backup of this product (backup.json format "${String(m.format)}")`);
  if (!fs.existsSync(path.join(dir, 'clickhouse', '.backup'))) throw new BackupError(`${dir} is not a complete backup: clickhouse/.backup is missing`);
  return m;
}

/** The key to restore with: PII_KEY, else --key FILE, else the backup's own pii.key (made --with-key). */
function chooseKey(from: string, keyFile: string | undefined, env: string | undefined): { text: string; source: RestoreResult['key'] } {
  if (env) return { text: env.trim(), source: 'env' };
  if (keyFile) {
    if (!fs.existsSync(keyFile)) throw new BackupError(`--key ${keyFile}: no such file`);
    return { text: fs.readFileSync(keyFile, 'utf8').trim(), source: 'file' };
  }
  const inside = path.join(from, 'pii.key');
  if (fs.existsSync(inside)) return { text: fs.readFileSync(inside, 'utf8').trim(), source: 'backup' };
  throw new BackupError(
    '这份备份不含个人信息密钥（PII key）：请提供备份时使用的密钥 / the backup holds no PII key (by design). ' +
      'Give the key the backed-up instance used: set PII_KEY, or pass --key /path/to/pii.key (the old DATA_DIR/pii.key). ' +
      'Without it the names, ID numbers and phones in the backup cannot be read.',
  );
}

export async function restoreBackup(cfg: AppConfig, from: string, opts: { keyFile?: string; env?: string } = {}): Promise<RestoreResult> {
  const t0 = Date.now();
  if (cfg.clickhouse.url) throw new BackupError('restore fills an embedded DATA_DIR; with CLICKHOUSE_URL use the ClickHouse server’s own RESTORE (docs/deploy.md)');
  const src = checkFolderPath(from, 'backup folder');
  const manifest = readManifest(src);
  const dataDir = checkFolderPath(cfg.dataDir, 'DATA_DIR');
  if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length) {
    throw new BackupError(`DATA_DIR ${dataDir} is not empty: restore only into a new or empty folder (move the old one aside first, or set DATA_DIR to another folder)`);
  }
  requireEmptyFolder(dataDir, 'DATA_DIR');
  const key = chooseKey(src, opts.keyFile, opts.env ?? process.env.PII_KEY);
  let keys;
  try {
    keys = piiKeysFromText(key.text);
  } catch (e) {
    throw new BackupError(`the PII key (${key.source}) is unusable: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (piiKeyFingerprint(keys) !== manifest.piiKeyFingerprint) {
    throw new BackupError(
      `个人信息密钥与备份不符 / the PII key (${key.source === 'env' ? 'PII_KEY' : key.source === 'file' ? opts.keyFile : 'the backup’s pii.key'}) is not the key this backup was made with: ` +
        'its personal data could not be decrypted and its persons would not match new loads. Nothing was restored. Give the key of the backed-up instance.',
    );
  }
  const created = !fs.existsSync(dataDir);
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    // A key given as PII_KEY stays in the environment; one from a file goes where the app looks for it.
    if (key.source !== 'env') fs.writeFileSync(path.join(dataDir, 'pii.key'), key.text + '\n', { mode: 0o600 });
    const ch = await openClickHouse(cfg);
    let restored;
    try {
      const repo = new BackupRepository(ch);
      await repo.restoreDatabase(path.join(src, 'clickhouse'), manifest.database);
      restored = await repo.tables();
      // The install's other campaign years, each into its own database again.
      for (const c of manifest.campaigns ?? []) {
        const sib = await ch.sibling(c.database);
        try {
          const r = new BackupRepository(sib);
          await r.restoreDatabase(path.join(src, `clickhouse-${c.year}`), c.database);
          const got = new Map((await r.tables()).map((t) => [t.name, t.rows]));
          const bad = c.tables.filter((t) => t.rows !== null && got.get(t.name) !== t.rows);
          if (bad.length) throw new BackupError(`the restore of ${c.year} is incomplete: ${bad.map((t) => `${t.name} has ${String(got.get(t.name) ?? 'no table')} rows, the backup ${t.rows}`).join('; ')}`);
        } finally {
          await sib.close();
        }
      }
    } finally {
      await ch.close();
    }
    const rows = new Map(restored.map((t) => [t.name, t.rows]));
    const wrong = manifest.tables.filter((t) => t.rows !== null && rows.get(t.name) !== t.rows);
    if (wrong.length) {
      throw new BackupError(`the restore is incomplete: ${wrong.map((t) => `${t.name} has ${String(rows.get(t.name) ?? 'no table')} rows, the backup ${t.rows}`).join('; ')}`);
    }
    const { ch: migrated, migrations } = await openDatabase(cfg);
    await migrated.close();
    return {
      from: src, dataDir, tables: manifest.tables.length, rows: manifest.tables.reduce((a, t) => a + (t.rows ?? 0), 0),
      key: key.source, migrated: migrations.applied, ms: Date.now() - t0,
    };
  } catch (e) {
    // Leave the target as it was (empty), so the restore can simply be tried again.
    if (created) fs.rmSync(dataDir, { recursive: true, force: true });
    else for (const n of fs.readdirSync(dataDir)) fs.rmSync(path.join(dataDir, n), { recursive: true, force: true });
    throw e;
  }
}
