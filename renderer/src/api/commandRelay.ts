/**
 * Hands events to one listener that may subscribe late: what arrives while nobody listens waits and is handed
 * over first (an sms: link at launch is sent as soon as the page loads, which can be before React has mounted).
 */
export function createRelay<T>() {
  let waiting: T[] = [];
  let deliver: ((value: T) => void) | null = null;
  return {
    push(value: T): void {
      if (deliver) deliver(value);
      else waiting.push(value);
    },
    listen(listener: (value: T) => void): () => void {
      deliver = listener;
      const early = waiting;
      waiting = [];
      early.forEach(listener);
      return () => {
        if (deliver === listener) deliver = null;
      };
    },
  };
}
