// Who may use POST /mcp: the access tokens of MCP_AUTH_TOKENS in hosted and public mode, a
// read-only token of MCP_READONLY_TOKENS that gets only the read tools, a
// hosted server without tokens that refuses everyone, one opened on purpose that lets everyone
// in, and /health, which stays open and says which applies. Raw HTTP for the exact answers,
// and the official TypeScript client for what a user sees when it is refused.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  assertClerkGet, connect, hostedTokens, madeUpToken, seededUsers, setting, structured, toolError, withClerkRecord,
} from './support.mjs';

const hostedMcp = setting('MCP_URL_HOSTED');
const lockedMcp = setting('MCP_URL_HOSTED_LOCKED');
const openMcp = setting('MCP_URL_HOSTED_OPEN');
const publicTokensMcp = setting('MCP_URL_PUBLIC_TOKENS');
const publicToken = setting('MCP_TOKEN_PUBLIC_TOKENS');
const publicKey = setting('CLERK_KEY_PUBLIC');
const hostedKey = setting('CLERK_KEY_HOSTED');
const [firstToken, secondToken] = hostedTokens();

const bearer = (token) => ({ authorization: `Bearer ${token}` });

function post(url, message, headers = {}) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      ...headers,
    },
    body: JSON.stringify(message),
  });
}

let nextId = 1;
const getUser = (userId) => ({ jsonrpc: '2.0', id: nextId++, method: 'tools/call', params: { name: 'clerk_get_user', arguments: { userId } } });

/** POSTs a clerk_get_user call; resolves to { status, headers, body } and the Clerk requests it caused. */
async function callGetUser(url, headers, userId) {
  return withClerkRecord(async () => {
    const response = await post(url, getUser(userId), headers);
    return { status: response.status, headers: response.headers, body: await response.json() };
  });
}

/** Asserts a transport refusal: `status`, a JSON-RPC error without an id, and no Clerk call. */
function assertRefused([answer, requests], status, message) {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(answer.body.jsonrpc, '2.0');
  assert.equal(answer.body.id, null);
  assert.equal(answer.body.result, undefined);
  assert.equal(typeof answer.body.error?.code, 'number');
  for (const part of message) assert.match(answer.body.error.message, part);
  assert.deepEqual(requests, [], 'a refused request must not reach Clerk');
  return answer;
}

const at = (mcpUrl, path) => new URL(path, mcpUrl).href;

async function health(mcpUrl) {
  const response = await fetch(at(mcpUrl, '/health'));
  return { status: response.status, body: await response.json() };
}

/** Asserts the TypeScript client's connection fails with a StreamableHTTPError of `status` whose message matches `parts`. */
async function assertClientRefused(url, headers, status, parts) {
  await assert.rejects(connect(url, headers), (error) => {
    assert.equal(error.code, status, error.message);
    for (const part of parts) assert.match(error.message, part);
    return true;
  });
}

