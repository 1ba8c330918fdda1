import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module';
import { MetricsModule } from '../metrics/metrics.module';
import { DemoLoader } from './demo.loader';

@Module({ imports: [IngestModule, MetricsModule], providers: [DemoLoader], exports: [DemoLoader] })
export class DemoModule {}
