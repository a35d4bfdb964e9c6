import { editDistance } from './traffic';

/**
 * Whether `written` reads as a slip for `meant`, a label value some workload carries:
 * the same letters in another case, or one edit away (two from eight letters on), never
 * for values shorter than four letters, and never when the two differ only in digits
 * (`db-0` and `db-1`, `v1` and `v2` name different things on purpose).
 */
export function isLikelyTypo(written: string, meant: string): boolean {
  if (written === meant) return false;
  if (written.toLowerCase() === meant.toLowerCase()) return true;
  if (Math.min(written.length, meant.length) < 4) return false;
  if (written.replace(/[0-9]/g, '') === meant.replace(/[0-9]/g, '')) return false;
  const budget = Math.min(written.length, meant.length) >= 8 ? 2 : 1;
  return editDistance(written, meant) <= budget;
}

/** The values among `candidates` that `written` is likely a slip for, nearest first, then alphabetically. */
export function likelyMeant(written: string, candidates: Iterable<string>): string[] {
  const near = [...new Set(candidates)].filter((c) => isLikelyTypo(written, c));
  return near.sort((a, b) => editDistance(written, a) - editDistance(written, b) || (a < b ? -1 : a > b ? 1 : 0));
}
