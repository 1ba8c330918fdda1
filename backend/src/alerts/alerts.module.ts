import { Module } from '@nestjs/common';
import { LiaisonsModule } from '../liaisons/liaisons.module';
import { MetricsModule } from '../metrics/metrics.module';
import { CareModule } from '../care/care.module';
import { AlertsController } from './alerts.controller';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';
import { DispatchController } from './dispatch.controller';
import { DispatchRepository } from './dispatch.repository';
import { DispatchService } from './dispatch.service';
import { NotifyService } from './notify/notify.service';

@Module({
  imports: [MetricsModule, LiaisonsModule, CareModule],
  controllers: [AlertsController, DispatchController],
  providers: [AlertsRepository, AlertsService, NotifyService, DispatchRepository, DispatchService],
  exports: [AlertsService, NotifyService, DispatchService],
})
export class AlertsModule {}
