import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { CareModule } from '../care/care.module';
import { ScreenController } from './screen.controller';
import { ScreenRepository } from './screen.repository';
import { ScreenService } from './screen.service';

@Module({
  imports: [MetricsModule, CareModule],
  controllers: [ScreenController],
  providers: [ScreenRepository, ScreenService],
})
export class ScreenModule {}
