import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AggregatesAccess } from '../auth/access.decorator';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { rulesFor } from '../metrics/campaign.config';
import { todayShanghai } from '../metrics/metrics.service';
import { campaignPeers } from './campaigns.current';
import type { CampaignsResponse } from './campaigns.types';

@ApiTags('campaigns')
@Controller('api')
export class CampaignsController {
  constructor(@Inject(APP_CONFIG) private readonly cfg: AppConfig) {}

  @Get('campaigns')
  @AggregatesAccess()
  @ApiOperation({ summary: 'The campaign years of this install (oldest first) and the one a request without ?campaign= gets' })
  list(): CampaignsResponse {
    const peers = campaignPeers();
    if (!peers) {
      const c = rulesFor(this.cfg);
      return { campaigns: [{ year: c.year, start: c.start, end: c.end, archived: this.cfg.readOnly === true, home: true }], current: c.year };
    }
    return { campaigns: peers.list(), current: peers.current(todayShanghai()).year };
  }
}
