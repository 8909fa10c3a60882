// Checks the size of the release bundle that `npm run build` wrote: the wasm
// and its JavaScript glue, gzipped together the way wrangler measures an
// upload (zlib's default level over the files one after the other). Prints
// the sizes, and fails when the gzipped bundle is over its budget.
//
// Usage: node tests/bundle/size.mjs [--budget-kib N]

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FILES = ['build/index_bg.wasm', 'build/index.js'];
const KIB = 1024;

const { values } = parseArgs({ options: { 'budget-kib': { type: 'string', default: '250' } } });
const budget = Number(values['budget-kib']);

const contents = FILES.map((file) => {
  try {
    return readFileSync(join(ROOT, file));
  } catch {
    console.error(`bundle size: ${file} is missing; run 'npm run build' first`);
    process.exit(1);
  }
});

const kib = (bytes) => `${(bytes / KIB).toFixed(1)} KiB`;
const wasm = contents[0];
const raw = contents.reduce((sum, content) => sum + content.length, 0);
const gzipped = gzipSync(Buffer.concat(contents)).length;
console.log(`wasm:   ${kib(wasm.length)} raw, ${kib(gzipSync(wasm).length)} gzipped`);
console.log(`bundle: ${kib(raw)} raw, ${kib(gzipped)} gzipped (budget ${budget} KiB)`);
if (!(gzipped <= budget * KIB)) {
  console.error(`bundle size: ${kib(gzipped)} gzipped is over the ${budget} KiB budget`);
  process.exit(1);
}
