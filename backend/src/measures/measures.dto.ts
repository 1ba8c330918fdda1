import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { RECORD_KINDS } from './measures.records.types';

export const SECTIONS = ['centres', 'posts', 'policies'] as const;
export type Section = (typeof SECTIONS)[number];

export class MeasureRecordsQueryDto {
  @ApiPropertyOptional({ enum: RECORD_KINDS, description: 'centre (实训中心), stay (实训进驻), post (岗位开发) or grant (政策落实)' })
  @IsOptional() @IsIn([...RECORD_KINDS], { message: `kind 应为 ${RECORD_KINDS.join('、')} 之一 / kind must be one of ${RECORD_KINDS.join(', ')}` })
  kind?: string;
  @ApiPropertyOptional({ example: '2022-09-30' }) @IsOptional() @IsString() @MaxLength(10) asOf?: string;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(10_000_000) offset?: number;
}

export class MeasureChildrenQueryDto {
  @ApiPropertyOptional({ example: '2022-09-30' }) @IsOptional() @IsString() @MaxLength(10) asOf?: string;
  @ApiPropertyOptional({ enum: SECTIONS, default: 'centres' })
  @IsOptional() @IsIn([...SECTIONS], { message: `section 应为 ${SECTIONS.join('、')} 之一 / section must be one of ${SECTIONS.join(', ')}` })
  section?: Section;
}
