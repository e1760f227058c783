// node bin/run.js <entry.ts>: runs a TypeScript entry point the way `retailos` runs (compiled by
// launch.js, the same heap settings); the benchmarks' child processes use it. Start node with NODE_FLAGS.
import { compile, tuneHeap } from './launch.js';

tuneHeap();
const [entry] = process.argv.splice(2, 1);
if (!entry) throw new Error('usage: node bin/run.js <entry.ts>');
await import(await compile(entry));
