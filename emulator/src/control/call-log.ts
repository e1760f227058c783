/** Every Admin API call, for tests and the e2e suite to assert on ("exactly these mutations"). */
export interface CallLogEntry {
  seq: number;
  /** ISO time (emulator clock). */
  at: string;
  shop: string;
  /** API key of the calling app; null when the token was not recognised. */
  appKey: string | null;
  apiVersion: string;
  operationName: string | null;
  operationType: 'query' | 'mutation' | 'subscription' | null;
  /** Root field names of the executed operation, e.g. ["productUpdate"]. */
  rootFields: string[];
  variables: Record<string, unknown> | null;
  requestedCost: number | null;
  actualCost: number | null;
  status: number;
  throttled: boolean;
  /** `extensions.code` of top-level errors (THROTTLED, ACCESS_DENIED, …). */
  errorCodes: string[];
  durationMs: number;
}

export interface CallLogFilter {
  shop?: string | undefined;
  operation?: string | undefined;
  rootField?: string | undefined;
  type?: string | undefined;
  since?: number | undefined;
}

const MAX_ENTRIES = 50_000;

export class CallLog {
  private entries: CallLogEntry[] = [];
  private seq = 0;

  record(entry: Omit<CallLogEntry, 'seq'>): CallLogEntry {
    const full = { ...entry, seq: ++this.seq };
    this.entries.push(full);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    return full;
  }

  /** Entries matching the filter; `operation` matches the operation name or any root field. */
  list(filter: CallLogFilter = {}): CallLogEntry[] {
    return this.entries.filter(
      (e) =>
        (!filter.shop || e.shop === filter.shop) &&
        (!filter.operation ||
          e.operationName === filter.operation ||
          e.rootFields.includes(filter.operation)) &&
        (!filter.rootField || e.rootFields.includes(filter.rootField)) &&
        (!filter.type || e.operationType === filter.type) &&
        (filter.since === undefined || e.seq > filter.since),
    );
  }

  clear(): void {
    this.entries = [];
  }
}
