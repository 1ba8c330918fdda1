// Who may see what: every request carries a Principal; region scope is the
// set of county-level units (and the regions above them) it may read.
import { ForbiddenException } from '@nestjs/common';
import { countiesUnder, PROVINCE_CODE, REGION_BY_CODE, REGIONS, type Region } from '../regions/regions.data';

export type Role = 'admin' | 'province' | 'unit' | 'county' | 'screen';
export const ROLES: Role[] = ['admin', 'province', 'unit', 'county', 'screen'];
export const USER_ROLES: Role[] = ['admin', 'province', 'unit', 'county'];

export interface Principal {
  username: string;
  role: Role;
  /** The root of the scope: 220000 for admin/province, a unit or county code otherwise. */
  regionCode: string;
  displayName: string;
  /** Session CSRF token (cookie sessions only). */
  csrf?: string;
  /** For screen tokens: the token's id. */
  tokenId?: string;
  /** Signed in with a one-time initial password: every route but changing it (and me, logout) answers 403. */
  mustChangePassword?: boolean;
}

export class Scope {
  readonly all: boolean;
  /** County-level codes inside the scope. */
  readonly counties: ReadonlySet<string>;

  constructor(readonly principal: Principal) {
    this.all = principal.regionCode === PROVINCE_CODE;
    this.counties = new Set(this.all ? countiesUnder(PROVINCE_CODE) : countiesUnder(principal.regionCode));
  }

  /** What the scope's visibility depends on (its root): equal keys see exactly the same regions. */
  get key(): string {
    return this.principal.regionCode;
  }

  get root(): Region {
    return REGION_BY_CODE.get(this.principal.regionCode)!;
  }

  /** A region is visible when it is the scope root, above it on the path to the root (no: only at/below), or below it. */
  canSee(code: string): boolean {
    if (this.all) return REGION_BY_CODE.has(code);
    const r = REGION_BY_CODE.get(code);
    if (!r) return false;
    if (r.level === 'province') return false;
    if (r.level === 'unit') return countiesUnder(code).every((c) => this.counties.has(c));
    return this.counties.has(code);
  }

  assertCanSee(code: string): void {
    if (!this.canSee(code)) throw new ForbiddenException(`无权查看地区 ${code} / region ${code} is outside your scope`);
  }

  /** Regions the principal may open (for menus: the UI never offers what the user cannot open). */
  visibleRegions(): Region[] {
    return REGIONS.filter((r) => this.canSee(r.code));
  }

  /** Typed query parameters for repository filters. */
  params(): { scopeAll: number; scopeCounties: string[] } {
    return { scopeAll: this.all ? 1 : 0, scopeCounties: this.all ? [] : [...this.counties] };
  }

  get personalData(): boolean {
    return this.principal.role !== 'screen';
  }
}
