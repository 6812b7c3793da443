import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../../shared/ipc/schemas';
import { aMessage } from '../testing/fixtures';
import { clockTime } from '../features/ui/dates';
import { MessageBubble } from './MessageBubble';

const render = (message: Message) =>
  renderToStaticMarkup(
    <MessageBubble
      message={message}
      sender={null}
      names={{}}
      groupStart
      groupEnd
      highlighted={false}
      optedOut={false}
      actionError={undefined}
      onRetry={() => {}}
      onCancel={() => {}}
      onOpenImage={() => {}}
    />,
  );

const at = (h: number, mi: number) => new Date(2026, 10, 26, h, mi).getTime();
/** The bubble's corner: the visible time and its tooltip. */
const corner = (html: string) => {
  const match = /<time[^>]*title="([^"]*)"[^>]*>([^<]*)<\/time>/.exec(html);
  return { title: match?.[1], shown: match?.[2] };
};

describe('MessageBubble', () => {
  it('shows when a scheduled message went, and when it was scheduled in the tooltip', () => {
    const html = render(aMessage({ status: 'delivered', createdAt: at(12, 29), sendAt: at(12, 32) }));
    const { title, shown } = corner(html);
    expect(shown).toBe(clockTime(at(12, 32)));
    expect(title).toContain(`scheduled at ${clockTime(at(12, 29))}`);
    expect(html).toContain(`aria-label="You at ${clockTime(at(12, 32))}, scheduled at ${clockTime(at(12, 29))}"`);
  });

  it('shows when a waiting scheduled message will go, and a plain message when it was written', () => {
    expect(corner(render(aMessage({ status: 'scheduled', createdAt: at(12, 29), sendAt: at(12, 32) }))).shown).toMatch(/^Sends .*12:32/);
    const plain = corner(render(aMessage({ status: 'delivered', createdAt: at(12, 31) })));
    expect(plain.shown).toBe(clockTime(at(12, 31)));
    expect(plain.title).not.toContain('scheduled');
  });

  it('says a group copy was handed to the carrier, as the tick does, not that it was delivered', () => {
    const deliveries = [
      { recipient: '+19195551111', status: 'delivered' as const, errorCode: null, updatedAt: 1 },
      { recipient: '+19195552222', status: 'delivered' as const, errorCode: null, updatedAt: 1 },
    ];
    const html = render(aMessage({ status: 'delivered', to: deliveries.map((d) => d.recipient), deliveries }));
    expect(html).toMatch(/<summary title="Handed to the carrier[^"]*does not prove[^"]*">2 of 2 handed to the carrier<\/summary>/);
    expect(html.match(/>Handed to the carrier</g)).toHaveLength(2);
    expect(html).not.toMatch(/>Delivered</);
  });
});
