import { Injectable } from '@nestjs/common';
import type { Scope } from '../auth/scope';
import { IngestRepository, type RejectRow, type RunRow } from './ingest.repository';
import type { RejectDto, RejectPageDto, RunDto } from './ingest.dto';

export function toRunDto(r: RunRow): RunDto {
  let detail: Record<string, unknown>;
  try {
    detail = r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : {};
  } catch {
    detail = {};
  }
  return {
    runId: Number(r.run_id), source: r.source, label: r.label, status: r.status, startedAt: r.started_at, finishedAt: r.finished_at,
    rowsRead: Number(r.rows_read), accepted: Number(r.accepted), rejected: Number(r.rejected), warnings: Number(r.warnings),
    duplicates: Number(r.duplicates), error: r.error, detail,
  };
}

export function toRejectDto(r: RejectRow): RejectDto {
  return { runId: Number(r.run_id), file: r.file, sheet: r.sheet, row: Number(r.row), kind: r.kind, reason: r.reason, raw: r.raw_masked };
}

/** Read side of ingestion for the API and the CLI. */
@Injectable()
export class IngestQueryService {
  constructor(private readonly repo: IngestRepository) {}

  async list(limit: number, offset: number, source?: string): Promise<RunDto[]> {
    return (await this.repo.listRuns(limit, offset, source)).map(toRunDto);
  }

  async get(id: number): Promise<RunDto | null> {
    const r = await this.repo.getRun(id);
    return r ? toRunDto(r) : null;
  }

  async rejects(runId: number | null, limit: number, offset: number, scope?: Scope): Promise<RejectPageDto> {
    const { total, rows } = await this.repo.listRejects(runId, limit, offset, scope?.params());
    return { total, rows: rows.map(toRejectDto) };
  }
}
