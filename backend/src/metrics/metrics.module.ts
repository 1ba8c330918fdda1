import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsExportController } from './metrics-export.controller';
import { MetricsRepository } from './metrics.repository';
import { MetricsService } from './metrics.service';
import { MetricsStateRepository } from './metrics.state.repository';
import { MetricsStateService } from './metrics.state.service';
import { FreshnessService } from './freshness';
import { MeasuresRepository } from '../measures/measures.repository';
import { RecruitmentRepository, RecruitmentService } from './recruitment.service';

@Module({
  controllers: [MetricsController, MetricsExportController],
  providers: [MeasuresRepository, MetricsRepository, MetricsService, MetricsStateRepository, MetricsStateService, RecruitmentRepository, RecruitmentService, FreshnessService],
  exports: [MetricsService, MetricsStateService, RecruitmentService],
})
export class MetricsModule {}
