import { useState } from 'react';
import { formatPhone } from '../../../../shared/domain/phone';
import { useApi } from '../../api/context';
import { Dialog } from '../../components/Dialog';
import { useAccountStore } from '../account/accountStore';
import { parseRecipients } from '../threads/recipients';
import { useUiStore } from '../ui/uiStore';

/**
 * Sandbox only: a simulated customer texts one of our numbers, with generated pictures, and, with other customers
 * added, as a group. Lets a new user see inbound messages, MMS and groups without waiting for the personas.
 */
export function SimulateInboundDialog() {
  const api = useApi();
  const numbers = useAccountStore((s) => s.status?.numbers) ?? [];
  const [from, setFrom] = useState('(984) 555-0199');
  const [others, setOthers] = useState('');
  const [to, setTo] = useState(numbers[0]?.number ?? '');
  const [text, setText] = useState('Hi! Is my order ready for pickup?');
  const [images, setImages] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => useUiStore.getState().openDialog(null);

  const simulate = async () => {
    const [sender] = parseRecipients(from);
    const group = parseRecipients(others);
    const invalid = [sender, ...group].filter((r) => !r?.e164).map((r) => `"${r?.raw ?? ''}"`);
    if (!sender || invalid.length) return setError(`${invalid.join(', ') || 'The customer'} is not a valid phone number.`);
    if (!text.trim() && images === 0) return setError('Write a text or add a picture.');
    setBusy(true);
    try {
      await api.client.call('sandbox.simulateInbound', { from: sender.e164!, to: [to, ...group.map((r) => r.e164!)], text, images });
      close();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  return (
    <Dialog title="Simulate a customer text" onClose={close} className="simulate-inbound">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void simulate();
        }}
      >
        <h2>Simulate a customer text</h2>
        <p className="field-help">In the Sandbox, a made-up customer texts you. Nothing leaves this computer.</p>
        <label htmlFor="simulate-from">Customer</label>
        <input id="simulate-from" data-testid="simulate-from" autoFocus inputMode="tel" value={from} onChange={(e) => setFrom(e.target.value)} />
        <label htmlFor="simulate-to">To our number</label>
        <select id="simulate-to" value={to} onChange={(e) => setTo(e.target.value)}>
          {numbers.map((n) => (
            <option key={n.number} value={n.number}>
              {formatPhone(n.number)} · {n.class}
            </option>
          ))}
        </select>
        <label htmlFor="simulate-others">Also to (other customers, for a group)</label>
        <input id="simulate-others" data-testid="simulate-others" inputMode="tel" placeholder="(336) 555-0153, …" value={others} onChange={(e) => setOthers(e.target.value)} />
        <label htmlFor="simulate-text">Text</label>
        <textarea id="simulate-text" data-testid="simulate-text" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
        <label htmlFor="simulate-images">Pictures</label>
        <select id="simulate-images" data-testid="simulate-images" value={images} onChange={(e) => setImages(Number(e.target.value))}>
          {[0, 1, 2, 3].map((n) => (
            <option key={n} value={n}>
              {n === 0 ? 'None' : `${n} generated picture${n === 1 ? '' : 's'}`}
            </option>
          ))}
        </select>
        {error && (
          <p className="field-help danger" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !to} data-testid="simulate-send">
            Send as the customer
          </button>
        </div>
      </form>
    </Dialog>
  );
}
