// `npm start` on an empty DATA_DIR loads a generated demo campaign so the
// product shows a living campaign out of the box (DEMO=off turns it off).
// The CLI never calls this.
import * as path from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { IngestRepository } from '../ingest/ingest.repository';
import { IngestService } from '../ingest/ingest.service';
import { JobsService } from '../jobs/jobs.service';
import { generateDemo } from './demo.generator';
import { DEMO_YEAR, shiftDemoFiles } from './demo.year';
import type { CampaignRuntime } from '../campaigns/campaigns.runtime';

@Injectable()
export class DemoLoader {
  private readonly log = new Logger('Demo');

  constructor(
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly ingest: IngestService,
    private readonly runs: IngestRepository,
    private readonly jobs: JobsService,
  ) {}

  /**
   * On an empty install without CAMPAIGN_CONFIG, the demo holds two campaign years: the home year and, archived
   * (read-only), the year before it, so year over year has a last year to compare with. Runs before the other
   * years' applications are built.
   */
  async prepareCampaigns(rt: CampaignRuntime): Promise<void> {
    if (!this.cfg.demo || process.env.CAMPAIGN_CONFIG || rt.list().length > 1) return;
    if ((await this.runs.nextRunId()) > 1) return;
    const year = rt.homeYear - 1;
    await rt.add(year);
    await rt.setArchived(year, true);
    rt.markDemo(year);
  }

  /** Loads the demo campaign when nothing was ever loaded into this data directory (this campaign year's database). */
  async loadIfEmpty(persons = 22_000): Promise<boolean> {
    if (!this.cfg.demo) return false;
    if ((await this.runs.nextRunId()) > 1) return false;
    // Another year than the home one: the demo's other year, in a folder of its own.
    const other = this.cfg.campaignHome === false && this.cfg.campaignYear !== undefined ? this.cfg.campaignYear : null;
    const dir = path.join(this.cfg.dataDir, other === null ? 'demo' : `demo-${other}`);
    this.log.log(`empty data directory: generating and loading the demo campaign${other === null ? '' : ` of ${other}`} (${persons} persons) into ${dir}; DEMO=off turns this off`);
    const gen = await generateDemo({ outDir: dir, persons, seed: other === null ? DEMO_YEAR : other });
    if (other !== null) shiftDemoFiles([...gen.files, ...gen.careFiles], other);
    const summary = await this.ingest.loadFiles([...gen.files, ...gen.careFiles].map((f) => f.path), { source: 'demo' });
    // Through the jobs, so the refresh and the alert evaluation that follows it show in /api/jobs, and the
    // alert centre has the demo's open alerts from the first minute (not at the next :x0:45 tick).
    const refreshed = await this.jobs.run('refresh');
    const r = refreshed.lastResult as { days?: number } | null;
    const alerts = this.jobs.list().find((j) => j.name === 'alerts')!;
    const opened = (alerts.lastResult as { opened?: number } | null)?.opened;
    this.log.log(`demo campaign loaded: ${summary.accepted} rows, snapshots for ${r?.days ?? 0} days, ${opened ?? 0} alerts opened` +
      (refreshed.lastStatus === 'failed' ? ` (refresh failed: ${refreshed.lastError})` : alerts.lastStatus === 'failed' ? ` (alert evaluation failed: ${alerts.lastError})` : ''));
    return true;
  }
}
