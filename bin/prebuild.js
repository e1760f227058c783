// node bin/prebuild.js (npm's postinstall runs it): compiles the `retailos` bundle into
// node_modules/.cache/retailos now, while node_modules is writable, so a start from a read-only
// install (a container image, say) finds it and writes nothing.
import { compile } from './launch.js';

await compile('src/main.ts');
