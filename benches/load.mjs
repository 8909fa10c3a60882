// The load benchmark: how fast the release worker answers, and how much CPU the runtime spends
// per request, under the local runtime (workerd) against a fake Clerk on 127.0.0.1 that answers
// at once and keeps no record.
//
// It builds the release worker (.ci/build.sh, unless --no-build), starts the fake Clerk
// (tests/e2e/fake-clerk.mjs, 45 users, `--record false`) and the worker in hosted mode (a
// made-up Clerk key, a random access token), sends each request once and checks its answer,
// then drives each scenario with a load generator (wrk, or oha if wrk is missing): a warm-up
// that is not counted, then `--duration` seconds of load. Scenarios:
//
//   ping, tools/list, tools/call clerk_list_users {limit: 20}   at concurrency 1 and 16; the
//   last two also in MCP 2026-07-28 (`_meta` and its headers), to compare the eras
//   GET /unknown (a 404 that touches nothing) and GET /health (one Clerk call), concurrency 1:
//   the runtime's fixed cost per request, to read the others against
//   GET / from a browser (the front door page, with the same Clerk call as /health), concurrency 1
//
// By default the worker runs in workerd alone, as it runs when deployed: build/ served by the
// binary of the `workerd` dev dependency (the version wrangler uses), with a config written
// here that gives it the root wrangler.toml's compatibility date and flags and the same
// variables. --wrangler runs it under `wrangler dev` instead (tests/e2e/wrangler.toml), which
// adds wrangler's proxy workerd in front and a devtools connection to the worker that is told
// about every outgoing request.
//
// For each scenario it prints req/s, p50 and p99 latency, errors, and the CPU time per request
// of the workerd processes, read from their own accounting (/proc/PID/stat: utime + stime of
// all threads, in clock ticks) before and after the load, divided by the requests completed:
// the workerd that runs the worker ("worker", the main figure) and, under wrangler, its proxy
// ("proxy"), reported apart. Both figures are raw: they include whatever the runtime spends
// when idle, which is measured over a quiet period as long as a scenario and printed too. An
// error is a socket error, a timeout or an answer that is not what the request must get (a
// non-2xx status; for MCP requests a body without `result`, or a tool result with isError).
//
//   node benches/load.mjs [--no-build] [--duration 10] [--warmup 2] [--runs 1]
//                         [--wrangler [--direct]] [--generator wrk|oha] [--only NAME]... [--help]
//
// --runs N goes through every scenario N times, one round after another so that a slow
// moment of the machine falls on every scenario alike, prints each round's table, and then
// the median of each figure over the rounds with the range of the worker's CPU.
//
// --direct (with --wrangler) sends the load to the worker's workerd itself, past wrangler's
// proxy. Everything it starts runs in a process group of its own and is stopped by PID on
// exit, on error, on Ctrl-C and when the overall time limit runs out. Exits 1 if any scenario
// had an error, 2 on bad usage or a missing load generator; the CPU figures are printed, never
// judged.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

import {
  freePort, listeningPort, pause, processGroups, untilHealthy,
} from '../tests/e2e/processes.mjs';
import { tomlSetting } from '../tests/e2e/wrangler-toml.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FAKE_CLERK = join(ROOT, 'tests', 'e2e', 'fake-clerk.mjs');
const WRANGLER = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const WRANGLER_CONFIG = join(ROOT, 'tests', 'e2e', 'wrangler.toml');
const ROOT_CONFIG = join(ROOT, 'wrangler.toml');
const SEEDED_USERS = 45;
const LIST_LIMIT = 20;
const BUILD_TIMEOUT_MS = 15 * 60_000;
const STARTUP_TIMEOUT_MS = 90_000;

