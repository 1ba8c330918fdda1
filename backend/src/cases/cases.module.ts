import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { HomeModule } from '../home/home.module';
import { CasesController } from './cases.controller';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';

@Module({ imports: [MetricsModule, HomeModule], controllers: [CasesController], providers: [CasesRepository, CasesService], exports: [CasesService] })
export class CasesModule {}
