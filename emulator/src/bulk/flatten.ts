/**
 * Shopify's bulk JSONL shape: connection wrappers disappear, every node of every connection
 * is its own line, and a nested node carries `__parentId` (its parent node's `id`, as the
 * last key) and follows its parent. Objects that are not connections stay inline.
 */
import type { ConnectionPlan } from './analyze-query.ts';

export interface FlattenedPage {
  readonly text: string;
  readonly objects: number;
  readonly roots: number;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Nodes of a connection value selected as `edges { node }`. */
function nodesOf(connection: unknown): Json[] {
  if (!isObject(connection) || !Array.isArray(connection['edges'])) return [];
  const out: Json[] = [];
  for (const edge of connection['edges'])
    if (isObject(edge) && isObject(edge['node'])) out.push(edge['node']);
  return out;
}

/** Reads and removes the value at `keyPath`, copying the objects on the way so the input is untouched. */
function detach(line: Json, keyPath: readonly string[]): unknown {
  let holder = line;
  for (let i = 0; i < keyPath.length - 1; i++) {
    const key = keyPath[i] as string;
    const next = holder[key];
    if (!isObject(next)) return undefined;
    const copy = { ...next };
    holder[key] = copy;
    holder = copy;
  }
  const last = keyPath[keyPath.length - 1] as string;
  const value = holder[last];
  delete holder[last];
  return value;
}

interface Sink {
  lines: string[];
  objects: number;
}

/** `{"a":1}` + parent → `{"a":1,"__parentId":"…"}` without copying the object. */
function withParent(json: string, parentId: unknown): string {
  if (parentId === undefined) return json;
  const tail = `"__parentId":${JSON.stringify(parentId)}}`;
  return json.length === 2 ? `{${tail}` : `${json.slice(0, -1)},${tail}`;
}

function emitNode(sink: Sink, node: Json, children: readonly ConnectionPlan[], parentId: unknown): void {
  sink.objects++;
  if (children.length === 0) {
    sink.lines.push(withParent(JSON.stringify(node), parentId));
    return;
  }
  const line: Json = { ...node };
  const nested = children.map((plan) => ({ plan, value: detach(line, plan.keyPath) }));
  sink.lines.push(withParent(JSON.stringify(line), parentId));
  for (const { plan, value } of nested) {
    for (const child of nodesOf(value)) emitNode(sink, child, plan.children, node['id']);
  }
}

/** The JSONL text (newline-terminated lines) for one page of the root connection. */
export function flattenPage(rootConnection: unknown, root: ConnectionPlan): FlattenedPage {
  const sink: Sink = { lines: [], objects: 0 };
  const roots = nodesOf(rootConnection);
  for (const node of roots) emitNode(sink, node, root.children, undefined);
  const text = sink.lines.length === 0 ? '' : `${sink.lines.join('\n')}\n`;
  return { text, objects: sink.objects, roots: roots.length };
}
