// Measures what each toolset costs in the gzipped wasm: builds the crate once
// as it is and once without each toolset (`--cfg without_toolset="name"`,
// which leaves its tools, and every piece of code only they reach, out of the
// build), optimizes each build as the release build does, and prints the
// differences. The front door (the page at GET /) is measured the same way
// (`--cfg without_front_door`). The tools' schemas (src/tools/schemas.json) stay embedded in
// every variant, so their text is counted once, on its own line.
//
// It builds the crate eleven times (only the crate: its dependencies are built
// once), so it takes minutes. Usage: npm run bench:bundle

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const KIB = 1024;
const TOOLSETS = ['organizations', 'members', 'invitations', 'users', 'sessions', 'roles', 'instance', 'access', 'billing'];
const FRONT_DOOR = 'front door';
const BUILT = join(ROOT, 'target', 'wasm32-unknown-unknown', 'release', 'clerk_mcp_worker.wasm');
const work = mkdtempSync(join(tmpdir(), 'clerk-mcp-toolsets-'));

/**
 * The gzipped size of the optimized wasm of a build without `omitted`: a toolset's name, or
 * FRONT_DOOR (or of everything when it is null).
 */
function gzippedWithout(omitted) {
  // What is left out leaves its code unused: those warnings say nothing here.
  const cfg = omitted === FRONT_DOOR ? 'without_front_door' : `without_toolset="${omitted}"`;
  const flags = omitted ? ['--cfg', cfg, '-A', 'warnings'] : [];
  execFileSync('cargo', ['rustc', '--release', '--lib', '--target', 'wasm32-unknown-unknown', '--quiet', '--', ...flags], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const name = (omitted ?? 'everything').replace(' ', '-');
  const bound = join(work, name);
  execFileSync('wasm-bindgen', ['--target', 'bundler', '--out-dir', bound, '--out-name', 'index', BUILT], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const optimized = join(work, `${name}.wasm`);
  execFileSync(join(ROOT, '.ci', 'wasm-opt.sh'), [join(bound, 'index_bg.wasm'), optimized], { cwd: ROOT });
  return gzipSync(readFileSync(optimized)).length;
}

try {
  const whole = gzippedWithout(null);
  console.log(`every toolset: ${(whole / KIB).toFixed(1)} KiB gzipped (this measure's own build)`);
  console.log('toolset        cost (gzipped bytes)');
  for (const toolset of TOOLSETS) {
    const cost = whole - gzippedWithout(toolset);
    console.log(`${toolset.padEnd(14)} ${String(cost).padStart(6)}`);
  }
  console.log(`${FRONT_DOOR.padEnd(14)} ${String(whole - gzippedWithout(FRONT_DOOR)).padStart(6)}  (the page at GET /)`);
  const schemas = gzipSync(readFileSync(join(ROOT, 'src', 'tools', 'schemas.json'))).length;
  console.log(`${'schemas.json'.padEnd(14)} ${String(schemas).padStart(6)}  (every tool's schemas, in every build)`);
} finally {
  rmSync(work, { recursive: true, force: true });
  // Leave the release build as the toolchain expects it.
  execFileSync('cargo', ['rustc', '--release', '--lib', '--target', 'wasm32-unknown-unknown', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
}
