// Route guards of the workbench (used in router.ts's beforeEnter): a region
// above the user's own scope (the province for a county user) opens the
// user's own region instead; any other region the user may not open is left
// to the page, which says 无权访问.
import type { RouteLocationNormalized, RouteLocationRaw } from 'vue-router';
import { canOpen, session } from '../session';
import { loadRegions, pathTo } from './regions';

export async function regionGuard(to: RouteLocationNormalized): Promise<true | RouteLocationRaw> {
  const me = session.me;
  const code = String(to.params.code ?? '');
  if (!me || canOpen(code) || code === me.regionCode) return true;
  try {
    const above = pathTo(await loadRegions(), me.regionCode).some((r) => r.code === code);
    if (above) return { path: `/r/${me.regionCode}`, query: to.query, replace: true };
  } catch {
    // Without the tree the page itself explains what went wrong.
  }
  return true;
}
