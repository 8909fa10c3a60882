// Checks the size of the release build that `npm run build` wrote: the wasm,
// gzipped at zlib's default level (as `gzip` and wrangler compress), must fit
// its budget. Also prints the JavaScript glue and the two gzipped together,
// which is how wrangler reports an upload.
//
// Usage: node tests/bundle/size.mjs [--budget-kib N]
//
// The budget was 300 KiB until the instance, access and billing toolsets and
// the bulk tools; it was 340 KiB since, with what each toolset costs measured
// by `npm run bench:bundle` and listed in docs/performance.md, and it is 352
// KiB since the front door (the page at GET /), which may add at most 12 KiB
// of its own (the same measure gives its cost).

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const KIB = 1024;

const { values } = parseArgs({ options: { 'budget-kib': { type: 'string', default: '352' } } });
const budget = Number(values['budget-kib']);

function read(file) {
  try {
    return readFileSync(join(ROOT, file));
  } catch {
    console.error(`bundle size: ${file} is missing; run 'npm run build' first`);
    process.exit(1);
  }
}

const kib = (bytes) => `${(bytes / KIB).toFixed(1)} KiB`;
const wasm = read('build/index_bg.wasm');
const glue = read('build/index.js');
const wasmGzipped = gzipSync(wasm).length;
console.log(`wasm:   ${kib(wasm.length)} raw, ${kib(wasmGzipped)} gzipped (budget ${budget} KiB)`);
console.log(`glue:   ${kib(glue.length)} raw, ${kib(gzipSync(glue).length)} gzipped`);
console.log(`upload: ${kib(gzipSync(Buffer.concat([wasm, glue])).length)} gzipped together`);
if (!(wasmGzipped <= budget * KIB)) {
  console.error(`bundle size: the wasm is ${kib(wasmGzipped)} gzipped, over its ${budget} KiB budget`);
  process.exit(1);
}
