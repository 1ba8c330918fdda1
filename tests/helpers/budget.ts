// Time budgets that follow the machine's load. A budget says how long a piece
// of real work (a child process opening the engine, a demo load, a walk of
// every region) may take on an idle 2-core machine; on a loaded one the same
// work takes proportionally longer, so the budget is scaled by how
// oversubscribed the cores are (1-minute load average ÷ cores, 1×…6×) at the
// moment it is asked for. It bounds how long a test waits, never what a test
// asserts about the product.
import * as os from 'node:os';

export function slowdown(): number {
  const forced = Number(process.env.TEST_SLOWDOWN);
  if (Number.isFinite(forced) && forced >= 1) return forced;
  const cores = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  return Math.min(6, Math.max(1, os.loadavg()[0]! / cores));
}

/** `ms` on an idle machine, scaled to the load now. */
export function budget(ms: number): number {
  return Math.round(ms * slowdown());
}
