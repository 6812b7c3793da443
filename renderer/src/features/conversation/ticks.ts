import type { Message, MessageStatus } from '../../../../shared/ipc/schemas';
import { dateTime } from '../ui/dates';

export type TickIcon = 'clock' | 'one' | 'two' | 'failed' | 'scheduled' | 'warning';

export interface Tick {
  icon: TickIcon;
  /** What the tick means, honestly, for the tooltip and screen readers. */
  label: string;
}

export interface TickDetail {
  /** MMS and group messages: Bandwidth's "delivered" only means handed to the carrier (REFERENCE.md §4, §9.6). */
  carrierOnly: boolean;
  errorCode: number | null;
  sendAt: number | null;
  /** Recipients whose copy failed, of how many. */
  failed: number;
  total: number;
}

/** What Bandwidth's "delivered" means for MMS and group messages: the one wording for the tick and the recipient list. */
export const CARRIER_ONLY_MEANING = 'Handed to the carrier. MMS and group messages get no handset receipt, so this does not prove the phone received it.';

const STATUS_WORDS: Record<MessageStatus, string> = {
  scheduled: 'Scheduled',
  queued: 'Queued',
  sending: 'Sending',
  accepted: 'Accepted',
  sent: 'Sent',
  'no-receipt': 'No receipt',
  delivered: 'Delivered',
  failed: 'Failed',
  received: 'Received',
};

/** One recipient's status in a word or two, as honest as the tick: "delivered" may only mean handed to the carrier. */
export const statusWord = (status: MessageStatus, carrierOnly: boolean) => (status === 'delivered' && carrierOnly ? 'Handed to the carrier' : STATUS_WORDS[status]);

const counted = (reached: number, total: number, failed: number, carrierOnly: boolean) =>
  `${reached} of ${total} ${carrierOnly ? 'handed to the carrier' : 'delivered'}${failed > 0 ? `, ${failed} failed` : ''}`;

/** The line under a group message: how many copies went as far as Bandwidth can tell, and how many failed. */
export const deliveriesSummary = (message: Message) =>
  counted(
    message.deliveries.filter((d) => d.status === 'delivered').length,
    message.deliveries.length,
    message.deliveries.filter((d) => d.status === 'failed').length,
    carrierOnlyReceipt(message),
  );

export function statusTick(status: MessageStatus, d: TickDetail): Tick | null {
  switch (status) {
    case 'scheduled':
      return { icon: 'scheduled', label: d.sendAt ? `Scheduled for ${dateTime(d.sendAt)}` : 'Scheduled' };
    case 'queued':
      return { icon: 'clock', label: 'Waiting in the send queue' };
    case 'sending':
      return { icon: 'clock', label: 'Sending…' };
    case 'accepted':
      return { icon: 'one', label: 'Accepted by Bandwidth, not yet confirmed by the carrier' };
    case 'sent':
      return { icon: 'one', label: 'Sent to the carrier, waiting for a delivery receipt' };
    case 'delivered':
      if (d.failed > 0) return { icon: 'warning', label: counted(d.total - d.failed, d.total, d.failed, d.carrierOnly) };
      return d.carrierOnly
        ? { icon: 'two', label: CARRIER_ONLY_MEANING }
        : { icon: 'two', label: 'Delivered to the phone' };
    case 'failed':
      return { icon: 'failed', label: d.errorCode ? `Not delivered (error ${d.errorCode})` : 'Not delivered' };
    case 'no-receipt':
      return { icon: 'warning', label: 'No delivery receipt came in time: it may or may not have arrived' };
    case 'received':
      return null;
  }
}

export const carrierOnlyReceipt = (message: Message) => message.attachments.length > 0 || message.to.length > 1;

/** The tick on an outbound bubble; null for inbound messages. */
export function tickFor(message: Message): Tick | null {
  if (message.direction === 'in') return null;
  return statusTick(message.status, {
    carrierOnly: carrierOnlyReceipt(message),
    errorCode: message.errorCode,
    sendAt: message.sendAt,
    failed: message.deliveries.filter((d) => d.status === 'failed').length,
    total: message.deliveries.length,
  });
}
