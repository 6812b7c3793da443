import { describe, expect, it } from 'vitest';
import { MAX_STAGED_BYTES } from '../media/mediaFiles';
import { contentSecurityPolicy, createAppHandler } from './appHandler';

describe('createAppHandler uploads', () => {
  it('stops reading an upload once it passes the cap, and says which file', async () => {
    let staged = false;
    const handle = createAppHandler({
      rendererDir: '/nonexistent',
      dataDir: '/nonexistent',
      media: () => null,
      upload: async () => {
        staged = true;
        throw new Error('must not be called');
      },
      contentSecurityPolicy: contentSecurityPolicy(),
    });
    let pulled = 0;
    const chunk = new Uint8Array(1024 * 1024);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await handle(new Request('app://switchboard/upload', { method: 'POST', body, headers: { 'x-file-name': 'huge.mov' }, duplex: 'half' } as RequestInit));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { message: expect.stringContaining('huge.mov') } });
    expect(staged).toBe(false);
    // It read just past the cap, not the endless body.
    expect(pulled).toBeLessThan(MAX_STAGED_BYTES + 4 * chunk.length);
  });

  it('builds a CSP that adds only the given socket to connect-src', () => {
    expect(contentSecurityPolicy()).toContain("connect-src 'self';");
    expect(contentSecurityPolicy('ws://127.0.0.1:5170')).toContain("connect-src 'self' ws://127.0.0.1:5170;");
  });
});
