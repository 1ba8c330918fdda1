import { describe, expect, it } from 'vitest';
import { DataEvents } from '../../backend/src/common/data-events';

describe('DataEvents', () => {
  it('settled() waits for the work listeners started for the events, including work started meanwhile', async () => {
    const events = new DataEvents();
    const done: string[] = [];
    events.subscribe((e) => {
      if (e.type !== 'snapshot-ready') return;
      events.hold(
        new Promise<void>((r) => setTimeout(r, 30)).then(() => {
          done.push('build');
          // Work started by the work itself is waited for too.
          events.hold(new Promise<void>((r) => setTimeout(r, 10)).then(() => void done.push('after')));
        }),
      );
    });
    await events.settled(); // nothing held: at once
    events.emit({ type: 'data-loaded', inserted: 1 });
    events.emit({ type: 'snapshot-ready', asOf: '2022-07-31', computedAt: '2022-08-01T00:00:00Z' });
    expect(done).toEqual([]);
    await events.settled();
    expect(done).toEqual(['build', 'after']);
  });
});
