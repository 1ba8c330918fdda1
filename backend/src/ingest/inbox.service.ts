// The inbox: county clerks (or a sync tool) drop ledger files into a folder;
// each stable file is loaded, then moved to processed/ under its run id.
// A file is moved only after it was loaded or rejected; a failed load leaves
// it in place for the next run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { faultPoint } from '../common/fault';
import { IngestService, type FileResult } from './ingest.service';
import { campaignPeers } from '../campaigns/campaigns.current';
import { campaignOfDays } from '../campaigns/campaigns.logic';
import { recordDays } from '../campaigns/campaigns.files';

const ACCEPTED = /\.(csv|txt|xlsx)$/i;
// Office lock files, partial downloads and hidden files are never ledgers.
const IGNORED = /^(~\$|\.)|\.(part|tmp|crdownload|partial)$/i;
/** A file must be unchanged for this long before it is taken (still being written otherwise). */
export const SETTLE_MS = 2_000;

export interface InboxRunResult {
  picked: string[];
  waiting: string[];
  results: FileResult[];
}

@Injectable()
export class InboxService {
  private readonly log = new Logger('Inbox');

  constructor(
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly ingest: IngestService,
  ) {}

  get dir(): string {
    return this.cfg.inboxDir;
  }

  /**
   * The folders this campaign year loads from: another year's is inbox/<year>/; the home year's is the inbox
   * itself and its inbox/<year>/.
   */
  get dirs(): string[] {
    const own = this.cfg.campaignHome && this.cfg.campaignYear !== undefined ? [path.join(this.dir, String(this.cfg.campaignYear))] : [];
    return [this.dir, ...own];
  }

  /** Files that look finished: unchanged across a short pause and not modified in the last SETTLE_MS. */
  async stableFiles(settleMs = SETTLE_MS, dir = this.dir): Promise<{ stable: string[]; waiting: string[] }> {
    fs.mkdirSync(dir, { recursive: true });
    const names = fs.readdirSync(dir).filter((n) => ACCEPTED.test(n) && !IGNORED.test(n)).sort();
    const first = new Map(names.map((n) => [n, statOf(path.join(dir, n))]));
    await new Promise((r) => setTimeout(r, Math.min(1_000, settleMs)));
    const stable: string[] = [];
    const waiting: string[] = [];
    for (const n of names) {
      const a = first.get(n);
      const b = statOf(path.join(dir, n));
      if (!a || !b || !b.isFile) continue;
      if (a.size === b.size && a.mtimeMs === b.mtimeMs && Date.now() - b.mtimeMs >= settleMs) stable.push(n);
      else waiting.push(n);
    }
    return { stable, waiting };
  }

  async pull(settleMs = SETTLE_MS): Promise<InboxRunResult> {
    const picked: string[] = [];
    const waiting: string[] = [];
    const results: FileResult[] = [];
    for (const dir of this.dirs) {
      if (dir !== this.dir && !fs.existsSync(dir)) continue;
      const r = await this.pullDir(dir, settleMs);
      picked.push(...r.picked);
      waiting.push(...r.waiting);
      results.push(...r.results);
    }
    return { picked, waiting, results };
  }

  /**
   * With several campaign years, a file dropped in the inbox itself whose records' days lie in another year's
   * window moves to that year's folder (inbox/<year>/), where that year's application loads it.
   */
  private async routed(dir: string, full: string, name: string): Promise<boolean> {
    const peers = campaignPeers();
    if (dir !== this.dir || !this.cfg.campaignHome || !peers || peers.list().length < 2) return false;
    const c = campaignOfDays(peers.list(), await recordDays(full));
    if (!c || c.year === this.cfg.campaignYear) return false;
    const to = path.join(this.dir, String(c.year));
    fs.mkdirSync(to, { recursive: true });
    fs.renameSync(full, path.join(to, name));
    if (c.archived) this.log.warn(`${name}: its records lie in the archived ${c.year} campaign (read-only), moved to ${to} where it waits until that year is unarchived`);
    else this.log.log(`${name}: its records lie in the ${c.year} campaign, moved to ${to}`);
    return true;
  }

  private async pullDir(dir: string, settleMs: number): Promise<InboxRunResult> {
    const { stable, waiting } = await this.stableFiles(settleMs, dir);
    const results: FileResult[] = [];
    for (const name of stable) {
      const full = path.join(dir, name);
      if (await this.routed(dir, full, name)) continue;
      const summary = await this.ingest.loadFiles([full], { source: 'inbox' });
      const r = summary.files[0]!;
      results.push(r);
      if (r.status === 'failed') {
        this.log.warn(`${name}: load failed, left in the inbox for the next run (${r.error ?? ''})`);
        continue;
      }
      await faultPoint('inbox.move');
      const done = path.join(dir, 'processed');
      fs.mkdirSync(done, { recursive: true });
      fs.renameSync(full, path.join(done, `${r.runId}-${name}`));
    }
    return { picked: stable, waiting, results };
  }
}

function statOf(p: string): { size: number; mtimeMs: number; isFile: boolean } | null {
  try {
    const s = fs.statSync(p);
    return { size: s.size, mtimeMs: s.mtimeMs, isFile: s.isFile() };
  } catch {
    return null;
  }
}
