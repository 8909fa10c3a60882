// Plain-HTTP checks of the running workers: the health endpoints in both modes (with the tool
// selection they report), the
// streamable-HTTP rules of POST /mcp (JSON answers, no sessions, the protocol versions), the
// 2026-07-28 era's discovery and refusals, 405 for GET/DELETE /mcp, 404 for unknown paths, and that
// a connection a client keeps alive still works after a request the worker refused.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { describe, it } from 'node:test';

import { ALL_TOOLSETS, assertClerkGet, DEFAULT_TOOLSETS, hostedTokens, madeUpKey, setting, withClerkRecord } from './support.mjs';

const publicMcp = setting('MCP_URL_PUBLIC');
const hostedMcp = setting('MCP_URL_HOSTED');
const publicKey = setting('CLERK_KEY_PUBLIC');
const hostedKey = setting('CLERK_KEY_HOSTED');
const hostedAccess = { authorization: `Bearer ${hostedTokens()[0]}` };
const VERSION = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(new URL('../../Cargo.toml', import.meta.url), 'utf8'))[1];
const SUPPORTED_VERSIONS = ['2025-03-26', '2025-06-18', '2025-11-25'];
// What /health reports of the tool selection for a request that narrows nothing.
const FULL_SELECTION = {
  readOnly: false,
  toolsets: DEFAULT_TOOLSETS,
  defaultToolsets: DEFAULT_TOOLSETS,
  availableToolsets: ALL_TOOLSETS,
  redactPrivateMetadata: false,
};

const at = (mcpUrl, path) => new URL(path, mcpUrl).href;

async function health(mcpUrl, path, headers = {}) {
  const response = await fetch(at(mcpUrl, path), { headers });
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  return { status: response.status, body: await response.json() };
}

function post(mcpUrl, message, headers = {}) {
  return fetch(mcpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(message),
  });
}

const initialize = (protocolVersion) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion, capabilities: {}, clientInfo: { name: 'e2e-raw-http', version: '0.1.0' } },
});

describe('health', () => {
  for (const path of ['/health', '/api/health']) {
    it(`${path} in public mode without a key reports ok without calling Clerk`, async () => {
      const [answer, requests] = await withClerkRecord(() => health(publicMcp, path));
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, { status: 'ok', mode: 'public', authentication: 'none', clerkConnected: null, version: VERSION, confirm: 'off', liveWrites: false, ...FULL_SELECTION });
      assert.deepEqual(requests, []);
    });

    it(`${path} in public mode checks the key a request carries`, async () => {
      const [answer, requests] = await withClerkRecord(() => health(publicMcp, path, { 'X-Clerk-Secret-Key': publicKey }));
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, { status: 'ok', mode: 'public', authentication: 'none', clerkConnected: true, version: VERSION, confirm: 'off', liveWrites: false, writeToolsWithheld: false, ...FULL_SELECTION });
      assert.equal(requests.length, 1);
      assertClerkGet(requests[0], { path: '/v1/users/count', key: publicKey });
    });

    it(`${path} in hosted mode checks its own key with Clerk, and needs no token`, async () => {
      const [answer, requests] = await withClerkRecord(() => health(hostedMcp, path));
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, { status: 'ok', mode: 'hosted', authentication: 'bearer-token', clerkConnected: true, version: VERSION, confirm: 'off', liveWrites: false, writeToolsWithheld: false, ...FULL_SELECTION });
      assert.equal(requests.length, 1);
      assertClerkGet(requests[0], { path: '/v1/users/count', key: hostedKey });
    });
  }

  // The server itself is fine when a caller's key is bad, so status stays ok: only hosted mode,
  // whose own key is the deployment's, turns degraded.
  it('/health in public mode reports a key Clerk rejects as not connected, without repeating it', async () => {
    const rejectedKey = madeUpKey('a key Clerk rejects (http.test.mjs)');
    const [answer, requests] = await withClerkRecord(async () => {
      const response = await fetch(at(publicMcp, '/health'), { headers: { 'X-Clerk-Secret-Key': rejectedKey } });
      return { status: response.status, text: await response.text() };
    });
    assert.equal(requests.length, 1);
    assertClerkGet(requests[0], { path: '/v1/users/count', key: rejectedKey });
    assert.ok(!answer.text.includes(rejectedKey.slice(8)), 'the health answer repeats the key');
    const { status, mode, authentication, clerkConnected, version } = JSON.parse(answer.text);
    assert.equal(answer.status, 200);
    assert.deepEqual({ status, mode, authentication, clerkConnected, version },
      { status: 'ok', mode: 'public', authentication: 'none', clerkConnected: false, version: VERSION });
  });
});

