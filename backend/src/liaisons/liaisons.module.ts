import { Module } from '@nestjs/common';
import { LiaisonsController } from './liaisons.controller';
import { LiaisonsRepository } from './liaisons.repository';
import { LiaisonsService } from './liaisons.service';

@Module({ controllers: [LiaisonsController], providers: [LiaisonsRepository, LiaisonsService], exports: [LiaisonsService] })
export class LiaisonsModule {}
