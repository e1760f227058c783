import type { Command } from 'commander';
import { callApi, errorMessage, type ApiOptions } from './api-client.ts';
import { CliError } from './cli-error.ts';
import { isFinished, renderImport, type ImportJson } from './import-view.ts';

type Options = ApiOptions;

async function fetchImport(o: Options): Promise<ImportJson | undefined> {
  const res = await callApi(o, 'GET', '/api/shopify/import');
  if (res.status === 404) return undefined;
  if (!res.ok) throw new CliError(`GET /api/shopify/import answered ${res.status}: ${errorMessage(res)}`);
  return res.body as ImportJson;
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