const USAGE = `Usage: node benches/load.mjs [options]    (npm run bench:load -- [options])

Builds the release worker, runs it in workerd in hosted mode against a fake Clerk on
127.0.0.1, and drives ping, tools/list and tools/call clerk_list_users (20 users), the last
two in both the 2025-06-18 and the 2026-07-28 era, at concurrency 1 and 16 with wrk (or oha), plus GET /unknown and GET /health as the runtime's
fixed cost, and the front door page (GET / asking for HTML). Prints req/s, p50/p99 latency, errors and workerd CPU ms per request.

Options:
  --no-build          use the worker already in build/
  --duration S        seconds of measured load per scenario (default 10)
  --warmup S          seconds of uncounted load before each scenario (default 2)
  --runs N            rounds over all scenarios; with more than one, also prints the
                      median of each figure and the range of the worker's CPU (default 1)
  --wrangler          run the worker under \`wrangler dev\` (its proxy and devtools
                      connection included) instead of workerd alone
  --direct            with --wrangler: load the worker's workerd itself, past the proxy
  --only NAME         run only this scenario (at each of its concurrencies); may be repeated,
                      as in --only ping --only tools/list
  --generator NAME    wrk or oha (default: wrk if on PATH, else oha; wrk is installed
                      with apt-get when neither is there and this runs as root)
  --help              this text

Exits 1 if any scenario had an error, 2 on bad usage or without a load generator.`;

// ---------------------------------------------------------------------------------------------
// Options

