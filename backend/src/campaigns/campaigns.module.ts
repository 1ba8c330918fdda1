import { Inject, Module, type BeforeApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CampaignsController } from './campaigns.controller';
import { campaignPeers } from './campaigns.current';

/** The home year's application closes the other years' first (their database handles share its engine). */
class CampaignsLifecycle implements BeforeApplicationShutdown {
  constructor(@Inject(APP_CONFIG) private readonly cfg: AppConfig) {}

  async beforeApplicationShutdown(): Promise<void> {
    if (this.cfg.campaignHome) await campaignPeers()?.closeOthers();
  }
}

@Module({ controllers: [CampaignsController], providers: [CampaignsLifecycle] })
export class CampaignsModule {}
