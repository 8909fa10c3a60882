// The user tools through the official TypeScript MCP client, in both modes: what the user gets
// back, and exactly which Clerk requests (path, query, key, headers) each call caused.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  TOOL_NAMES, assertClerkGet, assertCompactUser, assertFullUser, assertOutputConventions, connect,
  listAndCount, modes, queryPairs, seededUsers, structured, toolError, withClerkRecord,
} from './support.mjs';

// The tools are read-only and talk to Clerk; clients decide on confirmations from these hints.
const READ_ONLY_HINTS = { readOnlyHint: true, openWorldHint: true };
const ARGUMENTS = {
  clerk_list_users: ['emailAddress', 'limit', 'offset', 'orderBy', 'query', 'userId'],
  clerk_get_user: ['userId'],
};

for (const mode of modes()) {
  describe(`${mode.name} mode`, () => {
    let session;
    let users;
    const call = (name, args) => withClerkRecord(() => session.client.callTool({ name, arguments: args }));
    const newestFirst = () => [...users].reverse();

    before(async () => {
      session = await connect(mode.url, mode.headers);
      users = await seededUsers();
    });
    after(() => session?.close());

    it('lists clerk_list_users and clerk_get_user with their schemas and read-only hints', () => {
      const byName = Object.fromEntries(session.tools.map((tool) => [tool.name, tool]));
      for (const name of TOOL_NAMES) {
        const tool = byName[name];
        assert.ok(tool, `${name} is missing from tools/list`);
        assert.ok(tool.description?.length > 0, `${name} has a description`);
        assert.equal(tool.inputSchema.type, 'object');
        assert.deepEqual(Object.keys(tool.inputSchema.properties ?? {}).sort(), ARGUMENTS[name]);
        assert.equal(tool.outputSchema?.type, 'object', `${name} has an outputSchema`);
        assert.deepEqual(pickHints(tool.annotations), READ_ONLY_HINTS);
      }
      assert.deepEqual(byName.clerk_get_user.inputSchema.required, ['userId']);
      const { limit } = byName.clerk_list_users.inputSchema.properties;
      assert.equal(limit.minimum, 1);
      assert.equal(limit.maximum, 200);
    });

    describe('clerk_list_users', () => {
      it('with no arguments shows the 20 newest users and the total', async () => {
        const [result, requests] = await call('clerk_list_users', {});
        const { list, count } = listAndCount(requests);
        assertClerkGet(list, { path: '/v1/users', query: { limit: '20', offset: '0', order_by: '-created_at' }, key: mode.key });
        assertClerkGet(count, { path: '/v1/users/count', key: mode.key });

        const output = structured(result);
        assertOutputConventions(output);
        assert.equal(output.users.length, 20);
        output.users.forEach((user, i) => assertCompactUser(user, newestFirst()[i]));
        assert.deepEqual(pickPage(output), { totalCount: users.length, count: 20, offset: 0, hasMore: true, nextOffset: 20 });
      });

      it('pages with limit and offset, and the last page has no nextOffset', async () => {
        const [middle, middleRequests] = await call('clerk_list_users', { limit: 10, offset: 10 });
        assertClerkGet(listAndCount(middleRequests).list, {
          path: '/v1/users', query: { limit: '10', offset: '10', order_by: '-created_at' }, key: mode.key,
        });
        const middlePage = structured(middle);
        assert.deepEqual(middlePage.users.map((u) => u.id), newestFirst().slice(10, 20).map((u) => u.id));
        assert.deepEqual(pickPage(middlePage), { totalCount: users.length, count: 10, offset: 10, hasMore: true, nextOffset: 20 });

        const [last, lastRequests] = await call('clerk_list_users', { limit: 10, offset: 40 });
        assertClerkGet(listAndCount(lastRequests).list, {
          path: '/v1/users', query: { limit: '10', offset: '40', order_by: '-created_at' }, key: mode.key,
        });
        const lastPage = structured(last);
        assert.deepEqual(lastPage.users.map((u) => u.id), newestFirst().slice(40).map((u) => u.id));
        assert.deepEqual(pickPage(lastPage), { totalCount: users.length, count: users.length - 40, offset: 40, hasMore: false });
        assert.ok(!('nextOffset' in lastPage), 'no nextOffset on the last page');
      });

      it('shows every user when limit is 200, the maximum', async () => {
        const [result, requests] = await call('clerk_list_users', { limit: 200 });
        assertClerkGet(listAndCount(requests).list, {
          path: '/v1/users', query: { limit: '200', offset: '0', order_by: '-created_at' }, key: mode.key,
        });
        const output = structured(result);
        assertOutputConventions(output);
        output.users.forEach((user, i) => assertCompactUser(user, newestFirst()[i]));
        assert.deepEqual(pickPage(output), { totalCount: users.length, count: users.length, offset: 0, hasMore: false });
      });

      it('sends a leading + in orderBy as %2B and keeps Clerk\'s order', async () => {
        const [result, requests] = await call('clerk_list_users', { orderBy: '+last_name', limit: 200 });
        const { list } = listAndCount(requests);
        assert.match(list.query, /(^|&)order_by=%2Blast_name(&|$)/);
        assertClerkGet(list, { path: '/v1/users', query: { limit: '200', offset: '0', order_by: '+last_name' }, key: mode.key });
        const shown = structured(result).users;
        assert.deepEqual(shown.map((u) => u.id), list.response.body.map((u) => u.id));
        const names = shown.map((u) => u.lastName).filter(Boolean);
        assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, 'en')));
      });

      it('passes an unsigned orderBy through unchanged', async () => {
        const [result, requests] = await call('clerk_list_users', { orderBy: 'username', limit: 5 });
        assertClerkGet(listAndCount(requests).list, {
          path: '/v1/users', query: { limit: '5', offset: '0', order_by: 'username' }, key: mode.key,
        });
        assert.deepEqual(structured(result).users.map((u) => u.id), requests.find((r) => r.path === '/v1/users').response.body.map((u) => u.id));
      });

      it('searches with query, and counts the same search', async () => {
        const [result, requests] = await call('clerk_list_users', { query: 'lovelace' });
        const { list, count } = listAndCount(requests);
        assertClerkGet(list, { path: '/v1/users', query: { limit: '20', offset: '0', order_by: '-created_at', query: 'lovelace' }, key: mode.key });
        assertClerkGet(count, { path: '/v1/users/count', query: { query: 'lovelace' }, key: mode.key });
        const output = structured(result);
        const matching = newestFirst().filter((u) => u.last_name === 'Lovelace');
        assert.ok(matching.length > 1);
        output.users.forEach((user, i) => assertCompactUser(user, matching[i]));
        assert.deepEqual(pickPage(output), { totalCount: matching.length, count: matching.length, offset: 0, hasMore: false });
      });

      it('encodes query so Clerk reads +, &, = and spaces unchanged', async () => {
        const [phones, phoneRequests] = await call('clerk_list_users', { query: '+1555010', limit: 1 });
        const { list, count } = listAndCount(phoneRequests);
        assert.deepEqual(queryPairs(count.query), [['query', '+1555010']]);
        assertClerkGet(list, { path: '/v1/users', query: { limit: '1', offset: '0', order_by: '-created_at', query: '+1555010' }, key: mode.key });
        const withPhone = users.filter((u) => u.phone_numbers.length > 0);
        assert.equal(structured(phones).totalCount, withPhone.length);

        const [nothing, otherRequests] = await call('clerk_list_users', { query: 'a&limit=1 b=c' });
        assert.deepEqual(queryPairs(listAndCount(otherRequests).count.query), [['query', 'a&limit=1 b=c']]);
        const empty = structured(nothing);
        assert.deepEqual(empty.users, []);
        assert.deepEqual(pickPage(empty), { totalCount: 0, count: 0, offset: 0, hasMore: false });
      });

      it('repeats email_address for each address, in the list and the count', async () => {
        const addresses = [users[0].email_addresses[1].email_address, users[5].email_addresses[0].email_address];
        const [result, requests] = await call('clerk_list_users', { emailAddress: addresses });
        const { list, count } = listAndCount(requests);
        const filter = addresses.map((a) => ['email_address', a]);
        assertClerkGet(list, { path: '/v1/users', query: [['limit', '20'], ['offset', '0'], ['order_by', '-created_at'], ...filter], key: mode.key });
        assertClerkGet(count, { path: '/v1/users/count', query: filter, key: mode.key });
        const output = structured(result);
        assertCompactUser(output.users[0], users[5]);
        assertCompactUser(output.users[1], users[0]);
        assert.equal(output.totalCount, 2);
      });

      it('repeats user_id for each id, in the list and the count', async () => {
        const ids = [users[3].id, users[4].id, 'user_2NoSuchUserInThisInstance00'];
        const [result, requests] = await call('clerk_list_users', { userId: ids });
        const { list, count } = listAndCount(requests);
        const filter = ids.map((id) => ['user_id', id]);
        assertClerkGet(list, { path: '/v1/users', query: [['limit', '20'], ['offset', '0'], ['order_by', '-created_at'], ...filter], key: mode.key });
        assertClerkGet(count, { path: '/v1/users/count', query: filter, key: mode.key });
        const output = structured(result);
        assert.deepEqual(output.users.map((u) => u.id), [users[4].id, users[3].id]);
        assert.deepEqual(pickPage(output), { totalCount: 2, count: 2, offset: 0, hasMore: false });
      });

      it('shows sparse users without empty fields', async () => {
        const sparse = users[7];
        const noEmail = users[11];
        const [result] = await call('clerk_list_users', { userId: [sparse.id, noEmail.id] });
        const shown = Object.fromEntries(structured(result).users.map((u) => [u.id, u]));
        assertCompactUser(shown[sparse.id], sparse);
        assertCompactUser(shown[noEmail.id], noEmail);
        for (const field of ['firstName', 'lastName', 'username', 'phoneNumbers', 'externalAccounts', 'publicMetadata', 'lastSignInAt']) {
          assert.ok(!(field in shown[sparse.id]), `${field} is omitted when empty`);
        }
        assert.ok(!('emailAddresses' in shown[noEmail.id]) && !('primaryEmailAddress' in shown[noEmail.id]));
      });

      for (const [args, name] of [
        [{ limit: 0 }, 'limit'],
        [{ limit: 201 }, 'limit'],
        [{ limit: 'ten' }, 'limit'],
        [{ offset: -1 }, 'offset'],
        [{ orderBy: 'age' }, 'orderBy'],
        [{ bogus: true }, 'bogus'],
      ]) {
        it(`rejects ${JSON.stringify(args)} naming ${name}, without calling Clerk`, async () => {
          const [result, requests] = await call('clerk_list_users', args);
          assert.match(toolError(result), new RegExp(`\\b${name}\\b`));
          assert.deepEqual(requests, []);
        });
      }
    });

    describe('clerk_get_user', () => {
      it('shows the full profile of a user', async () => {
        const [rich] = users;
        const [result, requests] = await call('clerk_get_user', { userId: rich.id });
        assert.equal(requests.length, 1);
        assertClerkGet(requests[0], { path: `/v1/users/${rich.id}`, key: mode.key });
        const output = structured(result);
        assertOutputConventions(output);
        assertFullUser(output, rich);
      });

      it('shows a user with no names, phone, accounts or sign-in', async () => {
        const sparse = users[7];
        const [result, requests] = await call('clerk_get_user', { userId: sparse.id });
        assertClerkGet(requests[0], { path: `/v1/users/${sparse.id}`, key: mode.key });
        const output = structured(result);
        assertOutputConventions(output);
        assertFullUser(output, sparse);
      });

      it('reports an unknown user with Clerk\'s status and code', async () => {
        const missing = 'user_2NoSuchUserInThisInstance00';
        const [result, requests] = await call('clerk_get_user', { userId: missing });
        assert.equal(requests.length, 1);
        assertClerkGet(requests[0], { path: `/v1/users/${missing}`, key: mode.key });
        const text = toolError(result);
        assert.match(text, /\b404\b/);
        assert.match(text, /resource_not_found/);
        assert.match(text, /not found/i);
        assert.ok(!text.includes(mode.key), 'the error never shows the secret key');
      });

      it('rejects a missing userId without calling Clerk', async () => {
        const [result, requests] = await call('clerk_get_user', {});
        assert.match(toolError(result), /\buserId\b/);
        assert.deepEqual(requests, []);
      });

      for (const userId of ['..', '.', '../users/count', 'user_2abc/../../organizations', 'user_2abc?limit=1', 'user_2abc#x', 'user_2a/b']) {
        it(`never lets userId ${JSON.stringify(userId)} reach another Clerk endpoint`, async () => {
          const [result, requests] = await call('clerk_get_user', { userId });
          for (const request of requests) {
            const segment = /^\/v1\/users\/([^/]+)$/.exec(request.path)?.[1];
            assert.ok(segment !== undefined, `userId ${userId} reached ${request.path}`);
            assert.equal(decodeURIComponent(segment), userId);
            assert.equal(request.query, '');
          }
          assert.equal(result.isError, true);
        });
      }
    });
  });
}

function pickHints(annotations = {}) {
  return { readOnlyHint: annotations.readOnlyHint, openWorldHint: annotations.openWorldHint };
}

function pickPage({ totalCount, count, offset, hasMore, nextOffset }) {
  return { totalCount, count, offset, hasMore, ...(nextOffset === undefined ? {} : { nextOffset }) };
}
