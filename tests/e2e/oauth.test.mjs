// Sign-in with Clerk, end to end: a hosted worker whose Clerk instance (CLERK_FRONTEND_API) is
// the fake Clerk, which issues the access tokens (opaque ones it checks at its verify endpoint,
// JWTs signed with the RSA key of its JWKS). A client without a token is pointed at the
// protected-resource metadata; the official TypeScript SDK's discovery helpers find the
// authorization server from that 401; allowed users get in (by ID, by email address, as admins
// of MCP_ADMIN_ORGANIZATION) through the SDK's client; anyone else gets 403; expired, revoked,
// forged and misdirected tokens get 401; the static token still works; tools that record who
// acted name the signed-in user; and the people of MCP_READONLY_USERS (by ID, by email address,
// and one MCP_ALLOWED_USERS names too) get only the read tools, their writes refused before Clerk.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  discoverAuthorizationServerMetadata, discoverOAuthProtectedResourceMetadata, discoverOAuthServerInfo,
  extractResourceMetadataUrl, extractWWWAuthenticateParams,
} from '@modelcontextprotocol/sdk/client/auth.js';

import {
  clerkState, connect, currentUsers, fakeClerkUrl, noteToken, seededUsers, setting, structured, toolError, withClerkRecord,
} from './support.mjs';

const oauthMcp = setting('MCP_URL_OAUTH');
const origin = new URL(oauthMcp).origin;
const metadataUrl = `${origin}/.well-known/oauth-protected-resource`;
const staticToken = setting('MCP_TOKEN_OAUTH');
const VERIFY = '/v1/oauth_applications/access_tokens/verify';

/** An opaque access token the fake instance issues to `subject` (`active`, `expired` or `revoked`). */
async function opaqueToken(subject, status = 'active') {
  const response = await fetch(`${fakeClerkUrl()}/__oauth/access-tokens`, {
    method: 'POST', body: JSON.stringify({ subject, status }),
  });
  assert.equal(response.status, 201);
  const { access_token: token } = await response.json();
  return noteToken(`an ${status} opaque OAuth access token`, token);
}

/** A JWT access token of `subject` the fake instance signs (see fake-clerk.mjs, POST /__oauth/jwt). */
async function jwtToken(subject, options = {}) {
  const response = await fetch(`${fakeClerkUrl()}/__oauth/jwt`, {
    method: 'POST', body: JSON.stringify({ subject, ...options }),
  });
  assert.equal(response.status, 201);
  const { access_token: token } = await response.json();
  return noteToken('a JWT OAuth access token', token);
}

let nextId = 1;
const getUser = (userId) => ({ jsonrpc: '2.0', id: nextId++, method: 'tools/call', params: { name: 'clerk_get_user', arguments: { userId } } });

