import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { MeasuresController } from './measures.controller';
import { MeasuresRecordsRepository } from './measures.records.repository';
import { MeasuresService } from './measures.service';

/** Kinds 5–8 in the workbench: the records behind the figures and their exports (the metric state lives in MetricsModule). */
@Module({ imports: [MetricsModule], controllers: [MeasuresController], providers: [MeasuresRecordsRepository, MeasuresService] })
export class MeasuresModule {}
