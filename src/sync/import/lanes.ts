/**
 * The import's write lanes: up to `lanes` result files written at once, one lane per resource. A
 * lane that completes its file lets the loop take the next file ready. Once a lane fails, or stops
 * with its file incomplete (its batch budget ran out, its file must be exported again), no lane is
 * started in this step; the step ends when the lanes still writing have stopped, and a failure is
 * passed on after that.
 *
 * The loop and its rules live here, apart from the files and the database, so they can be checked
 * over every interleaving of lanes and reads (lanes.test.ts).
 */

export interface LaneFile {
  resource: string;
}

export interface Lanes<F extends LaneFile> {
  lanes: number;
  /**
   * The files ready to write now, except those of the resources being written (`writing`, as it is
   * when asked: it changes while `free` runs). `polled` is true for the step's first read, which
   * follows the step's own poll of the exports.
   */
  free: (polled: boolean, writing: { has(resource: string): boolean }) => Promise<F[]>;
  /** Writes a file; true when it is complete, false when the step must end after it. */
  write: (file: F) => Promise<boolean>;
}

export async function runLanes<F extends LaneFile>({ lanes, free, write }: Lanes<F>): Promise<void> {
  const writing = new Map<string, Promise<void>>();
  const failures: unknown[] = [];
  let more = true;
  for (let first = true; ; first = false) {
    if (more && writing.size < lanes) {
      const files = await free(first, writing);
      for (const f of files) {
        // Looked at again after the files were read: a lane may have failed (or run out of budget)
        // meanwhile, and must not be followed by another lane on the same file in this step.
        if (!more || writing.size >= lanes) break;
        if (writing.has(f.resource)) continue;
        const lane = write(f).then(
          (complete) => {
            if (!complete) more = false;
          },
          (err: unknown) => {
            failures.push(err);
            more = false;
          },
        );
        writing.set(
          f.resource,
          lane.finally(() => writing.delete(f.resource)),
        );
      }
    }
    if (writing.size === 0) break;
    await Promise.race(writing.values());
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1)
    throw new AggregateError(
      failures,
      failures.map((e) => (e instanceof Error ? e.message : String(e))).join('; '),
    );
}
