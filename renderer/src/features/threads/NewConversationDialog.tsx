import { useEffect, useState } from 'react';
import { formatPhone } from '../../../../shared/domain/phone';
import type { RpcClient } from '../../../../shared/ipc/client';
import { useApi } from '../../api/context';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { useAccountStore } from '../account/accountStore';
import { useComposerStore } from '../composer/composerStore';
import { openThread } from '../conversation/openThread';
import { useUiStore } from '../ui/uiStore';
import { focusComposer } from './afterOpen';
import { addRecipients, formatAsTyped, parseRecipients, type Recipient } from './recipients';
import { useThreadsStore } from './threadsStore';

const MAX_RECIPIENTS = 10;

/** Saved contacts' names of these numbers (E.164), looked up once each: a chip shows who it is. */
function useContactNames(client: RpcClient, numbers: string[]): Record<string, string> {
  const [names, setNames] = useState<Record<string, string | null>>({});
  const wanted = numbers.filter((n) => !(n in names)).join(',');
  useEffect(() => {
    if (!wanted) return;
    for (const number of wanted.split(',')) {
      // contacts.list matches substrings; the exact number is picked out of its answer. No answer: no name.
      const found = (name: string | null) => setNames((known) => ({ ...known, [number]: name }));
      client.call('contacts.list', { query: number }).then(({ contacts }) => found(contacts.find((c) => c.number === number)?.name ?? null), () => found(null));
    }
  }, [client, wanted]);
  return Object.fromEntries(Object.entries(names).filter((e): e is [string, string] => e[1] !== null));
}

