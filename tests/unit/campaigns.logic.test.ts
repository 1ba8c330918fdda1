// Which campaign year a request, a file or a day belongs to, "the same campaign
// day last year", and a configuration of several years (issue 18).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../backend/src/config/config';
import {
  CampaignChoiceError, campaignOfDay, campaignOfDays, campaignOfRequest, previousCampaign, sameCampaignDay,
} from '../../backend/src/campaigns/campaigns.logic';
import { campaignConfigFor, campaignsFrom, configuredCampaigns } from '../../backend/src/metrics/campaign.config';
import { shiftDemoText } from '../../backend/src/demo/demo.year';

const LIST = [
  { year: 2021, start: '2021-07-01', end: '2021-12-31' },
  { year: 2022, start: '2022-07-01', end: '2022-12-31' },
  { year: 2023, start: '2023-06-15', end: '2023-12-31' },
];
const q = (s: string) => new URLSearchParams(s);

describe('the campaign of a request', () => {
  it('is the named year, else the one whose window holds asOf, else the one holding today, else the latest', () => {
    expect(campaignOfRequest(LIST, q('campaign=2021&asOf=2022-09-30'), '2022-09-30').year).toBe(2021);
    expect(campaignOfRequest(LIST, q('asOf=2021-07-01'), '2023-08-01').year).toBe(2021);
    expect(campaignOfRequest(LIST, q('asOf=2021-12-31'), '2023-08-01').year).toBe(2021);
    // A day in no window: today's campaign.
    expect(campaignOfRequest(LIST, q('asOf=2022-01-15'), '2022-08-01').year).toBe(2022);
    expect(campaignOfRequest(LIST, q(''), '2023-06-15').year).toBe(2023);
    expect(campaignOfRequest(LIST, q(''), '2022-12-31').year).toBe(2022);
    // Between campaigns and after the last: the latest.
    expect(campaignOfRequest(LIST, q(''), '2023-03-01').year).toBe(2023);
    expect(campaignOfRequest(LIST, q(''), '2026-12-07').year).toBe(2023);
    expect(campaignOfRequest(LIST, q('asOf=not-a-day'), '2021-08-01').year).toBe(2021);
  });

  it('refuses a year the install does not hold, a non-year and two years, naming the years there are', () => {
    const bad = (s: string) => {
      try {
        campaignOfRequest(LIST, q(s), '2022-09-30');
      } catch (e) {
        expect(e).toBeInstanceOf(CampaignChoiceError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad('campaign=2019')).toContain('没有 2019 年的攻坚行动（本系统有：2021、2022、2023）');
    expect(bad('campaign=22')).toContain('campaign 应为年份');
    expect(bad('campaign=')).toContain('campaign 应为年份');
    expect(bad('campaign=2021&campaign=2022')).toContain('只能给一个年份');
  });
});

describe('the campaign of a day, of a file\'s days, and the year before', () => {
  it('takes the window holding the day, else the latest', () => {
    expect(campaignOfDay(LIST, '2023-06-14').year).toBe(2023);
    expect(campaignOfDay(LIST, '2023-06-15').year).toBe(2023);
    expect(campaignOfDay(LIST, '2022-07-01').year).toBe(2022);
    expect(campaignOfDay(LIST, null).year).toBe(2023);
  });

  it('sends a file to the year most of its days fall in, none when no day falls in a window', () => {
    expect(campaignOfDays(LIST, ['2021-08-01', '2021-09-01', '2022-07-05'])?.year).toBe(2021);
    expect(campaignOfDays(LIST, ['2021-08-01', '2022-07-05', '2022-07-06'])?.year).toBe(2022);
    expect(campaignOfDays(LIST, ['2020-01-01', '2022-02-01'])).toBeNull();
    expect(campaignOfDays(LIST, [])).toBeNull();
  });

  it('finds the latest earlier year', () => {
    expect(previousCampaign(LIST, 2023)?.year).toBe(2022);
    expect(previousCampaign(LIST, 2021)).toBeNull();
    expect(previousCampaign([LIST[0]!, LIST[2]!], 2023)?.year).toBe(2021);
  });

  it('maps day N of a campaign to day N of another, clamped into its window', () => {
    expect(sameCampaignDay('2022-09-30', LIST[1]!, LIST[0]!)).toEqual({ asOf: '2021-09-30', day: 91 });
    expect(sameCampaignDay('2022-07-01', LIST[1]!, LIST[0]!)).toEqual({ asOf: '2021-07-01', day: 0 });
    // 2023 starts on 15 June: its day 16 (1 July) is 2022's day 16 (17 July).
    expect(sameCampaignDay('2023-07-01', LIST[2]!, LIST[1]!)).toEqual({ asOf: '2022-07-17', day: 16 });
    // Past the other window's end: its last day. Before the start: its first day.
    expect(sameCampaignDay('2023-12-31', LIST[2]!, LIST[1]!)).toEqual({ asOf: '2022-12-31', day: 199 });
    expect(sameCampaignDay('2023-06-01', LIST[2]!, LIST[1]!)).toEqual({ asOf: '2022-07-01', day: -14 });
  });
});

describe('a configuration of several campaign years', () => {
  it('starts each entry from the entry before it moved to its own year', () => {
    const [a, b, c] = campaignsFrom({ campaigns: [{ year: 2022, helpSlaHours: 12 }, { year: 2023, start: '2023-06-15' }, { year: 2024 }] });
    expect([a!.year, a!.start, a!.helpSlaHours]).toEqual([2022, '2022-07-01', 12]);
    expect([b!.year, b!.start, b!.end, b!.helpSlaHours, b!.targets.contactRate.by]).toEqual([2023, '2023-06-15', '2023-12-31', 12, '2023-12-31']);
    expect([c!.year, c!.start, c!.helpSlaHours, c!.care.publicityDeadline]).toEqual([2024, '2024-06-15', 12, '2024-07-10']);
  });

  it('refuses an empty list, a year out of order and an entry without a year', () => {
    expect(() => campaignsFrom({ campaigns: [] })).toThrow(ConfigError);
    expect(() => campaignsFrom({ campaigns: [{ year: 2023 }, { year: 2022 }] })).toThrow(/oldest first/);
    expect(() => campaignsFrom({ campaigns: [{ helpSlaHours: 12 }] })).toThrow(/campaigns\[0\] needs a "year"/);
    expect(() => campaignsFrom({ campaigns: [{ year: 2022 }, { year: 2023, start: '2023-13-01' }] })).toThrow(/campaigns\[1\] \(2023\).*start must be a real date/);
  });

  it('gives a year without an entry the nearest earlier year\'s rules moved, or the first one\'s moved back', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'campaigns-cfg-')), 'c.json');
    fs.writeFileSync(file, JSON.stringify({ campaigns: [{ year: 2022, helpSlaHours: 12 }, { year: 2024, start: '2024-06-01', helpSlaHours: 6 }] }));
    const env = { CAMPAIGN_CONFIG: file };
    expect(configuredCampaigns(env).map((c) => c.year)).toEqual([2022, 2024]);
    expect(campaignConfigFor(2023, env)).toMatchObject({ year: 2023, start: '2023-07-01', end: '2023-12-31', helpSlaHours: 12 });
    expect(campaignConfigFor(2025, env)).toMatchObject({ year: 2025, start: '2025-06-01', helpSlaHours: 6 });
    expect(campaignConfigFor(2021, env)).toMatchObject({ year: 2021, start: '2021-07-01', helpSlaHours: 12 });
    expect(campaignConfigFor(2024, env).start).toBe('2024-06-01');
    // Without CAMPAIGN_CONFIG: the built-in 2022 rules, moved.
    expect(campaignConfigFor(2021, {})).toMatchObject({ year: 2021, start: '2021-07-01', end: '2021-12-31' });
  });
});

describe('the demo\'s other year', () => {
  it('moves dates, date-times, 年 labels and year cells, nothing else', () => {
    const csv = '身份证号,毕业年份,服务时间,名称\n220102200001011234,2022,2022-09-30 10:00:00,长春2022年9月招聘会\n220102200001011235,2019,2022-12-31,x\n';
    expect(shiftDemoText(csv, -1)).toBe('身份证号,毕业年份,服务时间,名称\n220102200001011234,2021,2021-09-30 10:00:00,长春2021年9月招聘会\n220102200001011235,2019,2021-12-31,x\n');
    expect(shiftDemoText('h\na\nb\nc\nd\n', 0, 2)).toBe('h\na\nc\n');
  });
});
