// The days a file's records carry, to send a file named no campaign to the
// year whose window holds them (issue 18: a single-year file needs no flag).
import { parseFile } from '../ingest/parse';

const DAY = /^\d{4}-\d{2}-\d{2}/;

/** The record days (YYYY-MM-DD, of dates and date-times) of a file's first accepted rows. */
export async function recordDays(file: string, rows = 500): Promise<string[]> {
  const days: string[] = [];
  let seen = 0;
  try {
    for await (const batch of parseFile(file, { batchSize: 100 })) {
      for (const r of batch.accepted) {
        for (const v of Object.values(r.record as unknown as Record<string, unknown>)) {
          if (typeof v === 'string' && DAY.test(v)) days.push(v.slice(0, 10));
        }
        if (++seen >= rows) return days;
      }
    }
  } catch {
    // A file the parser refuses is refused again, with its reason, by the load itself.
  }
  return days;
}
