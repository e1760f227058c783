import { Command, Option } from 'commander';
import type { Logger } from 'pino';
import { ConfigError, describeSettings, loadConfig, redactConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { openDatabase, startRuntime, type Runtime, type RuntimeMode } from './runtime.ts';
import { registerUserCommands } from './cli/users.ts';
import { registerImportCommands } from './cli/import.ts';
import { registerHistoryCommands } from './cli/history.ts';
import { registerReconcileCommand } from './cli/reconcile.ts';
import { describeFailure } from './cli/cli-error.ts';

/** Composition root and CLI. Every command validates config first and names a bad setting. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('retailos')
    .description('Retailos back office with two-way Shopify sync')
    .addHelpText('after', `\nConfiguration (environment variables):\n${describeSettings()}\n`)
    .showHelpAfterError();

  const portOption = () => new Option('-p, --port <port>', 'HTTP port (overrides PORT)');
  const run = (mode: RuntimeMode) => async (opts: { port?: string }) => {
    const config = configOrExit(opts.port === undefined ? {} : { port: opts.port });
    const logger = createLogger(config);
    await runUntilSignal(config, logger, mode);
  };

  program
    .command('start')
    .description('server and workers in one process (what `npm start` runs)')
    .addOption(portOption())
    .action(run({ web: true, workers: true }));
  program
    .command('serve')
    .description('HTTP server only')
    .addOption(portOption())
    .action(run({ web: true, workers: false }));
  program
    .command('worker')
    .description('job workers only (needs DATABASE_URL to run beside a server)')
    .action(run({ web: false, workers: true }));
  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .action(async () => {
      const config = configOrExit();
      const db = await openDatabase(config, createLogger(config));
      await db.close();
    });
  registerUserCommands(program, configOrExit);
  registerImportCommands(program, () => `http://127.0.0.1:${process.env['PORT'] ?? '3000'}`);
  registerHistoryCommands(program, () => `http://127.0.0.1:${process.env['PORT'] ?? '3000'}`);
  registerReconcileCommand(program, () => `http://127.0.0.1:${process.env['PORT'] ?? '3000'}`);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    // One line a user can act on (server unreachable, token refused, data folder in use), exit 1.
    process.stderr.write(`${describeFailure(err, process.env['LOG_LEVEL'])}\n`);
    process.exit(1);
  }
}

function configOrExit(overrides: Partial<Record<keyof Config, string>> = {}): Config {
  try {
    return loadConfig(process.env, overrides);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

async function runUntilSignal(config: Config, logger: Logger, mode: RuntimeMode): Promise<void> {
  if (mode.workers && !mode.web && !config.databaseUrl) {
    logger.warn(
      'worker alone on embedded PGlite: only one process may own the data folder; use `start`, or set DATABASE_URL',
    );
  }
  logger.info({ config: redactConfig(config), mode }, 'starting');
  const runtime: Runtime = await startRuntime(config, logger, mode);
  if (runtime.app) printWelcome(runtime, config);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining, then exiting');
    runtime.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

function printWelcome(runtime: Runtime, config: Config): void {
  const address = runtime.app?.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const lines = [`Retailos is running: http://${config.host}:${port}`];
  if (runtime.demo) {
    lines.push(
      '',
      'Demo Shopify store (the emulator): open App > Shopify and connect retailos-demo.myshopify.com',
    );
    lines.push(`  act as the merchant on its admin page: ${runtime.demo.adminUrl}`);
  }
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
  // The login goes to stderr, the terminal: stdout carries the JSON log, which a log collector keeps.
  if (runtime.owner.created) {
    const login = [
      `Log in as ${runtime.owner.email}`,
      runtime.owner.generatedPassword
        ? `  password (generated, shown only this once): ${runtime.owner.generatedPassword}`
        : '  with the password from RETAILOS_ADMIN_PASSWORD',
    ];
    process.stderr.write(`${login.join('\n')}\n\n`);
  }
}
