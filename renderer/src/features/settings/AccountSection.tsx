import { useState } from 'react';
import { NUMBER_CLASSES, type NumberClass } from '../../../../shared/ipc/schemas';
import { useApi } from '../../api/context';
import { useAccountStore } from '../account/accountStore';
import { useSettingsStore } from './settingsStore';
import { Feedback } from './Feedback';
import { isRate } from './validation';

interface Form {
  accountId: string;
  applicationId: string;
  authType: 'oauth2' | 'basic';
  id: string;
  secret: string;
  baseUrl: string;
  tokenUrl: string;
  dashboardUrl: string;
  numbers: string;
  accountMps: string;
}

/** "+19195550100 10dlc 50" per line → numbers with class and optional rate. */
export function parseNumberLines(text: string): { numbers: { number: string; class: NumberClass; mps?: number }[]; errors: string[] } {
  const numbers: { number: string; class: NumberClass; mps?: number }[] = [];
  const errors: string[] = [];
  text.split('\n').forEach((line, i) => {
    const [number, cls = 'local', mps] = line.trim().split(/[\s,]+/);
    if (!number) return;
    if (!NUMBER_CLASSES.includes(cls as NumberClass)) errors.push(`line ${i + 1}: class must be one of ${NUMBER_CLASSES.join(', ')}`);
    else if (mps !== undefined && !isRate(mps)) errors.push(`line ${i + 1}: the rate must be a positive number`);
    else numbers.push({ number, class: cls as NumberClass, ...(mps ? { mps: Number(mps) } : {}) });
  });
  return { numbers, errors };
}

export function AccountSection() {
  const api = useApi();
  const credentials = useSettingsStore((s) => s.credentials);
  const busy = useSettingsStore((s) => s.busy);
  const status = useAccountStore((s) => s.status);
  const [mode, setMode] = useState<'sandbox' | 'live'>(credentials?.mode ?? status?.mode ?? 'sandbox');
  const [form, setForm] = useState<Form>({
    accountId: credentials?.accountId ?? '',
    applicationId: status?.mode === 'live' ? status.applicationId : '',
    authType: credentials?.authType ?? 'oauth2',
    id: credentials?.clientIdOrUsername ?? '',
    secret: '',
    baseUrl: '',
    tokenUrl: '',
    dashboardUrl: '',
    numbers: status?.mode === 'live' ? status.numbers.map((n) => `${n.number} ${n.class} ${n.mps}`).join('\n') : '',
    accountMps: '',
  });
  const [invalid, setInvalid] = useState<string | null>(null);
  const field = (key: keyof Form) => ({ value: form[key], onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }) });

  const save = async () => {
    const { numbers, errors } = parseNumberLines(form.numbers);
    if (errors.length) return setInvalid(`Numbers: ${errors.join('; ')}`);
    if (form.accountMps && !isRate(form.accountMps)) return setInvalid('The account rate must be a positive number of messages per second, or empty.');
    if (!form.secret) return setInvalid(form.authType === 'oauth2' ? 'Type the client secret.' : 'Type the password.');
    setInvalid(null);
    const saved = await useSettingsStore.getState().setCredentials(api.client, {
      accountId: form.accountId,
      applicationId: form.applicationId,
      auth: form.authType === 'oauth2' ? { type: 'oauth2', clientId: form.id, clientSecret: form.secret } : { type: 'basic', username: form.id, password: form.secret },
      numbers,
      ...(form.baseUrl ? { baseUrl: form.baseUrl } : {}),
      ...(form.tokenUrl ? { tokenUrl: form.tokenUrl } : {}),
      ...(form.dashboardUrl ? { dashboardUrl: form.dashboardUrl } : {}),
      ...(form.accountMps ? { accountMps: Number(form.accountMps) } : {}),
    });
    // Secrets are write-only: once sent they are not kept in the page either.
    setForm((f) => ({ ...f, secret: '' }));
    if (saved) setMode('live');
  };

  return (
    <section aria-labelledby="account-heading">
      <h2 id="account-heading">Account</h2>
      <p className="muted" data-testid="credentials-status">
        {credentials?.mode === 'live'
          ? `Live account ${credentials.accountId ?? ''} with ${credentials.authType === 'oauth2' ? 'OAuth2 client' : 'API user'} ${credentials.clientIdOrUsername ?? ''}${credentials.checkedAt ? `, last checked ${new Date(credentials.checkedAt).toLocaleString()}` : ''}.`
          : 'Sandbox: a built-in Bandwidth simulator with simulated customers. Nothing leaves this computer.'}
        {credentials?.error && <span className="danger"> Last check failed: {credentials.error}</span>}
      </p>
      <div className="segmented" role="radiogroup" aria-label="Mode">
        {(['sandbox', 'live'] as const).map((m) => (
          <label key={m} className={mode === m ? 'active' : ''}>
            <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
            {m === 'sandbox' ? 'Sandbox' : 'Live'}
          </label>
        ))}
      </div>
      {mode === 'sandbox' ? (
        credentials?.mode === 'live' && (
          <div className="form-actions">
            <button type="button" onClick={() => void useSettingsStore.getState().clearCredentials(api.client)} disabled={busy}>
              Forget the Live credentials and use the Sandbox
            </button>
          </div>
        )
      ) : (
        <form
          className="form"
          autoComplete="off"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label className="field">
            <span>Account id</span>
            <input required {...field('accountId')} data-testid="account-id" />
          </label>
          <label className="field">
            <span>Messaging application id</span>
            <input required {...field('applicationId')} />
          </label>
          <label className="field">
            <span>Sign-in</span>
            <select value={form.authType} onChange={(e) => setForm({ ...form, authType: e.target.value as Form['authType'] })}>
              <option value="oauth2">OAuth2 client credentials (recommended)</option>
              <option value="basic">Legacy API user (stops working 2026-12-02)</option>
            </select>
          </label>
          <label className="field">
            <span>{form.authType === 'oauth2' ? 'Client id' : 'Username'}</span>
            <input required {...field('id')} />
          </label>
          <label className="field">
            <span>{form.authType === 'oauth2' ? 'Client secret' : 'Password'}</span>
            <input type="password" autoComplete="new-password" {...field('secret')} placeholder={credentials?.mode === 'live' ? 'Stored; type to replace' : ''} data-testid="credential-secret" />
          </label>
          <label className="field">
            <span>Numbers (one per line: number, class, optional messages per second)</span>
            <textarea rows={3} {...field('numbers')} placeholder="+19195550100 10dlc 50" />
          </label>
          <details>
            <summary>Base URLs and limits</summary>
            <label className="field">
              <span>Messaging API</span>
              <input type="url" {...field('baseUrl')} placeholder="https://messaging.bandwidth.com/api/v2" />
            </label>
            <label className="field">
              <span>OAuth2 token URL</span>
              <input type="url" {...field('tokenUrl')} placeholder="https://api.bandwidth.com/api/v1/oauth2/token" />
            </label>
            <label className="field">
              <span>Dashboard API</span>
              <input type="url" {...field('dashboardUrl')} placeholder="https://dashboard.bandwidth.com/api" />
            </label>
            <label className="field">
              <span>Account-wide messages per second</span>
              <input type="number" min="0" step="any" {...field('accountMps')} />
            </label>
          </details>
          {invalid && (
            <p className="danger" role="alert">
              {invalid}
            </p>
          )}
          <div className="form-actions">
            <button type="submit" className="primary" disabled={busy} data-testid="credentials-save">
              {busy ? 'Checking…' : 'Check and save'}
            </button>
          </div>
        </form>
      )}
      <Feedback section="account" />
    </section>
  );
}
