import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../backend/src/housekeeping/housekeeping.types';
import { loadRetention } from '../../backend/src/housekeeping/housekeeping.settings';

describe('housekeeping settings and figures', () => {
  it('formats sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GB');
  });

  it('reads retention days from the environment; 0 keeps for ever; nonsense stops the start', () => {
    expect(loadRetention({})).toEqual({ outboxDays: 30, deliveriesDays: 90, stageDays: 1, reportsDays: 730, processedDays: 0 });
    expect(loadRetention({ RETAIN_OUTBOX_DAYS: '7', RETAIN_PROCESSED_DAYS: '0' })).toMatchObject({ outboxDays: 7, processedDays: 0 });
    expect(() => loadRetention({ RETAIN_REPORTS_DAYS: '-1' })).toThrow(/RETAIN_REPORTS_DAYS must be a whole number of days/);
    expect(() => loadRetention({ RETAIN_STAGE_DAYS: '1.5' })).toThrow(/RETAIN_STAGE_DAYS/);
  });
});