let options;
try {
  ({ values: options } = parseArgs({
    options: {
      'no-build': { type: 'boolean', default: false },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      runs: { type: 'string', default: '1' },
      wrangler: { type: 'boolean', default: false },
      direct: { type: 'boolean', default: false },
      generator: { type: 'string' },
      only: { type: 'string', multiple: true },
      help: { type: 'boolean', default: false },
    },
  }));
} catch (error) {
  console.error(`bench: ${error.message}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
const duration = Number(options.duration);
const warmup = Number(options.warmup);
const runs = Number(options.runs);
if (!Number.isInteger(duration) || duration < 1 || !Number.isInteger(warmup) || warmup < 0
  || !Number.isInteger(runs) || runs < 1 || runs > 20) {
  console.error('bench: --duration must be a whole number of seconds >= 1, --warmup >= 0, --runs from 1 to 20');
  process.exit(2);
}
if (options.direct && !options.wrangler) {
  console.error('bench: --direct goes with --wrangler: without it the load already goes to workerd itself');
  process.exit(2);
}
if (options.generator !== undefined && !['wrk', 'oha'].includes(options.generator)) {
  console.error('bench: --generator must be wrk or oha');
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Scenarios

const token = randomBytes(24).toString('base64url');
const clerkKey = `sk_test_${randomBytes(16).toString('hex')}`;
const MCP_HEADERS = {
  'Content-Type': 'application/json',
  Accept: 'application/json, text/event-stream',
  'MCP-Protocol-Version': '2025-06-18',
  Authorization: `Bearer ${token}`,
};
const rpc = (method, params) => JSON.stringify({ jsonrpc: '2.0', id: 1, method, ...(params && { params }) });

// The same requests in MCP 2026-07-28: `_meta` in the body, and the headers that repeat it.
const STATELESS_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
};
const statelessHeaders = (method, name) => ({
  'MCP-Protocol-Version': '2026-07-28',
  'Mcp-Method': method,
  ...(name && { 'Mcp-Name': name }),
});
const statelessRpc = (method, params = {}) => rpc(method, { ...params, _meta: STATELESS_META });
/** The headers of an MCP request: the common ones, and its own. */
const mcpHeaders = (request) => ({ ...MCP_HEADERS, ...request.headers });

/** What an MCP answer must be: HTTP 200, a JSON-RPC result, not a tool error. */
function mcpAnswerProblem(status, body) {
  if (status !== 200) return `HTTP ${status}`;
  if (body?.result === undefined) return `no result: ${JSON.stringify(body).slice(0, 200)}`;
  if (body.result.isError) return `tool error: ${JSON.stringify(body.result).slice(0, 200)}`;
  return null;
}

// tools/list is measured with every toolset on, the longest list a connection can ask for.
const EVERY_TOOLSET = 'organizations,members,invitations,users,sessions,roles,instance,access,billing';

const REQUESTS = {
  ping: { method: 'POST', path: '/mcp', body: rpc('ping'), mcp: true },
  'tools/list': {
    method: 'POST',
    path: `/mcp?toolsets=${EVERY_TOOLSET}`,
    body: rpc('tools/list'),
    mcp: true,
    check: (body) => (body.result.tools?.length > 0 ? null : 'no tools listed'),
  },
  'list_users (20)': {
    method: 'POST',
    path: '/mcp',
    body: rpc('tools/call', { name: 'clerk_list_users', arguments: { limit: LIST_LIMIT } }),
    mcp: true,
    check: (body) => {
      const users = body.result.structuredContent?.users;
      return users?.length === LIST_LIMIT ? null : `${users?.length} users, not ${LIST_LIMIT}`;
    },
  },
  'tools/list (2026-07-28)': {
    method: 'POST',
    path: `/mcp?toolsets=${EVERY_TOOLSET}`,
    body: statelessRpc('tools/list'),
    headers: statelessHeaders('tools/list'),
    mcp: true,
    check: (body) => (body.result.tools?.length > 0 && body.result.resultType === 'complete' ? null : 'no tools listed'),
  },
  'list_users (20, 2026-07-28)': {
    method: 'POST',
    path: '/mcp',
    body: statelessRpc('tools/call', { name: 'clerk_list_users', arguments: { limit: LIST_LIMIT } }),
    headers: statelessHeaders('tools/call', 'clerk_list_users'),
    mcp: true,
    check: (body) => {
      const users = body.result.structuredContent?.users;
      return users?.length === LIST_LIMIT && body.result.resultType === 'complete' ? null : `${users?.length} users, not ${LIST_LIMIT}`;
    },
  },
  'GET /unknown (404)': { method: 'GET', path: '/unknown', status: 404 },
  'GET /health': { method: 'GET', path: '/health', status: 200, check: (body) => (body.mode === 'hosted' ? null : `mode ${body.mode}`) },
  'GET / (front door)': {
    method: 'GET', path: '/', headers: { Accept: 'text/html' }, status: 200, html: true,
    check: (text) => (text.includes('id="mcp-url"') ? null : 'not the front door page'),
  },
};

const ALL_SCENARIOS = [
  ...['ping', 'tools/list', 'tools/list (2026-07-28)', 'list_users (20)', 'list_users (20, 2026-07-28)']
    .flatMap((name) => [1, 16].map((concurrency) => ({ name, concurrency }))),
  { name: 'GET /unknown (404)', concurrency: 1, baseline: true },
  { name: 'GET /health', concurrency: 1, baseline: true },
  { name: 'GET / (front door)', concurrency: 1 },
];

// --only keeps the scenarios named, each with every concurrency it runs at.
const onlyNames = options.only ?? null;
const unknownNames = (onlyNames ?? []).filter((name) => !(name in REQUESTS));
if (unknownNames.length > 0) {
  console.error(`bench: --only takes a scenario name, one of: ${Object.keys(REQUESTS).join('; ')}`);
  process.exit(2);
}
const SCENARIOS = ALL_SCENARIOS.filter((scenario) => !onlyNames || onlyNames.includes(scenario.name));

// ---------------------------------------------------------------------------------------------
// Processes: each started in its own process group, and stopped by the group's ID.

const { launch, stop, stopAll } = processGroups(ROOT);
const workDir = mkdtempSync(join(tmpdir(), 'clerk-mcp-bench-'));
let finishing = false;

async function finish(code, reason) {
  if (finishing) return;
  finishing = true;
  if (reason) console.error(`\nbench: ${reason}: stopping everything it started`);
  await stopAll();
  rmSync(workDir, { recursive: true, force: true });
  process.exit(code);
}

process.on('SIGINT', () => finish(130, 'interrupted'));
process.on('SIGTERM', () => finish(143, 'terminated'));

/** Runs a command to completion (stdout captured) within `timeoutMs`; throws on failure. */
async function run(command, args, { timeoutMs, capture = false, env } = {}) {
  const child = launch(command, args, { stdout: capture ? 'pipe' : 'inherit', stderr: 'inherit', env });
  let output = '';
  if (capture) child.stdout.on('data', (chunk) => { output += chunk; });
  let timer;
  const outcome = await Promise.race([
    child.exited,
    new Promise((resolve) => { timer = setTimeout(() => resolve({ timeout: true }), timeoutMs); }),
  ]);
  clearTimeout(timer);
  await stop(child);
  if (outcome.timeout) throw new Error(`${command} ${args[0] ?? ''} took over ${timeoutMs / 1000} s`);
  if (outcome.error) throw new Error(`${command}: ${outcome.error.message}`);
  if (outcome.code !== 0) throw new Error(`${command} ${args[0] ?? ''} exited with ${outcome.code ?? outcome.signal}`);
  return output;
}

function onPath(name) {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, name)));
}

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** utime + stime of a process (all its threads), in clock ticks; null once it is gone. */
function cpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** The PIDs of every process descended from `root`. */
function descendants(root) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(Number(entry));
    if (parent === null) continue;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(Number(entry));
  }
  const found = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/**
 * The workerd processes wrangler started: { worker, proxy } PIDs. The proxy is the one
 * listening on wrangler's own port; the worker's workerd listens on a port of its own choosing.
 */
function findWorkerd(wranglerPid, port) {
  const workerds = descendants(wranglerPid).filter((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/exe`).endsWith('/workerd');
    } catch {
      return false;
    }
  });
  const commandLine = (pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const proxy = workerds.find((pid) => commandLine(pid).includes(`--socket-addr=entry=127.0.0.1:${port}`));
  const others = workerds.filter((pid) => pid !== proxy);
  if (others.length !== 1) {
    throw new Error(`expected one workerd running the worker under wrangler (PID ${wranglerPid}), found ${others.length}`);
  }
  return { worker: others[0], proxy };
}

