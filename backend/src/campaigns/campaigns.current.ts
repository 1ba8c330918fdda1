// The process's campaign registry, where the per-campaign services look up
// their neighbours (year over year) without importing the registry itself
// (which builds the applications that hold those services).
import type { INestApplicationContext } from '@nestjs/common';
import type { ClickHouseHandle } from '../clickhouse/clickhouse.provider';
import type { CampaignInfo } from './campaigns.types';

export interface CampaignPeer {
  info: CampaignInfo;
  /** The campaign's application (its services), null while it is being opened. */
  app: INestApplicationContext | null;
}

export interface CampaignPeers {
  list(): CampaignInfo[];
  info(year: number): CampaignInfo | null;
  /** The campaign year before this one, with its application. */
  previous(year: number): CampaignPeer | null;
  current(today: string): CampaignInfo;
  /** A year's application, or null where none is open (the CLI opens only the year it works on). */
  appOf(year: number): INestApplicationContext | null;
  /** A year's database handle, opened on first use. */
  handle(year: number): Promise<ClickHouseHandle>;
  /** Closes every year's application but the home one. */
  closeOthers(): Promise<void>;
}

let slot: CampaignPeers | null = null;

export function campaignPeers(): CampaignPeers | null {
  return slot;
}

export function setCampaignPeers(p: CampaignPeers | null): void {
  slot = p;
}
