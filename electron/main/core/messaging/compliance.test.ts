import { describe, expect, it } from 'vitest';
import { quietHoursRelease, zonesOf } from './compliance';

describe('quiet hours', () => {
  const quiet = { enabled: true, start: '21:00', end: '08:00' };
  // 2026-11-26 03:00 UTC = 22:00 in New York (EST), 19:00 in Los Angeles.
  const at = Date.UTC(2026, 10, 26, 3, 0);

  it('places numbers by area code', async () => {
    expect(await zonesOf('+19195551234')).toEqual(['America/New_York']);
    expect(await zonesOf('+14155551234')).toEqual(['America/Los_Angeles']);
    expect(await zonesOf('+18005551234')).toEqual([]);
  });

  it('holds a send to a recipient in quiet hours until 08:00 their time', async () => {
    const result = await quietHoursRelease(['+19195551234'], at, quiet);
    expect(result.zone).toBe('America/New_York');
    expect(result.releaseAt).toBe(Date.UTC(2026, 10, 26, 13, 0));
  });

  it('lets it go when the recipient is outside quiet hours, when off, or when the number cannot be placed', async () => {
    expect(await quietHoursRelease(['+14155551234'], at, quiet)).toEqual({ releaseAt: at, zone: null });
    expect(await quietHoursRelease(['+19195551234'], at, { ...quiet, enabled: false })).toEqual({ releaseAt: at, zone: null });
    expect(await quietHoursRelease(['+18005551234'], at, quiet)).toEqual({ releaseAt: at, zone: null });
  });

  it('waits for every recipient of a group', async () => {
    // 13:00 UTC: 08:00 in New York (allowed), 05:00 in Los Angeles (quiet until 16:00 UTC).
    const morning = Date.UTC(2026, 10, 26, 13, 0);
    const result = await quietHoursRelease(['+19195551234', '+14155551234'], morning, quiet);
    expect(result).toEqual({ releaseAt: Date.UTC(2026, 10, 26, 16, 0), zone: 'America/Los_Angeles' });
  });

  it('handles a window that does not wrap midnight', async () => {
    const lunch = { enabled: true, start: '12:00', end: '13:00' };
    const noonNy = Date.UTC(2026, 10, 26, 17, 30);
    expect((await quietHoursRelease(['+19195551234'], noonNy, lunch)).releaseAt).toBe(Date.UTC(2026, 10, 26, 18, 0));
  });
});
