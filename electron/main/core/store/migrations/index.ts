import m001 from './001_settings';

/** Numbered migrations, in order. A shipped migration is never edited: add a new one. */
export const migrations: readonly string[] = [m001];
