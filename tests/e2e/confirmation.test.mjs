// The yes a destructive write waits for, under wrangler dev against the fake Clerk, with the
// official TypeScript clients. On the worker in its default configuration (public-confirm):
// each destructive tool first answers with the sentence and a confirmToken, having sent Clerk
// nothing but reads; the same call with the token acts once. A token for other arguments,
// another key or with altered bytes is refused, and nothing reaches Clerk. On the hosted worker,
// a connection that asks for confirmation (?confirm=destructive) gets it, and a token is bound to
// the access token that asked. A 2026-07-28 client that can answer forms is asked yes or no
// through its elicitation handler: yes acts, no changes nothing. clerk_preview shows an update,
// a metadata merge and a deletion without making them.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

import {
  clerkState, connect, hostedTokens, madeUpKey, setting, structured, toolError, withClerkRecord,
} from './support.mjs';

const META = 'clerk-mcp-worker/confirmation';
const url = setting('MCP_URL_PUBLIC_CONFIRM');
const headers = { 'X-Clerk-Secret-Key': setting('CLERK_KEY_PUBLIC') };

const writesIn = (requests) => requests.filter((request) => request.method !== 'GET');

/** Calls `name` twice: first as is (it must wait for a yes), then with the token it gave. */
async function confirmAndAct(client, name, args) {
  const [first, reads] = await withClerkRecord(() => client.callTool({ name, arguments: args }));
  assert.equal(first.isError, true, `${name} acted at once: ${JSON.stringify(first)}`);
  const confirmation = first._meta?.[META];
  assert.ok(confirmation?.confirmToken && confirmation.summary && confirmation.expiresAt, JSON.stringify(first));
  assert.ok(toolError(first).includes(confirmation.confirmToken));
  assert.deepEqual(writesIn(reads), [], `${name} sent a write before the yes`);
  const [done, sent] = await withClerkRecord(
    () => client.callTool({ name, arguments: { ...args, confirmToken: confirmation.confirmToken } }));
  assert.equal(done.isError, false, `${name} with its token: ${JSON.stringify(done.content)}`);
  assert.equal(writesIn(sent).length, 1, `${name} acts once`);
  return { summary: confirmation.summary, token: confirmation.confirmToken, result: done };
}

