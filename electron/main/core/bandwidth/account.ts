import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AppError, parse } from '../../../../shared/ipc/errors';
import { numberClass } from '../../../../shared/ipc/schemas';
import { phoneNumber } from '../../../../shared/domain/phone';

/** Bandwidth's production endpoints (REFERENCE.md §1); every one can be overridden to point at a proxy or the sandbox. */
export const BANDWIDTH_DEFAULTS = {
  baseUrl: 'https://messaging.bandwidth.com/api/v2',
  tokenUrl: 'https://api.bandwidth.com/api/v1/oauth2/token',
  dashboardUrl: 'https://dashboard.bandwidth.com/api',
} as const;

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  // A trailing slash would double up when paths are appended.
  .transform((url) => url.replace(/\/+$/, ''));

const secret = z.string().min(1, 'must not be empty');

export const accountAuth = z.discriminatedUnion('type', [
  z.object({ type: z.literal('oauth2'), clientId: secret, clientSecret: secret }),
  z.object({ type: z.literal('basic'), username: secret, password: secret }),
]);
export type AccountAuth = z.infer<typeof accountAuth>;

/** The `--account FILE` JSON of PRODUCT.md §3, also the shape Live settings are kept in. */
export const accountConfig = z.object({
  accountId: z.string().regex(/^\d+$/, 'must be the numeric Bandwidth account id'),
  applicationId: z.string().min(1, 'must not be empty'),
  auth: accountAuth,
  baseUrl: httpUrl.default(BANDWIDTH_DEFAULTS.baseUrl),
  tokenUrl: httpUrl.default(BANDWIDTH_DEFAULTS.tokenUrl),
  dashboardUrl: httpUrl.default(BANDWIDTH_DEFAULTS.dashboardUrl),
  numbers: z.array(z.object({ number: phoneNumber, class: numberClass, mps: z.number().positive().optional() })).default([]),
  accountMps: z.number().positive().optional(),
});
export type AccountConfig = z.output<typeof accountConfig>;

/** Parses an account config object; a SchemaError names every failing field ("auth.clientSecret: must not be empty"). */
export function parseAccountConfig(value: unknown, what = 'Account settings'): AccountConfig {
  return parse(accountConfig, value, what);
}

/** Reads and parses an account file; every failure (missing file, bad JSON, bad field) is an AppError naming the file. */
export async function loadAccountFile(path: string): Promise<AccountConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AppError('INVALID_INPUT', `Cannot read the account file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError('INVALID_INPUT', `The account file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseAccountConfig(json, `The account file ${path}`);
}
