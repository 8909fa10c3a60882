// Every tool's Clerk requests against Clerk's own Backend API spec, and what the tools make of
// the spec's examples. A public-mode worker talks to Prism (a mock server that validates each
// request against the spec and answers with the spec's static examples) through
// spec-proxy.mjs, which records each request with the violations Prism reports in
// `sl-violations` and the query parameters and body fields the spec does not declare. Each of
// the tools is called with the arguments of calls.mjs (clerk_preview with each
// write tool's first); each call must reach the spec operation the tool is for, no request
// may break the spec, and each must give a result (not an error) whose structuredContent
// matches the tool's own outputSchema: the examples are answers Clerk's spec allows, and a
// deployed worker must read them. The one exception is a refusal the example itself justifies
// (JUSTIFIED_REFUSALS in calls.mjs: the example membership is of another user; the example
// users and invitations are not those a bulk call names). Finally Prism's own log must hold no
// request violation.
// clerk-dynamic.test.mjs judges the results on random data the spec allows.
//
// A second, hosted worker with sign-in with Clerk has the same Clerk, and the fake Clerk of the
// contract step as its Frontend API (which signs JWTs): an opaque token makes it call the
// access-token check, a JWT the user and membership lookups that decide who is allowed.
//
// run.mjs starts Prism, the proxy and the workers, and sets MCP_URL_CONTRACT,
// MCP_URL_CONTRACT_OAUTH, CONTRACT_PROXY_URL, CLERK_KEY_CONTRACT, FAKE_CLERK_URL and PRISM_LOG.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';

import { ALL_TOOL_NAMES, connect, setting } from '../e2e/support.mjs';
import {
  callAndJudge, everyToolset, CALLS, outputValidators, passes, USER, WRITES,
} from './calls.mjs';

const proxy = setting('CONTRACT_PROXY_URL');

async function clearRecord() {
  assert.equal((await fetch(`${proxy}/__requests`, { method: 'DELETE' })).status, 204);
}

async function record() {
  return (await fetch(`${proxy}/__requests`)).json();
}

/** POSTs a ping to the OAuth worker with `token`; resolves to the requests it made of Clerk. */
async function signInRequests(token) {
  await clearRecord();
  const response = await fetch(setting('MCP_URL_CONTRACT_OAUTH'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
  });
  await response.body?.cancel();
  return record();
}

describe('sign-in checks follow Clerk\'s Backend API spec (Prism)', () => {
  it('checks an opaque access token with verifyOAuthAccessToken', async () => {
    const requests = await signInRequests(`oat_${'0123456789abcdef'.repeat(3)}`);
    assert.deepEqual(requests.map((r) => r.operationId), ['verifyOAuthAccessToken']);
    for (const request of requests) assert.deepEqual(request.violations, [], request.body);
  });

  it('looks the user of a JWT up, and their admin membership, within the spec', async () => {
    const minted = await fetch(`${setting('FAKE_CLERK_URL')}/__oauth/jwt`, { method: 'POST', body: JSON.stringify({ subject: USER }) });
    const { access_token: token } = await minted.json();
    const requests = await signInRequests(token);
    assert.deepEqual(requests.map((r) => r.operationId), ['GetUser', 'ListOrganizationMemberships']);
    for (const request of requests) assert.deepEqual(request.violations, [], `${request.path}?${request.query}`);
  });
});

describe('every tool\'s Clerk requests follow Clerk\'s Backend API spec, and its results read the spec\'s examples (Prism)', () => {
  let session;
  let validators;
  const outcomes = [];

  before(async () => {
    session = await connect(everyToolset(setting('MCP_URL_CONTRACT')), { 'X-Clerk-Secret-Key': setting('CLERK_KEY_CONTRACT') });
    validators = outputValidators(session.tools);
    const mock = await (await fetch(`${proxy}/__mock`)).json();
    assert.equal(mock.current, 'static', 'the proxy sends requests to the Prism with the spec\'s examples');
  });
  after(async () => {
    await session?.close();
    const judged = outcomes.length;
    const failed = outcomes.filter(({ outcome }) => outcome !== 'ok');
    console.log(`tool results on Prism's examples: ${judged - failed.length} of ${judged} calls ok, the others:`);
    for (const { tool, outcome } of failed) console.log(`  ${tool}: ${outcome}`);
  });

  it('covers every tool, each with an outputSchema', () => {
    assert.deepEqual([...Object.keys(CALLS), 'clerk_preview'].sort(), ALL_TOOL_NAMES);
    assert.deepEqual(session.tools.map((t) => t.name).sort(), ALL_TOOL_NAMES);
    assert.deepEqual([...validators.keys()].sort(), ALL_TOOL_NAMES);
  });

  for (const [tool, [operationIds, argumentSets]] of Object.entries(CALLS)) {
    for (const args of argumentSets) {
      it(`${tool} ${JSON.stringify(args)}`, async () => {
        await clearRecord();
        const judged = await callAndJudge(session.client, validators, tool, args);
        outcomes.push({ tool, outcome: judged.outcome.slice(0, 300) });
        const requests = await record();
        assert.ok(requests.length > 0, `${tool} sent no request (${judged.outcome})`);
        assert.deepEqual([...new Set(requests.map((r) => r.operationId))].sort(), [...operationIds].sort(),
          `${tool} called ${requests.map((r) => `${r.method} ${r.path}`).join(', ')}`);
        for (const request of requests) {
          assert.deepEqual(request.violations, [], `${request.method} ${request.path}?${request.query} ${request.body}`);
        }
        if (!passes(tool, judged)) assert.deepEqual(judged.problems, [], `${tool} on Prism's examples`);
      });
    }
  }

  // The reads a write's confirmation and preview make first, for every write tool: clerk_preview
  // makes exactly those, and holds the write back.
  for (const tool of WRITES) {
    it(`clerk_preview of ${tool} reads within the spec and writes nothing`, async () => {
      await clearRecord();
      const [, [args]] = CALLS[tool];
      const judged = await callAndJudge(session.client, validators, 'clerk_preview', { name: tool, arguments: args });
      outcomes.push({ tool: `clerk_preview ${tool}`, outcome: judged.outcome.slice(0, 300) });
      const requests = await record();
      for (const request of requests) {
        assert.equal(request.method, 'GET', `${tool}'s preview sent ${request.method} ${request.path}`);
        assert.deepEqual(request.violations, [], `${request.method} ${request.path}?${request.query}`);
      }
      if (!passes(`clerk_preview ${tool}`, judged)) assert.deepEqual(judged.problems, [], `clerk_preview of ${tool} on Prism's examples`);
    });
  }

  it('leaves no request violation in Prism\'s log', () => {
    const lines = readFileSync(setting('PRISM_LOG'), 'utf8').split('\n');
    const bad = lines.filter((line) => /Violation: request|Request did not pass the validation rules|NO_PATH_MATCHED|NO_METHOD_MATCHED/.test(line));
    assert.deepEqual(bad, []);
    assert.ok(lines.some((line) => /Request received/.test(line)), 'Prism logged the requests it received');
  });
});