/** One or more numbers (validated and formatted as typed) and the sender number; opens the thread. */
export function NewConversationDialog() {
  const api = useApi();
  const prefill = useUiStore((s) => s.newConversation);
  const numbers = useAccountStore((s) => s.status?.numbers) ?? [];
  const [recipients, setRecipients] = useState<Recipient[]>(() => addRecipients([], parseRecipients((prefill?.to ?? []).join(','))).list);
  // A number typed again is not added twice: the chip it already has is pointed at instead.
  const [repeated, setRepeated] = useState<string | null>(null);
  const [typing, setTyping] = useState('');
  const [from, setFrom] = useState(() => useThreadsStore.getState().ourNumber ?? numbers[0]?.number ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => useUiStore.getState().openDialog(null);

  const pending = parseRecipients(typing);
  const { list: all, repeated: typedAgain } = addRecipients(recipients, pending);
  const names = useContactNames(api.client, all.flatMap((r) => (r.e164 ? [r.e164] : [])));
  const nameOf = (r: Recipient) => (r.e164 ? (names[r.e164] ?? formatPhone(r.e164)) : r.raw);
  const pointedAt = repeated ?? typedAgain[0]?.e164 ?? null;
  const invalid = all.filter((r) => !r.e164);
  const sender = from || numbers[0]?.number || '';
  // Said before the first message rather than learnt from a failure after it (REFERENCE.md: 4432, country not enabled).
  const abroad = all.flatMap((r) => (r.e164 && !r.e164.startsWith('+1') ? [r.e164] : []));

  // A separator (comma, semicolon, Enter) turns what was typed into chips; the rest stays formatted in the field,
  // unless it is several whole numbers pasted with spaces between them (formatted as one, they ran together).
  const commit = (text: string) => {
    const parts = text.split(/[,;\n]/);
    const last = parts.pop() ?? '';
    const several = parseRecipients(last);
    const done = addRecipients(recipients, [...parseRecipients(parts.join(',')), ...(several.length > 1 ? several : [])]);
    setRecipients(done.list);
    setRepeated(done.repeated.at(-1)?.e164 ?? null);
    setTyping(several.length > 1 ? '' : formatAsTyped(last.trimStart()));
  };

  const start = async () => {
    if (all.length === 0) return setError('Type at least one number.');
    if (invalid.length) return setError(`${invalid.map((r) => `"${r.raw}"`).join(', ')} ${invalid.length === 1 ? 'is' : 'are'} not a valid phone number.`);
    if (all.length > MAX_RECIPIENTS) return setError(`A group message takes at most ${MAX_RECIPIENTS} recipients.`);
    if (!sender) return setError('There is no number to send from yet.');
    setBusy(true);
    try {
      const { thread } = await api.client.call('threads.start', { from: sender, to: all.map((r) => r.e164!) });
      // Selected before it is placed: a thread nobody has written in yet is listed only while it is open.
      useThreadsStore.getState().select(thread.id);
      useThreadsStore.getState().upsert(thread);
      if (prefill?.text && !useComposerStore.getState().drafts[thread.id]) useComposerStore.getState().setDraft(thread.id, prefill.text);
      close();
      await openThread(api.client, thread.id, { thread });
      focusComposer();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  return (
    <Dialog title="New conversation" onClose={close} className="new-conversation">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <h2>New conversation</h2>
        <label htmlFor="recipient-input">To</label>
        <div className="recipient-field">
          <ul className="recipient-chips" aria-label="Recipients">
            {recipients.map((r, i) => (
              <li
                key={`${r.raw}-${i}`}
                className={`recipient-chip${r.e164 ? '' : ' invalid'}${r.e164 && r.e164 === pointedAt ? ' repeated' : ''}`}
                title={r.e164 && names[r.e164] ? formatPhone(r.e164) : undefined}
                data-testid="recipient-chip"
              >
                {nameOf(r)}
                <button type="button" className="icon-button" aria-label={`Remove ${nameOf(r)}`} onClick={() => setRecipients((list) => list.filter((_, j) => j !== i))}>
                  <Icon name="close" size={12} />
                </button>
              </li>
            ))}
          </ul>
          <input
            id="recipient-input"
            data-testid="recipient-input"
            autoFocus
            autoComplete="off"
            inputMode="tel"
            placeholder={recipients.length ? 'Add another number' : '(919) 555-0123, …'}
            value={typing}
            aria-invalid={pending.some((r) => !r.e164) && /\d{10}/.test(typing.replace(/\D/g, ''))}
            aria-describedby="recipient-help"
            onChange={(e) => {
              setError(null);
              setRepeated(null);
              commit(e.target.value);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Backspace' && !typing && recipients.length) setRecipients((r) => r.slice(0, -1));
            }}
          />
        </div>
        <p id="recipient-help" className={`field-help${error ? ' danger' : ''}`} role={error ? 'alert' : undefined} data-testid="recipient-feedback">
          {error ??
            (pointedAt
              ? `${names[pointedAt] ?? formatPhone(pointedAt)} is already in the list.`
              : pending[0]?.e164
                ? `${names[pending[0].e164] ? `${names[pending[0].e164]}, ` : ''}${formatPhone(pending[0].e164)} ✓`
                : 'Separate several numbers with commas for a group (up to 10).')}
        </p>
        {abroad.length > 0 && (
          <p className="field-help" data-testid="recipient-abroad">
            {abroad.map(formatPhone).join(', ')} {abroad.length === 1 ? 'is' : 'are'} outside the US and Canada: Bandwidth sends there only if your
            account has that country enabled (otherwise the message fails with error 4432).
          </p>
        )}
        <label htmlFor="sender-select">From</label>
        <select id="sender-select" data-testid="sender-select" value={sender} onChange={(e) => setFrom(e.target.value)}>
          {numbers.length === 0 && <option value="">No numbers yet</option>}
          {numbers.map((n) => (
            <option key={n.number} value={n.number}>
              {formatPhone(n.number)} · {n.class}
            </option>
          ))}
        </select>
        <div className="dialog-actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy} data-testid="start-conversation">
            Start conversation
          </button>
        </div>
      </form>
    </Dialog>
  );
}
