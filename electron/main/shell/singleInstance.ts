import type { App } from 'electron';

export interface LaunchRequests {
  /** Receives every launch's arguments: this one first, then each later launch's, in order. */
  onLaunch(handler: (argv: readonly string[]) => void): void;
}

/**
 * Takes the single-instance lock (call before `ready`). A second launch, or macOS opening an sms: link
 * ('open-url'), hands its arguments over to this instance; they are held until the shell is ready for them.
 * Returns null when another instance holds the lock: that instance has our arguments, so this one should quit.
 */
export function claimSingleInstance(app: Pick<App, 'requestSingleInstanceLock' | 'on'>, argv: readonly string[]): LaunchRequests | null {
  if (!app.requestSingleInstanceLock()) return null;
  const pending: (readonly string[])[] = [argv];
  let deliver: ((argv: readonly string[]) => void) | null = null;
  const receive = (args: readonly string[]) => (deliver ? deliver(args) : pending.push(args));
  app.on('second-instance', (_event, args) => receive(args));
  app.on('open-url', (event, url) => {
    event.preventDefault();
    receive([url]);
  });
  return {
    onLaunch(handler) {
      deliver = handler;
      pending.splice(0).forEach(handler);
    },
  };
}
