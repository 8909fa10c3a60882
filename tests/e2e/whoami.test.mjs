// clerk_whoami through the official TypeScript client, on the workers whose settings differ in
// what it reports: the instance the fake Clerk gives for the key (a development one, or a
// production one for a live key), the key's kind and never the key, who is asking (the key's
// hash, an access token's place, a signed-in user with their email address) and the policy
// (confirmation, read-only and every reason for it, toolsets, live writes). Each answer is
// checked against the tool's output schema by the client, and for the secrets it must not hold.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';

import { INSTANCE_IDS } from './fake-clerk.mjs';
import {
  assertClerkGet, connect, DEFAULT_TOOLSETS, fakeClerkUrl, hostedTokens, noteToken, seededUsers, setting, structured, withClerkRecord,
} from './support.mjs';

const publicKey = setting('CLERK_KEY_PUBLIC');
const bearer = (token) => ({ authorization: `Bearer ${token}` });

/** Calls clerk_whoami on `url` with `headers`; resolves to [its structuredContent, Clerk requests]. */
async function whoami(url, headers) {
  const session = await connect(url, headers);
  try {
    const [result, requests] = await withClerkRecord(() => session.client.callTool({ name: 'clerk_whoami', arguments: {} }));
    const secrets = [publicKey, setting('CLERK_KEY_HOSTED'), setting('CLERK_KEY_LIVE'), ...hostedTokens(), setting('MCP_TOKEN_READ_ONLY')];
    const text = JSON.stringify(result);
    for (const secret of secrets) assert.equal(text.includes(secret), false, 'the answer holds a key or a token');
    return [structured(result), requests];
  } finally {
    await session.close();
  }
}

const development = { id: INSTANCE_IDS.development, environment: 'development' };
const production = { id: INSTANCE_IDS.production, environment: 'production' };

describe('clerk_whoami', () => {
  it('tells a public request its instance, its key by hash and the default policy, from one GET /v1/instance', async () => {
    const [whoamiResult, requests] = await whoami(setting('MCP_URL_PUBLIC_CONFIRM'), { 'X-Clerk-Secret-Key': publicKey });
    assert.deepEqual(whoamiResult, {
      instance: development,
      keyKind: 'test',
      mode: 'public',
      caller: { principal: `key:${createHash('sha256').update(publicKey).digest('hex').slice(0, 12)}`, kind: 'key' },
      policy: { readOnly: false, readOnlyBecause: [], toolsets: DEFAULT_TOOLSETS, confirm: 'destructive', liveWrites: false },
    });
    assert.equal(requests.length, 1);
    assertClerkGet(requests[0], { path: '/v1/instance', key: publicKey });
  });

  it('names an access token by its place, and a read-only one says why it cannot write', async () => {
    const url = setting('MCP_URL_HOSTED');
    const [second] = await whoami(url, bearer(hostedTokens()[1]));
    assert.equal(second.mode, 'hosted');
    assert.deepEqual(second.caller, { principal: 'token:2', kind: 'token', tokenNumber: 2 });
    assert.equal(second.policy.readOnly, false);
    assert.equal(second.policy.confirm, 'off');
    const place = hostedTokens().length + 1;
    const [readOnly] = await whoami(`${url}?confirm=writes`, bearer(setting('MCP_TOKEN_READ_ONLY')));
    assert.deepEqual(readOnly.caller, { principal: `token:${place}`, kind: 'token', tokenNumber: place });
    assert.deepEqual(readOnly.policy, {
      readOnly: true,
      readOnlyBecause: ['the access token is a read-only one (MCP_READONLY_TOKENS)'],
      toolsets: DEFAULT_TOOLSETS,
      confirm: 'writes',
      liveWrites: false,
    });
  });

  it('shows a production instance read-only until MCP_LIVE_WRITES lets its live key write', async () => {
    const [guarded] = await whoami(setting('MCP_URL_HOSTED_LIVE'), bearer(hostedTokens()[0]));
    assert.deepEqual(guarded.instance, production);
    assert.equal(guarded.keyKind, 'live');
    assert.deepEqual(guarded.policy.readOnlyBecause, ['the key is a production key, and the server does not set MCP_LIVE_WRITES=true']);
    assert.equal(guarded.policy.liveWrites, false);
    const [writing] = await whoami(setting('MCP_URL_HOSTED_LIVE_WRITES'), bearer(hostedTokens()[0]));
    assert.deepEqual(writing.instance, production);
    assert.equal(writing.policy.readOnly, false);
    assert.deepEqual(writing.policy.readOnlyBecause, []);
    assert.equal(writing.policy.liveWrites, true);
  });

  it('gives every reason a narrowed connection reads only', async () => {
    const [narrowed] = await whoami(`${setting('MCP_URL_PUBLIC_NARROWED')}?readonly=true&toolsets=users`, { 'X-Clerk-Secret-Key': publicKey });
    assert.deepEqual(narrowed.policy.readOnlyBecause, [
      'the server offers only read tools (MCP_READ_ONLY)',
      'this connection asked for read tools only (?readonly= or X-MCP-Readonly)',
    ]);
    assert.deepEqual(narrowed.policy.toolsets, ['users']);
  });

  it('names a user signed in with Clerk by ID and primary email address, read-only when the settings say so', async () => {
    const users = await seededUsers();
    const issue = async (subject) => {
      const response = await fetch(`${fakeClerkUrl()}/__oauth/access-tokens`, { method: 'POST', body: JSON.stringify({ subject, status: 'active' }) });
      assert.equal(response.status, 201);
      return noteToken('an opaque OAuth access token', (await response.json()).access_token);
    };
    const url = setting('MCP_URL_OAUTH');
    const full = users[0];
    const primary = (user) => user.email_addresses.find((e) => e.id === user.primary_email_address_id).email_address;
    const [signedIn] = await whoami(url, bearer(await issue(full.id)));
    assert.deepEqual(signedIn.caller, { principal: full.id, kind: 'user', userId: full.id, email: primary(full) });
    assert.equal(signedIn.policy.readOnly, false);
    const readOnlyUser = users[12];
    const [reader] = await whoami(url, bearer(await issue(readOnlyUser.id)));
    assert.equal(reader.caller.userId, readOnlyUser.id);
    assert.deepEqual(reader.policy.readOnlyBecause, ['the signed-in user is a read-only user (MCP_READONLY_USERS)']);
  });
});
