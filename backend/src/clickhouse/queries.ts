// Named query files (sql/queries/*.sql), loaded once. A file may embed
// another with a /*name*/ marker; values always travel as typed parameters.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../config/paths';

const cache = new Map<string, string>();

export function loadQuery(name: string): string {
  let sql = cache.get(name);
  if (sql === undefined) {
    const file = path.join(repoRoot(), 'sql', 'queries', `${name}.sql`);
    sql = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => !/^\s*--/.test(l))
      .join('\n')
      .trim()
      .replace(/;\s*$/, '');
    sql = sql.replace(/\/\*([a-z_]+)\*\//g, (_m, inner: string) => loadQuery(inner === 'paths' ? 'region_paths' : inner === 'milestones' ? 'person_milestones' : inner));
    cache.set(name, sql);
  }
  return sql;
}
