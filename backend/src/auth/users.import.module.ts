import { Module } from '@nestjs/common';
import { LiaisonsModule } from '../liaisons/liaisons.module';
import { UsersImportController } from './users.import.controller';
import { UsersImportService } from './users.import.service';

/** Bulk account import (needs the liaison directory, which itself needs AuthModule: hence its own module). */
@Module({ imports: [LiaisonsModule], controllers: [UsersImportController], providers: [UsersImportService], exports: [UsersImportService] })
export class UsersImportModule {}
