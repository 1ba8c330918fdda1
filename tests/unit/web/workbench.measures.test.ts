import { describe, expect, it } from 'vitest';
import { buildMeasureTrendOption, RECORD_COLUMNS, SECTIONS, yuan } from '../../../frontend/src/workbench/measures/measures';
import { zeroMeasureMetrics, type MeasureMetrics } from '../../../backend/src/measures/measures.types';

const m = (over: Partial<MeasureMetrics> = {}): MeasureMetrics => ({ ...zeroMeasureMetrics(), ...over });
const section = (id: string) => SECTIONS.find((s) => s.id === id)!;

describe('workbench measure sections', () => {
  it('has the three sections with their drills', () => {
    expect(SECTIONS.map((s) => [s.id, s.drill.map((d) => d.kind)])).toEqual([['centres', ['centre', 'stay']], ['posts', ['post']], ['policies', ['grant']]]);
  });

  it('formats money to the cent and rates as percentages, — without a denominator', () => {
    expect(yuan(306500.45)).toBe('306,500.45');
    expect(yuan('0.3')).toBe('0.30');
    const f = Object.fromEntries(section('centres').figures(m({ centres: 4, countyCentreRate: 4 / 72, centreExitWorkRate: null })).map((x) => [x.key, x]));
    expect(f.centres).toMatchObject({ value: '4', note: '县区覆盖率 5.6%' });
    expect(f.centreExitWorkRate!.value).toBe('—');
  });

  it('shows every post source and policy type, zeros included', () => {
    expect(section('posts').figures(m()).filter((x) => x.key.startsWith('src-'))).toHaveLength(7);
    const types = section('policies').figures(m({ policyByType: { ...zeroMeasureMetrics().policyByType, 创业担保贷款: { granted: 2, amount: 500000 } } }));
    expect(types.filter((x) => x.key.startsWith('type-'))).toHaveLength(9);
    expect(types.find((x) => x.key === 'type-创业担保贷款')).toMatchObject({ value: '2', note: '500,000.00 元' });
  });

  it('children columns read the metric object', () => {
    const cols = section('policies').columns;
    expect(cols.map((c) => c.value(m({ policyGranted: 5, policyAmount: 1234.5, policyOnlineRate: 0.6 })))).toEqual(['5', '0', '1,234.50', '0', '60.0%']);
  });

  it('record columns: a stay still in the centre, a pending grant', () => {
    const stay = RECORD_COLUMNS.stay.map((c) => c.value({
      id: 'S1', id_masked: '220102********0011', name: '张*明', centre_id: 'C01', centre_name: '朝阳区实训中心', county: '220102',
      entered: '2022-09-01', exit_date: '', exit_channel: '', allowance: '200.25',
    }));
    expect(stay).toEqual(['张*明', '220102********0011', '朝阳区实训中心', '2022-09-01', '在驻', '200.25']);
    const grant = RECORD_COLUMNS.grant.map((c) => c.value({
      id: 'Z3', id_masked: 'x', name: '', policy: '社会保险补贴', amount: '1234.56', applied: '2022-08-10', granted: '', channel: '', county: '220184', employer: '',
    }));
    expect(grant).toEqual(['—', 'x', '社会保险补贴', '1,234.56', '2022-08-10', '在办', '—']);
  });

  it('the trend has one line per series, a point per day', () => {
    const trend = [{ asOf: '2022-07-01', ...m({ centreResident: 1 }) }, { asOf: '2022-07-02', ...m({ centreResident: 3, centreExitsToWork: 1 }) }];
    const o = buildMeasureTrendOption(trend, section('centres').trend);
    const series = o.series as Array<{ id: string; data: number[] }>;
    expect(series.map((s) => s.id)).toEqual(['measure-centreResident', 'measure-centreExitsToWork']);
    expect(series[0]!.data).toEqual([1, 3]);
    expect((o.xAxis as { data: string[] }).data).toEqual(['07-01', '07-02']);
  });
});
