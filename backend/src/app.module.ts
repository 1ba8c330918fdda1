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

@Module({})
export class AppModule {
  static register(cfg: AppConfig, ch: ClickHouseHandle): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.register(cfg, ch), HealthModule, RegionsModule, IngestModule, MetricsModule, MapModule, JobsModule, DemoModule],
    };
  }
}
