import type { WriteContext } from '../../core/write-context.ts';
import type { Db, Queryable } from '../../db/db.ts';
import type { SyncBaseRow } from '../../db/shopify-sync-base.ts';
import type { MergeInput, MergeOutcome, MergeRules } from '../../domain/merge.ts';
import type { MergedKind } from '../../domain/synced-kinds.ts';
import type { Json } from '../../domain/shopify-map/index.ts';
import type { ShopSession } from '../shop-session.ts';
import type { SnapshotObject } from './snapshot-write.ts';

/** Shopify refused a deletion for good: why, and what to put back with the record. */
export interface KeptOnShopify {
  kept: string;
  restore?: (tx: Queryable, tenantId: string, localId: string) => Promise<void>;
}

/** A Shopify record as Retailos fields, still keyed by GIDs (what a read, a push or a webhook gives). */
export interface RemoteState {
  gid: string;
  updatedAt: Date;
  /** When Shopify made the record, where the entity reads it (the base of a creation linked by its key). */
  createdAt?: Date | undefined;
}

/** A Retailos record as the sync sees it. */
export interface LocalState {
  id: string;
  updatedAt: Date;
  version: number;
}

/**
 * Everything the continuous sync needs to know about one entity type. The algorithm (load → merge →
 * push → write → history) is the same for all of them; only these edges differ.
 */
export interface EntityAdapter<R extends RemoteState, L extends LocalState> {
  entity: MergedKind;
  rules: MergeRules;
  /** False when Retailos never creates this entity on Shopify (orders are born in Shopify): local-only ones stay local. */
  createsRemote?: boolean;
  /** False when a Retailos deletion only unlinks the record instead of deleting it on Shopify. */
  deletesRemote?: boolean;
  remoteSnapshot(r: R): Json;
  /**
   * Shopify's snapshot with each keyed-list element carrying its Shopify id as `$key` (a product's
   * variants), for comparing Shopify states of one record (domain/overwritten-edit.ts). Absent: the
   * snapshot has no keyed list, `remoteSnapshot` serves.
   */
  keyedRemoteSnapshot?(r: R): Json;
  localSnapshot(l: L): Json;
  loadLocal(q: Queryable, tenantId: string, localId: string, forUpdate: boolean): Promise<L | undefined>;
  /** Several records by id (missing ones left out), locked in id order when `forUpdate`. */
  loadLocals(
    q: Queryable,
    tenantId: string,
    ids: readonly string[],
    forUpdate: boolean,
  ): Promise<Map<string, L>>;
  /** Shopify's current state, or undefined when Shopify no longer has it. */
  readRemote(s: ShopSession, gid: string): Promise<R | undefined>;
  /**
   * Before a creation is pushed: Shopify's record with the key the creation is made by (a product's
   * handle, a customer's email), when there is one — made by an earlier attempt of this creation whose
   * answer was lost.
   */
  findCreated?(s: ShopSession, local: L): Promise<R | undefined>;
  /**
   * Makes Shopify hold `merged` and returns what Shopify then holds. `gid` is null for a record that is
   * new on Shopify: the adapter creates it idempotently (a stable key looked up first).
   */
  pushRemote(
    s: ShopSession,
    merged: Json,
    at: { gid: string | null; local: L; remote: R | undefined },
  ): Promise<R>;
  /**
   * Deletes it on Shopify; a record already gone is not an error. When Shopify keeps the record for good
   * (a customer with orders), answers why, in words: Retailos then takes the record back (and `restore`
   * puts back what hangs on it, in the same transaction).
   */
  deleteRemote(s: ShopSession, gid: string): Promise<void | KeptOnShopify>;
  /**
   * The Retailos record Shopify's new record stands for by the key Retailos creates this kind with on
   * Shopify (a customer's email, a product's handle), when it is linked to nothing yet: a creation of
   * ours whose push has not written its link. Locked for the caller's transaction. Absent: no such key.
   */
  unlinkedMatch?(tx: Queryable, tenantId: string, remote: R): Promise<string | undefined>;
  /**
   * True when Shopify's new record has no creation key and may be the echo of a keyless creation of ours
   * still in flight (see `unlinkedMatch`): it then waits for that push instead of being copied.
   */
  mayBeOwnCreation?(tx: Queryable, tenantId: string, remote: R, now: Date): Promise<boolean>;
  /**
   * Links an existing Retailos record (and its sub-records) to Shopify's, writing none of its fields.
   * Called only for Shopify's record our own creating push made (its sub-records made from ours, in order).
   */
  linkLocal(tx: Queryable, tenantId: string, remote: R, localId: string, now: Date): Promise<void>;
  /** Makes the Retailos record equal to the Shopify state (creating it when localId is null); returns its id. */
  writeLocal(tx: Queryable, tenantId: string, remote: R, localId: string | null, now: Date): Promise<string>;
  /** Makes several linked Retailos records equal to their Shopify states in one set-based write. */
  updateLocals(tx: Queryable, tenantId: string, remotes: readonly R[], now: Date): Promise<void>;
  deleteLocal(tx: Queryable, tenantId: string, localId: string, now: Date): Promise<void>;
  /**
   * The local write from a canonical snapshot: makes the Retailos record hold `target` through core's
   * update use case, as a merchant's edit (validated, one `changes` row, pushed by the relay, so merge and
   * echo suppression hold). Only the fields that differ from `current` (the record's snapshot now) are
   * sent. Revert and redo write through it (decision 0006 says why Shopify's states are written by
   * `writeLocal` instead).
   */
  writeSnapshot(
    db: Db,
    ctx: WriteContext,
    record: L,
    target: SnapshotObject,
    current: SnapshotObject,
  ): Promise<void>;
  displayName(snapshot: Json): string;
  searchWords(snapshot: Json): string[];
  /**
   * The merge of this entity when its sub-records are matched by their links rather than by a field
   * (products: variants by GID ⇄ variant id; see domain/merge-product.ts); absent: `threeWayMerge` under
   * `rules`. Its outcome's `toPush` (when set) is what `pushRemote` gets instead of `merged`.
   */
  merge?(
    q: Queryable,
    tenantId: string,
    input: MergeInput,
    sides: { base: SyncBaseRow | undefined; local: L; remote: R },
  ): Promise<AdapterMerge>;
  /** The Shopify ids the sync base keeps beside the snapshot of `r` (SyncBaseWrite.links). */
  baseLinks?(r: R): Json;
  /**
   * The elements of the snapshot's keyed lists by the path the merge names them with (a product's
   * variants: `variants[<GID>]`), so a conflict in one element is decided by that element's edit times.
   */
  remoteElements?(r: R): ReadonlyMap<string, Json>;
  /**
   * The same elements of the Retailos record as its change rows name them (`variants[<GID>]` →
   * `variants[<variant id>]`, domain/product-edit-keys.ts), for the elements linked to Shopify's.
   */
  localElementKeys?(q: Queryable, tenantId: string, l: L): Promise<ReadonlyMap<string, string>>;
  /** Its pushes as bulk-mutation lines (absent: the reconciliation pushes this kind one at a time). */
  bulkPush?: BulkPush<R, L>;
}

