// The tools through the official TypeScript MCP client, in both modes: that tools/list shows the
// forty-six tools of the default toolsets with their arguments, bounds and annotations, and, for the
// user tools, what the user gets back and exactly which Clerk requests (path, query, key,
// headers) each call caused. behaviour.test.mjs drives the organization tools.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  TOOL_NAMES, assertClerkGet, assertCompactUser, assertFullUser, assertOutputConventions, connect,
  listAndCount, modes, queryPairs, seededUsers, structured, toolError, withClerkRecord,
} from './support.mjs';

// The tool contract: each tool's arguments (sorted), the required ones, and its annotations
// (RO reads only; W writes; W+I writes, and repeating the call changes nothing more; D destroys).
// Every tool talks to Clerk, so openWorldHint is always true. Clients decide on confirmations
// from these hints.
const CONTRACT = {
  clerk_list_organizations: { args: ['fields', 'includeMembersCount', 'limit', 'offset', 'orderBy', 'query'], required: [], kind: 'RO' },
  clerk_get_organization: { args: ['fields', 'organizationId', 'slug'], required: [], kind: 'RO' },
  clerk_preview: { args: ['arguments', 'name'], required: ['name'], kind: 'RO' },
  clerk_whoami: { args: [], required: [], kind: 'RO' },
  clerk_create_organization: {
    args: ['createdBy', 'maxAllowedMemberships', 'name', 'privateMetadata', 'publicMetadata', 'slug'], required: ['name'], kind: 'W',
  },
  clerk_update_organization_metadata: {
    args: ['organizationId', 'privateMetadata', 'publicMetadata'], required: ['organizationId'], kind: 'W+I',
  },
  clerk_delete_organization: { args: ['organizationId'], required: ['organizationId'], kind: 'D' },
  clerk_list_organization_members: {
    args: ['fields', 'limit', 'offset', 'orderBy', 'organizationId', 'query', 'role'], required: ['organizationId'], kind: 'RO',
  },
  clerk_update_member_role: { args: ['organizationId', 'role', 'userId'], required: ['organizationId', 'role', 'userId'], kind: 'W+I' },
  clerk_update_member_metadata: {
    args: ['organizationId', 'privateMetadata', 'publicMetadata', 'userId'], required: ['organizationId', 'userId'], kind: 'W+I',
  },
  clerk_remove_member: { args: ['organizationId', 'userId'], required: ['organizationId', 'userId'], kind: 'D' },
  clerk_list_organization_invitations: { args: ['fields', 'limit', 'offset', 'organizationId', 'status'], required: ['organizationId'], kind: 'RO' },
  clerk_create_invitation: {
    args: ['emailAddress', 'expiresInDays', 'inviterUserId', 'organizationId', 'publicMetadata', 'redirectUrl', 'role'],
    required: ['emailAddress', 'organizationId', 'role'],
    kind: 'W',
  },
  clerk_list_users: { args: ['emailAddress', 'fields', 'limit', 'offset', 'orderBy', 'query', 'userId'], required: [], kind: 'RO' },
  clerk_get_user: { args: ['fields', 'userId'], required: ['userId'], kind: 'RO' },
  clerk_update_user_metadata: {
    args: ['privateMetadata', 'publicMetadata', 'unsafeMetadata', 'userId'], required: ['userId'], kind: 'W+I',
  },
  clerk_update_organization: {
    args: ['adminDeleteEnabled', 'maxAllowedMemberships', 'name', 'organizationId', 'slug'], required: ['organizationId'], kind: 'W+I',
  },
  clerk_list_user_organizations: { args: ['fields', 'limit', 'offset', 'userId'], required: ['userId'], kind: 'RO' },
  clerk_add_member: { args: ['organizationId', 'role', 'userId'], required: ['organizationId', 'role', 'userId'], kind: 'W' },
  clerk_revoke_invitation: {
    args: ['invitationId', 'organizationId', 'requestingUserId'], required: ['invitationId', 'organizationId'], kind: 'D+I',
  },
  clerk_count_users: { args: ['emailAddress', 'query', 'userId'], required: [], kind: 'RO' },
  clerk_create_user: {
    args: [
      'emailAddress', 'externalId', 'firstName', 'lastName', 'password', 'phoneNumber', 'privateMetadata', 'publicMetadata',
      'skipPasswordRequirement', 'unsafeMetadata', 'username',
    ],
    required: [],
    kind: 'W',
  },
  clerk_update_user: { args: ['externalId', 'firstName', 'lastName', 'userId', 'username'], required: ['userId'], kind: 'W+I' },
  clerk_ban_user: { args: ['userId'], required: ['userId'], kind: 'D+I' },
  clerk_bulk_ban_users: { args: ['userIds'], required: ['userIds'], kind: 'D+I' },
  clerk_bulk_invite_to_organization: {
    args: ['expiresInDays', 'invitations', 'inviterUserId', 'organizationId', 'publicMetadata', 'redirectUrl', 'role'],
    required: ['invitations', 'organizationId'],
    kind: 'W',
  },
  clerk_unban_user: { args: ['userId'], required: ['userId'], kind: 'W+I' },
  clerk_lock_user: { args: ['userId'], required: ['userId'], kind: 'D+I' },
  clerk_unlock_user: { args: ['userId'], required: ['userId'], kind: 'W+I' },
  clerk_delete_user: { args: ['userId'], required: ['userId'], kind: 'D' },
  clerk_list_sessions: { args: ['fields', 'limit', 'offset', 'status', 'userId'], required: ['userId'], kind: 'RO' },
  clerk_revoke_session: { args: ['sessionId'], required: ['sessionId'], kind: 'D+I' },
  clerk_list_roles: { args: ['fields', 'limit', 'offset', 'query'], required: [], kind: 'RO' },
  clerk_list_allowlist: { args: ['fields', 'limit', 'offset'], required: [], kind: 'RO' },
  clerk_add_to_allowlist: { args: ['identifier', 'notify'], required: ['identifier'], kind: 'W' },
  clerk_remove_from_allowlist: { args: ['identifierId'], required: ['identifierId'], kind: 'D+I' },
  clerk_list_blocklist: { args: ['fields', 'limit', 'offset'], required: [], kind: 'RO' },
  clerk_add_to_blocklist: { args: ['identifier'], required: ['identifier'], kind: 'W' },
  clerk_remove_from_blocklist: { args: ['identifierId'], required: ['identifierId'], kind: 'D+I' },
  clerk_list_waitlist: { args: ['fields', 'limit', 'offset', 'query', 'status'], required: [], kind: 'RO' },
  clerk_invite_waitlist_entry: { args: ['ignoreExisting', 'waitlistEntryId'], required: ['waitlistEntryId'], kind: 'W' },
  clerk_reject_waitlist_entry: { args: ['waitlistEntryId'], required: ['waitlistEntryId'], kind: 'D' },
  clerk_list_instance_invitations: { args: ['fields', 'limit', 'offset', 'query', 'status'], required: [], kind: 'RO' },
  clerk_create_instance_invitation: {
    args: ['emailAddress', 'expiresInDays', 'ignoreExisting', 'notify', 'publicMetadata', 'redirectUrl'], required: ['emailAddress'], kind: 'W',
  },
  clerk_bulk_invite_to_instance: {
    args: ['emailAddresses', 'expiresInDays', 'ignoreExisting', 'notify', 'publicMetadata', 'redirectUrl'], required: ['emailAddresses'], kind: 'W',
  },
  clerk_revoke_instance_invitation: { args: ['invitationId'], required: ['invitationId'], kind: 'D+I' },
};
const HINTS = {
  RO: { readOnlyHint: true, openWorldHint: true },
  W: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  'W+I': { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  D: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  'D+I': { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
};
// Numeric bounds the contract sets: [tool, argument, minimum, maximum].
const BOUNDS = [
  ['clerk_list_users', 'limit', 1, 200],
  ['clerk_list_organizations', 'limit', 1, 100],
  ['clerk_list_organization_members', 'limit', 1, 100],
  ['clerk_list_organization_invitations', 'limit', 1, 100],
  ['clerk_create_invitation', 'expiresInDays', 1, 365],
  ['clerk_bulk_invite_to_organization', 'expiresInDays', 1, 365],
  ['clerk_create_organization', 'maxAllowedMemberships', 1, undefined],
  ['clerk_update_organization', 'maxAllowedMemberships', 0, undefined],
  ['clerk_list_user_organizations', 'limit', 1, 100],
  ['clerk_list_sessions', 'limit', 1, 100],
  ['clerk_list_roles', 'limit', 1, 100],
];

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

    it('lists the forty-six tools of the contract with their arguments, schemas and hints', () => {
      assert.deepEqual(Object.keys(CONTRACT).sort(), TOOL_NAMES);
      const byName = Object.fromEntries(session.tools.map((tool) => [tool.name, tool]));
      assert.deepEqual(Object.keys(byName).sort(), TOOL_NAMES);
      for (const [name, { args, required, kind }] of Object.entries(CONTRACT)) {
        const tool = byName[name];
        assert.ok(tool.description?.length > 0, `${name} has a description`);
        assert.equal(tool.inputSchema.type, 'object');
        // Every write also takes the token of the user's yes (tests/e2e/confirmation.test.mjs).
        const all = kind === 'RO' ? args : [...args, 'confirmToken'].sort();
        assert.deepEqual(Object.keys(tool.inputSchema.properties ?? {}).sort(), all, `${name} arguments`);
        assert.deepEqual([...(tool.inputSchema.required ?? [])].sort(), required, `${name} required arguments`);
        assert.equal(tool.outputSchema?.type, 'object', `${name} has an outputSchema`);
        assert.deepEqual(pickHints(tool.annotations, HINTS[kind]), HINTS[kind], `${name} is ${kind}`);
      }
      for (const [name, argument, minimum, maximum] of BOUNDS) {
        const schema = byName[name].inputSchema.properties[argument];
        assert.equal(schema.minimum, minimum, `${name}.${argument} minimum`);
        assert.equal(schema.maximum, maximum, `${name}.${argument} maximum`);
      }
      assert.deepEqual(byName.clerk_list_organization_invitations.inputSchema.properties.status.enum.filter((v) => v !== null).sort(),
        ['accepted', 'expired', 'pending', 'revoked']);
      assert.equal(byName.clerk_list_organization_members.inputSchema.properties.role.type, 'array');
      assert.deepEqual(byName.clerk_list_sessions.inputSchema.properties.status.enum.filter((v) => v !== null).sort(),
        ['abandoned', 'active', 'ended', 'expired', 'removed', 'replaced', 'revoked']);
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

    describe('the organization, member, invitation and metadata tools', () => {
      const ORG = 'org_2bDCkPVCwcGpGRUF3ZxXoF5hYQa';
      const USER = 'user_2bDCkQ7kQeP7nnQg6S8rPzJdGvU';
      const member = { organizationId: ORG, userId: USER };
      // [tool, arguments, the argument the error must name (a pattern)]
      const refused = [
        ['clerk_list_organizations', { limit: 0 }, 'limit'],
        ['clerk_list_organizations', { limit: 101 }, 'limit'],
        ['clerk_list_organizations', { offset: -1 }, 'offset'],
        ['clerk_list_organizations', { orderBy: 'slug' }, 'orderBy'],
        ['clerk_list_organizations', { orderBy: '--name' }, 'orderBy'],
        ['clerk_list_organizations', { includeMembersCount: 'yes' }, 'includeMembersCount'],
        ['clerk_list_organizations', { bogus: true }, 'bogus'],
        ['clerk_get_organization', {}, 'organizationId|slug'],
        ['clerk_get_organization', { organizationId: ORG, slug: 'acme' }, 'organizationId|slug'],
        ['clerk_get_organization', { organizationId: 'acme' }, 'organizationId'],
        ['clerk_get_organization', { slug: 'Acme Corp' }, 'slug'],
        ['clerk_create_organization', {}, 'name'],
        ['clerk_create_organization', { name: 'Acme', maxAllowedMemberships: 0 }, 'maxAllowedMemberships'],
        ['clerk_create_organization', { name: 'Acme', slug: 'Not A Slug' }, 'slug'],
        ['clerk_create_organization', { name: 'Acme', createdBy: 'bob' }, 'createdBy'],
        ['clerk_create_organization', { name: 'Acme', publicMetadata: 'plan=pro' }, 'publicMetadata'],
        ['clerk_create_organization', { name: 'Acme', privateMetadata: [1, 2] }, 'privateMetadata'],
        ['clerk_update_organization_metadata', { organizationId: ORG }, 'publicMetadata|privateMetadata'],
        ['clerk_update_organization_metadata', { publicMetadata: { a: 1 } }, 'organizationId'],
        ['clerk_update_organization_metadata', { organizationId: ORG, unsafeMetadata: { a: 1 } }, 'unsafeMetadata'],
        ['clerk_delete_organization', {}, 'organizationId'],
        ['clerk_list_organization_members', {}, 'organizationId'],
        ['clerk_list_organization_members', { organizationId: ORG, limit: 101 }, 'limit'],
        ['clerk_list_organization_members', { organizationId: ORG, role: 'org:admin' }, 'role'],
        ['clerk_list_organization_members', { organizationId: ORG, role: ['admin'] }, 'role'],
        ['clerk_list_organization_members', { organizationId: ORG, orderBy: 'name' }, 'orderBy'],
        ['clerk_update_member_role', member, 'role'],
        ['clerk_update_member_role', { ...member, role: 'admin' }, 'role'],
        ['clerk_update_member_role', { ...member, userId: 'bob', role: 'org:admin' }, 'userId'],
        ['clerk_update_member_metadata', member, 'publicMetadata|privateMetadata'],
        ['clerk_update_member_metadata', { ...member, publicMetadata: null }, 'publicMetadata'],
        ['clerk_remove_member', { organizationId: ORG }, 'userId'],
        ['clerk_list_organization_invitations', { organizationId: ORG, status: 'open' }, 'status'],
        ['clerk_list_organization_invitations', { organizationId: ORG, limit: 0 }, 'limit'],
        ['clerk_create_invitation', { organizationId: ORG, role: 'org:member' }, 'emailAddress'],
        ['clerk_create_invitation', { organizationId: ORG, role: 'org:member', emailAddress: 'not-an-email' }, 'emailAddress'],
        ['clerk_create_invitation', { organizationId: ORG, role: 'org:member', emailAddress: 'a@example.com', expiresInDays: 0 }, 'expiresInDays'],
        ['clerk_create_invitation', { organizationId: ORG, role: 'org:member', emailAddress: 'a@example.com', expiresInDays: 366 }, 'expiresInDays'],
        ['clerk_create_invitation', { organizationId: ORG, role: 'org:member', emailAddress: 'a@example.com', inviterUserId: 'bob' }, 'inviterUserId'],
        ['clerk_create_invitation', { organizationId: ORG, emailAddress: 'a@example.com' }, 'role'],
        ['clerk_update_user_metadata', { userId: USER }, 'publicMetadata|privateMetadata|unsafeMetadata'],
        ['clerk_update_user_metadata', { userId: 'bob', publicMetadata: {} }, 'userId'],
      ];
      for (const [name, args, argument] of refused) {
        it(`${name} rejects ${JSON.stringify(args)} naming ${argument.replaceAll('|', ' or ')}, without calling Clerk`, async () => {
          const [result, requests] = await call(name, args);
          assert.match(toolError(result), new RegExp(`\\b(${argument})\\b`));
          assert.deepEqual(requests, []);
        });
      }

      // Values that would change the endpoint if they reached the path unencoded.
      const hostile = ['..', '.', '../users', 'org_2abc/../../users', 'org_2abc?limit=1', 'org_2abc#x', 'org_2a/b', 'org_2abc%2F..'];
      const placed = [
        ['clerk_get_organization', (v) => ({ organizationId: v }), /^\/v1\/organizations\/([^/]+)$/],
        ['clerk_get_organization', (v) => ({ slug: v.replace('org_', '') }), /^\/v1\/organizations\/([^/]+)$/],
        ['clerk_delete_organization', (v) => ({ organizationId: v }), /^\/v1\/organizations\/([^/]+)$/],
        ['clerk_update_organization_metadata', (v) => ({ organizationId: v, publicMetadata: { a: 1 } }), /^\/v1\/organizations\/([^/]+)\/metadata$/],
        ['clerk_list_organization_members', (v) => ({ organizationId: v }), /^\/v1\/organizations\/([^/]+)\/memberships$/],
        ['clerk_remove_member', (v) => ({ organizationId: ORG, userId: v.replace('org_', 'user_') }),
          /^\/v1\/organizations\/org_[A-Za-z0-9]+\/memberships\/([^/]+)$/],
        ['clerk_update_user_metadata', (v) => ({ userId: v.replace('org_', 'user_'), publicMetadata: { a: 1 } }), /^\/v1\/users\/([^/]+)\/metadata$/],
      ];
      for (const [name, argsFor, endpoint] of placed) {
        it(`${name} never lets an ID or slug reach another Clerk endpoint`, async () => {
          for (const value of hostile) {
            const args = argsFor(value);
            const [result, requests] = await call(name, args);
            const given = Object.values(args).find((v) => typeof v === 'string' && v !== ORG);
            for (const request of requests) {
              const segment = endpoint.exec(request.path)?.[1];
              assert.ok(segment !== undefined, `${JSON.stringify(args)} reached ${request.method} ${request.path}`);
              assert.equal(decodeURIComponent(segment), given);
            }
            assert.equal(result.isError, true, `${JSON.stringify(args)} was not refused`);
          }
        });
      }
    });
  });
}

/** The hints of `annotations` that `expected` names. */
function pickHints(annotations = {}, expected) {
  return Object.fromEntries(Object.keys(expected).map((hint) => [hint, annotations[hint]]));
}

function pickPage({ totalCount, count, offset, hasMore, nextOffset }) {
  return { totalCount, count, offset, hasMore, ...(nextOffset === undefined ? {} : { nextOffset }) };
}
