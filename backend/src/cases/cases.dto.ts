import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ToInt } from '../common/dto';
import { PERSON_TODO_KINDS, type PersonTodoKind } from '../home/home.types';
import { CATEGORIES, EMPLOYMENT_STATUSES, SERVICE_TYPES } from '../ledger/ledger.schema';

export class CaseQueryDto {
  @ApiProperty({ example: '220102', description: 'a county-level unit inside your scope' })
  @Matches(/^\d{6}$/, { message: '县区代码应为6位数字 / county must be 6 digits' }) county!: string;
  @ApiPropertyOptional({ example: '2022-09-30' }) @IsOptional() @IsString() @MaxLength(10) asOf?: string;
  @ApiPropertyOptional({ enum: CATEGORIES }) @IsOptional() @IsIn([...CATEGORIES]) category?: string;
  @ApiPropertyOptional({ enum: ['yes', 'no'] }) @IsOptional() @IsIn(['yes', 'no']) contacted?: 'yes' | 'no';
  @ApiPropertyOptional({ enum: ['yes', 'no'], description: '1311 complete (job-seekers only)' }) @IsOptional() @IsIn(['yes', 'no']) complete1311?: 'yes' | 'no';
  @ApiPropertyOptional({ enum: SERVICE_TYPES, description: 'a 1311 component the job-seeker still misses' }) @IsOptional() @IsIn([...SERVICE_TYPES]) missing?: string;
  @ApiPropertyOptional({ enum: ['yes', 'no'] }) @IsOptional() @IsIn(['yes', 'no']) hardship?: 'yes' | 'no';
  @ApiPropertyOptional({ enum: ['1'], description: 'hardship persons without one-on-one help' }) @IsOptional() @IsIn(['1']) noOneOnOne?: '1';
  @ApiPropertyOptional({ enum: [...EMPLOYMENT_STATUSES, '未填写'] }) @IsOptional() @IsIn([...EMPLOYMENT_STATUSES, '未填写']) employment?: string;
  @ApiPropertyOptional({ enum: ['1'], description: 'with an overdue help request' }) @IsOptional() @IsIn(['1']) overdue?: '1';
  @ApiPropertyOptional({ enum: PERSON_TODO_KINDS, description: 'a to-do of the home page: help_due (24 h run out on asOf), no_contact (not contacted in time), visit_due (hardship follow-up due)' })
  @IsOptional() @IsIn([...PERSON_TODO_KINDS]) todo?: PersonTodoKind;
  @ApiPropertyOptional({ enum: ['1'], description: '无帮扶计划: hardship persons without a help plan dated by the day' }) @IsOptional() @IsIn(['1']) noPlan?: '1';
  @ApiPropertyOptional({ enum: ['1'], description: '回访逾期: hardship persons whose return visit is overdue under their current plan' }) @IsOptional() @IsIn(['1']) visitOverdue?: '1';
  @ApiPropertyOptional({ enum: ['received', 'updated', 'lastService', 'name'] }) @IsOptional() @IsIn(['received', 'updated', 'lastService', 'name']) sort?: 'received' | 'updated' | 'lastService' | 'name';
  @ApiPropertyOptional({ enum: ['asc', 'desc'] }) @IsOptional() @IsIn(['asc', 'desc']) order?: 'asc' | 'desc';
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @ToInt() @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @ToInt() @IsInt() @Min(0) @Max(10_000_000) offset?: number;
}

export class PersonKeyParamDto {
  @ApiProperty({ description: 'the person key (a keyed hash of the ID number, not the ID number)' })
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { message: '人员标识格式错误 / malformed person key' })
  key!: string;
}