describe('POST /mcp', () => {
  for (const version of SUPPORTED_VERSIONS) {
    it(`initialize at ${version} answers JSON at that version, without a session`, async () => {
      const response = await post(publicMcp, initialize(version), { 'X-Clerk-Secret-Key': publicKey });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(response.headers.get('mcp-session-id'), null);
      const body = await response.json();
      assert.equal(body.jsonrpc, '2.0');
      assert.equal(body.id, 1);
      assert.equal(body.result.protocolVersion, version);
      assert.ok(body.result.capabilities.tools, 'the server offers tools');
      assert.equal(typeof body.result.serverInfo?.name, 'string');
    });
  }

  it('initialize at an unknown version answers with a version it supports', async () => {
    const body = await (await post(publicMcp, initialize('2024-11-05'))).json();
    assert.ok(SUPPORTED_VERSIONS.includes(body.result?.protocolVersion), JSON.stringify(body));
  });

});

// MCP 2026-07-28 on the same URL: every request names its version in _meta and repeats it,
// its method and its target in headers. Each refusal is checked for its HTTP status, its
// JSON-RPC code, the id it echoes, and that nothing reached Clerk.
describe('the 2026-07-28 era', () => {
  const META = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  const modern = (method, params = {}, meta = META) => ({ jsonrpc: '2.0', id: 9, method, params: { ...params, _meta: meta } });
  const headersOf = (method, name) => ({
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': method,
    ...(name ? { 'mcp-name': name } : {}),
    'x-clerk-secret-key': publicKey,
  });
  const getUser = { name: 'clerk_get_user', arguments: { userId: 'user_2NoSuchUserInThisInstance00' } };

  it('answers server/discover in both modes, with the version it serves and caching hints', async () => {
    for (const [url, access] of [[publicMcp, {}], [hostedMcp, hostedAccess]]) {
      const headers = { ...headersOf('server/discover'), ...access };
      if (url === hostedMcp) delete headers['x-clerk-secret-key'];
      const response = await post(url, modern('server/discover'), headers);
      assert.equal(response.status, 200);
      const { result } = await response.json();
      assert.equal(result.resultType, 'complete');
      assert.deepEqual(result.supportedVersions, ['2026-07-28']);
      assert.deepEqual(Object.keys(result.capabilities).sort(), ['prompts', 'resources', 'tools']);
      assert.equal(result._meta['io.modelcontextprotocol/serverInfo'].version, VERSION);
      assert.equal(typeof result.ttlMs, 'number');
      assert.equal(result.cacheScope, 'public');
    }
  });

  it('marks a hosted, token-protected tools/list private', async () => {
    const headers = { ...headersOf('tools/list'), ...hostedAccess };
    delete headers['x-clerk-secret-key'];
    const { result } = await (await post(hostedMcp, modern('tools/list'), headers)).json();
    assert.equal(result.cacheScope, 'private');
    assert.equal(result.tools.length, 46);
  });

  const refusals = [
    ['a probe without _meta', { jsonrpc: '2.0', id: 9, method: 'server/discover', params: {} }, headersOf('server/discover'), 400, -32602],
    ['no clientCapabilities', modern('tools/call', getUser, { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' }), headersOf('tools/call', 'clerk_get_user'), 400, -32602],
    ['a version header unlike _meta', modern('tools/call', getUser), { ...headersOf('tools/call', 'clerk_get_user'), 'mcp-protocol-version': '2025-11-25' }, 400, -32020],
    ['a method header unlike the body', modern('tools/call', getUser), headersOf('tools/list', 'clerk_get_user'), 400, -32020],
    ['a name header unlike the body', modern('tools/call', getUser), headersOf('tools/call', 'clerk_delete_user'), 400, -32020],
    ['no name header', modern('tools/call', getUser), headersOf('tools/call'), 400, -32020],
    ['a version the server does not serve', modern('tools/call', getUser, { ...META, 'io.modelcontextprotocol/protocolVersion': 'v999.0.0' }), { ...headersOf('tools/call', 'clerk_get_user'), 'mcp-protocol-version': 'v999.0.0' }, 400, -32022],
    ['initialize', modern('initialize'), headersOf('initialize'), 404, -32601],
    ['ping', modern('ping'), headersOf('ping'), 404, -32601],
    ['an unknown method', modern('no/such/method'), headersOf('no/such/method'), 404, -32601],
  ];
  for (const [name, body, headers, status, code] of refusals) {
    it(`refuses ${name} with ${status} and ${code}, and calls no one`, async () => {
      const [[response, answer], requests] = await withClerkRecord(async () => {
        const response = await post(publicMcp, body, headers);
        return [response, await response.json()];
      });
      assert.equal(response.status, status, JSON.stringify(answer));
      assert.equal(answer.error?.code, code, JSON.stringify(answer));
      assert.equal(answer.id, 9);
      assert.deepEqual(requests, []);
    });
  }

  it('refuses a batch under the 2026-07-28 header', async () => {
    const response = await post(publicMcp, [modern('tools/list')], headersOf('tools/list'));
    assert.equal(response.status, 400);
    assert.equal((await response.json()).error?.code, -32600);
  });
});

describe('POST /mcp, continued', () => {
  it('accepts a notification with 202 and no body', async () => {
    const response = await post(publicMcp, { jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-protocol-version': '2025-11-25' });
    assert.equal(response.status, 202);
    assert.equal(await response.text(), '');
  });

  it('answers tools/list in hosted mode too, with the same tools as public mode', async () => {
    const list = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };
    const headers = { 'mcp-protocol-version': '2025-11-25' };
    const [fromPublic, fromHosted] = await Promise.all([[publicMcp, {}], [hostedMcp, hostedAccess]].map(
      async ([url, access]) => (await post(url, list, { ...headers, ...access })).json(),
    ));
    assert.ok(fromPublic.result.tools.length >= 2);
    assert.deepEqual(fromHosted.result.tools, fromPublic.result.tools);
  });
});

describe('other requests', () => {
  for (const method of ['GET', 'DELETE']) {
    it(`${method} /mcp is 405 with Allow: POST`, async () => {
      const response = await fetch(publicMcp, { method, headers: { accept: 'text/event-stream' } });
      assert.equal(response.status, 405);
      assert.match(response.headers.get('allow') ?? '', /\bPOST\b/);
    });
  }

  it('an unknown path is 404 with a JSON body', async () => {
    const response = await fetch(at(publicMcp, '/no-such-page'));
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    await response.json();
  });
});

/** POSTs `body` on `agent`'s one kept-alive connection; resolves to the status or the error code. */
function postOn(agent, url, headers, body) {
  return new Promise((resolve) => {
    const target = new URL(url);
    const outgoing = request({
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'content-length': Buffer.byteLength(body),
        ...headers,
      },
    }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    });
    outgoing.on('error', (error) => resolve(error.code));
    outgoing.end(body);
  });
}

// A worker that refused a POST without reading its body would leave that body on the connection;
// under `wrangler dev` the next request on it would then sometimes get a 503 or a reset. Clients
// keep connections alive (the Python client probes with a request the worker refuses, then
// initializes on the same connection), so each refusal is followed by a valid request here.
describe('a kept-alive connection after a refused POST', () => {
  const valid = JSON.stringify(initialize('2025-06-18'));
  const refusals = [
    ['400 for a 2026-07-28 header on a body without _meta', { 'mcp-protocol-version': '2026-07-28' }],
    ['403 for a foreign Origin', { origin: 'http://evil.example.com' }],
    ['415 for a body that is not declared JSON', { 'content-type': 'text/plain' }],
  ];
  for (const [name, headers] of refusals) {
    it(`serves the next request after a ${name}`, async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const outcomes = {};
      try {
        for (let i = 0; i < 40; i++) {
          const refused = await postOn(agent, publicMcp, headers, valid);
          const next = await postOn(agent, publicMcp, {}, valid);
          outcomes[`${refused} then ${next}`] = (outcomes[`${refused} then ${next}`] ?? 0) + 1;
        }
      } finally {
        agent.destroy();
      }
      const refusedStatus = Number(name.slice(0, 3));
      assert.deepEqual(outcomes, { [`${refusedStatus} then 200`]: 40 });
    });
  }
});