/** The 127.0.0.1 TCP ports a process listens on (from /proc/net/tcp and its socket inodes). */
function listeningPorts(pid) {
  const inodes = new Set();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]);
    } catch {
      // closed meanwhile
    }
  }
  return readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length > 9 && f[3] === '0A' && f[1].startsWith('0100007F:') && inodes.has(f[9]))
    .map((f) => parseInt(f[1].split(':')[1], 16));
}

/** The worker's own port in its workerd (the one that answers /health as the worker). */
async function directPort(workerPid) {
  for (const port of listeningPorts(workerPid)) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
      if ((await response.json()).mode === 'hosted') return port;
    } catch {
      // the inspector or another of workerd's own sockets
    }
  }
  throw new Error(`the worker's workerd (PID ${workerPid}) answers /health on none of its ports`);
}

// ---------------------------------------------------------------------------------------------
// Services

async function startFakeClerk() {
  const child = launch(process.execPath, [FAKE_CLERK, '--port', '0', '--users', String(SEEDED_USERS), '--key', clerkKey, '--record', 'false'], {
    stdout: 'pipe',
    stderr: openSync(join(workDir, 'fake-clerk.log'), 'a'),
  });
  const port = await listeningPort(child, 'the fake Clerk');
  return { child, url: `http://127.0.0.1:${port}` };
}

/** Starts `wrangler dev` of build/ on a free port; resolves once /health says hosted. */
function startWrangler(clerkUrl) {
  const log = join(workDir, 'wrangler.log');
  return startWithRetries('wrangler', log, async () => {
    const [port, inspectorPort] = [await freePort(), await freePort()];
    const child = launch(process.execPath, [
      WRANGLER, 'dev',
      '--config', WRANGLER_CONFIG,
      '--ip', '127.0.0.1', '--port', String(port),
      '--inspector-ip', '127.0.0.1', '--inspector-port', String(inspectorPort),
      '--local', '--persist-to', join(workDir, 'state'),
      '--show-interactive-dev-session=false',
      // No log line per request: that is wrangler's work, not the worker's.
      '--log-level', 'warn',
      '--var', `CLERK_SECRET_KEY:${clerkKey}`,
      '--var', `CLERK_API_URL:${clerkUrl}`,
      '--var', `MCP_AUTH_TOKENS:${token}`,
    ], {
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG_PATH: workDir },
      stdout: openSync(log, 'a'),
      stderr: openSync(log, 'a'),
    });
    return { child, port };
  });
}

/**
 * The workerd config that serves build/ as the deployed Worker runs: the root wrangler.toml's
 * compatibility date and flags, the variables `wrangler dev` would be given, and outgoing
 * requests allowed to 127.0.0.1 (where the fake Clerk is). Module paths are relative to the
 * config's own directory, into which build/ is copied.
 */
