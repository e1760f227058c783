import type { Command } from 'commander';
import { CliError } from './cli-error.ts';
import { isFinished, renderImport, type ImportJson } from './import-view.ts';

interface Options {
  url: string;
  token?: string;
}

async function fetchImport(o: Options): Promise<ImportJson | undefined> {
  const token = o.token ?? process.env['RETAILOS_TOKEN'];
  if (!token) {
    throw new CliError('pass --token or set RETAILOS_TOKEN (create one with `retailos token create`)');
  }
  const url = `${o.url.replace(/\/$/, '')}/api/shopify/import`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } }).catch((err: unknown) => {
    // fetch says "fetch failed"; the reason is its cause's code (ECONNREFUSED) or message ("bad port").
    const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
    const why = typeof cause?.code === 'string' ? cause.code : String(cause?.message ?? err);
    throw new CliError(
      `cannot reach the Retailos server at ${o.url} (${why}): is it running? (--url, or PORT)`,
      { cause: err },
    );
  });
  if (res.status === 404) return undefined;
  if (res.status === 401) {
    throw new CliError(
      'the server refused the token (401): check --token or RETAILOS_TOKEN, or create one with `retailos token create`',
    );
  }
  if (!res.ok) throw new CliError(`GET ${url} answered ${res.status}: ${await errorMessage(res)}`);
  return (await res.json()) as ImportJson;
}

/** The message of the API's error shape, or the body as text. */
async function errorMessage(res: Response): Promise<string> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') return body.error.message;
  } catch {
    // not JSON: the text itself is the message
  }
  return text.slice(0, 200);
}

/**
 * `retailos import status` and `retailos import --follow`: read the running server's import progress
 * over its API (a second process must not open the embedded database), once or live until it ends.
 */
export function registerImportCommands(program: Command, defaultUrl: () => string): void {
  const cmd = program
    .command('import')
    .description('Shopify import progress of the running server (--follow for a live progress bar)')
    .option('--url <url>', 'the Retailos server', defaultUrl())
    .option('--token <token>', 'API token (or RETAILOS_TOKEN)')
    .option('-f, --follow', 'redraw every second until the import completes or fails')
    .action(async (o: Options & { follow?: boolean }) => {
      if (o.follow) await follow(o);
      else await printOnce(o);
    });
  cmd
    .command('status')
    .description('print the import progress once')
    .action(async (_o: unknown, sub: Command) =>
      printOnce(sub.parent?.opts<Options>() ?? { url: defaultUrl() }),
    );
}

async function printOnce(o: Options): Promise<void> {
  const p = await fetchImport(o);
  process.stdout.write(
    p ? `${renderImport(p)}\n` : 'no import has run yet: connect a store in App > Shopify\n',
  );
}

async function follow(o: Options): Promise<void> {
  let shownLines = 0;
  for (;;) {
    const p = await fetchImport(o);
    const text = p ? renderImport(p) : 'waiting for an import to start…';
    if (shownLines > 0 && process.stdout.isTTY) process.stdout.write(`\x1b[${shownLines}F\x1b[J`);
    process.stdout.write(`${text}\n`);
    shownLines = text.split('\n').length;
    if (p && isFinished(p)) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
