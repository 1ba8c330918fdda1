import * as os from 'node:os';
import { describe, expect, it } from 'vitest';
import { holderDied } from '../../backend/src/jobs/job-lease.service';

describe('a jobs lease left by a process that is gone', () => {
  it('is free at once when its holder was a process on this host that no longer runs', () => {
    // Beyond Linux's largest pid: no such process.
    expect(holderDied(`${os.hostname()}:2147483000:abc123`)).toBe(true);
  });

  it('is not free while the holder runs, when it is this process, or when it is on another host', () => {
    expect(holderDied(`${os.hostname()}:${process.ppid}:abc123`)).toBe(false);
    expect(holderDied(`${os.hostname()}:${process.pid}:abc123`)).toBe(false);
    expect(holderDied(`not-${os.hostname()}:2147483000:abc123`)).toBe(false);
    expect(holderDied('garbage')).toBe(false);
  });
});
