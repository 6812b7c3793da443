import type { Settings } from '../../../../shared/ipc/schemas';
import { z } from 'zod';
import { NO_RECEIPT_AFTER_MS, settings as settingsSchema } from '../../../../shared/ipc/schemas';
import type { Db } from '../store/database';
import { getSetting, setSetting } from '../store/settings';

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  quietHours: { enabled: false, start: '21:00', end: '08:00' },
  autoReplies: {
    enabled: true,
    stop: 'You have been unsubscribed and will not receive more messages from this number. Reply START to resubscribe.',
    start: 'You are subscribed again. Reply STOP to unsubscribe, HELP for help.',
    help: 'This is our support line. Reply STOP to unsubscribe.',
  },
  quickReplies: [
    { id: 'greeting', title: 'Greeting', body: 'Hi {name}, thanks for reaching out! How can I help?' },
    { id: 'followup', title: 'Follow-up', body: 'Hi {name}, following up on {topic}. Let me know if you have questions.' },
  ],
  noReceiptAfterMs: 2 * 60 * 60_000,
  notifications: true,
};

const KEY = 'app';

/**
 * As stored: a no-receipt delay saved before its range was enforced (any positive number was taken) is brought into
 * the range rather than refused, which would make every setting unreadable.
 */
const stored = z.preprocess((value) => {
  const delay = (value as { noReceiptAfterMs?: unknown } | null)?.noReceiptAfterMs;
  if (typeof delay !== 'number') return value;
  return { ...(value as object), noReceiptAfterMs: Math.min(NO_RECEIPT_AFTER_MS.max, Math.max(NO_RECEIPT_AFTER_MS.min, Math.round(delay))) };
}, settingsSchema);

/** The app's settings; a corrupt stored value is reported, never silently replaced. */
export function readSettings(db: Db): Settings {
  return getSetting(db, KEY, stored) ?? DEFAULT_SETTINGS;
}

export function updateSettings(db: Db, patch: Partial<Settings>): Settings {
  return setSetting(db, KEY, settingsSchema, { ...readSettings(db), ...patch });
}
