import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsRepository } from './metrics.repository';
import { MetricsService } from './metrics.service';
import { FreshnessService } from './freshness';
import { RecruitmentRepository, RecruitmentService } from './recruitment.service';

@Module({
  controllers: [MetricsController],
  providers: [MetricsRepository, MetricsService, RecruitmentRepository, RecruitmentService, FreshnessService],
  exports: [MetricsService, RecruitmentService],
})
export class MetricsModule {}
