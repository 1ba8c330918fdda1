import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/access.decorator';
import { HousekeepingService } from './housekeeping.service';
import type { StorageReport } from './housekeeping.types';

@ApiTags('admin')
@Controller('api/admin')
@AdminOnly()
export class HousekeepingController {
  constructor(private readonly housekeeping: HousekeepingService) {}

  @Get('storage')
  @ApiOperation({ summary: 'The data directory’s size, by part (ClickHouse, report archive, inbox, processed files, backups, …)' })
  storage(): Promise<StorageReport> {
    return this.housekeeping.storage();
  }
}
