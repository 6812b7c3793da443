import { describe, expect, it, vi } from 'vitest';

const exposed = vi.hoisted(() => new Map<string, unknown>());
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: { invoke: vi.fn(), on: vi.fn() },
}));

describe('preload', () => {
  it('exposes exactly invoke and subscribe on window.switchboard', async () => {
    await import('./index');
    expect([...exposed.keys()]).toEqual(['switchboard']);
    const api = exposed.get('switchboard') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'subscribe']);
    expect(typeof api.invoke).toBe('function');
    expect(typeof api.subscribe).toBe('function');
  });
});
