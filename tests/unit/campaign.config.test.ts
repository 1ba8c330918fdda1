// The campaign year's configuration: another year from its year alone (every
// 2022 date moved), overrides field by field and target by target, and a
// configuration that makes no sense refused with what is wrong.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../backend/src/config/config';
import { campaignConfig, campaignConfigFrom, DEFAULT_CAMPAIGN, shiftYears } from '../../backend/src/metrics/campaign.config';

describe('campaign configuration', () => {
  it('moves a day by whole years, 29 February to the 28th in a common year', () => {
    expect(shiftYears('2022-07-01', 1)).toBe('2023-07-01');
    expect(shiftYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(shiftYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(shiftYears('2023-12-31', -1)).toBe('2022-12-31');
  });

  it('makes a whole 2023 campaign from { "year": 2023 }: every date of the 2022 rules a year on, the rest unchanged', () => {
    const c = campaignConfigFrom({ year: 2023 });
    expect([c.year, c.start, c.end]).toEqual([2023, '2023-07-01', '2023-12-31']);
    expect(c.targets).toEqual({
      contactRate: { value: 0.95, by: '2023-12-31' },
      rate1311: { value: 0.9, by: '2023-12-31' },
      employmentRate: { value: 0.9, by: '2023-12-31' },
      helpSlaRate: { value: 0.95 },
      hardshipOneOnOneRate: { value: 1 },
    });
    expect(c.care.publicityDeadline).toBe('2023-07-10');
    expect(c.rule1311).toEqual(DEFAULT_CAMPAIGN.rule1311);
    expect(c.helpSlaHours).toBe(24);
    // The built-in defaults themselves are not changed.
    expect([DEFAULT_CAMPAIGN.start, DEFAULT_CAMPAIGN.targets.rate1311.by]).toEqual(['2022-07-01', '2022-12-31']);
  });

  it('overrides a target key by key: a new value keeps its year\'s due date', () => {
    const c = campaignConfigFrom({ year: 2023, targets: { contactRate: { value: 0.98 } } as never, care: { defaultVisitDays: 14 } as never });
    expect(c.targets.contactRate).toEqual({ value: 0.98, by: '2023-12-31' });
    expect(c.targets.rate1311).toEqual({ value: 0.9, by: '2023-12-31' });
    expect(c.care).toMatchObject({ defaultVisitDays: 14, publicityDeadline: '2023-07-10', visitType: '跟踪回访' });
  });

  it('without a year, is the 2022 campaign with the fields given', () => {
    const c = campaignConfigFrom({ helpSlaHours: 12 });
    expect([c.year, c.start, c.helpSlaHours]).toEqual([2022, '2022-07-01', 12]);
  });

  it('refuses what makes no sense, naming every problem', () => {
    const bad = (o: unknown): string => {
      try {
        campaignConfigFrom(o as never);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad({ year: 2023, start: '2023-13-01' })).toContain('start must be a real date YYYY-MM-DD (got "2023-13-01")');
    expect(bad({ start: '2022-12-01', end: '2022-07-01' })).toContain('start 2022-12-01 is after end 2022-07-01');
    expect(bad({ rule1311: [{ type: '面试', min: 1 }] })).toContain('rule1311: 面试 is not a 服务类型');
    expect(bad({ rule1311: [{ type: '岗位推介', min: 0 }] })).toContain('rule1311: 岗位推介 needs a whole min of at least 1');
    expect(bad({ targets: { contactRate: { value: 95 } } })).toContain('targets.contactRate.value must be a share above 0 and at most 1');
    expect(bad({ year: 'next' })).toContain('year must be a whole year');
    const two = bad({ helpSlaHours: -1, end: 'soon' });
    expect(two).toContain('helpSlaHours must be a positive number');
    expect(two).toContain('end must be a real date');
    expect(bad([1, 2])).toContain('must be a JSON object');
  });
});

describe('campaignConfig (the one in force)', () => {
  it('reads CAMPAIGN_CONFIG again when the file changes, and is the 2022 campaign without it', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'campaign-cfg-')), 'campaign.json');
    fs.writeFileSync(file, JSON.stringify({ year: 2023 }));
    expect(campaignConfig({ CAMPAIGN_CONFIG: file }).start).toBe('2023-07-01');
    fs.writeFileSync(file, JSON.stringify({ year: 2024, helpSlaHours: 12 }));
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    expect([campaignConfig({ CAMPAIGN_CONFIG: file }).start, campaignConfig({ CAMPAIGN_CONFIG: file }).helpSlaHours]).toEqual(['2024-07-01', 12]);
    expect(campaignConfig({}).start).toBe('2022-07-01');
  });

  it('keeps the rules in force when the file is edited into nonsense while running, and says so once', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'campaign-cfg-')), 'campaign.json');
    fs.writeFileSync(file, JSON.stringify({ year: 2025 }));
    expect(campaignConfig({ CAMPAIGN_CONFIG: file }).start).toBe('2025-07-01');
    fs.writeFileSync(file, 'not json');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 10_000));
    const said: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => said.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      expect(campaignConfig({ CAMPAIGN_CONFIG: file }).start).toBe('2025-07-01');
      expect(campaignConfig({ CAMPAIGN_CONFIG: file }).start).toBe('2025-07-01');
    } finally {
      process.stderr.write = write;
    }
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/cannot be read as JSON .* the campaign rules in force stay until the file is fixed/);
    // Fixed: the new rules take effect.
    fs.writeFileSync(file, JSON.stringify({ year: 2026 }));
    fs.utimesSync(file, new Date(), new Date(Date.now() + 20_000));
    expect(campaignConfig({ CAMPAIGN_CONFIG: file }).start).toBe('2026-07-01');
  });
});
