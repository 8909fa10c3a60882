// The administration tools beyond the organization's life, end to end, through the official
// TypeScript MCP client in both modes, against the fake Clerk's in-memory instance: a member
// added with a role found through clerk_list_roles, a user's organizations, an organization
// updated, an invitation revoked (and found by status), a user's whole life (created, updated,
// banned, unbanned, locked, unlocked, deleted, with the count before and after), and incident
// response (a user's sessions listed and one revoked). Each step checks the exact Clerk request
// and what Clerk then holds.
//
// The client lists the tools when it connects, so every structuredContent below has been
// validated against its tool's outputSchema.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import {
  assertClerkDelete, assertClerkGet, assertClerkWrite, assertOutputConventions, clerkState, connect, currentUsers, modes,
  seededUsers, structured, toolError, withClerkRecord,
} from './support.mjs';

/** Asserts one recorded request is a POST of `path` without a body (Clerk's actions take none). */
function assertBodylessPost(request, { path, key }) {
  assert.equal(request.method, 'POST');
  assert.equal(request.path, path);
  assert.equal(request.query, '');
  assert.equal(request.body, '', 'this POST carries no body');
  assert.equal(request.headers['content-type'], undefined, 'a POST without a body carries no Content-Type');
  assert.equal(request.headers.authorization, `Bearer ${key}`);
  assert.deepEqual(request.violations, []);
}

