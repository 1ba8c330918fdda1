// `npm run cli -- backup` and `restore` with the built app as real processes:
// a backup taken online from a running server restores elsewhere to the same
// data (every table, read by the engine in a process of its own), the same
// metrics of every region on several days, rejects, users, alerts and audit
// rows; a load that arrives while the backup runs is not in it at all; a
// restore refuses a non-empty folder, a missing key and a wrong key; the
// nightly job keeps the newest BACKUP_KEEP.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../backend/src/demo/demo.generator';
import { BackupService } from '../../backend/src/backup/backup.service';
import { startTestServer, tempDataDir } from '../helpers/server';
import { dropInInbox, WORKBOOK_DAYS, writeWorkbook } from '../helpers/crash-fixtures';
import {
  atFault, budget, cli, figures, getJson, releaseFault, spawnNode, startServer, tableDigest, until, type RejectInfo, type RunInfo, type ServerProc,
} from '../helpers/procs';

interface Views {
  figures: Record<string, Record<string, unknown>>;
  runs: RunInfo[];
  rejects: Record<number, RejectInfo[]>;
  users: unknown;
  alerts: unknown;
  audit: Array<{ ts: string }>;
}

async function views(s: ServerProc): Promise<Views> {
  const json = <T,>(p: string) => getJson<T>(s.admin, p);
  const runs = await json<RunInfo[]>('/api/ingest/runs');
  const rejects: Record<number, RejectInfo[]> = {};
  for (const r of runs) rejects[r.runId] = (await json<{ rows: RejectInfo[] }>(`/api/ingest/runs/${r.runId}/rejects?limit=1000`)).rows;
  return {
    figures: await figures(json, WORKBOOK_DAYS),
    runs,
    rejects,
    users: await json('/api/admin/users'),
    alerts: await json('/api/alerts?state=all&limit=500'),
    audit: (await json<{ rows: Array<{ ts: string }> }>('/api/admin/audit?limit=1000')).rows,
  };
}

