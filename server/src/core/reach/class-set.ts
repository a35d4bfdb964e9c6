/** A set of class ids: a member list for iteration plus a bitmap for O(1) membership. */
export class ClassSet {
  private readonly bits: Uint32Array;

  constructor(
    readonly members: readonly number[],
    universe: number,
  ) {
    this.bits = new Uint32Array((universe + 31) >>> 5);
    for (const m of members) this.bits[m >>> 5] |= 1 << (m & 31);
  }

  has(id: number): boolean {
    return (this.bits[id >>> 5] & (1 << (id & 31))) !== 0;
  }

  get size(): number {
    return this.members.length;
  }
}
