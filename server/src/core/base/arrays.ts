/**
 * Whether two lists hold the same objects in the same order (identity, not content): how
 * caches tell that what they were built from is unchanged (an unchanged file keeps its
 * objects, so a keystroke elsewhere leaves these lists equal).
 */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
