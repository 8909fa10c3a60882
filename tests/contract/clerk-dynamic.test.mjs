// Every tool's result on random data Clerk's spec allows. run.mjs starts, beside the Prism
// with the spec's examples, one `prism mock --dynamic --seed SEED` per seed of CONTRACT_SEEDS:
// each answers every request with data its JSON Schema generator makes from the spec's
// response schema (negative and far-off times and counts, IDs of any form, `null` in some
// fields the spec lets be null, fields the spec does not name where it allows more), the same
// data for the same seed. Prism's generator fills every optional field and picks enum values
// from the spec's lists, so fields left out and values added later are covered by the native
// tests (tests/integration/liberal_reading.rs) instead.
// For each seed the proxy sends the contract worker's requests to that Prism, and every call
// of calls.mjs (and clerk_preview of each write tool) must give a result whose
// structuredContent matches the tool's own outputSchema, or a refusal that the answer
// justifies (JUSTIFIED_REFUSALS); the requests stay judged as clerk-spec.test.mjs judges them.
//
// run.mjs sets MCP_URL_CONTRACT, CONTRACT_PROXY_URL, CLERK_KEY_CONTRACT, CONTRACT_SEEDS and
// PRISM_DYNAMIC_LOGS.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { delimiter } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { connect, setting } from '../e2e/support.mjs';
import {
  callAndJudge, everyToolset, CALLS, outputValidators, passes, WRITES,
} from './calls.mjs';

const proxy = setting('CONTRACT_PROXY_URL');
const SEEDS = setting('CONTRACT_SEEDS').split(',');

async function useMock(name) {
  const response = await fetch(`${proxy}/__mock`, { method: 'PUT', body: name });
  assert.equal(response.status, 204, `the proxy has no mock ${name}`);
}

async function clearRecord() {
  assert.equal((await fetch(`${proxy}/__requests`, { method: 'DELETE' })).status, 204);
}

async function record() {
  return (await fetch(`${proxy}/__requests`)).json();
}

// Every call, each write's preview after the calls.
const ALL_CALLS = [
  ...Object.entries(CALLS).flatMap(([tool, [, argumentSets]]) => argumentSets.map((args) => [tool, tool, args])),
  ...WRITES.map((tool) => [`clerk_preview ${tool}`, 'clerk_preview', { name: tool, arguments: CALLS[tool][1][0] }]),
];

let session;
let validators;
const tally = [];
// What the results showed of the values the old decoding refused, over every seed.
const seen = { 'a time shown as its number': 0, 'a negative count': 0, 'an ID without the usual prefix': 0 };

/** Counts in `seen` what `value` (a structuredContent, walked whole) shows. */
function look(value, key = '') {
  if (Array.isArray(value)) {
    for (const item of value) look(item, key);
  } else if (value !== null && typeof value === 'object') {
    for (const [name, inner] of Object.entries(value)) look(inner, name);
  } else if (/At$/.test(key) && Number.isInteger(value)) {
    seen['a time shown as its number'] += 1;
  } else if (/Count$/.test(key) && value < 0) {
    seen['a negative count'] += 1;
  } else if (key === 'id' && typeof value === 'string' && !/^[a-z]+_[A-Za-z0-9]+$/.test(value)) {
    seen['an ID without the usual prefix'] += 1;
  }
}

before(async () => {
  session = await connect(everyToolset(setting('MCP_URL_CONTRACT')), { 'X-Clerk-Secret-Key': setting('CLERK_KEY_CONTRACT') });
  validators = outputValidators(session.tools);
});

after(async () => {
  await useMock('static');
  await session?.close();
  const judged = tally.length;
  const failed = tally.filter(({ ok }) => !ok);
  const refused = tally.filter(({ ok, outcome }) => ok && outcome !== 'ok');
  console.log(`tool results on random data (seeds ${SEEDS.join(', ')}): ${judged} calls judged, `
    + `${judged - failed.length - refused.length} ok, ${refused.length} refused as the answer justifies, ${failed.length} failed`);
  for (const { seed, label, outcome } of failed) console.log(`  seed ${seed} ${label}: ${outcome}`);
  console.log(`values shown: ${JSON.stringify(seen)}`);
});

for (const seed of SEEDS) {
  describe(`every tool reads random data Clerk's spec allows (Prism, seed ${seed})`, () => {
    before(() => useMock(`seed-${seed}`));

    for (const [label, tool, args] of ALL_CALLS) {
      it(`${label} ${JSON.stringify(args)}`, async () => {
        await clearRecord();
        const judged = await callAndJudge(session.client, validators, tool, args);
        const ok = passes(label, judged);
        look(judged.result?.structuredContent);
        tally.push({ seed, label, ok, outcome: judged.outcome.slice(0, 400) });
        const requests = await record();
        // A preview of a create reads nothing; every other call reaches Clerk.
        if (tool !== 'clerk_preview') assert.ok(requests.length > 0, `${label} sent no request (${judged.outcome})`);
        for (const request of requests) {
          assert.equal(request.mock, `seed-${seed}`, 'the request went to the Prism of this seed');
          assert.deepEqual(request.violations, [], `${request.method} ${request.path}?${request.query} ${request.body}`);
        }
        if (!ok) assert.deepEqual(judged.problems, [], `${label} on random data, seed ${seed}`);
      });
    }
  });
}

describe('Prism with random data', () => {
  it('made the tools show what the spec allows and the old decoding refused', () => {
    for (const [what, count] of Object.entries(seen)) assert.ok(count > 0, `no result showed ${what}`);
  });

  it('leaves no request violation in its logs', () => {
    for (const log of setting('PRISM_DYNAMIC_LOGS').split(delimiter)) {
      const lines = readFileSync(log, 'utf8').split('\n');
      const bad = lines.filter((line) => /Violation: request|Request did not pass the validation rules|NO_PATH_MATCHED|NO_METHOD_MATCHED/.test(line));
      assert.deepEqual(bad, [], log);
      assert.ok(lines.some((line) => /Request received/.test(line)), `${log}: Prism logged the requests it received`);
    }
  });
});
