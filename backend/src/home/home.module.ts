import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { HomeController } from './home.controller';
import { HomeRepository } from './home.repository';
import { HomeService } from './home.service';

@Module({ imports: [MetricsModule], controllers: [HomeController], providers: [HomeRepository, HomeService], exports: [HomeService] })
export class HomeModule {}
