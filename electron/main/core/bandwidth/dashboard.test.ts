import { describe, expect, it } from 'vitest';
import { dashboardToE164, e164ToDashboard } from './dashboard';

describe('number forms at the Dashboard boundary', () => {
  it('turns 10-digit NANP numbers into E.164 and back', () => {
    expect(dashboardToE164('9195550100')).toBe('+19195550100');
    expect(dashboardToE164('+442071838750')).toBe('+442071838750');
    expect(dashboardToE164('123')).toBeNull();
    expect(e164ToDashboard('+19195550100')).toBe('9195550100');
    expect(e164ToDashboard('+442071838750')).toBe('442071838750');
  });
});
