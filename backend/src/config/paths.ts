import * as fs from 'node:fs';
import * as path from 'node:path';

let root: string | null = null;

/** The repository root, found from this file whether it runs from source (tests) or from dist/. */
export function repoRoot(): string {
  if (root) return root;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'sql', 'migrations')) && fs.existsSync(path.join(dir, 'package.json'))) {
      root = dir;
      return dir;
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the project root (a folder with sql/migrations) above ${__dirname}`);
    dir = up;
  }
}
