import { describe, expect, it } from 'vitest';
import { fillTemplate, knownVariables, missingFields, templateFields } from './quickReplies';

describe('quick replies', () => {
  const known = knownVariables('Ada Lovelace', '(919) 555-1234', '(919) 555-0100');

  it('fills known variables and asks for blanks and unknown ones', () => {
    const body = 'Hi {first_name}, order {order} ships {} — {first_name}, reply to {our_number}.';
    const fields = templateFields(body, known);
    expect(fields.map((f) => [f.key, f.value])).toEqual([
      ['first_name', 'Ada'],
      ['order', ''],
      ['blank-1', ''],
      ['our_number', '(919) 555-0100'],
    ]);
    const values = Object.fromEntries(fields.map((f) => [f.key, f.value]));
    expect(missingFields(fields, values).map((f) => f.key)).toEqual(['order', 'blank-1']);
    expect(fillTemplate(body, { ...values, order: '#42', 'blank-1': 'today' })).toBe('Hi Ada, order #42 ships today — Ada, reply to (919) 555-0100.');
  });

  it('leaves {name} for the agent when the contact is unknown', () => {
    const fields = templateFields('Hello {name}', knownVariables(undefined, '(919) 555-1234', ''));
    expect(missingFields(fields, { name: '' })).toHaveLength(1);
  });
});
