// The production guard: a production (sk_live_) key gets no write tool until the operator sets
// MCP_LIVE_WRITES=true, in hosted mode (the worker's own key) and in public mode (the key a
// request brings). The write tools are left out of tools/list, a call to one is refused with a
// message naming the setting and nothing reaches Clerk, /health reports the guard, and a
// development key is never held back.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  TOOL_NAMES, hostedTokens, seededUsers, setting, structured, toolError, withClerkRecord,
} from './support.mjs';

const liveKey = setting('CLERK_KEY_LIVE');
const publicKey = setting('CLERK_KEY_PUBLIC');
const token = { authorization: `Bearer ${hostedTokens()[0]}` };

let nextId = 1;

/** One JSON-RPC request over plain HTTP; resolves to its result. */
async function rpc(url, headers, method, params = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      ...headers,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
  });
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.ok(body.result, JSON.stringify(body));
  return body.result;
}

const toolsOf = async (url, headers) => (await rpc(url, headers, 'tools/list')).tools;
const readTools = (tools) => tools.filter((tool) => tool.annotations.readOnlyHint).map((tool) => tool.name);

async function health(url, headers = {}) {
  return (await fetch(new URL('/health', url), { headers })).json();
}

describe('a hosted server with a production key', () => {
  const guarded = setting('MCP_URL_HOSTED_LIVE');
  const optedIn = setting('MCP_URL_HOSTED_LIVE_WRITES');

  it('lists only the read tools until MCP_LIVE_WRITES=true, then all of them', async () => {
    const all = await toolsOf(optedIn, token);
    assert.deepEqual(all.map((tool) => tool.name).sort(), [...TOOL_NAMES].sort());
    const offered = await toolsOf(guarded, token);
    assert.deepEqual(offered.map((tool) => tool.name), readTools(all));
    assert.ok(offered.length > 0 && offered.length < all.length);
  });

  it('refuses a write call, naming the setting, and sends nothing to Clerk', async () => {
    const [user] = await seededUsers();
    const [result, requests] = await withClerkRecord(() => rpc(guarded, token, 'tools/call', {
      name: 'clerk_update_user_metadata',
      arguments: { userId: user.id, publicMetadata: { guardCheck: true } },
    }));
    const text = toolError(result);
    assert.match(text, /MCP_LIVE_WRITES=true/);
    assert.match(text, /Nothing was sent to Clerk/);
    assert.deepEqual(requests, []);
  });

  it('acts on a write call once the operator opted in', async () => {
    const [user] = await seededUsers();
    const update = (value) => rpc(optedIn, token, 'tools/call', {
      name: 'clerk_update_user_metadata',
      arguments: { userId: user.id, publicMetadata: { guardCheck: value } },
    });
    const [result, requests] = await withClerkRecord(() => update(true));
    assert.equal(structured(result).publicMetadata.guardCheck, true);
    assert.equal(requests.filter((request) => request.method === 'PATCH').length, 1);
    assert.equal(requests[0].headers.authorization, `Bearer ${liveKey}`);
    structured(await update(null));
  });

  it('says so in /health', async () => {
    const guardedHealth = await health(guarded);
    assert.equal(guardedHealth.liveWrites, false);
    assert.equal(guardedHealth.writeToolsWithheld, true);
    const optedInHealth = await health(optedIn);
    assert.equal(optedInHealth.liveWrites, true);
    assert.equal(optedInHealth.writeToolsWithheld, false);
  });
});

describe('a public server and the production key a request brings', () => {
  const url = setting('MCP_URL_PUBLIC');
  const live = { 'x-clerk-secret-key': liveKey };
  const test = { 'x-clerk-secret-key': publicKey };

  it('lists every tool without a key or with a development key, only the reads with a production key', async () => {
    const all = await toolsOf(url, {});
    assert.equal(all.length, TOOL_NAMES.length);
    assert.equal((await toolsOf(url, test)).length, all.length);
    assert.deepEqual((await toolsOf(url, live)).map((tool) => tool.name), readTools(all));
  });

  it('refuses a write with the production key and sends nothing to Clerk; reads still work', async () => {
    const [user] = await seededUsers();
    const [refused, requests] = await withClerkRecord(() => rpc(url, live, 'tools/call', {
      name: 'clerk_ban_user', arguments: { userId: user.id },
    }));
    assert.match(toolError(refused), /MCP_LIVE_WRITES=true/);
    assert.deepEqual(requests, []);
    const read = await rpc(url, live, 'tools/call', { name: 'clerk_get_user', arguments: { userId: user.id } });
    assert.equal(structured(read).id, user.id);
  });

  it('reports in /health whether the key a request brings would be held back', async () => {
    assert.equal((await health(url, live)).writeToolsWithheld, true);
    assert.equal((await health(url, test)).writeToolsWithheld, false);
    assert.equal((await health(url)).writeToolsWithheld, undefined);
  });
});
