import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ToInt } from '../common/dto';
import { LEVELS, RULE_KEYS, SEVERITIES } from './alerts.rules';
import { CHANNEL_KINDS } from './notify/notify.service';

const LIST = (values: readonly string[]) => new RegExp(`^(${values.join('|')})(,(${values.join('|')}))*$`);

export class AlertsQueryDto {
  @ApiPropertyOptional({ description: `rules, comma-separated (${RULE_KEYS.join(', ')})` })
  @IsOptional() @Matches(LIST(RULE_KEYS), { message: '未知的预警规则 / unknown rule' })
  rule?: string;

  @ApiPropertyOptional({ description: 'a region code: alerts of that region and below (within your scope); default: your whole scope' })
  @IsOptional() @Matches(/^\d{6}$/, { message: '地区代码应为6位数字 / region code must be 6 digits' })
  region?: string;

  @ApiPropertyOptional({ description: 'open, acknowledged, resolved, unresolved (default) or all; comma-separated allowed' })
  @IsOptional() @Matches(LIST(['open', 'acknowledged', 'resolved', 'unresolved', 'all']), { message: '未知的状态 / unknown state' })
  state?: string;

  @ApiPropertyOptional({ description: `severities, comma-separated (${SEVERITIES.join(', ')})` })
  @IsOptional() @Matches(LIST(SEVERITIES), { message: '未知的严重程度 / unknown severity' })
  severity?: string;

  @ApiPropertyOptional({ description: `escalation levels, comma-separated (${LEVELS.join(', ')})` })
  @IsOptional() @Matches(LIST(LEVELS), { message: '未知的层级 / unknown level' })
  level?: string;

  @ApiPropertyOptional({ description: 'minimum age in days (unresolved alerts)' })
  @IsOptional() @ToInt() @IsInt() @Min(0) @Max(3660)
  ageMin?: number;

  @ApiPropertyOptional({ description: 'maximum age in days, exclusive (unresolved alerts)' })
  @IsOptional() @ToInt() @IsInt() @Min(0) @Max(3660)
  ageMax?: number;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional() @ToInt() @IsInt() @Min(1) @Max(500)
  limit?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @IsOptional() @ToInt() @IsInt() @Min(0) @Max(10_000_000)
  offset?: number;
}

export class RegionQueryDto {
  @ApiPropertyOptional({ description: 'a region code within your scope; default: your scope root' })
  @IsOptional() @Matches(/^\d{6}$/, { message: '地区代码应为6位数字 / region code must be 6 digits' })
  region?: string;
}

export class AlertIdParamDto {
  @ApiProperty({ example: '3f9a0c1b2d4e5f60' })
  @Matches(/^[0-9a-f]{16}$/, { message: '预警编号格式错误 / alert id is 16 hex digits' })
  id!: string;
}

export class PageDto {
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @ToInt() @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @ToInt() @IsInt() @Min(0) @Max(10_000_000) offset?: number;
}

export class AckDto {
  @ApiPropertyOptional({ description: 'what is being done', example: '已安排专人电话联系' })
  @IsOptional() @IsString() @MaxLength(500)
  note?: string;
}

export class BulkAckDto extends AckDto {
  @ApiProperty({ type: [String], description: 'alert ids (at most 500)' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @Matches(/^[0-9a-f]{16}$/, { each: true, message: '预警编号格式错误 / alert id is 16 hex digits' })
  ids!: string[];
}

export class ResolveDto {
  @ApiProperty({ description: 'why it is resolved by hand', example: '该生已入伍，台账待更新' })
  @IsString() @MinLength(2) @MaxLength(500)
  reason!: string;
}

export class ChannelDto {
  @ApiPropertyOptional({ description: 'an existing extra channel to change; omit to add one' })
  @IsOptional() @Matches(/^ch_[0-9a-f]{12}$/)
  id?: string;

  @ApiProperty({ example: '220102' })
  @Matches(/^\d{6}$/, { message: '地区代码应为6位数字 / region code must be 6 digits' })
  regionCode!: string;

  @ApiProperty({ enum: [...CHANNEL_KINDS, 'liaison'], description: "'liaison' with enabled=false stops using the liaison directory's channels for the region" })
  @IsIn([...CHANNEL_KINDS, 'liaison'])
  kind!: string;

  @ApiPropertyOptional({ description: 'robot/webhook URL, or e-mail address(es) separated by ;' })
  @IsOptional() @IsString() @MaxLength(1000)
  target?: string;

  @ApiPropertyOptional({ description: 'DingTalk/Feishu signing secret, or the generic webhook HMAC secret (never sent back)' })
  @IsOptional() @IsString() @MaxLength(200)
  secret?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional() @IsBoolean()
  enabled?: boolean;
}

export class ChannelIdParamDto {
  @ApiProperty() @Matches(/^ch_[0-9a-f]{12}$/, { message: '渠道编号格式错误 / channel id format' }) id!: string;
}

export class DeliveriesQueryDto extends PageDto {
  @ApiPropertyOptional({ enum: ['sent', 'retrying', 'failed'] }) @IsOptional() @IsIn(['sent', 'retrying', 'failed']) status?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{6}$/) region?: string;
  @ApiPropertyOptional({ enum: ['alerts', 'escalation', 'digest', 'dispatch'] }) @IsOptional() @IsIn(['alerts', 'escalation', 'digest', 'dispatch']) kind?: string;
}