function workerdConfig(port, bindings) {
  const root = readFileSync(ROOT_CONFIG, 'utf8');
  const date = JSON.parse(tomlSetting(root, 'compatibility_date') ?? 'null');
  if (!date) throw new Error('the root wrangler.toml has no compatibility_date');
  const flags = JSON.parse(tomlSetting(root, 'compatibility_flags') ?? '[]');
  const text = (value) => JSON.stringify(String(value));
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "outbound", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = ${text(`127.0.0.1:${port}`)}, http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "index.js", esModule = embed "index.js"),
    (name = "index_bg.wasm", wasm = embed "index_bg.wasm"),
  ],
  compatibilityDate = ${text(date)},
  compatibilityFlags = [${flags.map(text).join(', ')}],
  bindings = [
${Object.entries(bindings).map(([name, value]) => `    (name = ${text(name)}, text = ${text(value)}),`).join('\n')}
  ],
  globalOutbound = "outbound",
);
`;
}

/** Starts workerd alone on a free port, serving a copy of build/; resolves once /health says hosted. */
async function startWorkerd(clerkUrl) {
  const { default: workerd } = await import('workerd');
  const dir = join(workDir, 'workerd');
  mkdirSync(dir);
  for (const file of ['index.js', 'index_bg.wasm']) copyFileSync(join(ROOT, 'build', file), join(dir, file));
  const log = join(workDir, 'workerd.log');
  return startWithRetries('workerd', log, async () => {
    const port = await freePort();
    const config = workerdConfig(port, { CLERK_SECRET_KEY: clerkKey, CLERK_API_URL: clerkUrl, MCP_AUTH_TOKENS: token });
    writeFileSync(join(dir, 'config.capnp'), config);
    const child = launch(workerd.default, ['serve', join(dir, 'config.capnp')], {
      stdout: openSync(log, 'a'),
      stderr: openSync(log, 'a'),
    });
    return { child, port };
  });
}

/**
 * Starts a server with `start` (which resolves to its child process and port) until its /health
 * says hosted with Clerk reachable; tries again on another port if the port was taken meanwhile.
 */
async function startWithRetries(name, log, start) {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const { child, port } = await start();
    const ready = (body) => body.mode === 'hosted' && body.clerkConnected;
    const outcome = await untilHealthy(child, `http://127.0.0.1:${port}`, ready, STARTUP_TIMEOUT_MS);
    if (outcome.ready) return { child, port };
    await stop(child);
    const written = readFileSync(log, 'utf8');
    if (outcome.exited && written.includes('Address already in use') && attempt < 3) continue;
    console.error(`${name} log, last lines:\n${written.split('\n').slice(-30).join('\n')}`);
    throw new Error(`the worker did not start (${outcome.exited ? `${name} ${outcome.detail}` : outcome.detail})`);
  }
  throw new Error('unreachable');
}

/**
 * Sends each scenario's request once and checks the answer: a benchmark of failures measures
 * nothing. Returns each answer's body size in bytes, since much of a large answer's CPU is
 * the runtime moving its bytes.
 */
