import { describe, expect, it } from 'vitest';
import { addDays, campaignInSearch, campaignOf, carriedQuery, daysBetween, withCampaign } from '../../../frontend/src/campaign/campaignQuery';
import { switchQuery } from '../../../frontend/src/campaign/campaigns';

describe('the campaign year in a page URL', () => {
  it('reads ?campaign=YEAR and nothing else', () => {
    expect(campaignOf('2021')).toBe(2021);
    expect(campaignOf(['2021', '2022'])).toBe(2021);
    for (const v of [undefined, null, '', '21', '2021a', 2021]) expect(campaignOf(v)).toBeNull();
    expect(campaignInSearch('?asOf=2022-09-30&campaign=2021')).toBe(2021);
    expect(campaignInSearch('?asOf=2022-09-30')).toBeNull();
  });
});

describe('withCampaign', () => {
  it('adds the chosen year to every API path', () => {
    expect(withCampaign('/api/metrics/220000', 2021)).toBe('/api/metrics/220000?campaign=2021');
    expect(withCampaign('/api/metrics/220000?asOf=2021-09-30', 2021)).toBe('/api/metrics/220000?asOf=2021-09-30&campaign=2021');
    expect(withCampaign('/api/cases/export.xlsx?county=220102#x', 2021)).toBe('/api/cases/export.xlsx?county=220102&campaign=2021#x');
  });

  it('leaves a path alone without a chosen year, outside the API, or naming its own year', () => {
    expect(withCampaign('/api/metrics/220000?asOf=2022-09-30', null)).toBe('/api/metrics/220000?asOf=2022-09-30');
    expect(withCampaign('/r/220000', 2021)).toBe('/r/220000');
    expect(withCampaign('/api/screen/220000?campaign=2020&asOf=2020-09-30', 2021)).toBe('/api/screen/220000?campaign=2020&asOf=2020-09-30');
  });

  it('does not scope the campaign list or signing in to a year', () => {
    expect(withCampaign('/api/campaigns', 2021)).toBe('/api/campaigns');
    expect(withCampaign('/api/auth/me', 2021)).toBe('/api/auth/me');
    // /api/campaign (the year's calendar) is per campaign.
    expect(withCampaign('/api/campaign', 2021)).toBe('/api/campaign?campaign=2021');
  });
});

describe('carriedQuery', () => {
  const push = { historyMove: false, dropping: false };

  it('keeps the chosen year through a link that names none', () => {
    expect(carriedQuery({ asOf: '2021-09-30' }, { campaign: '2021' }, push)).toEqual({ asOf: '2021-09-30', campaign: '2021' });
  });

  it('leaves a navigation that names a year, starts from none, drops it on purpose, or moves in history', () => {
    expect(carriedQuery({ campaign: '2022' }, { campaign: '2021' }, push)).toBeNull();
    expect(carriedQuery({}, {}, push)).toBeNull();
    expect(carriedQuery({}, { campaign: '2021' }, { historyMove: false, dropping: true })).toBeNull();
    expect(carriedQuery({}, { campaign: '2021' }, { historyMove: true, dropping: false })).toBeNull();
  });
});

describe('campaign days', () => {
  it('counts and moves calendar days', () => {
    expect(daysBetween('2021-07-01', '2021-07-31')).toBe(30);
    expect(daysBetween('2022-07-01', '2022-06-30')).toBe(-1);
    expect(addDays('2021-07-01', 92)).toBe('2021-10-01');
  });
});

describe('switchQuery', () => {
  it('drops the day and names the year, or drops the year for the current one', () => {
    expect(switchQuery({ asOf: '2022-09-30', sort: 'name' }, 2021, 2022)).toEqual({ sort: 'name', campaign: '2021' });
    expect(switchQuery({ asOf: '2021-09-30', campaign: '2021' }, 2022, 2022)).toEqual({});
  });
});
