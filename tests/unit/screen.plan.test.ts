import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN, parsePlan } from '../../backend/src/screen/screen.service';

describe('SCREEN_PLAN', () => {
  it('defaults to every scene when unset', () => {
    expect(parsePlan(undefined)).toEqual({ plan: DEFAULT_PLAN });
    expect(DEFAULT_PLAN.scenes.map((s) => s.id)).toEqual(['overview', 'units', 'lagging', 'focus', 'support', 'care']);
  });

  it('takes a full plan or just the scenes', () => {
    expect(parsePlan('{"scenes":[{"id":"overview","seconds":20},{"id":"lagging","seconds":10}],"pauseSeconds":30}')).toEqual({
      plan: { scenes: [{ id: 'overview', seconds: 20 }, { id: 'lagging', seconds: 10 }], pauseSeconds: 30 },
    });
    expect(parsePlan('[{"id":"units","seconds":15}]').plan).toEqual({ scenes: [{ id: 'units', seconds: 15 }], pauseSeconds: 60 });
  });

  it('falls back to the default, saying why, on anything invalid', () => {
    for (const bad of ['not json', '{}', '{"scenes":[]}', '[{"id":"map","seconds":10}]', '[{"id":"overview","seconds":2}]',
      '[{"id":"overview","seconds":12.5}]', '{"scenes":[{"id":"overview","seconds":10}],"pauseSeconds":0}', 'null']) {
      const r = parsePlan(bad);
      expect(r.plan).toBe(DEFAULT_PLAN);
      expect(r.error, bad).toMatch(/SCREEN_PLAN/);
    }
  });
});
