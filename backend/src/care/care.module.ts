import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { MetricsModule } from '../metrics/metrics.module';
import { CareController } from './care.controller';
import { CareRepository } from './care.repository';
import { CareService } from './care.service';

@Module({
  imports: [MetricsModule, CasesModule],
  controllers: [CareController],
  providers: [CareRepository, CareService],
  exports: [CareService],
})
export class CareModule {}