describe('destructive tools wait for a yes (default configuration)', () => {
  let session;
  let organization;
  let user;
  let invitation;

  before(async () => {
    session = await connect(url, headers);
    // What the deletions act on is made here, so that no seeded object other tests read is lost.
    organization = structured(await session.client.callTool({ name: 'clerk_create_organization', arguments: { name: 'Confirm Co' } }));
    user = structured(await session.client.callTool({
      name: 'clerk_create_user', arguments: { emailAddress: ['confirm@example.com'], firstName: 'Conn', skipPasswordRequirement: true },
    }));
    structured(await session.client.callTool({
      name: 'clerk_add_member', arguments: { organizationId: organization.id, userId: user.id, role: 'org:member' },
    }));
    invitation = structured(await session.client.callTool({
      name: 'clerk_create_invitation', arguments: { organizationId: organization.id, emailAddress: 'invitee@example.com', role: 'org:member' },
    }));
  });
  after(() => session?.close());

  it('the tools list offers the token argument on writes', () => {
    const ban = session.tools.find((tool) => tool.name === 'clerk_ban_user');
    assert.equal(ban.inputSchema.properties.confirmToken.type, 'string');
  });

  it('refuses a token for other arguments, another key or altered bytes, sending nothing', async () => {
    const args = { userId: user.id };
    const first = await session.client.callTool({ name: 'clerk_delete_user', arguments: args });
    const token = first._meta[META].confirmToken;
    const altered = `${token.slice(0, -2)}${token.endsWith('A') ? 'B' : 'A'}${token.slice(-1)}`;
    const other = await connect(url, { 'X-Clerk-Secret-Key': madeUpKey('another instance\'s key') });
    try {
      for (const [client, callArgs, why] of [
        [session.client, { userId: 'user_2someoneelse', confirmToken: token }, /not issued for this call/],
        [other.client, { ...args, confirmToken: token }, /not issued for this call/],
        [session.client, { ...args, confirmToken: altered }, /not issued for this call|not one this server issued/],
      ]) {
        const [result, requests] = await withClerkRecord(() => client.callTool({ name: 'clerk_delete_user', arguments: callArgs }));
        assert.match(toolError(result), why);
        assert.match(toolError(result), /Nothing was sent to Clerk/);
        assert.deepEqual(requests, [], 'nothing reached Clerk');
      }
    } finally {
      await other.close();
    }
  });

  it('each destructive tool says what it would do, and acts once with its token', async () => {
    const state = await clerkState();
    const session2 = state.sessions.find((s) => s.status === 'active');
    assert.ok(session2, 'the fake has an active session');
    const said = {};
    for (const [name, args] of [
      ['clerk_revoke_invitation', { organizationId: organization.id, invitationId: invitation.id }],
      ['clerk_remove_member', { organizationId: organization.id, userId: user.id }],
      ['clerk_lock_user', { userId: user.id }],
      ['clerk_ban_user', { userId: user.id }],
      ['clerk_revoke_session', { sessionId: session2.id }],
      ['clerk_delete_organization', { organizationId: organization.id }],
      ['clerk_delete_user', { userId: user.id }],
    ]) {
      said[name] = (await confirmAndAct(session.client, name, args)).summary;
    }
    assert.match(said.clerk_delete_organization, /^Delete organization "Confirm Co" \(org_\w+, slug "confirm-co"\): its 0 memberships and 0 pending invitations go with it\. This cannot be undone\.$/);
    assert.match(said.clerk_revoke_invitation, /invitee@example\.com/);
    assert.match(said.clerk_ban_user, /^Ban user "Conn" <confirm@example\.com> \(user_\w+\)/);
    assert.match(said.clerk_delete_user, /This cannot be undone\.$/);
    const after = await clerkState();
    assert.ok(!after.organizations.some((o) => o.id === organization.id), 'the organization is gone');
    assert.equal(after.sessions.find((s) => s.id === session2.id).status, 'revoked');
  });
});

describe('a connection may ask for more confirmation, and a token is bound to who asked', () => {
  const hosted = setting('MCP_URL_HOSTED');
  const asking = (token) => connect(`${hosted}?confirm=destructive`, { Authorization: `Bearer ${hostedTokens()[token]}` });

  it('refuses the token of another access token, and acts for the one that asked', async () => {
    const [mine, theirs] = [await asking(0), await asking(1)];
    try {
      const target = structured(await mine.client.callTool({ name: 'clerk_create_organization', arguments: { name: 'Asked Co' } }));
      const args = { organizationId: target.id };
      const first = await mine.client.callTool({ name: 'clerk_delete_organization', arguments: args });
      const token = first._meta?.[META]?.confirmToken;
      assert.ok(token, 'the hosted worker, acting at once by itself, waits when the URL asks');
      const [refused, requests] = await withClerkRecord(
        () => theirs.client.callTool({ name: 'clerk_delete_organization', arguments: { ...args, confirmToken: token } }));
      assert.match(toolError(refused), /another caller/);
      assert.deepEqual(requests, []);
      const done = await mine.client.callTool({ name: 'clerk_delete_organization', arguments: { ...args, confirmToken: token } });
      assert.deepEqual(structured(done), { id: target.id, deleted: true });
    } finally {
      await mine.close();
      await theirs.close();
    }
  });
});

