/**
 * Runs one bulk mutation: each line's variables through the normal execution path (the same
 * resolvers as a single call, so the store, `updatedAt` and webhooks behave alike), one result line
 * per input line, in input order: `{"data": {...}, "__lineNumber": N}` (N zero-based), plus `errors`
 * when that line's execution had request-level errors (bad variables, access denied). A failing line
 * never stops the others. Lines are not charged to the leaky bucket: they never pass the HTTP layer.
 * Between chunks it yields to the scheduler (polls see RUNNING and a growing `objectCount`; a cancel
 * takes effect); with a pace, each line counts as one object (pace.ts).
 */
import { exportedAtMs } from './pace.ts';
import type { JsonlFile } from './jsonl-file.ts';
import { runOperation, type BulkRunBase } from './runner.ts';

export interface MutationRunContext extends BulkRunBase {
  readonly lines: readonly Record<string, unknown>[];
  /** Lines run between two scheduler turns. */
  readonly chunkSize: number;
}

/** One result line; never throws (an emulator fault on a line is that line's error). */
async function runLine(ctx: MutationRunContext, index: number): Promise<string> {
  const variables = ctx.lines[index] ?? {};
  try {
    const result = await ctx.execute({ ...ctx.caller, document: ctx.document, variables });
    const line: Record<string, unknown> = {};
    if (result.data !== undefined) line['data'] = result.data;
    if (result.errors && result.errors.length > 0) line['errors'] = result.errors;
    line['__lineNumber'] = index;
    return `${JSON.stringify(line)}\n`;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `${JSON.stringify({ errors: [{ message }], __lineNumber: index })}\n`;
  }
}

/** Waits until `count` more lines are due at the pace after `fromMs` (see runner.ts `paced`). */
async function paced(ctx: MutationRunContext, fromMs: number, count: number): Promise<number> {
  for (;;) {
    const pace = ctx.pace();
    if (pace === null || ctx.record.cancelRequested) return ctx.nowMs();
    const dueMs = exportedAtMs(fromMs, count, pace);
    if (ctx.nowMs() >= dueMs) return dueMs;
    await ctx.alarms.wait(dueMs);
  }
}

async function runLines(ctx: MutationRunContext, file: JsonlFile): Promise<'COMPLETED' | 'CANCELED'> {
  const { record } = ctx;
  let dueMs = ctx.nowMs();
  for (let start = 0; start < ctx.lines.length; start += ctx.chunkSize) {
    const end = Math.min(ctx.lines.length, start + ctx.chunkSize);
    dueMs = await paced(ctx, dueMs, end - start);
    if (record.cancelRequested) return 'CANCELED';
    let text = '';
    for (let i = start; i < end; i++) text += await runLine(ctx, i);
    await file.write(text);
    record.objectCount += end - start;
    record.rootObjectCount += end - start;
    if (end < ctx.lines.length) {
      await ctx.scheduler.next();
      if (record.cancelRequested) return 'CANCELED';
    }
  }
  return 'COMPLETED';
}

/** Runs to a final status (COMPLETED, FAILED or CANCELED); never rejects. */
export function runBulkMutation(ctx: MutationRunContext): Promise<void> {
  return runOperation(
    ctx,
    (file) => runLines(ctx, file),
    () => 'INTERNAL_SERVER_ERROR',
  );
}
