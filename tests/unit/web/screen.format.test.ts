import { describe, expect, it } from 'vitest';
import {
  dataTimeLabel, dayLabel, hhmmShanghai, int, pct, pointsDelta, shortDay, shortName, signed,
} from '../../../frontend/src/screen/options/format';

describe('wall formats', () => {
  it('shows rates as percentages with one decimal and a dash for no rate', () => {
    expect(pct(0.8883)).toBe('88.8%');
    expect(pct(1)).toBe('100.0%');
    expect(pct(0.95, 0)).toBe('95%');
    expect(pct(null)).toBe('—');
    expect(pct(Number.NaN)).toBe('—');
  });

  it('groups thousands', () => {
    expect(int(22000)).toBe('22,000');
    expect(int(0)).toBe('0');
    expect(int(null)).toBe('—');
  });

  it('gives changes in percentage points with a real minus sign', () => {
    expect(pointsDelta(0.888, 0.876)).toBe(1.2);
    expect(pointsDelta(0.5, null)).toBeNull();
    expect(signed(1.2, 1)).toBe('+1.2');
    expect(signed(-0.4, 1)).toBe('−0.4');
    expect(signed(0, 1)).toBe('0.0');
    expect(signed(1280)).toBe('+1,280');
  });

  it('writes the time in Asia/Shanghai whatever the browser zone', () => {
    expect(hhmmShanghai('2026-11-27T17:07:15.441Z')).toBe('01:07');
    expect(hhmmShanghai('2022-09-30T02:05:00Z')).toBe('10:05');
    expect(hhmmShanghai(null)).toBe('--:--');
    expect(hhmmShanghai('not a time')).toBe('--:--');
  });

  it('labels ledger times and days the way a Chinese wall reads them', () => {
    expect(dataTimeLabel('2022-12-31 20:59:48')).toBe('12-31 20:59');
    expect(dataTimeLabel(null)).toBe('暂无数据');
    expect(dayLabel('2022-12-31')).toBe('2022年12月31日 星期六');
    expect(dayLabel('2022-07-03')).toBe('2022年7月3日 星期日');
    expect(shortDay('2022-12-26')).toBe('12/26');
  });

  it('shortens long region names for tight spots', () => {
    expect(shortName('延边朝鲜族自治州')).toBe('延边州');
    expect(shortName('长白山管委会')).toBe('长白山');
    expect(shortName('长春净月高新技术产业开发区')).toBe('净月高新区');
    expect(shortName('长春经济技术开发区')).toBe('长春经开区');
    expect(shortName('吉林经济技术开发区')).toBe('吉林经开区');
    expect(shortName('公主岭市')).toBe('公主岭市');
  });
});
