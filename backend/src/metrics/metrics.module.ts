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
import { CareStateRepository } from '../care/care.state.repository';
import { CareMetricsService } from '../care/care.metrics.service';

@Module({
  controllers: [MetricsController, MetricsExportController],
  providers: [MeasuresRepository, MetricsRepository, MetricsService, MetricsStateRepository, MetricsStateService, RecruitmentRepository, RecruitmentService, FreshnessService,
    CareStateRepository, CareMetricsService],
  exports: [MetricsService, MetricsStateService, RecruitmentService, CareMetricsService],
})
export class MetricsModule {}
