import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { AckDto, PageDto } from './alerts.dto';
import { RULE_KEYS } from './alerts.rules';

const REGION = /^\d{6}$/;
const REGION_MSG = { message: '地区代码应为6位数字 / region code must be 6 digits' };
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class GroupsQueryDto {
  @ApiPropertyOptional({ description: 'a region code within your scope; default: your scope root' })
  @IsOptional() @Matches(REGION, REGION_MSG)
  region?: string;

  @ApiPropertyOptional({ description: 'YYYY-MM-DD: the groups as they stood at the end of that day (default: now, i.e. the latest evaluation)' })
  @IsOptional() @Matches(DAY, { message: '日期应为 YYYY-MM-DD / asOf must be YYYY-MM-DD' })
  asOf?: string;
}

export class GroupMembersQueryDto extends PageDto {
  @ApiProperty({ description: "the group's region: a county, or a unit / the province for their own alerts", example: '220102' })
  @Matches(REGION, REGION_MSG)
  region!: string;

  @ApiProperty({ enum: RULE_KEYS })
  @IsIn([...RULE_KEYS], { message: '未知的预警规则 / unknown rule' })
  rule!: string;
}

export class GroupAckDto extends AckDto {
  @ApiProperty({ example: '220102' }) @Matches(REGION, REGION_MSG) region!: string;
  @ApiProperty({ enum: RULE_KEYS }) @IsIn([...RULE_KEYS], { message: '未知的预警规则 / unknown rule' }) rule!: string;
}

export class GroupDispatchDto {
  @ApiProperty({ example: '220102', description: 'the county-level unit that must answer (the group\'s region)' })
  @Matches(REGION, REGION_MSG)
  region!: string;

  @ApiProperty({ enum: RULE_KEYS }) @IsIn([...RULE_KEYS], { message: '未知的预警规则 / unknown rule' }) rule!: string;

  @ApiProperty({ example: '2022-07-20', description: 'to be done by the end of this day' })
  @Matches(DAY, { message: '办结时限应为 YYYY-MM-DD / dueDate must be YYYY-MM-DD' })
  dueDate!: string;

  @ApiProperty({ example: '求助超时未联系问题督办' })
  @IsString() @MinLength(2) @MaxLength(100)
  title!: string;

  @ApiPropertyOptional({ example: '请于3日内完成全部超时求助的首次联系并回复。' })
  @IsOptional() @IsString() @MaxLength(2000)
  content?: string;
}
