import { Module } from '@nestjs/common';
import { LiaisonsModule } from '../liaisons/liaisons.module';
import { MetricsModule } from '../metrics/metrics.module';
import { CareModule } from '../care/care.module';
import { AlertsController } from './alerts.controller';
import { AlertGroupsController } from './alerts.groups.controller';
import { AlertGroupsRepository } from './alerts.groups.repository';
import { AlertGroupsService } from './alerts.groups.service';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';
import { DispatchController } from './dispatch.controller';
import { DispatchRepository } from './dispatch.repository';
import { DispatchService } from './dispatch.service';
import { NotifyService } from './notify/notify.service';

@Module({
  imports: [MetricsModule, LiaisonsModule, CareModule],
  // AlertGroupsController first: its static paths must win over AlertsController's ':id'.
  controllers: [AlertGroupsController, AlertsController, DispatchController],
  providers: [AlertsRepository, AlertsService, AlertGroupsRepository, AlertGroupsService, NotifyService, DispatchRepository, DispatchService],
  exports: [AlertsService, AlertGroupsService, NotifyService, DispatchService],
})
export class AlertsModule {}
