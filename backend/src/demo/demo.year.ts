// The demo's other campaign year (issue 18): the generated 2022 files with
// every date moved by whole years, and a slightly slower year (every 12th
// service record left out), so year over year has something to show.
import * as fs from 'node:fs';
import type { RecordKind } from '../ledger/ledger.schema';

export const DEMO_YEAR = 2022;

export function shiftDemoText(text: string, years: number, dropEveryNthRow = 0): string {
  const to = String(DEMO_YEAR + years);
  let out = text
    .replace(/(?<!\d)2022(-\d{2}-\d{2})/g, `${to}$1`)
    .replace(/2022年/g, `${to}年`)
    // A cell that is the year alone (毕业年份).
    .replace(/(^|,)2022(?=,|\r?\n|$)/gm, `$1${to}`);
  if (dropEveryNthRow > 1) {
    const lines = out.split('\n');
    out = lines.filter((_, i) => i === 0 || i % dropEveryNthRow !== 0).join('\n');
  }
  return out;
}

/** Rewrites generated demo files in place for another campaign year. */
export function shiftDemoFiles(files: Array<{ path: string; kind: RecordKind }>, year: number): void {
  const years = year - DEMO_YEAR;
  if (years === 0) return;
  for (const f of files) {
    const text = fs.readFileSync(f.path, 'utf8');
    fs.writeFileSync(f.path, shiftDemoText(text, years, f.kind === 'service' ? 12 : 0));
  }
}
