// Writes a copy of Clerk's Backend API spec (the vendored clerk-bapi-2026-05-12.yml beside this
// file) whose paths carry /v1 and whose only server is http://127.0.0.1, as JSON.
//
// Clerk serves the Backend API under /v1, and the spec says so in `servers`, not in its paths.
// A mock that matches requests on the spec's paths (Prism) needs the prefix in the paths, so
// that the worker, pointed at the mock, sends exactly the paths it sends in production.
//
//   node tests/contract/spec-v1.mjs OUT.json [SPEC.yml]
//
// Import: specWithV1(yamlText) -> spec object; writeSpecWithV1(out, source?) -> path count.

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { parse } from 'yaml';

export const VENDORED_SPEC = fileURLToPath(new URL('./clerk-bapi-2026-05-12.yml', import.meta.url));

/** The spec in `yamlText`, with every path prefixed by /v1 and the server set to 127.0.0.1. */
export function specWithV1(yamlText) {
  const spec = parse(yamlText);
  if (typeof spec?.openapi !== 'string' || !spec.openapi.startsWith('3.')) throw new Error('not an OpenAPI 3 document');
  const paths = Object.entries(spec.paths ?? {});
  if (paths.length === 0) throw new Error('the spec has no paths');
  const prefixed = paths.filter(([path]) => path === '/v1' || path.startsWith('/v1/'));
  if (prefixed.length > 0) throw new Error(`the spec's paths already carry /v1 (${prefixed[0][0]})`);
  spec.paths = Object.fromEntries(paths.map(([path, item]) => [`/v1${path}`, item]));
  spec.servers = [{ url: 'http://127.0.0.1' }];
  return spec;
}

/** Writes the /v1 copy of `source` to `out` as JSON; returns how many paths it has. */
export function writeSpecWithV1(out, source = VENDORED_SPEC) {
  const spec = specWithV1(readFileSync(source, 'utf8'));
  writeFileSync(out, JSON.stringify(spec));
  return Object.keys(spec.paths).length;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [out, source] = process.argv.slice(2);
  if (!out) {
    console.error('usage: node tests/contract/spec-v1.mjs OUT.json [SPEC.yml]');
    process.exit(2);
  }
  const count = writeSpecWithV1(out, source);
  console.log(`wrote ${out} (${count} paths under /v1)`);
}
