import { describe, expect, it } from 'vitest';
import { keywordOf } from './keywords';

describe('keywordOf', () => {
  it('recognises the STOP and START families and HELP, whole message only', () => {
    for (const text of ['STOP', 'stop', ' Stop ', 'S T O P', 'Stop.', 'stopall', 'Unsubscribe', 'cancel', 'END', 'quit!']) expect(keywordOf(text)).toBe('opt-out');
    for (const text of ['START', 'unstop', 'Yes']) expect(keywordOf(text)).toBe('opt-in');
    for (const text of ['HELP', 'info?']) expect(keywordOf(text)).toBe('help');
    for (const text of ['Please stop texting me', 'stop it', 'yes please', '', 'STOPPED']) expect(keywordOf(text)).toBeNull();
  });
});
