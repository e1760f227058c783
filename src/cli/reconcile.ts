import type { Command } from 'commander';
import { callApi, errorMessage, type ApiOptions } from './api-client.ts';
import { CliError } from './cli-error.ts';
import { progressLine, renderRun, type RunJson } from './reconcile-view.ts';

type Options = ApiOptions & { dryRun?: boolean; follow?: boolean };

async function fetchRun(o: Options, id: string): Promise<RunJson> {
  const res = await callApi(o, 'GET', `/api/shopify/reconcile/runs/${id}`);
  if (!res.ok)
    throw new CliError(`GET /api/shopify/reconcile/runs/${id} answered ${res.status}: ${errorMessage(res)}`);
  return res.body as RunJson;
}

/**
 * `retailos reconcile [--dry-run] [--follow]`: starts a reconciliation run of the connected shop on
 * the running server (a dry run lists the differences without writing anything); --follow shows a
 * progress bar with an ETA until it ends, then the report (and a dry run's differences, field by field).
 */
export function registerReconcileCommand(program: Command, defaultUrl: () => string): void {
  program
    .command('reconcile')
    .description('compare every record with Shopify and repair the drift (--dry-run: list it only)')
    .option('--url <url>', 'the Retailos server', defaultUrl())
    .option('--token <token>', 'API token (or RETAILOS_TOKEN)')
    .option('--dry-run', 'list the differences field by field, write nothing')
    .option('-f, --follow', 'show progress until the run ends, then its report')
    .action(async (o: Options) => {
      const res = await callApi(o, 'POST', '/api/shopify/reconcile', { dry_run: o.dryRun ?? false });
      if (!res.ok) throw new CliError(`the run was refused (${res.status}): ${errorMessage(res)}`);
      const run = res.body as RunJson;
      process.stdout.write(`run ${run.id} started${run.dry_run ? ' (dry run)' : ''}\n`);
      if (o.follow) await follow(o, run.id);
    });
}

async function follow(o: Options, id: string): Promise<void> {
  const started = Date.now();
  const tty = process.stdout.isTTY;
  for (;;) {
    const run = await fetchRun(o, id);
    if (run.state !== 'running') {
      if (tty) process.stdout.write('\x1b[2K\r');
      process.stdout.write(`${renderRun(run)}\n`);
      if (run.state === 'failed') throw new CliError(`the run failed: ${run.reason ?? ''}`);
      return;
    }
    const line = progressLine(run, Date.now() - started);
    process.stdout.write(tty ? `\x1b[2K\r${line}` : `${line}\n`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
