/**
 * What the chaos run did, in order: every edit it made on either side, as the side that took it names
 * the record (Shopify's numeric id, Retailos's uuid). Read at the end to tell an edit that was lost from
 * one that a later edit (or a deletion) superseded, to work out each stock level's expected quantity, and
 * to look for the Sync History entry of each change that was synced.
 */
export type Side = 'shopify' | 'retailos';
export type Entity = 'product' | 'variant' | 'customer' | 'order';
export type Value = string | null | boolean;

/** A record as the side that touched it names it; a variant names its product. */
export interface Ref {
  side: Side;
  entity: Entity;
  id: string;
  parent?: Ref;
}

interface At {
  /** The op's number in the run. */
  n: number;
  /** Date.now() just before the request went out. */
  at: number;
}

export type Entry = At &
  (
    | { kind: 'field'; ref: Ref; field: string; value: Value }
    | { kind: 'tag'; ref: Ref; tag: string }
    | { kind: 'create'; ref: Ref; /** An order's customer, when it has one. */ customer?: Ref }
    | { kind: 'delete'; ref: Ref }
    | { kind: 'stock'; side: Side; variant: Ref; location: string; delta: number }
  );

type Body<K extends Entry['kind']> = Omit<Extract<Entry, { kind: K }>, 'n' | 'at' | 'kind'>;

export class Ledger {
  readonly entries: Entry[] = [];
  /** The op being run (set by the loop). */
  n = 0;

  field(at: number, e: Body<'field'>): void {
    this.entries.push({ n: this.n, at, kind: 'field', ...e });
  }
  tag(at: number, e: Body<'tag'>): void {
    this.entries.push({ n: this.n, at, kind: 'tag', ...e });
  }
  create(at: number, ref: Ref, customer?: Ref): void {
    this.entries.push({ n: this.n, at, kind: 'create', ref, ...(customer ? { customer } : {}) });
  }
  delete(at: number, ref: Ref): void {
    this.entries.push({ n: this.n, at, kind: 'delete', ref });
  }
  stock(at: number, e: Body<'stock'>): void {
    this.entries.push({ n: this.n, at, kind: 'stock', ...e });
  }
}

export const shopifyRef = (entity: Entity, id: number | string, parent?: Ref): Ref => ({
  side: 'shopify',
  entity,
  id: String(id),
  ...(parent ? { parent } : {}),
});

export const retailosRef = (entity: Entity, id: string, parent?: Ref): Ref => ({
  side: 'retailos',
  entity,
  id,
  ...(parent ? { parent } : {}),
});
