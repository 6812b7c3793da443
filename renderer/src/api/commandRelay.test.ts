import { describe, expect, it } from 'vitest';
import { createRelay } from './commandRelay';

describe('createRelay', () => {
  it('keeps what arrives before anyone listens, hands it over in order, then delivers live', () => {
    const relay = createRelay<string>();
    relay.push('a');
    relay.push('b');
    const got: string[] = [];
    const off = relay.listen((v) => got.push(v));
    relay.push('c');
    expect(got).toEqual(['a', 'b', 'c']);
    off();
    relay.push('d');
    expect(got).toEqual(['a', 'b', 'c']);
    // A listener that comes back (React remounting) gets what came in between.
    relay.listen((v) => got.push(v));
    expect(got).toEqual(['a', 'b', 'c', 'd']);
  });
});
