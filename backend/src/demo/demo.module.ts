import { Module } from '@nestjs/common';
import { IngestModule } from '../ingest/ingest.module';
import { JobsModule } from '../jobs/jobs.module';
import { DemoLoader } from './demo.loader';

@Module({ imports: [IngestModule, JobsModule], providers: [DemoLoader], exports: [DemoLoader] })
export class DemoModule {}
