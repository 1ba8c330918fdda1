import { BackupService } from '../backend/src/backup/backup.service';
import type { JobContext } from './job.types';

/** Backs DATA_DIR up into BACKUP_DIR and keeps the newest BACKUP_KEEP backups. */
export function backup(ctx: JobContext): Promise<unknown> {
  return ctx.get(BackupService).scheduled();
}
