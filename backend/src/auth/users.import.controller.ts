import { Body, Controller, Get, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from './access.decorator';
import { ClientIp, CurrentPrincipal } from './auth.decorators';
import type { Principal } from './scope';
import { templateWorkbook } from './users.import';
import { UsersImportDto } from './users.import.dto';
import { UsersImportService } from './users.import.service';

@ApiTags('admin')
@Controller('api/admin/users/import')
@AdminOnly()
export class UsersImportController {
  constructor(private readonly imports: UsersImportService) {}

  @Get('template.xlsx')
  @ApiOperation({ summary: 'An empty users sheet to fill in: headers, example rows, and every region code' })
  async template(@Res() res: Response) {
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent('账户导入模板.xlsx')}`);
    res.end(await templateWorkbook());
  }

  @Post('preview')
  @ApiOperation({ summary: 'Check a users XLSX row by row (username, role, region, display name, phone); creates nothing' })
  preview(@Body() b: UsersImportDto) {
    return this.imports.preview(b.fileName, Buffer.from(b.content, 'base64'));
  }

  @Post()
  @ApiOperation({ summary: 'Create the good rows of a users XLSX with one-time initial passwords (must be changed at first sign-in), fill the liaison directory from the phone column; the passwords come back once as an XLSX (audit-logged)' })
  run(@Body() b: UsersImportDto, @CurrentPrincipal() p: Principal, @ClientIp() ip: string) {
    return this.imports.run(b.fileName, Buffer.from(b.content, 'base64'), p, ip);
  }
}
