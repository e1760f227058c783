import type { Command } from 'commander';
import { callApi, errorCode, errorMessage, type ApiAnswer, type ApiOptions } from './api-client.ts';
import { CliError } from './cli-error.ts';

/**
 * `retailos history search|show|revert|redo`: Sync History of the running server, over its API (a
 * second process must not open the embedded database). Output is human-readable lines; a failure is one
 * line on stderr and exit 1.
 */

interface Change {
  path: string;
  before: unknown;
  after: unknown;
}

interface EntryJson {
  id: number;
  entity: string;
  gid: string | null;
  display_name: string;
  direction: string;
  origin: string;
  action: string;
  outcome: string;
  diff: unknown;
  error: string | null;
  occurred_at: string;
  linked_entry_id: number | null;
}

interface RevertJson {
  entry: EntryJson | null;
  fields: { path: string; from: unknown; to: unknown }[];
  skipped: { path: string; reason: string }[];
  changed_since?: ChangedSinceJson[];
}

/** A field value on one line: strings as they are, lists joined, nothing as a dash. */
export function value(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(', ') || '—';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

const changesOf = (e: EntryJson): Change[] => (Array.isArray(e.diff) ? (e.diff as Change[]) : []);
const when = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

/** One entry on one line: id, time, what, which way, who, outcome, the record and its first change. */
export function entryLine(e: EntryJson): string {
  const changes = changesOf(e);
  const first = changes[0];
  const diff = first
    ? `  ${first.path}: ${value(first.before)} → ${value(first.after)}${changes.length > 1 ? ` (+${changes.length - 1} more)` : ''}`
    : '';
  const link = e.linked_entry_id === null ? '' : ` (of #${e.linked_entry_id})`;
  return `#${e.id}  ${when(e.occurred_at)}  ${e.entity} ${e.direction} ${e.origin}${link} ${e.action} ${e.outcome}  ${e.display_name}${diff}`;
}

/** One entry in full: a header, then each changed field on its own line. */
export function entryDetail(e: EntryJson): string {
  const lines = [
    `Entry #${e.id}: ${e.entity} "${e.display_name}"${e.gid ? ` (${e.gid})` : ''}`,
    `  ${when(e.occurred_at)}  ${e.direction}  origin ${e.origin}  ${e.action}  ${e.outcome}`,
  ];
  if (e.linked_entry_id !== null) {
    lines.push(
      `  ${e.origin === 'redo' ? 're-applies the revert' : 'rolls back entry'} #${e.linked_entry_id}`,
    );
  }
  for (const c of changesOf(e)) lines.push(`  ${c.path}: ${value(c.before)} → ${value(c.after)}`);
  if (e.error) lines.push(`  error: ${e.error}`);
  return lines.join('\n');
}

/** What a revert or redo did (or, dry, would do), in lines. */
export function revertLines(kind: 'revert' | 'redo', asked: number, r: RevertJson): string {
  const done = kind === 'revert' ? 'reverted' : 'redid';
  const lines = [
    r.entry
      ? `${done} entry #${asked}: new entry #${r.entry.id}`
      : `would ${kind} entry #${asked} (dry run, nothing written)`,
  ];
  for (const f of r.fields) lines.push(`  ${f.path}: ${value(f.from)} → ${value(f.to)}`);
  for (const s of r.skipped) lines.push(`  left as is: ${s.path} (${s.reason})`);
  for (const c of r.changed_since ?? [])
    lines.push(
      `  changed since the entry: ${c.path} (it set ${value(c.entry_value)}, now ${value(c.current)})`,
    );
  return lines.join('\n');
}

interface ChangedSinceJson {
  path: string;
  entry_value: unknown;
  current: unknown;
  revert_to: unknown;
}

/** The API's refusal as one line; changed_since lists the fields and says how to confirm. */
export function refusalLine(a: ApiAnswer): string {
  if (errorCode(a) === 'changed_since') {
    const details = (a.body as { error: { details?: { fields?: ChangedSinceJson[] } } }).error.details;
    const fields = (details?.fields ?? [])
      .map(
        (f) =>
          `${f.path} (now ${value(f.current)}, the entry set ${value(f.entry_value)}, back to ${value(f.revert_to)})`,
      )
      .join('; ');
    return `changed again since this entry: ${fields}; run again with --confirm to overwrite`;
  }
  const code = errorCode(a);
  return `${errorMessage(a)}${code ? ` (${code})` : ''}`;
}

const entryId = (raw: string): number => {
  if (!/^\d{1,15}$/.test(raw) || Number(raw) < 1) throw new CliError(`not an entry id: ${raw}`);
  return Number(raw);
};

interface SearchOptions extends ApiOptions {
  entity?: string;
  direction?: string;
  origin?: string;
  outcome?: string;
  limit: string;
  cursor?: string;
}

async function search(words: string[], o: SearchOptions): Promise<void> {
  const params = new URLSearchParams({ limit: o.limit });
  if (words.length > 0) params.set('q', words.join(' '));
  for (const k of ['entity', 'direction', 'origin', 'outcome', 'cursor'] as const) {
    const v = o[k];
    if (v) params.set(k, v);
  }
  const res = await callApi(o, 'GET', `/api/shopify/history?${params.toString()}`);
  if (!res.ok) throw new CliError(refusalLine(res));
  const page = res.body as { items: EntryJson[]; next_cursor: string | null };
  const lines = page.items.map(entryLine);
  if (lines.length === 0) lines.push('no Sync History entry matches');
  if (page.next_cursor) lines.push(`more: --cursor ${page.next_cursor}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function show(raw: string, o: ApiOptions): Promise<void> {
  const res = await callApi(o, 'GET', `/api/shopify/history/${entryId(raw)}`);
  if (!res.ok) throw new CliError(refusalLine(res));
  process.stdout.write(`${entryDetail(res.body as EntryJson)}\n`);
}

interface ActOptions extends ApiOptions {
  confirm?: boolean;
  dryRun?: boolean;
}

async function act(kind: 'revert' | 'redo', raw: string, o: ActOptions): Promise<void> {
  const id = entryId(raw);
  const body = { confirm: o.confirm === true, dry_run: o.dryRun === true };
  const res = await callApi(o, 'POST', `/api/shopify/history/${id}/${kind}`, body);
  if (!res.ok) throw new CliError(refusalLine(res));
  process.stdout.write(`${revertLines(kind, id, res.body as RevertJson)}\n`);
}

/** Registers `history` and its sub-commands; each takes --url and --token (or RETAILOS_TOKEN). */
export function registerHistoryCommands(program: Command, defaultUrl: () => string): void {
  const history = program
    .command('history')
    .description('Sync History of the running server: search, show, revert, redo');
  const withApi = (c: Command): Command =>
    c
      .option('--url <url>', 'the Retailos server', defaultUrl())
      .option('--token <token>', 'API token (or RETAILOS_TOKEN)');
  withApi(
    history.command('search').argument('[words...]', 'title, SKU, order name, e-mail, name or Shopify id'),
  )
    .description('entries newest first, one a line')
    .option('--entity <entity>', 'product, customer, order, inventory_level or location')
    .option('--direction <direction>', 'inbound or outbound')
    .option('--origin <origin>', 'webhook, push, import, reconcile, revert or redo')
    .option('--outcome <outcome>', 'applied, merged or failed')
    .option('--limit <n>', 'entries per page', '20')
    .option('--cursor <cursor>', 'the next page (printed after a full page)')
    .action((words: string[], o: SearchOptions) => search(words, o));
  withApi(history.command('show').argument('<id>', 'entry id'))
    .description('one entry with every changed field')
    .action((id: string, o: ApiOptions) => show(id, o));
  for (const kind of ['revert', 'redo'] as const) {
    withApi(history.command(kind).argument('<id>', 'entry id'))
      .description(
        kind === 'revert'
          ? 'roll back the fields the entry changed, on both sides'
          : 're-apply a reverted change (the revert entry, or the entry that was reverted)',
      )
      .option('--confirm', 'overwrite fields changed again since the entry')
      .option('--dry-run', 'print what it would change (and what changed since), write nothing')
      .action((id: string, o: ActOptions) => act(kind, id, o));
  }
}
