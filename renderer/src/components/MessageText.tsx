import { LinkifyIt } from 'linkify-it';

/**
 * Finds links in message text with linkify-it (markdown-it's linkifier: trailing punctuation, balanced parentheses,
 * links without a scheme such as example.com/x). It also finds emails, ftp: and scheme-relative //host links, which
 * hrefFor refuses. `urlAuth` makes "https://bank.com@evil.com" one match, refused whole, instead of a link made of
 * its misleading first half.
 */
const linkify = new LinkifyIt({ fuzzyLink: true, urlAuth: true });

/** A run of the message's text, exactly as written; `href` when it is a link. */
export interface TextPart {
  text: string;
  href?: string;
}

/**
 * The href for a match, or null for anything that must stay text. Only http(s): the Electron shell's guards
 * (electron/main/shell/security.ts) send only those to the system browser, so a mailto: link would be a dead
 * link on the desktop; and never credentials in the URL, which the guards refuse too.
 * A link written without a scheme gets https:// (linkify-it would add http://): the sender did not choose
 * plain HTTP, order links carry ids that should not travel in clear text, and nearly every site serves HTTPS.
 */
function hrefFor(schema: string, raw: string): string | null {
  let url: URL;
  try {
    url = new URL(schema === '' ? `https://${raw}` : raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username !== '' || url.password !== '') return null;
  return url.href;
}

/** Splits text into plain runs and links; joining the parts' text gives back the input exactly. */
export function linkParts(text: string): TextPart[] {
  const matches = linkify.test(text) ? linkify.match(text) : null;
  if (!matches) return [{ text }];
  const parts: TextPart[] = [];
  let at = 0;
  for (const m of matches) {
    const href = hrefFor(m.schema, m.raw);
    if (!href) continue; // stays in the plain run that follows
    if (m.index > at) parts.push({ text: text.slice(at, m.index) });
    parts.push({ text: m.raw, href });
    at = m.lastIndex;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}

/**
 * A message's text with its links clickable. React elements only (never innerHTML). target=_blank: in Electron the
 * window-open is denied and the URL handed to the system browser (shell/guards.ts); in a browser it is a new tab.
 */
export function MessageText({ text }: { text: string }) {
  return linkParts(text).map((part, i) =>
    part.href ? (
      <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
        {part.text}
      </a>
    ) : (
      part.text
    ),
  );
}
