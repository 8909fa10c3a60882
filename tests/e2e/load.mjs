// A load test of one running worker: many `tools/call` requests at once, over plain HTTP, each
// asking for a different user (clerk_get_user by ID, clerk_list_users one user at a different
// offset) under its own JSON-RPC ID. Every answer must be HTTP 200, carry its own request's ID
// and show the user that request asked for; the fake Clerk must have received exactly the calls
// those requests make, each with the mode's key. Prints one table row of requests, duration,
// requests per second, latency percentiles and errors, and exits non-zero on any error or when
// the time limit runs out.
//
//   node tests/e2e/load.mjs --mode public|hosted [--requests 2000] [--concurrency 50]
//                           [--time-limit 120]
//
// run.mjs runs it for both modes, with the environment the tests get.

import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import { clearClerkRecord, clerkRecord, modes, seededUsers } from './support.mjs';

const { values: options } = parseArgs({
  options: {
    mode: { type: 'string' },
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '50' },
    'time-limit': { type: 'string', default: '120' },
  },
});
const mode = modes().find((m) => m.name === options.mode);
if (!mode) {
  console.error('load: --mode must be public or hosted');
  process.exit(2);
}
const total = Number(options.requests);
const concurrency = Number(options.concurrency);
const timeLimitMs = Number(options['time-limit']) * 1000;
const mismatchExamples = [];

/** Request `i`: even ones get a user by ID, odd ones list one user at an offset. */
function plan(i, users, tag) {
  const id = i % 2 === 0 ? 1_000_000 + i : `${tag}-${i}`;
  const k = Math.floor(i / 2) % users.length;
  if (i % 2 === 0) {
    return { id, name: 'clerk_get_user', args: { userId: users[k].id }, expect: users[k].id, clerkCalls: 1 };
  }
  // Newest first: offset k is the k-th newest user.
  return {
    id, name: 'clerk_list_users', args: { limit: 1, offset: k }, expect: users[users.length - 1 - k].id, totalCount: users.length, clerkCalls: 2,
  };
}

/** What went wrong with one answer, or null. */
function judge(request, status, body) {
  if (status >= 500) return '5xx';
  if (status !== 200) return `HTTP ${status}`;
  if (body?.jsonrpc !== '2.0' || body.id !== request.id) return 'wrong id';
  if (body.error) return 'JSON-RPC error';
  if (body.result?.isError) return 'tool error';
  const content = body.result?.structuredContent;
  if (request.name === 'clerk_get_user') return content?.id === request.expect ? null : 'wrong user';
  if (content?.users?.length !== 1 || content.users[0].id !== request.expect) return 'wrong user';
  return content.totalCount === request.totalCount ? null : 'wrong total';
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const users = await seededUsers();
  const tag = `load-${randomBytes(3).toString('hex')}`;
  const requests = Array.from({ length: total }, (_, i) => plan(i, users, tag));
  const outcomes = new Map();
  const latencies = [];
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), timeLimitMs);
  let next = 0;

  await clearClerkRecord();
  const begin = performance.now();
  async function client() {
    while (next < requests.length && !stop.signal.aborted) {
      const request = requests[next++];
      const sent = performance.now();
      let outcome;
      try {
        const response = await fetch(mode.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            'mcp-protocol-version': '2025-11-25',
            ...mode.headers,
          },
          body: JSON.stringify({ jsonrpc: '2.0', id: request.id, method: 'tools/call', params: { name: request.name, arguments: request.args } }),
          signal: stop.signal,
        });
        const text = await response.text();
        let body;
        try {
          body = JSON.parse(text);
        } catch {
          body = null;
        }
        outcome = judge(request, response.status, body);
        if (outcome && mismatchExamples.length < 5) mismatchExamples.push(`${outcome}: ${text.slice(0, 200)}`);
      } catch (error) {
        outcome = stop.signal.aborted ? 'cut off by the time limit' : `network: ${error.cause?.code ?? error.message}`;
      }
      latencies.push(performance.now() - sent);
      if (outcome) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
  }
  // Once the time is up, requests still open get two seconds to end before they are counted
  // as unanswered: the report must come whatever state a connection is left in.
  const cutOff = new Promise((resolve) => {
    stop.signal.addEventListener('abort', () => setTimeout(resolve, 2000));
  });
  await Promise.race([Promise.all(Array.from({ length: concurrency }, client)), cutOff]);
  const seconds = (performance.now() - begin) / 1000;
  clearTimeout(timer);

  const answered = latencies.length;
  const errors = [...outcomes.values()].reduce((a, b) => a + b, 0);
  if (answered < total) outcomes.set(`not answered within ${timeLimitMs / 1000} s`, total - answered);

  // Clerk got exactly the calls the requests make, each with the mode's key.
  const record = await clerkRecord();
  const expectedCalls = requests.slice(0, answered).reduce((sum, r) => sum + r.clerkCalls, 0);
  const wrongKey = record.filter((r) => r.headers.authorization !== `Bearer ${mode.key}`).length;
  if (errors === 0 && answered === total && record.length !== expectedCalls) {
    outcomes.set(`Clerk got ${record.length} calls, not ${expectedCalls}`, 1);
  }
  if (wrongKey > 0) outcomes.set(`${wrongKey} Clerk calls with another key`, 1);
  await clearClerkRecord();

  latencies.sort((a, b) => a - b);
  const ms = (value) => `${value.toFixed(0)} ms`;
  const fiveXx = outcomes.get('5xx') ?? 0;
  const rows = [
    ['mode', 'requests', 'concurrency', 'duration', 'req/s', 'p50', 'p95', 'p99', 'max', '5xx', 'errors'],
    [mode.name, String(answered), String(concurrency), `${seconds.toFixed(1)} s`, (answered / seconds).toFixed(0),
      ms(percentile(latencies, 50)), ms(percentile(latencies, 95)), ms(percentile(latencies, 99)), ms(latencies.at(-1) ?? NaN),
      String(fiveXx), String(errors)],
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd());
  for (const [what, count] of outcomes) console.log(`  ${count} x ${what}`);
  for (const example of mismatchExamples) console.log(`  e.g. ${example}`);
  return outcomes.size === 0 ? 0 : 1;
}

process.exit(await main());
