import type { Db } from './database';

/**
 * Runs inside each group's transaction, after its writes, with the group's items: more writes to commit with them.
 * What it returns runs once that transaction has committed (never when it failed).
 */
export type GroupAlso<T> = (items: T[]) => () => void;

/**
 * Group commit: the writes that arrive in one turn of the event loop go into one transaction, so under load one
 * commit serves them all instead of one each. Each caller's promise settles only after the commit that holds its
 * write, and `after` (events, follow-ups) sees the results of each commit once, in commit order. `after` runs in the
 * next turn, once the callers have gone on: a callback is answered before the window is told, not after. If a group
 * fails, each write is tried alone (without `also`), so one bad write cannot fail the others.
 */
export function groupCommit<T, R>(db: Db, write: (item: T) => R, after: (results: R[]) => void, also?: GroupAlso<T>): (item: T) => Promise<R> {
  type Entry = { item: T; resolve: (result: R) => void; reject: (error: unknown) => void };
  let pending: Entry[] = [];
  // Wrapped once: better-sqlite3 builds a new wrapper on every db.transaction() call.
  const writeGroup = db.transaction((group: Entry[]) => {
    const results = group.map((entry) => write(entry.item));
    return { results, committed: also?.(group.map((entry) => entry.item)) };
  });
  const writeOne = db.transaction(write);
  // A group committed just before the database closed (the app stopping) has no one left to tell.
  const announce = (results: R[]) => setImmediate(() => db.open && after(results));

  function flush(): void {
    const group = pending;
    pending = [];
    let written: { results: R[]; committed: (() => void) | undefined };
    try {
      // IMMEDIATE: a write may read before it writes (see the send queue's claim).
      written = writeGroup.immediate(group);
    } catch (error) {
      if (group.length === 1 && !also) return group[0]!.reject(error);
      const results: R[] = [];
      for (const entry of group) {
        try {
          const result = writeOne.immediate(entry.item);
          results.push(result);
          entry.resolve(result);
        } catch (alone) {
          entry.reject(alone);
        }
      }
      announce(results);
      return;
    }
    written.committed?.();
    group.forEach((entry, index) => entry.resolve(written.results[index]!));
    announce(written.results);
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ item, resolve, reject });
    });
}
