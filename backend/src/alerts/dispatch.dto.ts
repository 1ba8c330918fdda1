import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ToInt } from '../common/dto';
import { RULE_KEYS } from './alerts.rules';

export const DISPATCH_METRICS = ['contactRate', 'rate1311', 'employmentRate', 'helpSlaRate', 'hardshipOneOnOneRate'] as const;

export class CreateDispatchDto {
  @ApiProperty({ example: '220102', description: 'the county-level unit that must answer' })
  @Matches(/^\d{6}$/, { message: '地区代码应为6位数字 / region code must be 6 digits' })
  countyCode!: string;

  @ApiProperty({ example: '2022-07-20', description: 'to be done by the end of this day' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '办结时限应为 YYYY-MM-DD / dueDate must be YYYY-MM-DD' })
  dueDate!: string;

  @ApiProperty({ example: '求助超时未联系问题督办' })
  @IsString() @MinLength(2) @MaxLength(100)
  title!: string;

  @ApiPropertyOptional({ example: '请于3日内完成全部超时求助的首次联系并回复。' })
  @IsOptional() @IsString() @MaxLength(2000)
  content?: string;

  @ApiPropertyOptional({ enum: RULE_KEYS, description: 'the alert group (rule) the order is about' })
  @IsOptional() @IsIn([...RULE_KEYS])
  rule?: string;

  @ApiPropertyOptional({ description: 'one alert the order is about' })
  @IsOptional() @Matches(/^[0-9a-f]{16}$/)
  alertId?: string;

  @ApiPropertyOptional({ enum: DISPATCH_METRICS, description: 'the lagging metric the order is about' })
  @IsOptional() @IsIn([...DISPATCH_METRICS])
  metric?: string;
}

export class ReplyDispatchDto {
  @ApiProperty({ example: '已完成12人的首次联系，剩余3人明日上门走访。' })
  @IsString() @MinLength(2) @MaxLength(2000)
  text!: string;

  @ApiProperty({ enum: ['in_progress', 'done'] })
  @IsIn(['in_progress', 'done'])
  status!: string;
}

export class DispatchIdParamDto {
  @ApiProperty({ example: 'D20220712-3fa2' })
  @Matches(/^D\d{8}-[0-9a-f]{6}$/, { message: '督办编号格式错误 / order id format' })
  id!: string;
}

export class DispatchQueryDto {
  @ApiPropertyOptional({ enum: ['issued', 'in_progress', 'done'] }) @IsOptional() @IsIn(['issued', 'in_progress', 'done']) status?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{6}$/) county?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[0-9a-f]{16}$/) alertId?: string;
  @ApiPropertyOptional({ description: '1 = only overdue orders' }) @IsOptional() @ToInt() @IsInt() @Min(0) @Max(1) overdue?: number;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @ToInt() @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @ToInt() @IsInt() @Min(0) @Max(10_000_000) offset?: number;
}