describe('a 2026-07-28 client is asked yes or no through its elicitation handler', () => {
  /** The v2 client, negotiating 2026-07-28, answering each form with `answer`. */
  async function askable(answer) {
    const asked = [];
    const client = new Client({ name: 'clerk-mcp-worker-e2e-v2', version: '0.1.0' },
      { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: 'auto' } });
    client.setRequestHandler('elicitation/create', (request) => {
      asked.push(request.params);
      return answer;
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
    assert.equal(client.getNegotiatedProtocolVersion(), '2026-07-28');
    return { client, asked };
  }

  let target;
  before(async () => {
    const session = await connect(url, headers);
    target = structured(await session.client.callTool({
      name: 'clerk_create_user', arguments: { emailAddress: ['asked@example.com'], skipPasswordRequirement: true },
    }));
    await session.close();
  });

  for (const [answer, acts] of [
    [{ action: 'decline' }, false],
    [{ action: 'accept', content: { confirm: false } }, false],
    [{ action: 'accept', content: { confirm: true } }, true],
  ]) {
    it(`${JSON.stringify(answer)} ${acts ? 'bans the user' : 'changes nothing'}`, async () => {
      const { client, asked } = await askable(answer);
      try {
        const [result, requests] = await withClerkRecord(
          () => client.callTool({ name: 'clerk_ban_user', arguments: { userId: target.id } }));
        assert.equal(asked.length, 1, `asked once: ${JSON.stringify(result.content)}`);
        assert.match(asked[0].message, /^Ban user <asked@example\.com> \(user_\w+\): their 0 active sessions end at once/);
        assert.equal(asked[0].requestedSchema.properties.confirm.type, 'boolean');
        if (acts) {
          assert.equal(structured(result).banned, true);
          assert.equal(writesIn(requests).length, 1);
        } else {
          assert.match(toolError(result), /^Nothing was changed: the user said no to clerk_ban_user/);
          assert.deepEqual(writesIn(requests), []);
        }
      } finally {
        await client.close();
      }
    });
  }
});

describe('clerk_preview shows a change without making it', () => {
  let session;
  let user;

  before(async () => {
    session = await connect(url, headers);
    user = structured(await session.client.callTool({
      name: 'clerk_create_user',
      arguments: { emailAddress: ['preview@example.com'], firstName: 'Pre', skipPasswordRequirement: true, publicMetadata: { plan: 'free', limits: { seats: 3 } } },
    }));
  });
  after(() => session?.close());

  const preview = (name, args) => withClerkRecord(() => session.client.callTool({ name: 'clerk_preview', arguments: { name, arguments: args } }));

  it('an update: the fields before and after, and the PATCH it would send', async () => {
    const [result, requests] = await preview('clerk_update_user', { userId: user.id, firstName: 'Post' });
    const output = structured(result);
    assert.equal(output.current.firstName, 'Pre');
    assert.equal(output.after.firstName, 'Post');
    assert.deepEqual(output.requests, [{ method: 'PATCH', path: `/v1/users/${user.id}`, body: { first_name: 'Post' } }]);
    assert.deepEqual(writesIn(requests), []);
  });

  it('a metadata merge: deep, with null removing a key', async () => {
    const [result, requests] = await preview('clerk_update_user_metadata',
      { userId: user.id, publicMetadata: { limits: { seats: 10 }, plan: null, tier: 'gold' } });
    const output = structured(result);
    assert.deepEqual(output.after.publicMetadata, { limits: { seats: 10 }, tier: 'gold' });
    assert.match(output.summary, /public metadata: 2 keys set and 1 removed/);
    assert.deepEqual(writesIn(requests), []);
  });

  it('a deletion: what goes with it', async () => {
    const [result, requests] = await preview('clerk_delete_user', { userId: user.id });
    const output = structured(result);
    assert.deepEqual(output.affected, { organizationMemberships: 0, activeSessions: 0 });
    assert.deepEqual(output.requests, [{ method: 'DELETE', path: `/v1/users/${user.id}` }]);
    assert.deepEqual(writesIn(requests), []);
  });
});
