/** The compliance keywords of PRODUCT.md §2.9, shared by the engine (which acts on them) and the window (which shows them). */
export type Keyword = 'opt-out' | 'opt-in' | 'help';

const KEYWORDS: Record<string, Keyword> = {
  STOP: 'opt-out',
  STOPALL: 'opt-out',
  UNSUBSCRIBE: 'opt-out',
  CANCEL: 'opt-out',
  END: 'opt-out',
  QUIT: 'opt-out',
  START: 'opt-in',
  UNSTOP: 'opt-in',
  YES: 'opt-in',
  HELP: 'help',
  INFO: 'help',
};

/**
 * The compliance keyword an inbound message is, if it is one: the whole message, case- and space-insensitive
 * ("stop", " Stop ", "S T O P"), with trailing punctuation allowed ("Stop."). "Please stop texting me" is not one.
 */
export function keywordOf(text: string): Keyword | null {
  const word = text.toUpperCase().replace(/\s+/g, '').replace(/[.!?]+$/, '');
  return Object.hasOwn(KEYWORDS, word) ? KEYWORDS[word]! : null;
}
