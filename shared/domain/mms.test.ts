import { describe, expect, it } from 'vitest';
import { mmsTooLarge } from './mms';

describe('mmsTooLarge', () => {
  it('names both sizes in the limit’s unit, with a full stop', () => {
    expect(mmsTooLarge(829 * 1024, 'toll-free')).toBe('The files add up to 829 KB; a message from a toll-free number may carry at most 525 KB.');
    expect(mmsTooLarge(4.1 * 1024 * 1024, 'local')).toBe('The files add up to 4.10 MB; a message from this number may carry at most 3.75 MB.');
  });
  it('is null when the files fit', () => {
    expect(mmsTooLarge(525 * 1024, 'toll-free')).toBeNull();
    expect(mmsTooLarge(3 * 1024 * 1024, '10dlc')).toBeNull();
  });
});
