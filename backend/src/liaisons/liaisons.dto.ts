import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, IsUrl, Matches, MaxLength, ValidateIf } from 'class-validator';

const url = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

export class LiaisonDto {
  @ApiProperty({ example: '220100', description: 'a reporting unit (or the province 220000, or a county-level unit)' })
  @Matches(/^\d{6}$/) regionCode!: string;
  @ApiProperty({ example: '王丽' }) @IsString() @MaxLength(50) name!: string;
  @ApiPropertyOptional({ example: '就业服务局创业开发指导处' }) @IsOptional() @IsString() @MaxLength(100) title?: string;
  @ApiPropertyOptional({ example: '0431-88691597' }) @IsOptional() @Matches(/^[0-9+\-() ]{0,30}$/) phone?: string;
  @ApiPropertyOptional({ example: '13800000000' }) @IsOptional() @Matches(/^[0-9+\- ]{0,20}$/) mobile?: string;
  @ApiPropertyOptional() @IsOptional() @ValidateIf((o: LiaisonDto) => Boolean(o.email)) @IsEmail() email?: string;
  @ApiPropertyOptional({ description: 'WeCom group robot webhook URL' }) @IsOptional() @ValidateIf((o: LiaisonDto) => Boolean(o.wecomWebhook)) @IsUrl(url) wecomWebhook?: string;
  @ApiPropertyOptional({ description: 'DingTalk robot webhook URL' }) @IsOptional() @ValidateIf((o: LiaisonDto) => Boolean(o.dingtalkWebhook)) @IsUrl(url) dingtalkWebhook?: string;
  @ApiPropertyOptional({ description: 'DingTalk robot signing secret (SEC…)' }) @IsOptional() @IsString() @MaxLength(200) dingtalkSecret?: string;
  @ApiPropertyOptional({ description: 'Feishu robot webhook URL' }) @IsOptional() @ValidateIf((o: LiaisonDto) => Boolean(o.feishuWebhook)) @IsUrl(url) feishuWebhook?: string;
  @ApiPropertyOptional({ description: 'generic JSON webhook URL' }) @IsOptional() @ValidateIf((o: LiaisonDto) => Boolean(o.genericWebhook)) @IsUrl(url) genericWebhook?: string;
}
