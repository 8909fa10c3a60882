// Starting and stopping the helper processes the end-to-end run (run.mjs) and the load
// benchmark (benches/load.mjs) need: each command runs in a process group of its own, so
// that stopping it by its PID also stops whatever it spawned (wrangler's workerd), and nothing
// else is ever signalled. Also: waiting until a started worker answers /health.

import { spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

export function pause(ms) {
  return new Promise((resolve) => { setTimeout(resolve, ms); });
}

/**
 * Starts a command in its own process group. `stdout` and `stderr` are 'inherit', 'pipe',
 * 'ignore' or a file descriptor (closed here once the child has its copy). The child's
 * `exited` promise resolves to { code, signal } or { error } when it ends.
 */
export function launchGroup(command, args, { cwd, env = process.env, stdout = 'inherit', stderr = 'inherit' } = {}) {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', stdout, stderr] });
  for (const fd of new Set([stdout, stderr])) if (typeof fd === 'number') closeSync(fd);
  child.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
  });
  return child;
}

export function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops a group launchGroup started: SIGTERM, then SIGKILL for whatever is left after 5 s. */
export async function stopGroup(child) {
  if (child.pid === undefined) return;
  for (const signal of ['SIGTERM', 'SIGKILL']) {
    if (!groupAlive(child.pid)) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      return;
    }
    const until = Date.now() + 5000;
    while (groupAlive(child.pid) && Date.now() < until) await pause(100);
  }
}

/** Last resort, for an `exit` handler (which cannot wait): SIGKILL to each group at once. */
export function killGroupsNow(children) {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * The processes one script starts, each in its own process group so that stopping it stops what
 * it spawned: `launch` starts and records one (options as for launchGroup, run in `cwd`), `stop`
 * stops one, `stopAll` those still running. When the script exits, whatever is left is killed.
 */
export function processGroups(cwd) {
  const started = new Set();
  process.on('exit', () => killGroupsNow(started));
  const stop = async (child) => {
    started.delete(child);
    await stopGroup(child);
  };
  return {
    launch(command, args, options = {}) {
      const child = launchGroup(command, args, { cwd, ...options });
      started.add(child);
      return child;
    },
    stop,
    stopAll: () => Promise.all([...started].map(stop)),
  };
}

/** A port free on 127.0.0.1 right now (another process may take it before it is used). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Waits for a child started with stdout 'pipe' to print `listening <port>` (the fake Clerk,
 * the spec proxy); resolves to the port. Fails if it exits first or takes over `timeoutMs`.
 */
export function listeningPort(child, name, timeoutMs = 10_000) {
  const lines = createInterface({ input: child.stdout });
  let timer;
  return Promise.race([
    new Promise((resolve) => {
      lines.on('line', (line) => {
        const match = /^listening (\d+)$/.exec(line);
        if (match) resolve(Number(match[1]));
      });
    }),
    child.exited.then(() => { throw new Error(`${name} exited before listening`); }),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs / 1000} s`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Polls `${base}/health` every 250 ms until `isReady(body)` holds, the child exits or
 * `timeoutMs` runs out. Resolves to { ready: true }, or to { exited, detail }: how the child
 * ended, or the last answer or error seen. The caller stops a child that did not get ready.
 */
export async function untilHealthy(child, base, isReady, timeoutMs) {
  const until = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < until && child.exitCode === null && child.signalCode === null) {
    try {
      const response = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5000) });
      const body = await response.json();
      if (isReady(body)) return { ready: true };
      last = `/health answered ${response.status} ${JSON.stringify(body)}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await pause(250);
  }
  const exited = child.exitCode !== null || child.signalCode !== null;
  return { exited, detail: exited ? `exited with ${child.exitCode ?? child.signalCode}` : last };
}