for (const [index, mode] of modes().entries()) {
  describe(`${mode.name} mode`, () => {
    const tag = `${mode.name}-${randomBytes(4).toString('hex')}`;
    let session;
    let users;
    const call = (name, args) => withClerkRecord(() => session.client.callTool({ name, arguments: args }));
    /** Calls a tool that must make exactly one Clerk request; returns [output, request]. */
    const callOnce = async (name, args) => {
      const [result, requests] = await call(name, args);
      const output = structured(result);
      assertOutputConventions(output);
      assert.equal(requests.length, 1, `${name} made ${requests.length} Clerk calls`);
      return [output, requests[0]];
    };

    before(async () => {
      session = await connect(mode.url, mode.headers);
      users = await seededUsers();
    });
    after(() => session?.close());

    describe('members, roles and an organization', () => {
      let organization;
      let member;
      let role;

      before(async () => {
        member = users[20 + index];
        [organization] = await callOnce('clerk_create_organization', { name: `Admin ${tag}`, slug: `admin-${tag}` });
      });

      it('finds a custom role with clerk_list_roles', async () => {
        const [output, request] = await callOnce('clerk_list_roles', { query: 'billing' });
        assertClerkGet(request, { path: '/v1/organization_roles', query: { limit: '20', offset: '0', query: 'billing' }, key: mode.key });
        assert.equal(output.totalCount, 1);
        [role] = output.roles;
        assert.equal(role.key, 'org:billing_manager');
        assert.equal(role.name, 'Billing manager');
        assert.ok(role.permissions.includes('org:billing:manage') || role.permissions.some((p) => p.key === 'org:billing:manage'),
          `permissions ${JSON.stringify(role.permissions)}`);

        const [all] = await callOnce('clerk_list_roles', { limit: 2 });
        assert.equal(all.totalCount, 3);
        assert.equal(all.count, 2);
        assert.equal(all.hasMore, true);
        assert.equal(all.nextOffset, 2);
      });

      it('adds a member with that role', async () => {
        const [output, request] = await callOnce('clerk_add_member', { organizationId: organization.id, userId: member.id, role: role.key });
        assertClerkWrite(request, {
          method: 'POST', path: `/v1/organizations/${organization.id}/memberships`, body: { user_id: member.id, role: role.key }, key: mode.key,
        });
        assert.equal(output.userId, member.id);
        assert.equal(output.role, 'org:billing_manager');
        assert.equal(output.roleName, 'Billing manager');
        const stored = (await clerkState()).memberships.find((m) => m.id === output.id);
        assert.equal(stored.role, 'org:billing_manager');
        assert.equal(stored.organization.id, organization.id);

        const again = toolError((await call('clerk_add_member', { organizationId: organization.id, userId: member.id, role: 'org:member' }))[0]);
        assert.match(again, /already_a_member_in_organization/);
      });

      it('lists the user\'s organizations', async () => {
        const [output, request] = await callOnce('clerk_list_user_organizations', { userId: member.id });
        assertClerkGet(request, { path: `/v1/users/${member.id}/organization_memberships`, query: { limit: '20', offset: '0' }, key: mode.key });
        const expected = (await clerkState()).memberships.filter((m) => m.public_user_data.user_id === member.id);
        assert.equal(output.totalCount, expected.length);
        const joined = output.memberships.find((m) => m.organizationId === organization.id);
        assert.ok(joined, `${organization.id} is among ${JSON.stringify(output.memberships.map((m) => m.organizationId))}`);
        assert.equal(joined.organizationName, organization.name);
        assert.equal(joined.organizationSlug, organization.slug);
        assert.equal(joined.role, 'org:billing_manager');
        // Newest first: the membership just made leads.
        assert.equal(output.memberships[0].organizationId, organization.id);
      });

      it('updates the organization, sending only the fields given', async () => {
        const name = `Admin renamed ${tag}`;
        const [output, request] = await callOnce('clerk_update_organization', {
          organizationId: organization.id, name, maxAllowedMemberships: 0, adminDeleteEnabled: false,
        });
        assertClerkWrite(request, {
          method: 'PATCH', path: `/v1/organizations/${organization.id}`,
          body: { name, max_allowed_memberships: 0, admin_delete_enabled: false }, key: mode.key,
        });
        assert.equal(output.name, name);
        assert.equal(output.slug, organization.slug);
        assert.equal(output.adminDeleteEnabled, false);
        const stored = (await clerkState()).organizations.find((o) => o.id === organization.id);
        assert.equal(stored.name, name);
        assert.equal(stored.max_allowed_memberships, 0);
        assert.equal(stored.admin_delete_enabled, false);

        const [slugOnly, slugRequest] = await callOnce('clerk_update_organization', { organizationId: organization.id, slug: `renamed-${tag}` });
        assert.deepEqual(JSON.parse(slugRequest.body), { slug: `renamed-${tag}` });
        assert.equal(slugOnly.name, name, 'a field not given is kept');
      });

      it('revokes an invitation, which then lists as revoked', async () => {
        const emailAddress = `revoked-${tag}@example.org`;
        const [invitation] = await callOnce('clerk_create_invitation', { organizationId: organization.id, emailAddress, role: 'org:member' });
        const [output, request] = await callOnce('clerk_revoke_invitation', { organizationId: organization.id, invitationId: invitation.id });
        assertBodylessPost(request, { path: `/v1/organizations/${organization.id}/invitations/${invitation.id}/revoke`, key: mode.key });
        assert.equal(output.id, invitation.id);
        assert.equal(output.status, 'revoked');

        const [revoked] = await callOnce('clerk_list_organization_invitations', { organizationId: organization.id, status: 'revoked' });
        assert.deepEqual(revoked.invitations.map((i) => i.id), [invitation.id]);
        const [pending] = await callOnce('clerk_list_organization_invitations', { organizationId: organization.id, status: 'pending' });
        assert.equal(pending.totalCount, 0);

        // With the user who revokes named, the body says who.
        const [second] = await callOnce('clerk_create_invitation', { organizationId: organization.id, emailAddress: `second-${emailAddress}`, role: 'org:member' });
        const [, namedRequest] = await callOnce('clerk_revoke_invitation', {
          organizationId: organization.id, invitationId: second.id, requestingUserId: member.id,
        });
        assertClerkWrite(namedRequest, {
          method: 'POST', path: `/v1/organizations/${organization.id}/invitations/${second.id}/revoke`,
          body: { requesting_user_id: member.id }, key: mode.key,
        });
        // Clerk refuses to revoke what is no longer pending.
        toolError((await call('clerk_revoke_invitation', { organizationId: organization.id, invitationId: invitation.id }))[0]);
      });

      after(async () => {
        if (organization) await call('clerk_delete_organization', { organizationId: organization.id });
      });
    });

    describe('a user from creation to deletion', () => {
      const emailAddress = `admin-${tag}@example.org`;
      let before;
      let user;

      it('counts the users', async () => {
        const [output, request] = await callOnce('clerk_count_users', {});
        assertClerkGet(request, { path: '/v1/users/count', key: mode.key });
        before = output.totalCount;
        assert.equal(before, (await currentUsers()).length);
        const [filtered, filteredRequest] = await callOnce('clerk_count_users', { emailAddress: [users[0].email_addresses[0].email_address] });
        assertClerkGet(filteredRequest, { path: '/v1/users/count', query: { email_address: users[0].email_addresses[0].email_address }, key: mode.key });
        assert.equal(filtered.totalCount, 1);
      });

      it('creates a user, and the count grows by one', async () => {
        const [output, request] = await callOnce('clerk_create_user', {
          emailAddress: [emailAddress], firstName: 'Ada', lastName: 'Admin', username: `ada_${tag.replace(/-/g, '_')}`,
          password: `pw-${randomBytes(8).toString('hex')}`, publicMetadata: { plan: 'pro' }, privateMetadata: { crm: { id: 7 } },
        });
        const body = JSON.parse(request.body);
        assert.equal(request.method, 'POST');
        assert.equal(request.path, '/v1/users');
        assert.deepEqual(request.violations, []);
        assert.deepEqual(Object.keys(body).sort(), ['email_address', 'first_name', 'last_name', 'password', 'private_metadata', 'public_metadata', 'username']);
        assert.deepEqual(body.email_address, [emailAddress]);
        assert.equal(JSON.stringify(output).includes(body.password), false, 'the password does not come back');
        user = output;
        assert.equal(user.primaryEmailAddress, emailAddress);
        assert.equal(user.firstName, 'Ada');
        assert.deepEqual(user.publicMetadata, { plan: 'pro' });
        assert.deepEqual(user.privateMetadata, { crm: { id: 7 } });
        assert.equal(user.banned, false);
        assert.equal(user.passwordEnabled, true);
        assert.equal((await callOnce('clerk_count_users', {}))[0].totalCount, before + 1);

        const taken = toolError((await call('clerk_create_user', { emailAddress: [emailAddress] }))[0]);
        assert.match(taken, /form_identifier_exists/);
      });

      it('updates the user\'s profile fields only', async () => {
        const [output, request] = await callOnce('clerk_update_user', { userId: user.id, firstName: 'Adah', externalId: `ext-${tag}` });
        assertClerkWrite(request, { method: 'PATCH', path: `/v1/users/${user.id}`, body: { first_name: 'Adah', external_id: `ext-${tag}` }, key: mode.key });
        assert.equal(output.firstName, 'Adah');
        assert.equal(output.lastName, 'Admin', 'a field not given is kept');
        assert.equal(output.externalId, `ext-${tag}`);
      });

      for (const [tool, action, field, value] of [
        ['clerk_ban_user', 'ban', 'banned', true], ['clerk_unban_user', 'unban', 'banned', false],
        ['clerk_lock_user', 'lock', 'locked', true], ['clerk_unlock_user', 'unlock', 'locked', false],
      ]) {
        it(`${action}s the user`, async () => {
          const [output, request] = await callOnce(tool, { userId: user.id });
          assertBodylessPost(request, { path: `/v1/users/${user.id}/${action}`, key: mode.key });
          assert.equal(output.id, user.id);
          assert.equal(output[field], value);
          const stored = (await currentUsers()).find((u) => u.id === user.id);
          assert.equal(stored[field], value);
        });
      }

      it('deletes the user, and the count is back where it was', async () => {
        const [output, request] = await callOnce('clerk_delete_user', { userId: user.id });
        assertClerkDelete(request, { path: `/v1/users/${user.id}`, key: mode.key });
        assert.deepEqual(output, { id: user.id, deleted: true });
        assert.equal((await callOnce('clerk_count_users', {}))[0].totalCount, before);
        assert.match(toolError((await call('clerk_get_user', { userId: user.id }))[0]), /\b404\b|not found/i);
      });
    });

    describe('incident response: a user\'s sessions', () => {
      // Every 18th seeded user has an ended session and two active ones (fake-clerk.mjs).
      let target;
      before(() => {
        target = users[18 * (index + 1)];
      });

      it('lists the user\'s sessions, newest first, and by status', async () => {
        const [output, request] = await callOnce('clerk_list_sessions', { userId: target.id });
        assertClerkGet(request, { path: '/v1/sessions', query: { user_id: target.id, paginated: 'true', limit: '20', offset: '0' }, key: mode.key });
        const stored = (await clerkState()).sessions.filter((s) => s.user_id === target.id);
        assert.equal(output.totalCount, stored.length);
        assert.equal(output.count, 3);
        assert.deepEqual(output.sessions.map((s) => s.status).sort(), ['active', 'active', 'ended']);
        assert.ok(output.sessions.every((s) => s.userId === target.id));
        const times = output.sessions.map((s) => Date.parse(s.createdAt));
        assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
        assert.ok(output.sessions.some((s) => s.latestActivity && Object.keys(s.latestActivity).length > 0), 'sessions show where they were used');

        const [active, activeRequest] = await callOnce('clerk_list_sessions', { userId: target.id, status: 'active', limit: 1 });
        assertClerkGet(activeRequest, {
          path: '/v1/sessions', query: { user_id: target.id, paginated: 'true', status: 'active', limit: '1', offset: '0' }, key: mode.key,
        });
        assert.equal(active.totalCount, 2);
        assert.equal(active.count, 1);
        assert.equal(active.hasMore, true);
      });

      it('revokes one active session, and only that one', async () => {
        const [active] = await callOnce('clerk_list_sessions', { userId: target.id, status: 'active' });
        const [victim, survivor] = active.sessions;
        const [output, request] = await callOnce('clerk_revoke_session', { sessionId: victim.id });
        assertBodylessPost(request, { path: `/v1/sessions/${victim.id}/revoke`, key: mode.key });
        assert.equal(output.id, victim.id);
        assert.equal(output.status, 'revoked');
        const [after] = await callOnce('clerk_list_sessions', { userId: target.id, status: 'active' });
        assert.deepEqual(after.sessions.map((s) => s.id), [survivor.id]);
        const [revoked] = await callOnce('clerk_list_sessions', { userId: target.id, status: 'revoked' });
        assert.deepEqual(revoked.sessions.map((s) => s.id), [victim.id]);

        assert.match(toolError((await call('clerk_revoke_session', { sessionId: 'sess_2NoSuchSessionInThisInstance0' }))[0]), /\b404\b|not found/i);
      });
    });
  });
}
