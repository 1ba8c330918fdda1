import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { JobsModule } from '../jobs/jobs.module';
import { CareModule } from '../care/care.module';
import { ScreenController } from './screen.controller';
import { ScreenRepository } from './screen.repository';
import { ScreenService } from './screen.service';

@Module({
  imports: [MetricsModule, JobsModule, CareModule],
  controllers: [ScreenController],
  providers: [ScreenRepository, ScreenService],
})
export class ScreenModule {}