/**
 * An entity's pushes as lines of one bulk mutation (the reconciliation's bulk repairs, decision 0008):
 * the same mutation and variables `pushRemote` sends for a record Shopify has, the batched read the
 * repairs decide on, and how one line's answer reads.
 */
export interface BulkPush<R extends RemoteState, L extends LocalState> {
  /** A batched read: one record's GraphQL type and selection under `nodes(ids:)`, and its mapping. */
  node: {
    type: string;
    selection: string;
    /** The record, or 'read' when the selection's page did not hold all of it (read it alone). */
    map(node: Record<string, unknown>): R | 'read';
  };
  /** The update mutation, as `pushRemote` sends it (its operation name is replaced per batch). */
  mutation: string;
  /** One line's variables: exactly what `pushRemote` sends to make Shopify hold `merged`. */
  variables(merged: Json, at: { gid: string; local: L; remote: R }): Record<string, unknown>;
  /** What Shopify holds after the line (its `data`); a refusal throws ShopifyRefusal; 'read': read it. */
  answer(data: Record<string, unknown>, merged: Json): R | 'read';
}

/** A merge's outcome, and what to push when that is not `merged` itself (it also says sub-records' ids). */
export interface AdapterMerge extends MergeOutcome {
  toPush?: Json;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- adapters differ in their record types
export type AnyAdapter = EntityAdapter<RemoteState & any, LocalState & any>;
