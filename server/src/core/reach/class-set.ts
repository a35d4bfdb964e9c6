/**
 * A set of class ids: a sorted member list for iteration, with O(1) membership through a
 * bitmap for large sets and binary search for small ones. Most rule peer sets are small
 * (a few classes); a large one spans a few namespaces, whose classes have neighbouring ids,
 * so its bitmap covers its own range of ids (from its smallest member to its largest), not
 * the universe: 20,000 rules over 70,000 classes (a cluster dump) would otherwise hold
 * 175 MB of bitmaps.
 */
const BITMAP_THRESHOLD = 32;

export class ClassSet {
  private readonly bits: Uint32Array | undefined;
  /** The first id the bitmap covers (its smallest member). */
  private readonly base: number;

  /** `members` must be sorted ascending without duplicates. `universe`: the number of classes (ids are below it). */
  constructor(
    readonly members: readonly number[],
    universe: number,
  ) {
    this.base = members.length > 0 ? members[0] : 0;
    if (members.length > BITMAP_THRESHOLD) {
      const span = Math.min(universe, members[members.length - 1] + 1) - this.base;
      this.bits = new Uint32Array((span + 31) >>> 5);
      for (const m of members) {
        const k = m - this.base;
        this.bits[k >>> 5] |= 1 << (k & 31);
      }
    }
  }

  has(id: number): boolean {
    if (this.bits) {
      const k = id - this.base;
      return k >= 0 && k >>> 5 < this.bits.length && (this.bits[k >>> 5] & (1 << (k & 31))) !== 0;
    }
    const m = this.members;
    let lo = 0;
    let hi = m.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = m[mid];
      if (v === id) return true;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  get size(): number {
    return this.members.length;
  }
}