describe('backup and restore (the engine’s own BACKUP/RESTORE, through the running server)', () => {
  const root = tempDataDir('backup-test-');
  const a = path.join(root, 'a');
  const faults = path.join(root, 'faults');
  const b1 = path.join(root, 'b1');
  const r1 = path.join(root, 'r1');
  let workbook: string;
  let before: Views;
  let server: ServerProc | null = null;

  beforeAll(async () => {
    const demo = await generateDemo({ outDir: path.join(root, 'demo'), persons: 300, seed: 7 });
    workbook = await writeWorkbook(path.join(root, 'files'), '长春市-0720.xlsx');
    const loaded = await cli(['ingest', ...demo.files.map((f) => f.path), workbook], { DATA_DIR: a });
    expect(loaded.json).toMatchObject({ failed: 0, rejected: 2 });
    const alerts = await cli(['alerts', '--as-of', '2022-09-30', '--json'], { DATA_DIR: a });
    expect(alerts.code).toBe(0);
  });

  afterAll(async () => {
    if (server?.isAlive()) await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('a backup taken online from the running server: without the key, complete', async () => {
    server = await startServer(a);
    const created = await server.admin.fetch('/api/admin/users', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'changchun', role: 'unit', region: '220100', password: 'Unit-Office-2022x', displayName: '长春市就业局' }),
    });
    expect(created.status).toBe(201);
    // An export: one more kind of audit row.
    expect((await server.admin.fetch('/api/metrics/220000/children.xlsx?asOf=2022-09-30')).status).toBe(200);
    before = await views(server);
    expect((before.alerts as { total: number }).total).toBeGreaterThan(0);
    expect(before.audit.length).toBeGreaterThan(1);
    expect(Object.values(before.rejects).flat()).toHaveLength(2);

    const r = await cli(['backup', '--out', b1], { DATA_DIR: a });
    expect(r.code, r.out).toBe(0);
    expect(r.json).toMatchObject({ path: b1, taken: 'online', keyIncluded: false });
    expect(r.out).toContain('不含个人信息密钥');
    expect(fs.existsSync(path.join(b1, 'pii.key'))).toBe(false);
    expect(fs.existsSync(path.join(b1, 'backup.json'))).toBe(true);
    await server.stop();
    server = null;
  }, budget(2));

  it('restored with its key into an empty folder: every table the same, as the engine reads it', async () => {
    const rr = await cli(['restore', '--from', b1, '--key', path.join(a, 'pii.key')], { DATA_DIR: r1 });
    expect(rr.code, rr.out).toBe(0);
    expect(rr.json).toMatchObject({ key: 'file', dataDir: r1 });
    const [da, dr] = [await tableDigest(a), await tableDigest(r1)];
    expect(Object.keys(dr).length).toBeGreaterThan(20);
    expect(dr).toEqual(da);
  }, budget(3));

  it('the app on the restored folder: the same metrics of every region on several days, rejects, users, alerts and audit rows', async () => {
    server = await startServer(r1);
    const after = await views(server);
    await server.stop();
    server = null;
    expect(after.figures).toEqual(before.figures);
    expect(after.runs).toEqual(before.runs);
    expect(after.rejects).toEqual(before.rejects);
    expect(after.users).toEqual(before.users);
    expect(after.alerts).toEqual(before.alerts);
    // Newest first; signing in to the restored app added its own row on top.
    expect(after.audit.slice(-before.audit.length)).toEqual(before.audit);
    // The key works: the same workbook, loaded again, finds every person already there.
    const again = await cli(['ingest', workbook], { DATA_DIR: r1 });
    expect(again.json).toMatchObject({ inserted: 0, duplicates: 10 });
  }, budget(2));

  it('a load committing when the backup starts is wholly in it; a load arriving during it is not in it at all', async () => {
    const restored = r1;
    const before = await tableDigest(restored);
    server = await startServer(restored, { JOBS: 'on', INBOX_CRON: '*/1 * * * * *', FAULT_POINTS: 'ingest.commit,backup.copy', FAULT_DIR: faults });
    const files = path.join(root, 'files');
    const committing = await writeWorkbook(files, '吉林市-0721.xlsx', 1);
    const late = await writeWorkbook(files, '四平市-0722.xlsx', 2);
    const inbox = path.join(restored, 'inbox');
    // The first file stops half committed: 台账 attached, 服务记录 not yet.
    dropInInbox(inbox, committing);
    await atFault(server, faults, 'ingest.commit');
    const b2 = path.join(root, 'b2');
    const backup = spawnNode('cli', ['backup', '--out', b2, '--with-key'], { DATA_DIR: restored });
    await until('the backup to queue behind the load', () => server!.out().includes(`backup ${b2}: waiting`) || null, backup);
    releaseFault(faults, 'ingest.commit');
    // The backup now holds the locks; the second file arrives while the engine copies.
    await atFault(server, faults, 'backup.copy');
    dropInInbox(inbox, late);
    releaseFault(faults, 'backup.copy');
    expect((await backup.exited).code, backup.out()).toBe(0);
    const loaded = await until('the late file to load', async () => {
      const runs = await getJson<RunInfo[]>(server!.admin, '/api/ingest/runs');
      return runs.find((r) => r.label === path.basename(late) && r.status !== 'running') ?? null;
    }, server);
    expect(loaded.status).toBe('succeeded');
    await server.stop();
    server = null;

    // Made --with-key: the backup restores without being given a key.
    expect(fs.statSync(path.join(b2, 'pii.key')).mode & 0o777).toBe(0o600);
    const r2 = path.join(root, 'r2');
    const rr = await cli(['restore', '--from', b2], { DATA_DIR: r2 });
    expect(rr.json).toMatchObject({ key: 'backup' });
    const [inBackup, now] = [await tableDigest(r2), await tableDigest(restored)];
    // Each workbook adds 6 persons and 4 contacts.
    expect(inBackup.ledger_raw!.rows).toBe(before.ledger_raw!.rows + 6);
    expect(inBackup.service_raw!.rows).toBe(before.service_raw!.rows + 4);
    expect(now.ledger_raw!.rows).toBe(before.ledger_raw!.rows + 12);
    expect(now.service_raw!.rows).toBe(before.service_raw!.rows + 8);
    expect(inBackup.ingest_runs!.rows).toBe(now.ingest_runs!.rows - 1);
  }, budget(5));

  it('restore refuses a non-empty folder, a backup without its key, and a wrong key — and leaves the target as it was', async () => {
    const busy = path.join(root, 'busy');
    fs.mkdirSync(busy);
    fs.writeFileSync(path.join(busy, 'notes.txt'), 'x');
    const nonEmpty = await cli(['restore', '--from', b1, '--key', path.join(a, 'pii.key')], { DATA_DIR: busy });
    expect(nonEmpty.code).toBe(2);
    expect(nonEmpty.out).toMatch(/is not empty/);
    expect(fs.readdirSync(busy)).toEqual(['notes.txt']);

    const target = path.join(root, 'r3');
    const noKey = await cli(['restore', '--from', b1], { DATA_DIR: target, PII_KEY: '' });
    expect(noKey.code).toBe(2);
    expect(noKey.out).toMatch(/holds no PII key.*PII_KEY.*--key/);
    const wrong = await cli(['restore', '--from', b1], { DATA_DIR: target, PII_KEY: 'ab'.repeat(32) });
    expect(wrong.code).toBe(2);
    expect(wrong.out).toMatch(/not the key this backup was made with/);
    expect(fs.existsSync(target)).toBe(false);

    const half = path.join(root, 'half');
    fs.mkdirSync(half);
    const notBackup = await cli(['restore', '--from', half], { DATA_DIR: target });
    expect(notBackup.out).toMatch(/not a complete backup: backup\.json is missing/);
  }, budget(4));

  it('the nightly job writes into BACKUP_DIR and keeps the newest BACKUP_KEEP', async () => {
    const dir = path.join(root, 'nightly');
    const s = await startTestServer({ env: { BACKUP_DIR: dir, BACKUP_KEEP: '2' } });
    try {
      const svc = s.app.get(BackupService);
      const days = ['2026-03-01T18:30:00Z', '2026-03-02T18:30:00Z', '2026-03-03T18:30:00Z'];
      const results = [];
      for (const d of days) results.push(await svc.scheduled(new Date(d)));
      // A nightly backup whose process was killed half way (no backup.json) goes too.
      fs.mkdirSync(path.join(dir, 'backup-20260301-023000', 'clickhouse'), { recursive: true });
      results.push(await svc.scheduled(new Date('2026-03-04T18:30:00Z')));
      expect(fs.readdirSync(dir).sort()).toEqual(['backup-20260304-023000', 'backup-20260305-023000']);
      expect(results[2]!.removed).toEqual(['backup-20260302-023000']);
      expect(results[3]!.removed).toEqual(['backup-20260301-023000', 'backup-20260303-023000']);
      expect(fs.existsSync(path.join(dir, 'backup-20260304-023000', 'backup.json'))).toBe(true);
    } finally {
      await s.close();
      fs.rmSync(s.dataDir, { recursive: true, force: true });
    }
  }, budget(1));
});
