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

  /** Files that look finished: unchanged across a short pause and not modified in the last SETTLE_MS. */
  async stableFiles(settleMs = SETTLE_MS): Promise<{ stable: string[]; waiting: string[] }> {
    fs.mkdirSync(this.dir, { recursive: true });
    const names = fs.readdirSync(this.dir).filter((n) => ACCEPTED.test(n) && !IGNORED.test(n)).sort();
    const first = new Map(names.map((n) => [n, statOf(path.join(this.dir, n))]));
    await new Promise((r) => setTimeout(r, Math.min(1_000, settleMs)));
    const stable: string[] = [];
    const waiting: string[] = [];
    for (const n of names) {
      const a = first.get(n);
      const b = statOf(path.join(this.dir, n));
      if (!a || !b || !b.isFile) continue;
      if (a.size === b.size && a.mtimeMs === b.mtimeMs && Date.now() - b.mtimeMs >= settleMs) stable.push(n);
      else waiting.push(n);
    }
    return { stable, waiting };
  }

  async pull(settleMs = SETTLE_MS): Promise<InboxRunResult> {
    const { stable, waiting } = await this.stableFiles(settleMs);
    const results: FileResult[] = [];
    for (const name of stable) {
      const full = path.join(this.dir, name);
      const summary = await this.ingest.loadFiles([full], { source: 'inbox' });
      const r = summary.files[0]!;
      results.push(r);
      if (r.status === 'failed') {
        this.log.warn(`${name}: load failed, left in the inbox for the next run (${r.error ?? ''})`);
        continue;
      }
      await faultPoint('inbox.move');
      const done = path.join(this.dir, 'processed');
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
