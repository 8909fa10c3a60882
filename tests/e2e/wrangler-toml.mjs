// Reading a setting of a wrangler.toml, for the end-to-end run (run.mjs), which checks that its
// test config runs the worker as the root one does, and the load benchmark
// (benches/load.mjs), which gives workerd the root config's compatibility settings.

/** The raw value of a top-level `key = value` line (quotes and brackets kept), or null. */
export function tomlSetting(text, key) {
  return new RegExp(`^\\s*${key}\\s*=\\s*(.+?)\\s*$`, 'm').exec(text)?.[1] ?? null;
}
