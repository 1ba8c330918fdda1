import { Body, Controller, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from './access.decorator';
import { ClientIp, CurrentPrincipal } from './auth.decorators';
import type { Principal } from './scope';
import { UsersImportDto } from './users.import.dto';
import { UsersImportService } from './users.import.service';

@ApiTags('admin')
@Controller('api/admin/users/import')
@AdminOnly()
export class UsersImportController {
  constructor(private readonly imports: UsersImportService) {}

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
