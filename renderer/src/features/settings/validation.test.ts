import { describe, expect, it } from 'vitest';
import { AppError, SchemaError } from '../../../../shared/ipc/errors';
import { isRate, noReceiptMinutes, plainError } from './validation';

describe('the no-receipt delay typed in minutes', () => {
  it('takes whole minutes from 1 to 7 days', () => {
    expect(noReceiptMinutes('1')).toEqual({ ms: 60_000 });
    expect(noReceiptMinutes(' 120 ')).toEqual({ ms: 7_200_000 });
    expect(noReceiptMinutes('10080')).toEqual({ ms: 604_800_000 });
  });

  it('refuses empty, zero, negative, fractional, huge and non-numbers, saying the range', () => {
    for (const text of ['', ' ', '0', '-5', '2.5', '10081', '99999999', 'abc', 'Infinity']) {
      expect(noReceiptMinutes(text), text).toEqual({ error: 'Enter a whole number of minutes from 1 to 10,080 (7 days).' });
    }
  });
});

describe('plainError', () => {
  it('drops the name of the method the core checked, and explains a refused number', () => {
    const refused = new SchemaError('contacts.upsert input', [{ path: 'number', message: '"12345" is not a valid phone number' }]);
    expect(plainError(refused)).toBe('12345 is not a phone number we can text. Enter a US or Canadian number, or +country code and number.');
    const range = new SchemaError('settings.update input', [{ path: 'noReceiptAfterMs', message: 'must be from 1 minute' }]);
    expect(plainError(range)).toBe('noReceiptAfterMs: must be from 1 minute');
    // As it comes over the wire: an AppError with the same text.
    expect(plainError(new AppError('INVALID_INPUT', refused.message))).toBe(plainError(refused));
  });

  it('leaves every other error as the core wrote it', () => {
    expect(plainError(new AppError('OPTED_OUT', 'x input: y'))).toBe('x input: y');
    expect(plainError(new Error('network down'))).toBe('network down');
    expect(plainError('text')).toBe('text');
  });
});

it('takes a sending rate that is a positive finite number', () => {
  expect(['1', '0.5', '50'].every(isRate)).toBe(true);
  expect(['0', '-1', 'abc', '1e999', ''].some(isRate)).toBe(false);
});