function post(message, headers = {}) {
  return fetch(oauthMcp, {
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

/** POSTs a clerk_get_user call with `token`; resolves to [{ status, headers, body }, Clerk requests]. */
async function callWith(token, userId) {
  return withClerkRecord(async () => {
    const response = await post(getUser(userId), token === undefined ? {} : { authorization: `Bearer ${token}` });
    return { status: response.status, headers: response.headers, body: await response.json() };
  });
}

/** The seeded users the worker's settings allow, and one they do not. */
async function people() {
  const users = await seededUsers();
  return { byId: users[0], byEmail: users[2], admin: users[3], stranger: users[5] };
}

/** The seeded users the worker lets in for the read tools only (see run.mjs). */
async function readOnlyPeople() {
  const users = await seededUsers();
  return { readOnlyById: users[12], readOnlyByEmail: users[13], onBothLists: users[14] };
}

/** Asserts a 401 with error="invalid_token" and the metadata pointer, naming `reason`. */
function assertInvalidToken(answer, token, reason) {
  assert.equal(answer.status, 401, JSON.stringify(answer.body));
  assert.equal(answer.headers.get('www-authenticate'), `Bearer error="invalid_token", resource_metadata="${metadataUrl}"`);
  assert.equal(answer.body.id, null);
  assert.match(answer.body.error.message, reason);
  assert.ok(!JSON.stringify(answer.body).includes(token));
}

describe('discovery', () => {
  it('answers a POST without a token with 401 and WWW-Authenticate pointing at the resource metadata', async () => {
    const { byId } = await people();
    const [answer, requests] = await callWith(undefined, byId.id);
    assert.equal(answer.status, 401);
    assert.equal(answer.headers.get('www-authenticate'), `Bearer resource_metadata="${metadataUrl}"`);
    assert.equal(answer.body.jsonrpc, '2.0');
    assert.equal(answer.body.id, null);
    assert.match(answer.body.error.message, /sign in/);
    assert.deepEqual(requests, [], 'nothing reaches Clerk');
  });

  for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
    it(`serves ${path} with every field RFC 9728 requires, to any origin`, async () => {
      const response = await fetch(`${origin}${path}`, { headers: { origin: 'https://assistant.example.net' } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), '*');
      assert.match(response.headers.get('content-type'), /^application\/json/);
      const document = await response.json();
      // RFC 9728, section 2: `resource` is required and must be the URL the client uses.
      assert.equal(document.resource, oauthMcp);
      assert.deepEqual(document.authorization_servers, [fakeClerkUrl()]);
      assert.deepEqual(document.bearer_methods_supported, ['header']);
      assert.ok(Array.isArray(document.scopes_supported) && document.scopes_supported.length > 0);
      assert.equal(typeof document.resource_name, 'string');
    });
  }

  it('lets the official SDK find the authorization server from the 401', async () => {
    const unauthorized = await post(getUser('user_2none'));
    assert.equal(unauthorized.status, 401);
    const pointer = extractResourceMetadataUrl(unauthorized);
    assert.equal(pointer?.href, metadataUrl);
    assert.equal(extractWWWAuthenticateParams(unauthorized).resourceMetadataUrl?.href, metadataUrl);
    const resource = await discoverOAuthProtectedResourceMetadata(oauthMcp, { resourceMetadataUrl: pointer });
    assert.equal(resource.resource, oauthMcp);
    const [authorizationServer] = resource.authorization_servers;
    assert.equal(authorizationServer, fakeClerkUrl());
    const server = await discoverAuthorizationServerMetadata(authorizationServer);
    assert.equal(server.issuer, fakeClerkUrl());
    assert.equal(server.registration_endpoint, `${fakeClerkUrl()}/oauth/register`);
    assert.ok(server.code_challenge_methods_supported.includes('S256'));
    // The SDK's one-call discovery, which probes the path-suffixed metadata first, agrees.
    const info = await discoverOAuthServerInfo(oauthMcp);
    assert.equal(info.authorizationServerUrl, fakeClerkUrl());
    assert.equal(info.resourceMetadata.resource, oauthMcp);
  });

  it('serves the instance\'s authorization-server metadata on its own origin for 2025-03-26 clients', async () => {
    const [response] = await withClerkRecord(() => fetch(`${origin}/.well-known/oauth-authorization-server`));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    const document = await response.json();
    const own = await (await fetch(`${fakeClerkUrl()}/.well-known/oauth-authorization-server`)).json();
    assert.deepEqual(document, own);
  });

  it('reports OAuth in /health without any secret', async () => {
    const response = await fetch(`${origin}/health`);
    const body = await response.json();
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(body.authentication, 'bearer-token+oauth');
    assert.deepEqual(body.oauth, { authorizationServer: fakeClerkUrl(), allowListConfigured: true, readOnlyUsersConfigured: true });
    const text = JSON.stringify(body);
    const { readOnlyById, readOnlyByEmail } = await readOnlyPeople();
    assert.ok(!text.includes(readOnlyById.id) && !text.includes(readOnlyByEmail.email_addresses[0].email_address), 'no one is named');
  });
});

describe('who gets in', () => {
  it('lets an allowed user in with an opaque token through the SDK client, asking Clerk once', async () => {
    const { byId } = await people();
    const token = await opaqueToken(byId.id);
    const [, requests] = await withClerkRecord(async () => {
      const session = await connect(oauthMcp, { Authorization: `Bearer ${token}` });
      try {
        const result = await session.client.callTool({ name: 'clerk_get_user', arguments: { userId: byId.id } });
        assert.equal(result.isError, false, JSON.stringify(result.content));
        assert.equal(structured(result).id, byId.id);
      } finally {
        await session.close();
      }
    });
    const checks = requests.filter((r) => r.path === VERIFY);
    assert.equal(checks.length, 1, 'initialize, tools/list and the call share one check');
    assert.equal(checks[0].headers.authorization, `Bearer ${setting('CLERK_KEY_HOSTED')}`);
    assert.deepEqual(JSON.parse(checks[0].body), { access_token: token });
    assert.deepEqual(checks[0].violations, []);
  });

  it('lets an allowed user in with a JWT, checked against the instance\'s keys', async () => {
    const { byId } = await people();
    const token = await jwtToken(byId.id);
    const [answer, requests] = await callWith(token, byId.id);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(structured(answer.body.result).id, byId.id);
    assert.ok(!requests.some((r) => r.path === VERIFY), 'a JWT is checked without the verify endpoint');
  });

  it('lets in a user allowed by a verified email address, and an admin of MCP_ADMIN_ORGANIZATION', async () => {
    const { byEmail, admin } = await people();
    for (const user of [byEmail, admin]) {
      const [answer] = await callWith(await opaqueToken(user.id), user.id);
      assert.equal(answer.status, 200, `${user.id}: ${JSON.stringify(answer.body)}`);
    }
  });

  it('refuses another user\'s valid token with 403, naming them and how to allow them', async () => {
    const { stranger } = await people();
    for (const token of [await opaqueToken(stranger.id), await jwtToken(stranger.id)]) {
      const [answer, requests] = await callWith(token, stranger.id);
      assert.equal(answer.status, 403, JSON.stringify(answer.body));
      assert.equal(answer.headers.get('www-authenticate'), null);
      assert.match(answer.body.error.message, new RegExp(`${stranger.id} signed in, but is not allowed`));
      assert.match(answer.body.error.message, /MCP_ALLOWED_USERS/);
      const checks = new Set([VERIFY, `/v1/users/${stranger.id}`, `/v1/organizations/${(await clerkState()).organizations[1].id}/memberships`]);
      const unexpected = requests.filter((r) => !r.frontend && !checks.has(r.path));
      assert.deepEqual(unexpected, [], 'only the sign-in checks reach Clerk');
    }
  });

  it('refuses expired and revoked opaque tokens with 401', async () => {
    const { byId } = await people();
    for (const [status, reason] of [['expired', /expired/], ['revoked', /revoked/]]) {
      const token = await opaqueToken(byId.id, status);
      const [answer] = await callWith(token, byId.id);
      assertInvalidToken(answer, token, reason);
    }
  });

  it('refuses expired, forged, foreign and misdirected JWTs with 401', async () => {
    const { byId } = await people();
    const seconds = Math.floor(Date.now() / 1000);
    const cases = [
      [{ claims: { exp: seconds - 120 } }, /expired/],
      [{ signedBy: 'stranger' }, /not signed by/],
      [{ claims: { iss: 'https://clerk.other.example.com' } }, /not issued by/],
      [{ claims: { aud: 'https://other.example.com/mcp' } }, /another resource/],
      [{ header: { typ: 'JWT' } }, /typ at\+jwt/],
    ];
    for (const [options, reason] of cases) {
      const token = await jwtToken(byId.id, options);
      const [answer, requests] = await callWith(token, byId.id);
      assertInvalidToken(answer, token, reason);
      assert.ok(requests.every((r) => r.frontend), `${JSON.stringify(options)}: only the keys may be fetched`);
    }
    const [answer] = await callWith(await jwtToken(byId.id, { claims: { aud: oauthMcp } }), byId.id);
    assert.equal(answer.status, 200, 'an audience naming this server is fine');
  });

  it('still lets in the static token of MCP_AUTH_TOKENS, without asking Clerk about it', async () => {
    const { stranger } = await people();
    const [answer, requests] = await callWith(staticToken, stranger.id);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(requests.map((r) => r.path), [`/v1/users/${stranger.id}`]);
  });
});

describe('acting on behalf of the signed-in user', () => {
  it('names the signed-in admin as inviter and revoker unless the call names someone', async () => {
    const { admin } = await people();
    const organization = (await clerkState()).organizations[1];
    const session = await connect(oauthMcp, { Authorization: `Bearer ${await opaqueToken(admin.id)}` });
    try {
      const [created, requests] = await withClerkRecord(() => session.client.callTool({
        name: 'clerk_create_invitation',
        arguments: { organizationId: organization.id, emailAddress: 'oauth.invitee@example.com', role: 'org:member' },
      }));
      assert.equal(created.isError, false, JSON.stringify(created.content));
      const sent = requests.find((r) => r.method === 'POST' && r.path.endsWith('/invitations'));
      assert.equal(JSON.parse(sent.body).inviter_user_id, admin.id);
      assert.equal(structured(created).inviterUserId, admin.id);

      const [revoked, revokeRequests] = await withClerkRecord(() => session.client.callTool({
        name: 'clerk_revoke_invitation',
        arguments: { organizationId: organization.id, invitationId: structured(created).id },
      }));
      assert.equal(revoked.isError, false, JSON.stringify(revoked.content));
      const revoke = revokeRequests.find((r) => r.path.endsWith('/revoke'));
      assert.deepEqual(JSON.parse(revoke.body), { requesting_user_id: admin.id });
    } finally {
      await session.close();
    }
  });
});

describe('read-only users (MCP_READONLY_USERS)', () => {
  it('lets them sign in through the SDK client with only the read tools and the prompts those allow', async () => {
    const { byId } = await people();
    const full = await connect(oauthMcp, { Authorization: `Bearer ${await opaqueToken(byId.id)}` });
    try {
      const reads = full.tools.filter((tool) => tool.annotations.readOnlyHint).map((tool) => tool.name);
      assert.ok(reads.length > 0 && reads.length < full.tools.length);
      const fullPrompts = (await full.client.listPrompts()).prompts.map((prompt) => prompt.name);
      assert.ok(fullPrompts.length > 1);
      for (const user of Object.values(await readOnlyPeople())) {
        const limited = await connect(oauthMcp, { Authorization: `Bearer ${await jwtToken(user.id)}` });
        try {
          assert.deepEqual(limited.tools.map((tool) => tool.name), reads, user.id);
          const { prompts } = await limited.client.listPrompts();
          assert.deepEqual(prompts.map((prompt) => prompt.name), ['audit_organization_admins'], user.id);
        } finally {
          await limited.close();
        }
      }
    } finally {
      await full.close();
    }
  });

  it('refuses their writes, saying why, with nothing sent to Clerk, and serves their reads', async () => {
    const { stranger } = await people();
    for (const user of Object.values(await readOnlyPeople())) {
      const token = await opaqueToken(user.id);
      const ban = { jsonrpc: '2.0', id: nextId++, method: 'tools/call', params: { name: 'clerk_ban_user', arguments: { userId: stranger.id } } };
      const [answer, requests] = await withClerkRecord(async () => {
        const response = await post(ban, { authorization: `Bearer ${token}` });
        return { status: response.status, body: await response.json() };
      });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const refusal = toolError(answer.body.result);
      assert.match(refusal, /clerk_ban_user changes data/);
      assert.match(refusal, /MCP_READONLY_USERS/);
      assert.match(refusal, /Nothing was sent to Clerk/);
      assert.ok(!JSON.stringify(answer.body).includes(token));
      // Only the sign-in may have reached Clerk: the token check and the user's own lookup.
      const signIn = (r) => (r.method === 'POST' && r.path === VERIFY) || (r.method === 'GET' && r.path === `/v1/users/${user.id}`);
      const beyond = requests.filter((r) => !signIn(r));
      assert.deepEqual(beyond, [], `${user.id}: nothing but the sign-in reaches Clerk`);
      assert.ok(!(await currentUsers()).find((u) => u.id === stranger.id).banned, 'the stranger is not banned');
      const [read] = await callWith(token, stranger.id);
      assert.equal(read.status, 200, JSON.stringify(read.body));
      assert.equal(structured(read.body.result).id, stranger.id);
    }
  });
});