describe('hosted mode with access tokens', () => {
  it('refuses a POST without a token: 401, WWW-Authenticate: Bearer, and a JSON-RPC error that says what to send', async () => {
    const [user] = await seededUsers();
    const answer = assertRefused(await callGetUser(hostedMcp, {}, user.id), 401, [/Authorization: Bearer <token>/, /MCP_AUTH_TOKENS/]);
    assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer\b/);
  });

  it('refuses a wrong token with 401 and error="invalid_token", whatever is wrong with it', async () => {
    const [user] = await seededUsers();
    const flipped = `${firstToken.slice(0, -1)}${firstToken.endsWith('A') ? 'B' : 'A'}`;
    const wrong = {
      'a random token': `Bearer ${madeUpToken('a wrong access token (access.test.mjs)')}`,
      'a token differing in its last character': `Bearer ${flipped}`,
      'a token cut short by one character': `Bearer ${firstToken.slice(0, -1)}`,
      'a token with one character more': `Bearer ${firstToken}x`,
      'both tokens joined by a comma': `Bearer ${firstToken},${secondToken}`,
      'the server\'s Clerk key': `Bearer ${hostedKey}`,
    };
    for (const [what, authorization] of Object.entries(wrong)) {
      const answer = assertRefused(await callGetUser(hostedMcp, { authorization }, user.id), 401, [/not one of this server's MCP_AUTH_TOKENS/]);
      assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer\b.*error="invalid_token"/, what);
    }
  });

  it('treats a token in another scheme or an empty bearer as no token', async () => {
    const [user] = await seededUsers();
    for (const authorization of [`Basic ${firstToken}`, `Token ${firstToken}`, 'Bearer ', firstToken]) {
      const answer = assertRefused(await callGetUser(hostedMcp, { authorization }, user.id), 401, [/Authorization: Bearer <token>/]);
      assert.doesNotMatch(answer.headers.get('www-authenticate') ?? '', /invalid_token/, authorization);
    }
  });

  for (const [index, token] of [firstToken, secondToken].entries()) {
    it(`lets in token ${index + 1} of two, and calls Clerk with the server's key`, async () => {
      const user = (await seededUsers())[index];
      const [answer, requests] = await callGetUser(hostedMcp, bearer(token), user.id);
      assert.equal(answer.status, 200);
      assert.equal(structured(answer.body.result).id, user.id);
      assert.equal(requests.length, 1);
      assertClerkGet(requests[0], { path: `/v1/users/${user.id}`, key: hostedKey });
    });
  }

  it('reads the scheme in any case', async () => {
    const [user] = await seededUsers();
    const [answer] = await callGetUser(hostedMcp, { authorization: `bearer ${secondToken}` }, user.id);
    assert.equal(answer.status, 200);
  });

  it('refuses a client\'s own Clerk key in X-Clerk-Secret-Key with 400, saying to remove it', async () => {
    const [user] = await seededUsers();
    const answer = assertRefused(await callGetUser(hostedMcp, { ...bearer(firstToken), 'x-clerk-secret-key': publicKey }, user.id), 400,
      [/hosted mode/, /remove the X-Clerk-Secret-Key header/]);
    assert.ok(!JSON.stringify(answer.body).includes(publicKey.slice('sk_test_'.length)));
  });

  it('answers a CORS preflight without a token, allowing the Authorization header', async () => {
    const response = await fetch(hostedMcp, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    assert.equal(response.status, 204);
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /\bAuthorization\b/i);
    assert.equal(response.headers.get('access-control-allow-origin'), 'http://localhost:5173');
  });

  it('keeps /health open, reporting bearer-token', async () => {
    const answer = await health(hostedMcp);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.status, 'ok');
    assert.equal(answer.body.authentication, 'bearer-token');
  });

  it('the TypeScript client without a token fails to connect with an error naming 401 and what to send', async () => {
    await assertClientRefused(hostedMcp, {}, 401, [/Authorization: Bearer <token>/, /MCP_AUTH_TOKENS/]);
  });

  it('the TypeScript client with a wrong token fails to connect with an error naming 401 and the token', async () => {
    await assertClientRefused(hostedMcp, bearer(madeUpToken('a wrong access token for the client (access.test.mjs)')), 401, [/bearer token is not one of this server's MCP_AUTH_TOKENS/]);
  });
});

describe('hosted mode without tokens, not opened', () => {
  for (const [what, headers] of [['without a token', {}], ['even with a token another server takes', bearer(firstToken)]]) {
    it(`refuses every POST ${what}: 503, naming MCP_AUTH_TOKENS and MCP_ALLOW_UNAUTHENTICATED`, async () => {
      const [user] = await seededUsers();
      const answer = assertRefused(await callGetUser(lockedMcp, headers, user.id), 503, [/MCP_AUTH_TOKENS/, /MCP_ALLOW_UNAUTHENTICATED=true/]);
      assert.equal(answer.headers.get('www-authenticate'), null, 'no token would help, so there is no challenge');
    });
  }

  it('refuses even tools/list, which needs no Clerk call', async () => {
    const response = await post(lockedMcp, { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
    assert.equal(response.status, 503);
  });

  it('reports itself degraded on /health: 503, authentication not-configured, the reason naming MCP_AUTH_TOKENS', async () => {
    const answer = await health(lockedMcp);
    assert.equal(answer.status, 503);
    assert.equal(answer.body.status, 'degraded');
    assert.equal(answer.body.mode, 'hosted');
    assert.equal(answer.body.authentication, 'not-configured');
    assert.equal(answer.body.clerkConnected, true, 'its Clerk key itself works');
    assert.match(answer.body.reason ?? '', /MCP_AUTH_TOKENS/);
  });

  it('the TypeScript client fails to connect with an error naming 503 and MCP_AUTH_TOKENS', async () => {
    await assertClientRefused(lockedMcp, {}, 503, [/MCP_AUTH_TOKENS/]);
  });
});

describe('hosted mode opened on purpose (MCP_ALLOW_UNAUTHENTICATED=true)', () => {
  it('lets in a client without a token and acts with its own key', async () => {
    const [, second] = await seededUsers();
    const [answer, requests] = await callGetUser(openMcp, {}, second.id);
    assert.equal(answer.status, 200);
    assert.equal(structured(answer.body.result).id, second.id);
    assertClerkGet(requests[0], { path: `/v1/users/${second.id}`, key: hostedKey });
  });

  it('reports authentication none on /health', async () => {
    const answer = await health(openMcp);
    assert.deepEqual([answer.status, answer.body.status, answer.body.authentication], [200, 'ok', 'none']);
  });
});

describe('public mode with an access token', () => {
  const both = { ...bearer(publicToken), 'x-clerk-secret-key': publicKey };

  it('refuses a POST without the token, even with a Clerk key, and does not call Clerk', async () => {
    const [user] = await seededUsers();
    const answer = assertRefused(await callGetUser(publicTokensMcp, { 'x-clerk-secret-key': publicKey }, user.id), 401, [/MCP_AUTH_TOKENS/]);
    assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer\b/);
  });

  it('refuses the Clerk key sent as the bearer token', async () => {
    const [user] = await seededUsers();
    assertRefused(await callGetUser(publicTokensMcp, bearer(publicKey), user.id), 401, [/not one of this server's MCP_AUTH_TOKENS/]);
  });

  it('takes the token from Authorization and the Clerk key from X-Clerk-Secret-Key, through the TypeScript client', async () => {
    const session = await connect(publicTokensMcp, both);
    try {
      const [result, requests] = await withClerkRecord(() => session.client.callTool({ name: 'clerk_list_users', arguments: { limit: 2 } }));
      assert.equal(structured(result).users.length, 2);
      assert.ok(requests.length > 0);
      for (const request of requests) assert.equal(request.headers.authorization, `Bearer ${publicKey}`, 'Clerk gets the key, never the token');
    } finally {
      await session.close();
    }
  });

  it('with the token but no key: a tool error naming X-Clerk-Secret-Key, without calling Clerk', async () => {
    const session = await connect(publicTokensMcp, bearer(publicToken));
    try {
      const [result, requests] = await withClerkRecord(() => session.client.callTool({ name: 'clerk_list_users', arguments: {} }));
      assert.match(toolError(result), /X-Clerk-Secret-Key/);
      assert.deepEqual(requests, []);
    } finally {
      await session.close();
    }
  });

  it('reports bearer-token on /health, which needs no token', async () => {
    const answer = await health(publicTokensMcp);
    assert.deepEqual([answer.status, answer.body.status, answer.body.mode, answer.body.authentication], [200, 'ok', 'public', 'bearer-token']);
  });
});

describe('a read-only access token (MCP_READONLY_TOKENS)', () => {
  const readOnly = bearer(setting('MCP_TOKEN_READ_ONLY'));

  it('lets its holder in with only the read tools, where a full token gets them all', async () => {
    const full = await connect(hostedMcp, bearer(firstToken));
    const limited = await connect(hostedMcp, readOnly);
    try {
      const reads = full.tools.filter((tool) => tool.annotations.readOnlyHint).map((tool) => tool.name);
      assert.ok(reads.length > 0 && reads.length < full.tools.length);
      assert.deepEqual(limited.tools.map((tool) => tool.name), reads);
    } finally {
      await Promise.all([full.close(), limited.close()]);
    }
  });

  it('refuses its write calls, saying why, with nothing sent to Clerk, and serves its reads', async () => {
    const [user] = await seededUsers();
    const { client, close } = await connect(hostedMcp, readOnly);
    try {
      const [refused, requests] = await withClerkRecord(() => client.callTool({ name: 'clerk_lock_user', arguments: { userId: user.id } }));
      assert.match(toolError(refused), /MCP_READONLY_TOKENS/);
      assert.deepEqual(requests, []);
      const read = await client.callTool({ name: 'clerk_get_user', arguments: { userId: user.id } });
      assert.equal(structured(read).id, user.id);
    } finally {
      await close();
    }
  });
});
