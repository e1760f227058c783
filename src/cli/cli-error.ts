/** A failure the CLI explains in one line (no stack): the user can act on the message alone. */
export class CliError extends Error {
  override name = 'CliError';
}

/**
 * The one line a failed command prints, then exits 1: a CliError's message (written to be complete), or
 * the message of what went wrong and of its causes
 * (fetch's "fetch failed" says nothing without its cause, ECONNREFUSED), newlines folded. The stack
 * only when asked for with LOG_LEVEL=debug or trace: a failure a user can act on is not a crash.
 */
export function describeFailure(err: unknown, logLevel: string | undefined): string {
  const debug = logLevel === 'debug' || logLevel === 'trace';
  if (err instanceof CliError && !debug) return `error: ${err.message}`;
  const messages: string[] = [];
  for (let e: unknown = err; e !== undefined && messages.length < 5; e = (e as { cause?: unknown }).cause) {
    const text = e instanceof Error ? e.message : String(e);
    if (text && !messages.some((m) => m.includes(text))) messages.push(text);
    if (!(e instanceof Error)) break;
  }
  const line = `error: ${messages.join(': ').replace(/\s*\n\s*/g, ' ')}`;
  if (debug && err instanceof Error && err.stack) return `${line}\n${err.stack}`;
  return err instanceof CliError || debug ? line : `${line} (LOG_LEVEL=debug shows the stack)`;
}
