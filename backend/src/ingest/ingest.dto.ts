import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ToInt } from '../common/dto';

export class PageQueryDto {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 1000 })
  @IsOptional() @ToInt() @IsInt() @Min(1) @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @IsOptional() @ToInt() @IsInt() @Min(0) @Max(10_000_000)
  offset?: number;
}

export class RunsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['cli', 'inbox', 'postgres', 'demo'] })
  @IsOptional() @IsIn(['cli', 'inbox', 'postgres', 'demo'])
  source?: string;
}

export class RunIdParamDto {
  @ApiProperty({ example: 1 })
  @ToInt() @IsInt({ message: '导入批次号应为正整数 / run id must be a whole number' }) @Min(1) @Max(Number.MAX_SAFE_INTEGER)
  id!: number;
}

export class RunDto {
  @ApiProperty() runId!: number;
  @ApiProperty({ enum: ['cli', 'inbox', 'postgres', 'demo'] }) source!: string;
  @ApiProperty({ description: 'file name or source table' }) label!: string;
  @ApiProperty({ enum: ['running', 'succeeded', 'rejected', 'failed'] }) status!: string;
  @ApiProperty() startedAt!: string;
  @ApiProperty({ type: String, nullable: true }) finishedAt!: string | null;
  @ApiProperty() rowsRead!: number;
  @ApiProperty() accepted!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty() warnings!: number;
  @ApiProperty({ description: 'accepted rows whose content was already loaded' }) duplicates!: number;
  @ApiProperty({ description: 'why the run failed or the file was rejected; empty otherwise' }) error!: string;
  @ApiProperty({ description: 'per-kind counts, unknown columns, encoding' }) detail!: Record<string, unknown>;
}

export class RejectDto {
  @ApiProperty() runId!: number;
  @ApiProperty() file!: string;
  @ApiProperty() sheet!: string;
  @ApiProperty({ description: 'row number as in Excel (header = 1); 0 = the whole file or sheet' }) row!: number;
  @ApiProperty() kind!: string;
  @ApiProperty({ example: '身份证号校验位错误（invalid ID number）' }) reason!: string;
  @ApiProperty({ description: 'the row as read, personal data masked' }) raw!: string;
}

export class RejectPageDto {
  @ApiProperty() total!: number;
  @ApiProperty({ type: [RejectDto] }) rows!: RejectDto[];
}
