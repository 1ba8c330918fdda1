import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module';
import { MetricsModule } from '../metrics/metrics.module';
import { ControlChannel } from './backup.control';
import { BackupRepository } from './backup.repository';
import { BackupService } from './backup.service';

@Module({
  imports: [IngestModule, MetricsModule],
  providers: [BackupRepository, BackupService, ControlChannel],
  exports: [BackupService, ControlChannel],
})
export class BackupModule {}
