import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, AnyUser } from '../auth/access.decorator';
import { ClientIp, CurrentPrincipal, CurrentScope } from '../auth/auth.decorators';
import type { Principal, Scope } from '../auth/scope';
import { RegionCodeParamDto } from '../metrics/metrics.dto';
import { LiaisonDto } from './liaisons.dto';
import { LiaisonsService, type Liaison } from './liaisons.service';

@ApiTags('liaisons')
@Controller('api/liaisons')
export class LiaisonsController {
  constructor(private readonly liaisons: LiaisonsService) {}

  @Get()
  @AnyUser()
  @ApiOperation({ summary: 'The liaison directory (附件3), within the caller’s scope' })
  list(@CurrentScope() scope: Scope): Promise<Liaison[]> {
    return this.liaisons.list(scope);
  }

  @Put()
  @Access({ roles: ['admin'] })
  @ApiOperation({ summary: 'Create or replace a region’s liaison (admins)' })
  upsert(@Body() dto: LiaisonDto, @CurrentPrincipal() p: Principal, @ClientIp() ip: string): Promise<Liaison> {
    return this.liaisons.upsert(dto, p, ip);
  }

  @Delete(':code')
  @Access({ roles: ['admin'] })
  async remove(@Param() q: RegionCodeParamDto, @CurrentPrincipal() p: Principal, @ClientIp() ip: string): Promise<{ ok: true }> {
    await this.liaisons.remove(q.code, p, ip);
    return { ok: true };
  }
}
