// The login page's way back: the notice link's path and query, only on this site.
import { describe, expect, it } from 'vitest';
import { nextPath } from '../../../frontend/src/loginRedirect';

describe('nextPath', () => {
  it('keeps the path and the whole query of the page that sent the user to log in', () => {
    expect(nextPath('/alerts?rule=not_contacted&region=220102')).toBe('/alerts?rule=not_contacted&region=220102');
    expect(nextPath('/alerts?tab=dispatch&order=D20221207-f4b072')).toBe('/alerts?tab=dispatch&order=D20221207-f4b072');
    expect(nextPath('/r/220102/cases?asOf=2022-09-20&page=2#top')).toBe('/r/220102/cases?asOf=2022-09-20&page=2#top');
  });

  it('goes home for anything that is not a path on this site', () => {
    for (const bad of [undefined, null, '', 'alerts', 'https://evil.example/alerts', '//evil.example/alerts', '/\\evil.example', ['/alerts'], 42]) {
      expect(nextPath(bad), String(bad)).toBe('/');
    }
  });
});
