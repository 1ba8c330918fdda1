import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { REPORT_KINDS, type ReportKind } from './reports.types';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MSG = { message: '日期应为 YYYY-MM-DD / date must be YYYY-MM-DD' };

export class ReportKindParamDto {
  @ApiProperty({ enum: REPORT_KINDS })
  @IsIn(REPORT_KINDS as ReportKind[], { message: `报表类型应为 ${REPORT_KINDS.join('、')} 之一 / unknown report kind` })
  kind!: ReportKind;
}

export class GenerateReportDto {
  @ApiPropertyOptional({ example: '2022-W36', description: 'weekly: the ISO week' })
  @IsOptional() @Matches(/^\d{4}-W\d{2}$/, { message: '周次应为 ISO 周次，如 2022-W36 / week must look like 2022-W36' })
  week?: string;

  @ApiPropertyOptional({ example: '2022-09-16', description: 'semimonthly: the 调度日 (reports the half-month that ended before it); dispatch: the day' })
  @IsOptional() @Matches(DAY, DAY_MSG)
  date?: string;
}

export class ReportIdParamDto {
  @ApiProperty({ example: 'weekly-2022-W36' })
  @Matches(/^[a-z]+-[0-9A-Za-z-]{4,40}$/, { message: '报表编号格式错误 / malformed report id' })
  id!: string;
}

export class ReportListQueryDto {
  @ApiPropertyOptional({ enum: REPORT_KINDS })
  @IsOptional() @IsIn(REPORT_KINDS as ReportKind[])
  kind?: ReportKind;
}

export class DispatchQueryDto {
  @ApiPropertyOptional({ example: '2022-09-16', description: 'the day (default today); requests still waiting at its end, or now for today' })
  @IsOptional() @Matches(DAY, DAY_MSG)
  date?: string;

  @ApiPropertyOptional({ example: '220102', description: 'a region inside the caller’s scope (default: the whole scope)' })
  @IsOptional() @Matches(/^\d{6}$/, { message: '地区代码应为6位数字 / region code must be 6 digits' })
  region?: string;
}
