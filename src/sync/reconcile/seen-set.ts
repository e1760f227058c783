/**
 * A set of Shopify GIDs kept small in memory (a run holds every GID of a kind it met: 50,000 orders,
 * 90,000 stock levels in the standard store). GIDs of the set's first type (`gid://shopify/Order/`)
 * ending in a number are kept as that number; any other GID is kept whole, so no two GIDs share a key.
 */
export class GidSet {
  private prefix: string | undefined;
  private readonly keys = new Set<number | string>();

  private key(gid: string): number | string {
    const cut = gid.lastIndexOf('/') + 1;
    const tail = gid.slice(cut);
    if (!/^[1-9]\d{0,14}$/.test(tail)) return gid;
    const prefix = gid.slice(0, cut);
    this.prefix ??= prefix;
    return prefix === this.prefix ? Number(tail) : gid;
  }

  add(gid: string): void {
    this.keys.add(this.key(gid));
  }

  has(gid: string): boolean {
    return this.keys.has(this.key(gid));
  }

  get size(): number {
    return this.keys.size;
  }
}

/** A set of (inventory item GID, location GID) pairs: per location, a `GidSet` of items. */
export class PairSet {
  private readonly byLocation = new Map<string, GidSet>();

  add(item: string, location: string): void {
    let items = this.byLocation.get(location);
    if (!items) this.byLocation.set(location, (items = new GidSet()));
    items.add(item);
  }

  has(item: string, location: string): boolean {
    return this.byLocation.get(location)?.has(item) ?? false;
  }
}
