/** One JSON object as read from Shopify (a bulk JSONL line or a page node). */
export type JsonObject = Record<string, unknown>;

/** A parent line with the child lines that follow it (`__parentId` = its id): one record to write. */
export interface RecordGroup {
  root: JsonObject;
  children: JsonObject[];
}
