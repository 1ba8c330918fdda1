import { Injectable } from '@nestjs/common';
import { RegionsRepository } from './regions.repository';
import type { Region } from './regions.data';

@Injectable()
export class RegionsService {
  private cache: Region[] | null = null;

  constructor(private readonly repo: RegionsRepository) {}

  async list(): Promise<Region[]> {
    this.cache ??= await this.repo.list();
    return this.cache;
  }
}
