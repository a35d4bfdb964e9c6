/**
 * A set of class ids: a sorted member list for iteration, with O(1) membership through a
 * bitmap for large sets and binary search for small ones. Most rule peer sets are small
 * (a few classes); a full bitmap each would cost universe/8 bytes per rule.
 */
const BITMAP_THRESHOLD = 32;

export class ClassSet {
  private readonly bits: Uint32Array | undefined;

  /** `members` must be sorted ascending without duplicates. */
  constructor(
    readonly members: readonly number[],
    universe: number,
  ) {
    if (members.length > BITMAP_THRESHOLD) {
      this.bits = new Uint32Array((universe + 31) >>> 5);
      for (const m of members) this.bits[m >>> 5] |= 1 << (m & 31);
    }
  }

  has(id: number): boolean {
    if (this.bits) return (this.bits[id >>> 5] & (1 << (id & 31))) !== 0;
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
