import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError, SchemaError } from '../../../../shared/ipc/errors';
import { BANDWIDTH_DEFAULTS, loadAccountFile, parseAccountConfig } from './account';

const valid = {
  accountId: '9900000',
  applicationId: '93de2206-9669-4e07-948d-329f4b722ee2',
  auth: { type: 'oauth2', clientId: 'id', clientSecret: 'secret' },
  numbers: [{ number: '(919) 555-0100', class: '10dlc', mps: 50 }],
  accountMps: 100,
};

describe('account config', () => {
  it('fills in Bandwidth’s URLs and normalises numbers to E.164', () => {
    const account = parseAccountConfig(valid);
    expect(account.baseUrl).toBe(BANDWIDTH_DEFAULTS.baseUrl);
    expect(account.tokenUrl).toBe(BANDWIDTH_DEFAULTS.tokenUrl);
    expect(account.dashboardUrl).toBe(BANDWIDTH_DEFAULTS.dashboardUrl);
    expect(account.numbers).toEqual([{ number: '+19195550100', class: '10dlc', mps: 50 }]);
  });

  it('keeps configured URLs, without a trailing slash, and accepts Basic auth', () => {
    const account = parseAccountConfig({ ...valid, auth: { type: 'basic', username: 'u', password: 'p' }, baseUrl: 'http://127.0.0.1:4000/api/v2/' });
    expect(account.baseUrl).toBe('http://127.0.0.1:4000/api/v2');
    expect(account.auth).toEqual({ type: 'basic', username: 'u', password: 'p' });
  });

  it('names every bad field', () => {
    const bad = { ...valid, auth: { type: 'oauth2', clientId: 'id', clientSecret: '' }, numbers: [{ number: '12', class: 'landline' }], tokenUrl: 'ftp://x' };
    let error: unknown;
    try {
      parseAccountConfig(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchemaError);
    const paths = (error as SchemaError).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['auth.clientSecret', 'numbers.0.number', 'numbers.0.class', 'tokenUrl']));
  });

  describe('files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-account-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('loads a good file', async () => {
      const file = join(dir, 'good.json');
      writeFileSync(file, JSON.stringify(valid));
      expect((await loadAccountFile(file)).accountId).toBe('9900000');
    });

    it('says which file is corrupt, missing or wrong', async () => {
      const corrupt = join(dir, 'corrupt.json');
      writeFileSync(corrupt, '{"accountId": "99",');
      await expect(loadAccountFile(corrupt)).rejects.toThrow(/corrupt\.json is not valid JSON/);
      await expect(loadAccountFile(join(dir, 'missing.json'))).rejects.toThrow(/Cannot read the account file .*missing\.json/);
      const wrong = join(dir, 'wrong.json');
      writeFileSync(wrong, JSON.stringify({ ...valid, accountId: 'abc' }));
      await expect(loadAccountFile(wrong)).rejects.toSatisfy((e: unknown) => e instanceof AppError && /wrong\.json: accountId: must be the numeric/.test(e.message));
    });
  });
});
