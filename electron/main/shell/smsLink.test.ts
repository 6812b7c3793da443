import { describe, expect, it } from 'vitest';
import { findSmsLink, parseSmsLink } from './smsLink';

describe('parseSmsLink', () => {
  it('reads RFC 5724 links with several recipients and a body', () => {
    expect(parseSmsLink('sms:+19195551234,+19195554321?body=Hello%20there%2C%20friend')).toEqual({
      to: ['+19195551234', '+19195554321'],
      body: 'Hello there, friend',
    });
  });
  it('normalises numbers to E.164 and drops duplicates', () => {
    expect(parseSmsLink('sms:(919)%20555-1234,919-555-1234,+1%20919%20555%201234')?.to).toEqual(['+19195551234']);
  });
  it('reads the sms:// form, iOS ampersand bodies, upper-case schemes and recipient parameters', () => {
    expect(parseSmsLink('sms://+19195551234')).toEqual({ to: ['+19195551234'], body: '' });
    expect(parseSmsLink('sms:+19195551234&body=hi')).toEqual({ to: ['+19195551234'], body: 'hi' });
    expect(parseSmsLink('SMS:+19195551234;via=+15555550100?BODY=a%2Bb=c')).toEqual({ to: ['+19195551234'], body: 'a+b=c' });
  });
  it('keeps numbers it cannot normalise as written, for the recipient field to flag', () => {
    expect(parseSmsLink('sms:12,+19195551234')?.to).toEqual(['12', '+19195551234']);
  });
  it('accepts a link without recipients', () => {
    expect(parseSmsLink('sms:?body=Hi')).toEqual({ to: [], body: 'Hi' });
    expect(parseSmsLink('sms:')).toEqual({ to: [], body: '' });
  });
  it('caps recipients at 10 and the body at 2048 characters, and survives bad escapes', () => {
    const many = Array.from({ length: 12 }, (_, i) => `+1919555${String(1000 + i)}`).join(',');
    expect(parseSmsLink(`sms:${many}`)?.to).toHaveLength(10);
    expect(parseSmsLink(`sms:+19195551234?body=${'x'.repeat(3000)}`)?.body).toHaveLength(2048);
    expect(parseSmsLink('sms:+19195551234?body=100%')?.body).toBe('100%');
  });
  it('returns null for anything else', () => {
    for (const link of ['tel:+19195551234', 'https://example.com/?sms:+1', 'smsto:+19195551234', '', '--flag']) expect(parseSmsLink(link), link).toBeNull();
  });
});

describe('findSmsLink', () => {
  it('finds the link among launch arguments', () => {
    expect(findSmsLink(['/opt/Switchboard/switchboard', '--no-sandbox', 'sms:+19195551234'])?.to).toEqual(['+19195551234']);
    expect(findSmsLink(['/opt/Switchboard/switchboard', '.'])).toBeNull();
  });
});
