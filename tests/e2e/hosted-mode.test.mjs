// Hosted mode's key handling, through the official TypeScript MCP client: the worker's own key
// is used for every Clerk call, never the access token the client sends, and never shown in a
// result. (Who may call it at all is tests/e2e/access.test.mjs.)

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assertClerkGet, connect, hostedTokens, listAndCount, modes, toolError, withClerkRecord } from './support.mjs';

const hosted = modes().find((mode) => mode.name === 'hosted');

describe('hosted mode', () => {
  for (const [index, token] of hostedTokens().entries()) {
    it(`calls Clerk with its own key, not with access token ${index + 1} that let the client in`, async () => {
      const session = await connect(hosted.url, { Authorization: `Bearer ${token}` });
      try {
        const [result, requests] = await withClerkRecord(() => session.client.callTool({ name: 'clerk_list_users', arguments: { limit: 1 } }));
        assert.notEqual(result.isError, true, result.content?.[0]?.text);
        const { list, count } = listAndCount(requests);
        assertClerkGet(list, { path: '/v1/users', query: { limit: '1', offset: '0', order_by: '-created_at' }, key: hosted.key });
        assertClerkGet(count, { path: '/v1/users/count', key: hosted.key });
      } finally {
        await session.close();
      }
    });
  }

  it('never shows its key in a Clerk error', async () => {
    const session = await connect(hosted.url, hosted.headers);
    try {
      const result = await session.client.callTool({ name: 'clerk_get_user', arguments: { userId: 'user_2NoSuchUserInThisInstance00' } });
      const text = toolError(result);
      assert.match(text, /\b404\b/);
      assert.ok(!text.includes(hosted.key));
      assert.ok(!text.includes(hosted.key.slice(8)));
    } finally {
      await session.close();
    }
  });
});
