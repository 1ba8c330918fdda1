import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule } from './clickhouse/clickhouse.module';
import type { ClickHouseHandle } from './clickhouse/clickhouse.provider';
import type { AppConfig } from './config/config';
import { HealthModule } from './health/health.module';
import { RegionsModule } from './regions/regions.module';
import { IngestModule } from './ingest/ingest.module';
import { MetricsModule } from './metrics/metrics.module';
import { MapModule } from './map/map.module';
import { JobsModule } from './jobs/jobs.module';
import { DemoModule } from './demo/demo.module';
import { HousekeepingModule } from './housekeeping/housekeeping.module';
import { AuthModule } from './auth/auth.module';
import { PgSourceModule } from './ingest/pg.module';
import { LiaisonsModule } from './liaisons/liaisons.module';
import { ReportsModule } from './reports/reports.module';
import { CasesModule } from './cases/cases.module';
import { ScreenModule } from './screen/screen.module';
import { LiveModule } from './live/live.module';
import { AlertsModule } from './alerts/alerts.module';
import { BackupModule } from './backup/backup.module';
import { UsersImportModule } from './auth/users.import.module';
import { HomeModule } from './home/home.module';
import { MeasuresModule } from './measures/measures.module';
import { CareModule } from './care/care.module';
import { CampaignsModule } from './campaigns/campaigns.module';

@Module({})
export class AppModule {
  static register(cfg: AppConfig, ch: ClickHouseHandle): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.register(cfg, ch), AuthModule, HealthModule, RegionsModule, IngestModule, MetricsModule, MapModule, JobsModule, DemoModule, ScreenModule, LiveModule, PgSourceModule, LiaisonsModule, CasesModule, ReportsModule, AlertsModule, HousekeepingModule, BackupModule, UsersImportModule, HomeModule, MeasuresModule, CareModule, CampaignsModule],
    };
  }
}
