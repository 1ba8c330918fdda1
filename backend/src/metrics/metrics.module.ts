import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsRepository } from './metrics.repository';
import { MetricsService } from './metrics.service';
import { RecruitmentRepository, RecruitmentService } from './recruitment.service';

@Module({
  controllers: [MetricsController],
  providers: [MetricsRepository, MetricsService, RecruitmentRepository, RecruitmentService],
  exports: [MetricsService, RecruitmentService],
})
export class MetricsModule {}
