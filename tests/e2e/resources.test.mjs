// Users and organizations as resources, and answers sized for a model, through the official
// TypeScript client: the templates it lists, the resource_link of each user clerk_list_users
// returns, reading that link (the same profile clerk_get_user gives, with one GET to Clerk),
// an unknown URI, and the `fields` argument, on both workers.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { McpError } from '@modelcontextprotocol/sdk/types.js';

import {
  assertClerkGet, assertFullUser, connect, currentUsers, modes, structured, withClerkRecord,
} from './support.mjs';

describe('resources', () => {
  for (const mode of modes()) {
    it(`lists the templates and reads the user a list links to (${mode.name})`, async () => {
      const session = await connect(mode.url, mode.headers);
      try {
        const { client } = session;
        assert.ok(client.getServerCapabilities()?.resources, 'the server offers resources');
        const { resourceTemplates } = await client.listResourceTemplates();
        assert.deepEqual(resourceTemplates.map((template) => template.uriTemplate).sort(),
          ['clerk://organizations/{organizationId}', 'clerk://users/{userId}']);
        assert.deepEqual((await client.listResources()).resources, []);

        const list = await client.callTool({ name: 'clerk_list_users', arguments: { limit: 3 } });
        const users = structured(list).users;
        const links = list.content.filter((block) => block.type === 'resource_link');
        assert.deepEqual(links.map((link) => link.uri), users.map((user) => `clerk://users/${user.id}`));

        const [read, requests] = await withClerkRecord(() => client.readResource({ uri: links[0].uri }));
        assert.equal(read.contents.length, 1);
        assert.equal(read.contents[0].uri, links[0].uri);
        assert.equal(read.contents[0].mimeType, 'application/json');
        const user = JSON.parse(read.contents[0].text);
        assert.equal(requests.length, 1);
        assertClerkGet(requests[0], { path: `/v1/users/${users[0].id}`, key: mode.key });
        const clerkUser = (await currentUsers()).find((candidate) => candidate.id === users[0].id);
        assertFullUser(user, clerkUser);
        const got = await client.callTool({ name: 'clerk_get_user', arguments: { userId: users[0].id } });
        assert.deepEqual(user, structured(got), 'the resource is what clerk_get_user answers');
        assert.equal(JSON.stringify(read).includes(mode.key), false, 'the key never comes back');

        await assert.rejects(client.readResource({ uri: 'clerk://users/user_2nobodyhere' }), (error) => {
          assert.ok(error instanceof McpError, String(error));
          assert.equal(error.code, -32002);
          return true;
        });
      } finally {
        await session.close();
      }
    });

    it(`keeps only the fields asked for and refuses unknown ones (${mode.name})`, async () => {
      const session = await connect(mode.url, mode.headers);
      try {
        const result = await session.client.callTool({
          name: 'clerk_list_users', arguments: { limit: 2, fields: ['firstName'] },
        });
        for (const user of structured(result).users) {
          assert.ok(Object.keys(user).every((key) => ['id', 'firstName'].includes(key)), JSON.stringify(user));
        }
        const refused = await session.client.callTool({
          name: 'clerk_list_users', arguments: { fields: ['firstName', 'shoeSize'] },
        });
        assert.equal(refused.isError, true);
        assert.match(refused.content[0].text, /`fields`.*"shoeSize"/);
      } finally {
        await session.close();
      }
    });
  }
});
