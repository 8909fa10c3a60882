// Public mode's key handling, through the official TypeScript MCP client: each request brings
// its own Clerk key (X-Clerk-Secret-Key or Authorization: Bearer), a call without one is told
// how to pass it, and a key Clerk rejects is reported without being repeated.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  TOOL_NAMES, assertClerkGet, connect, listAndCount, madeUpKey, setting, structured, toolError, withClerkRecord,
} from './support.mjs';

const url = setting('MCP_URL_PUBLIC');
const publicKey = setting('CLERK_KEY_PUBLIC');
const otherKey = setting('CLERK_KEY_HOSTED');
const rejectedKey = madeUpKey('a key Clerk rejects (public-mode.test.mjs)');

/** Connects with `headers`, runs `action(client)`, and always disconnects. */
async function withClient(headers, action) {
  const session = await connect(url, headers);
  try {
    return await action(session.client, session.tools);
  } finally {
    await session.close();
  }
}

describe('public mode without a key', () => {
  it('still lists the tools, without calling Clerk', async () => {
    const [tools, requests] = await withClerkRecord(() => withClient({}, async (_client, listed) => listed));
    assert.deepEqual(tools.map((t) => t.name).filter((n) => TOOL_NAMES.includes(n)).sort(), TOOL_NAMES);
    assert.deepEqual(requests, []);
  });

  for (const [name, args] of [['clerk_list_users', {}], ['clerk_get_user', { userId: 'user_2NoSuchUserInThisInstance00' }]]) {
    it(`answers ${name} with how to pass a key, without calling Clerk`, async () => {
      const [result, requests] = await withClerkRecord(() => withClient({}, (client) => client.callTool({ name, arguments: args })));
      assert.match(toolError(result), /X-Clerk-Secret-Key/);
      assert.deepEqual(requests, []);
    });
  }
});

describe('public mode with a malformed key', () => {
  it('says which header to fix, without calling Clerk', async () => {
    const [result, requests] = await withClerkRecord(() => withClient(
      { 'X-Clerk-Secret-Key': 'not a clerk key' },
      (client) => client.callTool({ name: 'clerk_list_users', arguments: {} }),
    ));
    assert.match(toolError(result), /X-Clerk-Secret-Key/);
    assert.deepEqual(requests, []);
  });
});

describe('public mode with a key', () => {
  it('accepts the key as Authorization: Bearer', async () => {
    const [result, requests] = await withClerkRecord(() => withClient(
      { Authorization: `Bearer ${publicKey}` },
      (client) => client.callTool({ name: 'clerk_list_users', arguments: { limit: 1 } }),
    ));
    const { list, count } = listAndCount(requests);
    assertClerkGet(list, { path: '/v1/users', query: { limit: '1', offset: '0', order_by: '-created_at' }, key: publicKey });
    assertClerkGet(count, { path: '/v1/users/count', key: publicKey });
    assert.equal(structured(result).users.length, 1);
  });

  it('sends each client\'s own key, even when their calls interleave', async () => {
    const first = await connect(url, { 'X-Clerk-Secret-Key': publicKey });
    const second = await connect(url, { 'X-Clerk-Secret-Key': otherKey });
    try {
      const [, requests] = await withClerkRecord(async () => {
        await Promise.all([first, second, first, second].map((session) => (
          session.client.callTool({ name: 'clerk_list_users', arguments: { limit: 1 } }))));
      });
      assert.equal(requests.length, 8);
      const keys = requests.map((r) => r.headers.authorization).sort();
      assert.deepEqual(keys, [...Array(4).fill(`Bearer ${publicKey}`), ...Array(4).fill(`Bearer ${otherKey}`)].sort());
    } finally {
      await first.close();
      await second.close();
    }
  });

  for (const [name, args] of [['clerk_list_users', {}], ['clerk_get_user', { userId: 'user_2NoSuchUserInThisInstance00' }]]) {
    it(`reports Clerk's 401 for a rejected key in ${name}, without repeating the key`, async () => {
      const [result, requests] = await withClerkRecord(() => withClient(
        { 'X-Clerk-Secret-Key': rejectedKey },
        (client) => client.callTool({ name, arguments: args }),
      ));
      assert.ok(requests.length > 0);
      for (const request of requests) assert.equal(request.headers.authorization, `Bearer ${rejectedKey}`);
      const text = toolError(result);
      assert.match(text, /\b401\b/);
      assert.match(text, /authentication_invalid/);
      assert.ok(!text.includes(rejectedKey), `the error repeats the key: ${text}`);
      assert.ok(!text.includes(rejectedKey.slice(8)), 'the error repeats the secret part of the key');
    });
  }
});
