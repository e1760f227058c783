#!/usr/bin/env -S node --max-semi-space-size=4
// The `retailos` command. The flags above are launch.js' NODE_FLAGS (a shebang cannot import them).
import { compile, tuneHeap } from './launch.js';

tuneHeap();
const { main } = await import(await compile('src/main.ts'));
await main(process.argv);
