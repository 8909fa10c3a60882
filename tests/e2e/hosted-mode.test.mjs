// Hosted mode's key handling, through the official TypeScript MCP client: the worker's own key
// is used for every Clerk call, whatever key a client sends, and never shown in a result.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assertClerkGet, connect, listAndCount, setting, toolError, withClerkRecord } from './support.mjs';

const url = setting('MCP_URL_HOSTED');
const hostedKey = setting('CLERK_KEY_HOSTED');
const clientKey = setting('CLERK_KEY_PUBLIC');

describe('hosted mode', () => {
  it('calls Clerk with its own key even when a client sends another', async () => {
    const session = await connect(url, { 'X-Clerk-Secret-Key': clientKey, Authorization: `Bearer ${clientKey}` });
    try {
      const [result, requests] = await withClerkRecord(() => session.client.callTool({ name: 'clerk_list_users', arguments: { limit: 1 } }));
      assert.notEqual(result.isError, true, result.content?.[0]?.text);
      const { list, count } = listAndCount(requests);
      assertClerkGet(list, { path: '/v1/users', query: { limit: '1', offset: '0', order_by: '-created_at' }, key: hostedKey });
      assertClerkGet(count, { path: '/v1/users/count', key: hostedKey });
    } finally {
      await session.close();
    }
  });

  it('never shows its key in a Clerk error', async () => {
    const session = await connect(url);
    try {
      const result = await session.client.callTool({ name: 'clerk_get_user', arguments: { userId: 'user_2NoSuchUserInThisInstance00' } });
      const text = toolError(result);
      assert.match(text, /\b404\b/);
      assert.ok(!text.includes(hostedKey));
      assert.ok(!text.includes(hostedKey.slice(8)));
    } finally {
      await session.close();
    }
  });
});