async function checkRequests(base) {
  const sizes = {};
  for (const [name, request] of Object.entries(REQUESTS)) {
    const response = await fetch(`${base}${request.path}`, {
      method: request.method,
      headers: request.mcp ? mcpHeaders(request) : request.headers ?? {},
      body: request.body,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    sizes[name] = Buffer.byteLength(text);
    let body = request.html ? text : null;
    try {
      if (!request.html) body = JSON.parse(text);
    } catch {
      // judged below
    }
    let problem = request.mcp ? mcpAnswerProblem(response.status, body)
      : response.status === request.status ? null : `HTTP ${response.status}, not ${request.status}`;
    if (!problem && body === null) problem = `not JSON: ${text.slice(0, 200)}`;
    if (!problem && request.check) problem = request.check(body);
    if (problem) throw new Error(`${name}: ${problem}`);
  }
  return sizes;
}

// ---------------------------------------------------------------------------------------------
// Load generators: each returns { requests, seconds, p50, p99 (ms), errors, detail }.

async function chooseGenerator() {
  if (options.generator) {
    if (!onPath(options.generator)) throw Object.assign(new Error(`${options.generator} is not on PATH`), { exitCode: 2 });
    return options.generator;
  }
  if (onPath('wrk')) return 'wrk';
  if (onPath('oha')) return 'oha';
  if (process.getuid?.() === 0 && onPath('apt-get')) {
    console.log('installing wrk (apt-get install -y wrk)');
    await run('apt-get', ['install', '-y', 'wrk'], { timeoutMs: 5 * 60_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (onPath('wrk')) return 'wrk';
  }
  throw Object.assign(new Error('no load generator: install wrk (Debian: sudo apt-get install wrk) or oha (cargo install oha)'), { exitCode: 2 });
}

const luaString = (text) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * The wrk script of a request: method, headers and body; each answer is checked (status, and
 * for MCP a result that is not a tool error) and done() prints the summary as one JSON line.
 */
function wrkScript(request) {
  const headers = request.mcp ? mcpHeaders(request) : request.headers ?? {};
  const expected = request.mcp ? 200 : request.status;
  return `-- Written by benches/load.mjs.
wrk.method = ${luaString(request.method)}
${request.body ? `wrk.body = ${luaString(request.body)}` : ''}
${Object.entries(headers).map(([name, value]) => `wrk.headers[${luaString(name)}] = ${luaString(value)}`).join('\n')}

local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end

function response(status, headers, body)
  if status ~= ${expected} then bad = bad + 1 return end
  ${request.mcp ? `if not string.find(body, '"result"', 1, true) or string.find(body, '"isError":true', 1, true) then bad = bad + 1 end` : ''}
end

function done(summary, latency, requests)
  local wrong = 0
  for _, thread in ipairs(threads) do wrong = wrong + thread:get("bad") end
  local e = summary.errors
  io.write(string.format('BENCH {"requests":%d,"us":%d,"p50":%d,"p99":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d,"wrong":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.timeout, e.status, wrong))
end
`;
}

async function wrk(url, request, concurrency, seconds) {
  const script = join(workDir, `wrk-${randomBytes(4).toString('hex')}.lua`);
  writeFileSync(script, wrkScript(request));
  const threads = Math.min(concurrency, 2);
  const output = await run('wrk', [`-t${threads}`, `-c${concurrency}`, `-d${seconds}s`, '--timeout', '5s', '-s', script, url], {
    timeoutMs: (seconds + 30) * 1000,
    capture: true,
  });
  const line = output.split('\n').find((l) => l.startsWith('BENCH '));
  if (!line) throw new Error(`wrk printed no summary:\n${output}`);
  const r = JSON.parse(line.slice(6));
  // errors.status counts answers >= 400, which the script's own check (`wrong`) also counts.
  const socket = r.connect + r.read + r.write + r.timeout;
  const detail = [
    socket ? `socket errors: connect ${r.connect}, read ${r.read}, write ${r.write}, timeout ${r.timeout}` : '',
    r.wrong ? `${r.wrong} wrong answers` : '',
  ].filter(Boolean).join('; ');
  return { requests: r.requests, seconds: r.us / 1e6, p50: r.p50 / 1000, p99: r.p99 / 1000, errors: socket + r.wrong, detail };
}

async function oha(url, request, concurrency, seconds) {
  const headers = request.mcp ? mcpHeaders(request) : request.headers ?? {};
  const output = await run('oha', [
    // -w lets the requests still running at the deadline finish: without it oha cuts them
    // off and counts each as an error ("aborted due to deadline"), one per connection.
    '--no-tui', '--output-format', 'json', '-z', `${seconds}s`, '-w', '-c', String(concurrency), '-m', request.method,
    ...Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
    ...(request.body ? ['-d', request.body] : []),
    url,
  ], { timeoutMs: (seconds + 30) * 1000, capture: true });
  const r = JSON.parse(output);
  const expected = String(request.mcp ? 200 : request.status);
  const statuses = r.statusCodeDistribution ?? {};
  const answered = Object.values(statuses).reduce((a, b) => a + b, 0);
  const failed = Object.values(r.errorDistribution ?? {}).reduce((a, b) => a + b, 0);
  const wrongStatus = answered - (statuses[expected] ?? 0);
  const detail = [
    failed ? `errors: ${JSON.stringify(r.errorDistribution)}` : '',
    wrongStatus ? `statuses: ${JSON.stringify(statuses)}` : '',
  ].filter(Boolean).join('; ');
  // oha does not look into bodies: the check before the load is all there is for them.
  return {
    requests: answered, seconds: r.summary.total, p50: r.latencyPercentiles.p50 * 1000, p99: r.latencyPercentiles.p99 * 1000,
    errors: failed + wrongStatus, detail,
  };
}

// ---------------------------------------------------------------------------------------------
// Main

function bundleSizes() {
  const files = ['build/index_bg.wasm', 'build/index.js'].map((file) => join(ROOT, file));
  if (!files.every(existsSync)) return 'not built';
  const contents = files.map((file) => readFileSync(file));
  const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
  const raw = contents.reduce((sum, content) => sum + content.length, 0);
  return `wasm ${kib(contents[0].length)}, bundle ${kib(raw)} raw, ${kib(gzipSync(Buffer.concat(contents)).length)} gzipped`;
}

function table(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  const numeric = (column) => column >= 1;
  return rows.map((row, i) => row.map((cell, column) => {
    const text = String(cell);
    return i > 0 && numeric(column) ? text.padStart(widths[column]) : text.padEnd(widths[column]);
  }).join('  ').trimEnd()).join('\n');
}

/** The median of numbers. */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * One row per scenario over the rounds' rows (all in the same order): the median of each
 * figure, errors summed, and the lowest and highest worker CPU.
 */
function medianRows(rounds) {
  const decimals = [null, null, 0, 2, 2, null, 3, 3, 3, 3];
  return rounds[0].map((first, index) => {
    const column = (c) => rounds.map((rows) => rows[index][c]);
    const row = first.map((cell, c) => {
      if (c < 2) return cell;
      if (c === 5) return column(c).reduce((sum, errors) => sum + errors, 0);
      const numbers = column(c).map(Number);
      return numbers.some(Number.isNaN) ? '-' : median(numbers).toFixed(decimals[c]);
    });
    const cpu = column(6).map(Number);
    return [...row, `${Math.min(...cpu).toFixed(3)}-${Math.max(...cpu).toFixed(3)}`];
  });
}

async function main() {
  const generate = { wrk, oha }[await chooseGenerator()];
  if (!options['no-build']) {
    console.log('building the release worker (bash .ci/build.sh)');
    await run('bash', [join(ROOT, '.ci', 'build.sh')], { timeoutMs: BUILD_TIMEOUT_MS });
  }
  if (!existsSync(join(ROOT, 'build', 'index.js'))) throw new Error('no build/index.js: build the worker (npm run build) or drop --no-build');
  if (!existsSync(WRANGLER) || !existsSync(join(ROOT, 'node_modules', 'workerd'))) {
    throw new Error('no wrangler or workerd in node_modules: run npm ci');
  }

  // From here on the run is bounded: every scenario with its warm-up, the idle period, and two
  // minutes for starting and stopping.
  const limitMs = ((duration + warmup) * SCENARIOS.length * runs + duration + 120) * 1000;
  setTimeout(() => finish(1, `the time limit of ${limitMs / 1000} s ran out`), limitMs).unref();

  const clerk = await startFakeClerk();
  let workerd;
  let port;
  if (options.wrangler) {
    const wrangler = await startWrangler(clerk.url);
    workerd = findWorkerd(wrangler.child.pid, wrangler.port);
    port = options.direct ? await directPort(workerd.worker) : wrangler.port;
  } else {
    const alone = await startWorkerd(clerk.url);
    workerd = { worker: alone.child.pid, proxy: null };
    port = alone.port;
  }
  const base = `http://127.0.0.1:${port}`;
  const sizes = await checkRequests(base);

  const cpuModel = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`\n${availableParallelism()} cores (${cpuModel}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`build: ${bundleSizes()}`);
  console.log(`load generator: ${generate.name}; ${duration} s per scenario after ${warmup} s of warm-up; clock tick ${1000 / CLOCK_TICKS} ms`);
  const route = !options.wrangler ? 'workerd alone, serving the worker (no wrangler, no devtools)'
    : options.direct ? "the worker's workerd under wrangler dev, past its proxy" : "wrangler dev's port (its proxy workerd, then the worker's)";
  console.log(`requests go to ${route}`);
  console.log(`answer bodies: ${Object.entries(sizes).map(([name, bytes]) => `${name} ${bytes} B`).join(', ')}`);
  console.log(`workerd PIDs: worker ${workerd.worker}, proxy ${workerd.proxy ?? 'none'}; fake Clerk ${clerk.child.pid} (${SEEDED_USERS} users)`);

  // The runtime's CPU when nothing happens, over a period as long as a scenario.
  const quiet = { worker: cpuTicks(workerd.worker), proxy: workerd.proxy && cpuTicks(workerd.proxy), at: Date.now() };
  await pause(duration * 1000);
  const quietSeconds = (Date.now() - quiet.at) / 1000;
  const idleMsPerSecond = {
    worker: ((cpuTicks(workerd.worker) - quiet.worker) * 1000) / CLOCK_TICKS / quietSeconds,
    proxy: workerd.proxy ? ((cpuTicks(workerd.proxy) - quiet.proxy) * 1000) / CLOCK_TICKS / quietSeconds : NaN,
  };
  const idleProxy = workerd.proxy ? `, proxy ${idleMsPerSecond.proxy.toFixed(2)} ms/s` : '';
  console.log(`idle workerd CPU over ${quietSeconds.toFixed(0)} s: worker ${idleMsPerSecond.worker.toFixed(2)} ms/s${idleProxy}`);

  const header = ['scenario', 'concurrency', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'worker CPU ms/req', 'proxy CPU ms/req', 'idle ms/req', 'fake Clerk ms/req'];
  const rounds = [];
  const problems = [];
  for (let round = 1; round <= runs; round += 1) {
    if (runs > 1) console.log(`round ${round} of ${runs}`);
    const rows = [];
    for (const scenario of SCENARIOS) {
      const request = REQUESTS[scenario.name];
      const url = `${base}${request.path}`;
      if (warmup > 0) await generate(url, request, scenario.concurrency, warmup);
      const before = [workerd.worker, workerd.proxy, clerk.child.pid].map((pid) => (pid ? cpuTicks(pid) : null));
      const result = await generate(url, request, scenario.concurrency, duration);
      const after = [workerd.worker, workerd.proxy, clerk.child.pid].map((pid) => (pid ? cpuTicks(pid) : null));
      if (after.some((ticks, i) => before[i] !== null && ticks === null)) throw new Error('a workerd or the fake Clerk exited during the load');
      const perRequest = (i) => (before[i] === null ? '-' : (((after[i] - before[i]) * 1000) / CLOCK_TICKS / result.requests).toFixed(3));
      const idle = (idleMsPerSecond.worker * result.seconds) / result.requests;
      rows.push([
        `${scenario.name}${scenario.baseline ? ' [baseline]' : ''}`, scenario.concurrency, (result.requests / result.seconds).toFixed(0),
        result.p50.toFixed(2), result.p99.toFixed(2), result.errors, perRequest(0), perRequest(1), idle.toFixed(3), perRequest(2),
      ]);
      console.log(`  ${scenario.name} at ${scenario.concurrency}: ${result.requests} requests in ${result.seconds.toFixed(1)} s, ${result.errors} errors${result.detail ? ` (${result.detail})` : ''}`);
      if (result.errors > 0) problems.push(`${scenario.name} at concurrency ${scenario.concurrency}: ${result.errors} errors`);
    }
    console.log(`\n${table([header, ...rows])}\n`);
    rounds.push(rows);
  }
  if (runs > 1) console.log(`medians over ${runs} rounds (errors summed):\n${table([[...header, 'worker CPU range'], ...medianRows(rounds)])}`);
  console.log(`\nworker CPU ms/req: utime+stime of the workerd running the worker, per completed request, idle included (idle ms/req is that share).`);
  if (options.wrangler) console.log("proxy CPU ms/req: the same for wrangler's proxy workerd in front of it (dev-only).");
  if (problems.length > 0) {
    console.log(`\nerrors:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    return 1;
  }
  return 0;
}

let code;
try {
  code = await main();
} catch (error) {
  // Once stopping has begun, what fails is only what was stopped.
  if (!finishing) console.error(`bench: ${error.message}`);
  code = error.exitCode ?? 1;
}
await finish(code);
