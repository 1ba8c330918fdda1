import { Module } from '@nestjs/common';
import { LiaisonsModule } from '../liaisons/liaisons.module';
import { MetricsModule } from '../metrics/metrics.module';
import { CareModule } from '../care/care.module';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

@Module({
  imports: [MetricsModule, LiaisonsModule, CareModule],
  controllers: [ReportsController],
  providers: [ReportsRepository, ReportsService],
  exports: [ReportsService],
})
export class ReportsModule {}
