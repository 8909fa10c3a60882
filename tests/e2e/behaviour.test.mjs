// What an administrator does with the tools, end to end, through the official TypeScript MCP
// client in both modes, against the fake Clerk's in-memory instance: an organization's whole life
// (create, find by slug, merge metadata twice, invite, list invitations by status, change a
// member's role and metadata, remove the member, delete, and see it gone), a user's metadata
// merged twice, and every user read page by page. Each step checks the exact Clerk request and
// what Clerk then holds, not only what the tool answered.
//
// The client lists the tools when it connects, so every structuredContent below has been
// validated against its tool's outputSchema.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import {
  acceptInvitation, assertClerkDelete, assertClerkGet, assertClerkWrite, assertFullUser, assertInvitation,
  assertMember, assertOrganization, assertOutputConventions, clerkState, connect, currentUsers, listAndCount, modes, pageOf,
  seededUsers, structured, toolError, withClerkRecord,
} from './support.mjs';

const DAY_MS = 24 * 3_600_000;

for (const [index, mode] of modes().entries()) {
  describe(`${mode.name} mode`, () => {
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

    describe('an organization from creation to deletion', () => {
      const slug = `behaviour-${mode.name}-${randomBytes(4).toString('hex')}`;
      const name = `Behaviour ${mode.name} ${slug.slice(-8)}`;
      let creator;
      let invitee;
      let organization;
      let invitation;
      let outsiderInvitation;
      const stored = async () => (await clerkState()).organizations.find((o) => o.id === organization.id);
      const storedMember = async (userId) => (await clerkState()).memberships
        .find((m) => m.organization.id === organization.id && m.public_user_data.user_id === userId);

      before(() => {
        creator = users[1 + 2 * index];
        invitee = users[5 + index];
      });

      it('creates the organization with every argument, and its creator becomes admin', async () => {
        const publicMetadata = { plan: 'pro', limits: { seats: 5, projects: 3 } };
        const privateMetadata = { crm: { id: 'crm_1' } };
        const [output, request] = await callOnce('clerk_create_organization', {
          name, slug, createdBy: creator.id, maxAllowedMemberships: 10, publicMetadata, privateMetadata,
        });
        assertClerkWrite(request, {
          method: 'POST',
          path: '/v1/organizations',
          body: {
            name, slug, created_by: creator.id, max_allowed_memberships: 10,
            public_metadata: publicMetadata, private_metadata: privateMetadata,
          },
          key: mode.key,
        });
        assertOrganization(output, request.response.body);
        assert.match(output.id, /^org_/);
        organization = output;
        const state = await clerkState();
        const members = state.memberships.filter((m) => m.organization.id === output.id);
        assert.deepEqual(members.map((m) => [m.public_user_data.user_id, m.role]), [[creator.id, 'org:admin']]);
      });

      it('finds it by slug, with its member count', async () => {
        const [output, request] = await callOnce('clerk_get_organization', { slug });
        assertClerkGet(request, { path: `/v1/organizations/${slug}`, query: { include_members_count: 'true' }, key: mode.key });
        assertOrganization(output, await stored());
        assert.equal(output.id, organization.id);
        assert.equal(output.membersCount, 1);
        assert.equal(output.pendingInvitationsCount, 0);
      });

      it('finds it in the list by a search for its slug, oldest name first', async () => {
        const [output, request] = await callOnce('clerk_list_organizations', { query: slug, orderBy: '+name', includeMembersCount: false });
        assertClerkGet(request, {
          path: '/v1/organizations',
          query: { limit: '20', offset: '0', include_members_count: 'false', order_by: '+name', query: slug },
          key: mode.key,
        });
        assert.match(request.query, /(^|&)order_by=%2Bname(&|$)/);
        assert.deepEqual(output.organizations.map((o) => o.id), [organization.id]);
        assert.equal(output.organizations[0].membersCount, undefined, 'no member count unless asked');
        assert.deepEqual(pageOf(output), { totalCount: 1, count: 1, offset: 0, hasMore: false });
      });

      it('merges metadata: nested keys are set and the other keys kept', async () => {
        const change = { limits: { seats: 10 }, region: 'eu', flags: { beta: true, sso: false } };
        const [output, request] = await callOnce('clerk_update_organization_metadata', {
          organizationId: organization.id, publicMetadata: change,
        });
        assertClerkWrite(request, {
          method: 'PATCH', path: `/v1/organizations/${organization.id}/metadata`, body: { public_metadata: change }, key: mode.key,
        });
        const expected = { plan: 'pro', limits: { seats: 10, projects: 3 }, region: 'eu', flags: { beta: true, sso: false } };
        assert.deepEqual(output.publicMetadata, expected);
        assert.deepEqual(output.privateMetadata, { crm: { id: 'crm_1' } });
        const now = await stored();
        assert.deepEqual(now.public_metadata, expected);
        assertOrganization(output, request.response.body);
      });

      it('merges metadata again: a key set to null is deleted, the others stay', async () => {
        const publicChange = { limits: { projects: null }, plan: null, flags: { sso: null } };
        const privateChange = { crm: { tier: 'gold' } };
        const [output, request] = await callOnce('clerk_update_organization_metadata', {
          organizationId: organization.id, publicMetadata: publicChange, privateMetadata: privateChange,
        });
        assertClerkWrite(request, {
          method: 'PATCH',
          path: `/v1/organizations/${organization.id}/metadata`,
          body: { public_metadata: publicChange, private_metadata: privateChange },
          key: mode.key,
        });
        const now = await stored();
        assert.deepEqual(now.public_metadata, { limits: { seats: 10 }, region: 'eu', flags: { beta: true } });
        assert.deepEqual(now.private_metadata, { crm: { id: 'crm_1', tier: 'gold' } });
        assert.deepEqual(output.publicMetadata, now.public_metadata);
        assert.deepEqual(output.privateMetadata, now.private_metadata);
      });

      it('invites a user with every argument', async () => {
        const emailAddress = invitee.email_addresses[0].email_address;
        const args = {
          organizationId: organization.id,
          emailAddress,
          role: 'org:member',
          inviterUserId: creator.id,
          redirectUrl: 'https://app.example.com/welcome?from=invite',
          publicMetadata: { source: 'behaviour', team: { name: 'core', lead: true } },
          expiresInDays: 14,
        };
        const [output, request] = await callOnce('clerk_create_invitation', args);
        assertClerkWrite(request, {
          method: 'POST',
          path: `/v1/organizations/${organization.id}/invitations`,
          body: {
            email_address: emailAddress,
            role: 'org:member',
            inviter_user_id: creator.id,
            redirect_url: args.redirectUrl,
            public_metadata: args.publicMetadata,
            expires_in_days: 14,
          },
          key: mode.key,
        });
        assertInvitation(output, request.response.body);
        assert.equal(output.status, 'pending');
        assert.match(output.id, /^orginv_/);
        assert.equal(Date.parse(output.expiresAt) - Date.parse(output.createdAt), 14 * DAY_MS);
        invitation = output;
      });

      it('invites someone without an account, sending only the required fields', async () => {
        const emailAddress = `outsider-${slug}@example.org`;
        const [output, request] = await callOnce('clerk_create_invitation', { organizationId: organization.id, emailAddress, role: 'org:admin' });
        assertClerkWrite(request, {
          method: 'POST',
          path: `/v1/organizations/${organization.id}/invitations`,
          body: { email_address: emailAddress, role: 'org:admin' },
          key: mode.key,
        });
        assertInvitation(output, request.response.body);
        assert.equal(output.inviterUserId, undefined);
        outsiderInvitation = output;
      });

      it('lists the pending invitations, newest first', async () => {
        const [output, request] = await callOnce('clerk_list_organization_invitations', { organizationId: organization.id, status: 'pending' });
        assertClerkGet(request, {
          path: `/v1/organizations/${organization.id}/invitations`,
          query: { limit: '20', offset: '0', status: 'pending' },
          key: mode.key,
        });
        assert.deepEqual(output.invitations.map((i) => i.id), [outsiderInvitation.id, invitation.id]);
        output.invitations.forEach((shown, i) => assertInvitation(shown, request.response.body.data[i]));
        assert.deepEqual(pageOf(output), { totalCount: 2, count: 2, offset: 0, hasMore: false });
      });

      it('lists invitations by status once one is accepted', async () => {
        await acceptInvitation(invitation.id);
        const [accepted, acceptedRequest] = await callOnce('clerk_list_organization_invitations', {
          organizationId: organization.id, status: 'accepted',
        });
        assertClerkGet(acceptedRequest, {
          path: `/v1/organizations/${organization.id}/invitations`, query: { limit: '20', offset: '0', status: 'accepted' }, key: mode.key,
        });
        assert.deepEqual(accepted.invitations.map((i) => [i.id, i.status]), [[invitation.id, 'accepted']]);
        const [pending] = await callOnce('clerk_list_organization_invitations', { organizationId: organization.id, status: 'pending' });
        assert.deepEqual(pending.invitations.map((i) => i.id), [outsiderInvitation.id]);
        const [all, allRequest] = await callOnce('clerk_list_organization_invitations', { organizationId: organization.id, limit: 1 });
        assertClerkGet(allRequest, { path: `/v1/organizations/${organization.id}/invitations`, query: { limit: '1', offset: '0' }, key: mode.key });
        assert.deepEqual(pageOf(all), { totalCount: 2, count: 1, offset: 0, hasMore: true, nextOffset: 1 });
      });

      it('lists the new member by role, with the invitation\'s metadata', async () => {
        const [output, request] = await callOnce('clerk_list_organization_members', { organizationId: organization.id, role: ['org:member'] });
        assertClerkGet(request, {
          path: `/v1/organizations/${organization.id}/memberships`,
          query: [['limit', '20'], ['offset', '0'], ['role', 'org:member']],
          key: mode.key,
        });
        assert.equal(output.members.length, 1);
        assertMember(output.members[0], request.response.body.data[0]);
        assert.equal(output.members[0].userId, invitee.id);
        assert.deepEqual(output.members[0].publicMetadata, { source: 'behaviour', team: { name: 'core', lead: true } });
        assert.deepEqual(pageOf(output), { totalCount: 1, count: 1, offset: 0, hasMore: false });

        const [both, bothRequest] = await callOnce('clerk_list_organization_members', {
          organizationId: organization.id, role: ['org:member', 'org:admin'], orderBy: '+first_name', limit: 1, offset: 1,
        });
        assertClerkGet(bothRequest, {
          path: `/v1/organizations/${organization.id}/memberships`,
          query: [['limit', '1'], ['offset', '1'], ['order_by', '+first_name'], ['role', 'org:member'], ['role', 'org:admin']],
          key: mode.key,
        });
        assert.match(bothRequest.query, /(^|&)order_by=%2Bfirst_name(&|$)/);
        assert.deepEqual(pageOf(both), { totalCount: 2, count: 1, offset: 1, hasMore: false });
      });

      it('makes the member an admin', async () => {
        const [output, request] = await callOnce('clerk_update_member_role', {
          organizationId: organization.id, userId: invitee.id, role: 'org:admin',
        });
        assertClerkWrite(request, {
          method: 'PATCH', path: `/v1/organizations/${organization.id}/memberships/${invitee.id}`, body: { role: 'org:admin' }, key: mode.key,
        });
        assertMember(output, request.response.body);
        assert.deepEqual([output.role, output.roleName], ['org:admin', 'Admin']);
        assert.ok(output.permissions.includes('org:sys_memberships:manage'));
        assert.equal((await storedMember(invitee.id)).role, 'org:admin');
      });

      it('merges the member\'s metadata twice, the second time deleting a key', async () => {
        const [first, firstRequest] = await callOnce('clerk_update_member_metadata', {
          organizationId: organization.id, userId: invitee.id, publicMetadata: { team: { size: 4 } }, privateMetadata: { badge: 7 },
        });
        assertClerkWrite(firstRequest, {
          method: 'PATCH',
          path: `/v1/organizations/${organization.id}/memberships/${invitee.id}/metadata`,
          body: { public_metadata: { team: { size: 4 } }, private_metadata: { badge: 7 } },
          key: mode.key,
        });
        assertMember(first, firstRequest.response.body);
        assert.deepEqual(first.publicMetadata, { source: 'behaviour', team: { name: 'core', lead: true, size: 4 } });

        const [second, secondRequest] = await callOnce('clerk_update_member_metadata', {
          organizationId: organization.id, userId: invitee.id, publicMetadata: { team: { lead: null }, source: null },
        });
        assertClerkWrite(secondRequest, {
          method: 'PATCH',
          path: `/v1/organizations/${organization.id}/memberships/${invitee.id}/metadata`,
          body: { public_metadata: { team: { lead: null }, source: null } },
          key: mode.key,
        });
        const member = await storedMember(invitee.id);
        assert.deepEqual(member.public_metadata, { team: { name: 'core', size: 4 } });
        assert.deepEqual(member.private_metadata, { badge: 7 });
        assertMember(second, member);
      });

      it('removes the member, who is then gone from the list', async () => {
        const before = await storedMember(invitee.id);
        const [output, request] = await callOnce('clerk_remove_member', { organizationId: organization.id, userId: invitee.id });
        assertClerkDelete(request, { path: `/v1/organizations/${organization.id}/memberships/${invitee.id}`, key: mode.key });
        assert.equal(output.removed, true);
        assertMember(output.member, before);
        assert.equal(await storedMember(invitee.id), undefined);
        const [members] = await callOnce('clerk_list_organization_members', { organizationId: organization.id });
        assert.deepEqual(members.members.map((m) => m.userId), [creator.id]);
        assert.equal(members.totalCount, 1);
      });

      it('deletes the organization', async () => {
        const [output, request] = await callOnce('clerk_delete_organization', { organizationId: organization.id });
        assertClerkDelete(request, { path: `/v1/organizations/${organization.id}`, key: mode.key });
        assert.deepEqual(output, { id: organization.id, deleted: true });
        const state = await clerkState();
        assert.ok(!state.organizations.some((o) => o.id === organization.id));
        assert.ok(!state.invitations.some((i) => i.organization_id === organization.id));
      });

      it('then reports it as not found, naming it, by ID and by slug', async () => {
        for (const [args, named] of [[{ organizationId: organization.id }, `ID ${organization.id}`], [{ slug }, `slug ${slug}`]]) {
          const [result, requests] = await call('clerk_get_organization', args);
          assert.equal(requests.length, 1);
          assert.equal(requests[0].response.status, 404);
          const text = toolError(result);
          assert.match(text, new RegExp(`Not found: no organization with ${named}`));
          assert.match(text, /\b404\b/);
          assert.match(text, /resource_not_found/);
          assert.ok(!text.includes(mode.key), 'the error never shows the secret key');
        }
        for (const tool of ['clerk_list_organization_members', 'clerk_list_organization_invitations', 'clerk_update_organization_metadata']) {
          const args = { organizationId: organization.id, ...(tool.includes('metadata') ? { publicMetadata: { a: 1 } } : {}) };
          const [result, requests] = await call(tool, args);
          assert.equal(requests.length, 1);
          assert.equal(requests[0].response.status, 404);
          assert.match(toolError(result), new RegExp(`Not found: no organization with ID ${organization.id}`), tool);
        }
      });
    });

    describe('a user\'s metadata', () => {
      let user;
      before(() => {
        user = users[2 + 2 * index];
      });
      const storedUser = async () => (await currentUsers()).find((u) => u.id === user.id);

      it('merges all three objects and shows the full user', async () => {
        const change = {
          publicMetadata: { plan: 'team', limits: { seats: 3 } },
          privateMetadata: { stripe: { customer: 'cus_behaviour' } },
          unsafeMetadata: { theme: 'light', onboarding: { step: 2, skipped: ['tour'] } },
        };
        const [output, request] = await callOnce('clerk_update_user_metadata', { userId: user.id, ...change });
        assertClerkWrite(request, {
          method: 'PATCH',
          path: `/v1/users/${user.id}/metadata`,
          body: { public_metadata: change.publicMetadata, private_metadata: change.privateMetadata, unsafe_metadata: change.unsafeMetadata },
          key: mode.key,
        });
        const now = await storedUser();
        assertFullUser(output, now);
        assert.deepEqual(now.public_metadata, { ...user.public_metadata, plan: 'team', limits: { seats: 3 } });
        assert.deepEqual(now.unsafe_metadata, {
          ...user.unsafe_metadata, theme: 'light', onboarding: { ...user.unsafe_metadata.onboarding, step: 2, skipped: ['tour'] },
        });
      });

      it('deletes a key set to null and keeps the rest', async () => {
        const before = await storedUser();
        const [output, request] = await callOnce('clerk_update_user_metadata', {
          userId: user.id, publicMetadata: { limits: { seats: null, projects: 1 }, plan: null },
        });
        assertClerkWrite(request, {
          method: 'PATCH',
          path: `/v1/users/${user.id}/metadata`,
          body: { public_metadata: { limits: { seats: null, projects: 1 }, plan: null } },
          key: mode.key,
        });
        const now = await storedUser();
        const { plan, ...rest } = before.public_metadata;
        assert.equal(plan, 'team');
        assert.deepEqual(now.public_metadata, { ...rest, limits: { projects: 1 } });
        assert.deepEqual(now.private_metadata, before.private_metadata);
        assert.deepEqual(now.unsafe_metadata, before.unsafe_metadata);
        assertFullUser(output, now);
      });
    });

    describe('every user, page by page', () => {
      it('follows nextOffset 20 at a time and sees each user exactly once', async () => {
        const seen = [];
        const offsets = [];
        let offset = 0;
        let page;
        do {
          const [result, requests] = await call('clerk_list_users', { limit: 20, offset });
          const { list } = listAndCount(requests);
          assertClerkGet(list, { path: '/v1/users', query: { limit: '20', offset: String(offset), order_by: '-created_at' }, key: mode.key });
          page = structured(result);
          offsets.push(offset);
          assert.equal(page.totalCount, users.length);
          assert.equal(page.count, page.users.length);
          seen.push(...page.users.map((u) => u.id));
          if (page.hasMore) {
            assert.equal(page.nextOffset, offset + page.count);
            offset = page.nextOffset;
          }
          assert.ok(offsets.length <= 5, 'paging must end');
        } while (page.hasMore);
        assert.equal(users.length, 45);
        assert.deepEqual(offsets, [0, 20, 40]);
        assert.deepEqual(pageOf(page), { totalCount: 45, count: 5, offset: 40, hasMore: false });
        assert.equal(new Set(seen).size, seen.length, 'no user is shown twice');
        assert.deepEqual([...seen].sort(), users.map((u) => u.id).sort(), 'every user is shown');
        assert.deepEqual(seen, [...users].reverse().map((u) => u.id), 'newest first');
      });
    });
  });
}
