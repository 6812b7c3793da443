import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { linkParts, MessageText } from './MessageText';

const links = (text: string) => linkParts(text).filter((p) => p.href).map((p) => [p.text, p.href]);

describe('linkParts', () => {
  it('gives back the text exactly, links and all', () => {
    const texts = [
      'See https://example.com/track/7781. Thanks!',
      '  two  spaces,\nnew lines\n\tand www.shop.com/order?id=5 (and example.com/returns).  ',
      'no links at all',
      'jane@example.com and javascript:alert(1)',
      '',
    ];
    for (const text of texts) expect(linkParts(text).map((p) => p.text).join(''), text).toBe(text);
  });

  it('leaves a trailing period, comma or closing parenthesis out of the link', () => {
    expect(links('See https://example.com/track/7781.')).toEqual([['https://example.com/track/7781', 'https://example.com/track/7781']]);
    expect(links('(details at https://example.com/a), then')).toEqual([['https://example.com/a', 'https://example.com/a']]);
    // A parenthesis that belongs to the URL stays in it.
    expect(links('https://en.wikipedia.org/wiki/Foo_(bar).')).toEqual([['https://en.wikipedia.org/wiki/Foo_(bar)', 'https://en.wikipedia.org/wiki/Foo_(bar)']]);
  });

  it('links a domain written without a scheme over https, keeping the text as written', () => {
    expect(linkParts('Returns: example.com/returns')).toEqual([{ text: 'Returns: ' }, { text: 'example.com/returns', href: 'https://example.com/returns' }]);
    expect(links('www.shop.com/order?id=5')).toEqual([['www.shop.com/order?id=5', 'https://www.shop.com/order?id=5']]);
    // An explicit http:// is kept: that is what was written.
    expect(links('http://example.com/x')).toEqual([['http://example.com/x', 'http://example.com/x']]);
  });

  it('keeps emails, phone numbers, other schemes and credentials as text', () => {
    for (const text of [
      'Mail jane@example.com',
      'mailto:jane@example.com',
      'javascript:alert(1)',
      'javascript://example.com/%0aalert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'ftp://example.com/file',
      '//example.com/x',
      'Call (919) 555-0100 or +1 919 555 0100',
      'tel:+19195550100',
      'https://bank.example.com@evil.com/login',
      'version 1.2.3, i.e. later',
    ]) {
      expect(links(text), text).toEqual([]);
      expect(linkParts(text), text).toEqual([{ text }]);
    }
  });

  it('links a very long URL whole', () => {
    const url = `https://example.com/track/${'a1b2c3d4'.repeat(40)}?ref=${'x'.repeat(200)}`;
    expect(linkParts(`Track: ${url} ok`)).toEqual([{ text: 'Track: ' }, { text: url, href: url }, { text: ' ok' }]);
  });

  it('finds every link among several', () => {
    expect(links('a https://a.com b example.org/x c')).toEqual([
      ['https://a.com', 'https://a.com/'],
      ['example.org/x', 'https://example.org/x'],
    ]);
  });
});

describe('MessageText', () => {
  it('renders links as anchors that open in a new tab without an opener, and the rest as escaped text', () => {
    expect(renderToStaticMarkup(<MessageText text={'<b>hi</b> see example.com/x.'} />)).toBe(
      '&lt;b&gt;hi&lt;/b&gt; see <a href="https://example.com/x" target="_blank" rel="noopener noreferrer">example.com/x</a>.',
    );
    expect(renderToStaticMarkup(<MessageText text="javascript:alert(1)" />)).toBe('javascript:alert(1)');
  });
});
