import type { Db } from './database';

/**
 * Group commit: the writes that arrive in one turn of the event loop go into one transaction, so under load one
 * commit serves them all instead of one each. Each caller's promise settles only after the commit that holds its
 * write, and `after` (events, follow-ups) sees the results of each commit once. If a group fails, each write is
 * tried alone, so one bad write cannot fail the others.
 */
export function groupCommit<T, R>(db: Db, write: (item: T) => R, after: (results: R[]) => void): (item: T) => Promise<R> {
  type Entry = { item: T; resolve: (result: R) => void; reject: (error: unknown) => void };
  let pending: Entry[] = [];
  // Wrapped once: better-sqlite3 builds a new wrapper on every db.transaction() call.
  const writeGroup = db.transaction((group: Entry[]) => group.map((entry) => write(entry.item)));
  const writeOne = db.transaction(write);

  function flush(): void {
    const group = pending;
    pending = [];
    let results: R[];
    try {
      results = writeGroup(group);
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(error);
      results = [];
      for (const entry of group) {
        try {
          const result = writeOne(entry.item);
          results.push(result);
          entry.resolve(result);
        } catch (alone) {
          entry.reject(alone);
        }
      }
      after(results);
      return;
    }
    group.forEach((entry, index) => entry.resolve(results[index]!));
    after(results);
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ item, resolve, reject });
    });
}
