// Clerk's failures as the tools report them, through the official TypeScript MCP client in both
// modes. The fake Clerk is told to fail the next request for a path (401, 403, 404, 422 naming a
// parameter, 429 with Retry-After, 500, 502, 503, an HTML page, a body that is not JSON, a
// dropped connection, a body cut off half way, an answer over 8 MiB); the tool must answer a
// tool error (isError: true) whose text names the HTTP status, Clerk's code, its long message,
// the parameter and the seconds to wait where Clerk gave them, or what went wrong with the
// connection, never the secret key; and the next call of the same tool must succeed. A read
// that meets a 502, a 503 or a lost connection is tried again, twice at most, after 250 and
// 750 ms, and nothing else is: the fake's record shows every try. Then every tool the server
// lists meets a 500 once. Last, two workers of their own: one whose Clerk calls time
// out after 1.5 s (CLERK_TIMEOUT_MS), and one whose Clerk is a closed port.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';

import { clerkErrorBody as clerkError } from './fake-clerk.mjs';
import {
  clearFaults, clerkSetup, clerkState, connect, fakeClerkUrl, modes, scriptFault, seededUsers, setting, structured, toolText, withClerkRecord,
} from './support.mjs';

/** How the worker retries a read (250 then 750 ms), and the answer size it refuses (over 8 MiB). */
const RETRY_WAIT_MS = 250 + 750;
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;


/** Asserts a failed tool result and returns its text, checked for the key. */
function assertToolError(result, key) {
  assert.equal(result.isError, true, `expected a tool error, got ${JSON.stringify(result.structuredContent ?? result.content)}`);
  const text = toolText(result);
  assert.ok(!text.includes(key), `the error shows the secret key: ${text}`);
  assert.ok(!text.includes(key.slice('sk_test_'.length)), `the error shows the secret part of the key: ${text}`);
  return text;
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** How many requests of `requests` were for the method and path of `fault`. */
const triesOf = (requests, fault) => requests.filter((r) => r.method === fault.method && r.path === fault.path).length;

for (const [index, mode] of modes().entries()) {
  describe(`${mode.name} mode`, () => {
    let session;
    let users;
    let organization;
    let spareOrganization;
    let member;
    let spareMember;
    const tag = `${mode.name}-${randomBytes(3).toString('hex')}`;
    const call = (name, args) => withClerkRecord(() => session.client.callTool({ name, arguments: args }));

    before(async () => {
      session = await connect(mode.url, mode.headers);
      users = await seededUsers();
      const creator = users[20 + index];
      organization = await clerkSetup(mode.key, 'POST', '/v1/organizations', { name: `Errors ${tag}`, created_by: creator.id });
      spareOrganization = await clerkSetup(mode.key, 'POST', '/v1/organizations', { name: `Spare ${tag}` });
      member = creator;
      spareMember = users[24 + index];
      const invitation = await clerkSetup(mode.key, 'POST', `/v1/organizations/${organization.id}/invitations`, {
        email_address: spareMember.email_addresses[0].email_address, role: 'org:member',
      });
      const accepted = await fetch(`${fakeClerkUrl()}/__invitations/${invitation.id}/accept`, { method: 'POST' });
      assert.equal(accepted.status, 200);
    });
    afterEach(() => clearFaults());
    after(() => session?.close());

    /**
     * Scripts `fault` for the tool's Clerk call, calls the tool, checks the error with
     * `expectations` and that Clerk got `tries` requests for the faulted path, then calls the
     * tool again and expects success. Resolves to the error's text and how long the call took.
     */
    async function failsThenRecovers(tool, args, fault, expectations, { tries = 1 } = {}) {
      await scriptFault(fault);
      const begin = Date.now();
      const [result, requests] = await call(tool, args);
      const elapsed = Date.now() - begin;
      await clearFaults();
      const made = requests.map((r) => `${r.method} ${r.path}`).join(', ');
      assert.ok(requests.some((r) => r.fault), `${tool} did not call ${fault.method} ${fault.path}: ${made}`);
      assert.equal(triesOf(requests, fault), tries, `${fault.method} ${fault.path} was tried this often: ${made}`);
      const text = assertToolError(result, mode.key);
      for (const expected of expectations) assert.match(text, expected instanceof RegExp ? expected : new RegExp(escape(expected)));
      const [again, againRequests] = await call(tool, args);
      assert.ok(againRequests.every((r) => !r.fault && r.response.status === 200), 'the second call is answered normally');
      for (const request of [...requests, ...againRequests]) assert.deepEqual(request.violations, [], `${request.method} ${request.path}`);
      structured(again);
      return { text, elapsed };
    }

    /**
     * Scripts `fault` once for a read the tool makes; the retry must hide it: the tool succeeds,
     * and Clerk saw the faulted try and one more, at least 250 ms later.
     */
    async function retriedOnce(tool, args, fault) {
      await scriptFault({ ...fault, times: 1 });
      const [result, requests] = await call(tool, args);
      structured(result);
      const tries = requests.filter((r) => r.method === fault.method && r.path === fault.path);
      assert.deepEqual(tries.map((r) => Boolean(r.fault)), [true, false], 'one faulted try, then one more');
      assert.equal(tries[1].response.status, 200);
      for (const request of requests) assert.deepEqual(request.violations, [], `${request.method} ${request.path}`);
    }

    it('401: names the status, Clerk\'s code and long message', async () => {
      const body = clerkError('authentication_invalid', 'Invalid authentication', 'Unable to authenticate the request, you need to supply an active API key');
      await failsThenRecovers('clerk_list_organizations', { limit: 5 }, { path: '/v1/organizations', method: 'GET', status: 401, body }, [
        /\b401\b/, 'authentication_invalid', body.errors[0].long_message,
      ]);
    });

    it('401 whose message quotes the key: the key is not repeated', async () => {
      const body = clerkError('authentication_invalid', 'Invalid authentication', `The secret key ${mode.key} is invalid or revoked`);
      await failsThenRecovers('clerk_get_user', { userId: users[3].id }, { path: `/v1/users/${users[3].id}`, method: 'GET', status: 401, body }, [
        /\b401\b/, 'authentication_invalid', 'The secret key sk_test_… is invalid or revoked',
      ]);
    });

    it('403: names the status, Clerk\'s code and long message', async () => {
      const body = clerkError('authorization_invalid', 'Unauthorized request', 'You are not authorized to create organizations in this instance');
      await failsThenRecovers('clerk_create_organization', { name: `Forbidden ${tag}`, slug: `forbidden-${tag}` },
        { path: '/v1/organizations', method: 'POST', status: 403, body },
        [/\b403\b/, 'authorization_invalid', body.errors[0].long_message]);
    });

    it('404: says which organization was not found, with Clerk\'s code', async () => {
      const body = clerkError('resource_not_found', 'not found', 'Resource not found');
      await failsThenRecovers('clerk_get_organization', { organizationId: organization.id },
        { path: `/v1/organizations/${organization.id}`, method: 'GET', status: 404, body },
        [`Not found: no organization with ID ${organization.id}`, /\b404\b/, 'resource_not_found', 'Resource not found']);
    });

    it('404 for a membership: says which user and organization', async () => {
      const path = `/v1/organizations/${organization.id}/memberships/${member.id}`;
      await failsThenRecovers('clerk_update_member_role', { organizationId: organization.id, userId: member.id, role: 'org:admin' },
        { path, method: 'PATCH', status: 404 },
        [/Not found: no \w+/, member.id, organization.id, /\b404\b/, 'resource_not_found']);
    });

    it('422: names the parameter Clerk names', async () => {
      const body = clerkError('form_param_format_invalid', 'is invalid', 'email_address must be a valid email address.', 'email_address');
      await failsThenRecovers('clerk_create_invitation',
        { organizationId: organization.id, emailAddress: `invitee-${tag}@example.org`, role: 'org:member' },
        { path: `/v1/organizations/${organization.id}/invitations`, method: 'POST', status: 422, body },
        [/\b422\b/, 'form_param_format_invalid', 'email_address must be a valid email address.', '(parameter: email_address)']);
    });

    it('422 with several errors: names each code and parameter', async () => {
      const body = {
        errors: [
          clerkError('form_param_unknown', 'is unknown', 'colour is not a valid parameter for this request.', 'colour').errors[0],
          clerkError('form_param_format_invalid', 'is invalid', 'public_metadata must be an object.', 'public_metadata').errors[0],
        ],
        clerk_trace_id: randomBytes(16).toString('hex'),
      };
      await failsThenRecovers('clerk_update_organization_metadata',
        { organizationId: organization.id, publicMetadata: { errors: { seen: true } } },
        { path: `/v1/organizations/${organization.id}/metadata`, method: 'PATCH', status: 422, body },
        [/\b422\b/, 'form_param_unknown', '(parameter: colour)', 'form_param_format_invalid', '(parameter: public_metadata)']);
    });

    it('429: says how many seconds to wait', async () => {
      const body = clerkError('too_many_requests', 'Too many requests', 'You have exceeded the rate limit. Please try again later.');
      await failsThenRecovers('clerk_list_users', { limit: 3 },
        { path: '/v1/users', method: 'GET', status: 429, body, headers: { 'Retry-After': '17' } },
        [/\b429\b/, 'too_many_requests', body.errors[0].long_message, /retry after 17 seconds/i]);
    });

    it('429 on the count of clerk_list_users: still a tool error with the wait', async () => {
      await failsThenRecovers('clerk_list_users', { limit: 3 },
        { path: '/v1/users/count', method: 'GET', status: 429, headers: { 'Retry-After': '3' } },
        [/\b429\b/, 'too_many_requests', /retry after 3 seconds/i]);
    });

    it('500: names the status, Clerk\'s code and long message', async () => {
      const body = clerkError('internal_clerk_error', 'Oops, an unexpected error occurred', 'There was an internal error on our servers.');
      await failsThenRecovers('clerk_list_organization_members', { organizationId: organization.id },
        { path: `/v1/organizations/${organization.id}/memberships`, method: 'GET', status: 500, body },
        [/\b500\b/, 'internal_clerk_error', body.errors[0].long_message]);
    });

    it('an error that is not JSON: names the status without repeating the body', async () => {
      const rawBody = '<html><body><h1>502 Bad Gateway</h1><p>upstream: secret-internal-host</p></body></html>';
      // Three times: a read is tried three times on a 502.
      const { text } = await failsThenRecovers('clerk_list_organization_invitations', { organizationId: organization.id },
        { path: `/v1/organizations/${organization.id}/invitations`, method: 'GET', status: 502, rawBody, times: 3 },
        [/\b502\b/, /not Clerk's error format \(text\/html/], { tries: 3 });
      assert.ok(!text.includes('secret-internal-host'), `the error quotes the body: ${text}`);
    });

    it('a 500 that is not JSON: names the status', async () => {
      const userId = users[30 + index].id;
      await failsThenRecovers('clerk_update_user_metadata', { userId, publicMetadata: { errorsTest: true } }, {
        path: `/v1/users/${userId}/metadata`, method: 'PATCH', status: 500, rawBody: 'Internal Server Error', headers: { 'content-type': 'text/plain' },
      }, [/\b500\b/]);
    });

    it('a success whose body is not JSON: a tool error, not a crash', async () => {
      const path = `/v1/organizations/${organization.id}`;
      await failsThenRecovers('clerk_get_organization', { organizationId: organization.id },
        { path, method: 'GET', status: 200, rawBody: '{"object":"organization","id":', headers: { 'content-type': 'application/json' } },
        [/\b200\b/]);
    });

    describe('tried again', () => {
      for (const status of [502, 503]) {
        it(`a read that meets a ${status} once is tried again, and the client never sees it`, async () => {
          await retriedOnce('clerk_get_organization', { organizationId: organization.id },
            { path: `/v1/organizations/${organization.id}`, method: 'GET', status });
        });
      }

      it('a read whose connection drops once is tried again, and the client never sees it', async () => {
        await retriedOnce('clerk_get_user', { userId: users[5].id }, { path: `/v1/users/${users[5].id}`, method: 'GET', cut: 'no-answer' });
      });

      it('a read whose body breaks off once is tried again, and the client never sees it', async () => {
        await retriedOnce('clerk_list_organizations', { limit: 2 }, { path: '/v1/organizations', method: 'GET', cut: 'mid-body' });
      });

      it('a read that meets a 503 three times: a tool error naming it, after three tries and both waits', async () => {
        const { elapsed } = await failsThenRecovers('clerk_list_users', { limit: 3 }, { path: '/v1/users/count', method: 'GET', status: 503, times: 3 },
          [/\b503\b/, 'service_unavailable'], { tries: 3 });
        assert.ok(elapsed >= RETRY_WAIT_MS, `answered after ${elapsed} ms, before the waits between the tries were over`);
      });

      it('a read whose connection drops on every try: a tool error saying Clerk could not be reached', async () => {
        const path = `/v1/organizations/${organization.id}/memberships`;
        await failsThenRecovers('clerk_list_organization_members', { organizationId: organization.id }, { path, method: 'GET', cut: 'no-answer', times: 3 },
          [/Clerk could not be reached/], { tries: 3 });
      });

      it('a read whose body breaks off on every try: a tool error saying the answer broke off', async () => {
        await failsThenRecovers('clerk_get_user', { userId: users[6].id }, { path: `/v1/users/${users[6].id}`, method: 'GET', cut: 'mid-body', times: 3 },
          [/answer broke off/], { tries: 3 });
      });

      for (const status of [429, 500]) {
        it(`a read that meets a ${status} is not tried again`, async () => {
          await failsThenRecovers('clerk_get_user', { userId: users[7].id }, { path: `/v1/users/${users[7].id}`, method: 'GET', status, times: 3 },
            [new RegExp(`\\b${status}\\b`)], { tries: 1 });
        });
      }
    });

    describe('never tried again: writes', () => {
      for (const status of [502, 503]) {
        it(`a POST that meets a ${status}: one try, and a tool error naming it`, async () => {
          await failsThenRecovers('clerk_create_organization', { name: `Once ${status} ${tag}` },
            { path: '/v1/organizations', method: 'POST', status, times: 3 }, [new RegExp(`\\b${status}\\b`)], { tries: 1 });
        });
      }

      it('a PATCH that meets a 503: one try', async () => {
        await failsThenRecovers('clerk_update_organization_metadata', { organizationId: organization.id, publicMetadata: { retried: false } },
          { path: `/v1/organizations/${organization.id}/metadata`, method: 'PATCH', status: 503, times: 3 }, [/\b503\b/], { tries: 1 });
      });

      it('a DELETE whose connection drops: one try, and a tool error saying Clerk could not be reached', async () => {
        const doomed = await clerkSetup(mode.key, 'POST', '/v1/organizations', { name: `Doomed ${tag}` });
        await failsThenRecovers('clerk_delete_organization', { organizationId: doomed.id },
          { path: `/v1/organizations/${doomed.id}`, method: 'DELETE', status: 200, body: { object: 'organization', id: doomed.id, deleted: true }, cut: 'no-answer', times: 3 },
          [/Clerk could not be reached/], { tries: 1 });
      });

      it('a POST whose connection drops after Clerk acted: one try, and the change is made once', async () => {
        const name = `Acted once ${tag}`;
        await scriptFault({ path: '/v1/organizations', method: 'POST', cut: 'no-answer' });
        const [result, requests] = await call('clerk_create_organization', { name });
        assert.match(assertToolError(result, mode.key), /Clerk could not be reached/);
        assert.equal(triesOf(requests, { method: 'POST', path: '/v1/organizations' }), 1);
        const created = (await clerkState()).organizations.filter((o) => o.name === name);
        assert.equal(created.length, 1, 'Clerk made the organization once, though its answer was lost');
      });

      it('a PATCH whose body breaks off: one try', async () => {
        const userId = users[34 + index].id;
        await failsThenRecovers('clerk_update_user_metadata', { userId, privateMetadata: { brokenOff: true } },
          { path: `/v1/users/${userId}/metadata`, method: 'PATCH', cut: 'mid-body', times: 3 }, [/answer broke off/], { tries: 1 });
      });
    });

    describe('answers too large or not what Clerk sends', () => {
      it('an answer over 8 MiB with its length declared: a tool error saying it was too large, not retried', async () => {
        await failsThenRecovers('clerk_list_organizations', { limit: 5 }, { path: '/v1/organizations', method: 'GET', padTo: MAX_ANSWER_BYTES + 1 },
          [/too large/, /8388608 bytes/], { tries: 1 });
      });

      it('an answer over 8 MiB sent in chunks without a length: the same', async () => {
        await failsThenRecovers('clerk_list_organizations', { limit: 5 }, { path: '/v1/organizations', method: 'GET', padTo: MAX_ANSWER_BYTES + 1024 * 1024, chunked: true },
          [/too large/, /8388608 bytes/], { tries: 1 });
      });

      it('an answer of exactly 8 MiB is read', async () => {
        await scriptFault({ path: '/v1/organizations', method: 'GET', padTo: MAX_ANSWER_BYTES });
        const [result, requests] = await call('clerk_list_organizations', { limit: 2 });
        assert.equal(structured(result).organizations.length, 2);
        assert.equal(triesOf(requests, { method: 'GET', path: '/v1/organizations' }), 1);
      });

      it('an HTML error page with a 503: names the status, not the page, after three tries', async () => {
        const rawBody = '<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1><p>edge node lb-7</p></body></html>';
        const { text } = await failsThenRecovers('clerk_get_organization', { slug: organization.slug },
          { path: `/v1/organizations/${organization.slug}`, method: 'GET', status: 503, rawBody, times: 3 },
          [/\b503\b/, /text\/html/], { tries: 3 });
        assert.ok(!text.includes('lb-7'), `the error quotes the page: ${text}`);
      });

      it('a success whose body is JSON of another shape: a tool error naming the status', async () => {
        await failsThenRecovers('clerk_get_user', { userId: users[8].id },
          { path: `/v1/users/${users[8].id}`, method: 'GET', status: 200, body: { object: 'user', id: 42 } }, [/\b200\b/, /could not read/]);
      });

      // The server's rule is that a body it cannot read is described, never quoted (nothing
      // guarantees what it holds), yet the decoder's message quotes the value it rejected, whole.
      it('a success body of another shape is described, not quoted', async () => {
        const value = `internal-${'x'.repeat(100_000)}`;
        const { text } = await failsThenRecovers('clerk_list_users', { limit: 1 },
          { path: '/v1/users/count', method: 'GET', status: 200, body: { object: 'total_count', total_count: value } }, [/\b200\b/]);
        assert.ok(!text.includes('internal-x'), `the error quotes the body (${text.length} characters)`);
      });
    });

    describe('every tool', () => {
      // One call per tool, with the Clerk request it makes first. Run in this order, the calls
      // that succeed after the fault leave the data the later ones need. `extra` holds what this
      // test sets up for itself: a user of its own for the calls that change or delete one, a
      // pending invitation, and a seeded user's active session.
      const cases = (extra) => {
        const org = organization.id;
        const user = users[32 + index].id;
        const own = extra.user.id;
        return [
          ['clerk_list_organizations', {}, 'GET', '/v1/organizations'],
          ['clerk_get_organization', { slug: organization.slug }, 'GET', `/v1/organizations/${organization.slug}`],
          ['clerk_create_organization', { name: `Every tool ${tag}` }, 'POST', '/v1/organizations'],
          ['clerk_update_organization_metadata', { organizationId: org, privateMetadata: { every: 'tool' } }, 'PATCH', `/v1/organizations/${org}/metadata`],
          ['clerk_list_organization_members', { organizationId: org, role: ['org:admin'] }, 'GET', `/v1/organizations/${org}/memberships`],
          ['clerk_update_member_role', { organizationId: org, userId: spareMember.id, role: 'org:admin' }, 'PATCH',
            `/v1/organizations/${org}/memberships/${spareMember.id}`],
          ['clerk_update_member_metadata', { organizationId: org, userId: spareMember.id, publicMetadata: { every: 'tool' } }, 'PATCH',
            `/v1/organizations/${org}/memberships/${spareMember.id}/metadata`],
          ['clerk_remove_member', { organizationId: org, userId: spareMember.id }, 'DELETE', `/v1/organizations/${org}/memberships/${spareMember.id}`],
          ['clerk_list_organization_invitations', { organizationId: org, status: 'pending' }, 'GET', `/v1/organizations/${org}/invitations`],
          ['clerk_create_invitation', { organizationId: org, emailAddress: `every-${tag}@example.org`, role: 'org:member' }, 'POST',
            `/v1/organizations/${org}/invitations`],
          // A bulk call in which no item succeeded is a tool error holding each item's result.
          ['clerk_bulk_invite_to_organization', { organizationId: org, role: 'org:member', invitations: [{ emailAddress: `every-bulk-${tag}@example.org` }] },
            'POST', `/v1/organizations/${org}/invitations/bulk`],
          ['clerk_delete_organization', { organizationId: spareOrganization.id }, 'DELETE', `/v1/organizations/${spareOrganization.id}`],
          ['clerk_list_users', { query: 'a' }, 'GET', '/v1/users'],
          ['clerk_get_user', { userId: user }, 'GET', `/v1/users/${user}`],
          ['clerk_update_user_metadata', { userId: user, unsafeMetadata: { every: 'tool' } }, 'PATCH', `/v1/users/${user}/metadata`],
          ['clerk_update_organization', { organizationId: org, adminDeleteEnabled: true }, 'PATCH', `/v1/organizations/${org}`],
          ['clerk_list_user_organizations', { userId: member.id }, 'GET', `/v1/users/${member.id}/organization_memberships`],
          ['clerk_add_member', { organizationId: org, userId: own, role: 'org:member' }, 'POST', `/v1/organizations/${org}/memberships`],
          ['clerk_revoke_invitation', { organizationId: org, invitationId: extra.invitation.id }, 'POST',
            `/v1/organizations/${org}/invitations/${extra.invitation.id}/revoke`],
          ['clerk_list_roles', {}, 'GET', '/v1/organization_roles'],
          ['clerk_count_users', { query: 'a' }, 'GET', '/v1/users/count'],
          ['clerk_create_user', { emailAddress: [`every-user-${tag}@example.org`], skipPasswordRequirement: true }, 'POST', '/v1/users'],
          ['clerk_update_user', { userId: own, firstName: 'Every' }, 'PATCH', `/v1/users/${own}`],
          ['clerk_ban_user', { userId: own }, 'POST', `/v1/users/${own}/ban`],
          // A bulk ban reads first which of its users exist.
          ['clerk_bulk_ban_users', { userIds: [own] }, 'GET', '/v1/users'],
          ['clerk_unban_user', { userId: own }, 'POST', `/v1/users/${own}/unban`],
          ['clerk_lock_user', { userId: own }, 'POST', `/v1/users/${own}/lock`],
          ['clerk_unlock_user', { userId: own }, 'POST', `/v1/users/${own}/unlock`],
          ['clerk_list_sessions', { userId: extra.session.user_id }, 'GET', '/v1/sessions'],
          ['clerk_revoke_session', { sessionId: extra.session.id }, 'POST', `/v1/sessions/${extra.session.id}/revoke`],
          ['clerk_delete_user', { userId: own }, 'DELETE', `/v1/users/${own}`],
          ['clerk_list_allowlist', {}, 'GET', '/v1/allowlist_identifiers'],
          ['clerk_add_to_allowlist', { identifier: `every-${tag}@allowed.example` }, 'POST', '/v1/allowlist_identifiers'],
          ['clerk_remove_from_allowlist', { identifierId: extra.allowed.id }, 'DELETE', `/v1/allowlist_identifiers/${extra.allowed.id}`],
          ['clerk_list_blocklist', {}, 'GET', '/v1/blocklist_identifiers'],
          ['clerk_add_to_blocklist', { identifier: `every-${tag}.blocked.example` }, 'POST', '/v1/blocklist_identifiers'],
          ['clerk_remove_from_blocklist', { identifierId: extra.blocked.id }, 'DELETE', `/v1/blocklist_identifiers/${extra.blocked.id}`],
          ['clerk_list_waitlist', { status: 'pending' }, 'GET', '/v1/waitlist_entries'],
          ['clerk_invite_waitlist_entry', { waitlistEntryId: extra.invitee.id }, 'POST', `/v1/waitlist_entries/${extra.invitee.id}/invite`],
          ['clerk_reject_waitlist_entry', { waitlistEntryId: extra.rejectee.id }, 'POST', `/v1/waitlist_entries/${extra.rejectee.id}/reject`],
          ['clerk_list_instance_invitations', {}, 'GET', '/v1/invitations'],
          ['clerk_create_instance_invitation', { emailAddress: `every-app-${tag}@example.org` }, 'POST', '/v1/invitations'],
          // As for an organization: no item succeeded, a tool error holding each item's result.
          ['clerk_bulk_invite_to_instance', { emailAddresses: [`every-app-bulk-${tag}@example.org`] }, 'POST', '/v1/invitations/bulk'],
          ['clerk_revoke_instance_invitation', { invitationId: extra.appInvitation.id }, 'POST', `/v1/invitations/${extra.appInvitation.id}/revoke`],
          // A preview makes the reads of the change it shows: the first is the user's.
          ['clerk_preview', { name: 'clerk_update_user', arguments: { userId: user, lastName: 'Every' } }, 'GET', `/v1/users/${user}`],
          ['clerk_whoami', {}, 'GET', '/v1/instance'],
        ];
      };

      it('reports a Clerk 500 as a tool error naming it, and succeeds next time', async () => {
        const extra = {
          user: await clerkSetup(mode.key, 'POST', '/v1/users', {
            email_address: [`every-own-${tag}@example.org`], skip_password_requirement: true,
          }),
          invitation: await clerkSetup(mode.key, 'POST', `/v1/organizations/${organization.id}/invitations`, {
            email_address: `every-revoked-${tag}@example.org`, role: 'org:member',
          }),
          allowed: await clerkSetup(mode.key, 'POST', '/v1/allowlist_identifiers', { identifier: `every-removed-${tag}@allowed.example` }),
          blocked: await clerkSetup(mode.key, 'POST', '/v1/blocklist_identifiers', { identifier: `every-removed-${tag}.blocked.example` }),
          invitee: await clerkSetup(mode.key, 'POST', '/v1/waitlist_entries', { email_address: `every-invited-${tag}@waiting.example` }),
          rejectee: await clerkSetup(mode.key, 'POST', '/v1/waitlist_entries', { email_address: `every-rejected-${tag}@waiting.example` }),
          appInvitation: await clerkSetup(mode.key, 'POST', '/v1/invitations', { email_address: `every-app-revoked-${tag}@example.org` }),
        };
        const sessionsOf = users[36 + 3 * index];
        const sessions = await clerkSetup(mode.key, 'GET', `/v1/sessions?user_id=${sessionsOf.id}&status=active`);
        extra.session = sessions[0];
        assert.ok(extra.session, `seeded user ${sessionsOf.id} has an active session`);
        const tested = [];
        for (const [tool, args, method, path] of cases(extra)) {
          await failsThenRecovers(tool, args, { path, method, status: 500 }, [/\b500\b/, 'internal_clerk_error']);
          tested.push(tool);
        }
        const { tools } = await session.client.listTools();
        assert.deepEqual([...tested].sort(), tools.map((tool) => tool.name).sort(), 'every tool the server lists was tested');
        const state = await clerkState();
        assert.ok(!state.organizations.some((o) => o.id === spareOrganization.id), 'the spare organization was deleted on the second try');
      });
    });
  });
}

/** Connects the TypeScript client to `url` in public mode with `key`; `action(call)` runs with it. */
async function withPublicClient(url, key, action) {
  const session = await connect(url, { 'X-Clerk-Secret-Key': key });
  try {
    return await action((name, args) => withClerkRecord(() => session.client.callTool({ name, arguments: args })));
  } finally {
    await session.close();
  }
}

describe('a Clerk that answers too late (CLERK_TIMEOUT_MS=1500)', () => {
  const url = setting('MCP_URL_SHORT_TIMEOUT');
  const key = setting('CLERK_KEY_PUBLIC');
  afterEach(() => clearFaults());

  it('a read held past the timeout: a tool error after about 1.5 s, not retried, and the worker hangs up', async () => {
    const users = await seededUsers();
    await withPublicClient(url, key, async (call) => {
      await scriptFault({ path: `/v1/users/${users[9].id}`, method: 'GET', delayMs: 6000, times: 3 });
      const begin = Date.now();
      const [result, requests] = await call('clerk_get_user', { userId: users[9].id });
      const elapsed = Date.now() - begin;
      const text = assertToolError(result, key);
      assert.match(text, /Clerk did not answer in time/);
      assert.match(text, /no answer within 1500 ms/);
      assert.ok(elapsed >= 1500 && elapsed < 5000, `the tool answered after ${elapsed} ms`);
      await clearFaults();
      await new Promise((resolve) => { setTimeout(resolve, 200); });
      const after = await (await fetch(`${fakeClerkUrl()}/__requests`)).json();
      const tries = after.filter((r) => r.path === `/v1/users/${users[9].id}`);
      assert.equal(tries.length, 1, 'a timed-out read is not tried again');
      assert.equal(tries[0].abandoned, true, 'the worker closed the connection it gave up on');
      assert.equal(requests.length, 1);

      const [again] = await call('clerk_get_user', { userId: users[9].id });
      assert.equal(structured(again).id, users[9].id);
    });
  });

  it('a write held past the timeout: the error says nothing is known of the outcome', async () => {
    await withPublicClient(url, key, async (call) => {
      await scriptFault({ path: '/v1/organizations', method: 'POST', delayMs: 6000 });
      const [result, requests] = await call('clerk_create_organization', { name: `Slow ${randomBytes(3).toString('hex')}` });
      const text = assertToolError(result, key);
      assert.match(text, /Clerk did not answer in time/);
      assert.match(text, /Nothing is known of the outcome/);
      assert.match(text, /check its result before trying again/);
      assert.equal(triesOf(requests, { method: 'POST', path: '/v1/organizations' }), 1);
    });
  });

  it('an answer that comes within the timeout is used', async () => {
    const users = await seededUsers();
    await withPublicClient(url, key, async (call) => {
      await scriptFault({ path: `/v1/users/${users[10].id}`, method: 'GET', delayMs: 700 });
      const [result, requests] = await call('clerk_get_user', { userId: users[10].id });
      assert.equal(structured(result).id, users[10].id);
      assert.equal(requests.length, 1);
    });
  });
});

describe('a Clerk that cannot be reached (CLERK_API_URL is a closed port)', () => {
  const url = setting('MCP_URL_UNREACHABLE');
  const key = setting('CLERK_KEY_PUBLIC');

  it('a read: a tool error saying Clerk could not be reached, after both retries', async () => {
    await withPublicClient(url, key, async (call) => {
      const begin = Date.now();
      const [result] = await call('clerk_get_user', { userId: 'user_2NoSuchUserInThisInstance00' });
      const elapsed = Date.now() - begin;
      assert.match(assertToolError(result, key), /Clerk could not be reached/);
      assert.ok(elapsed >= RETRY_WAIT_MS, `answered after ${elapsed} ms: the retries did not wait`);
    });
  });

  it('a write: the same error, at once, without retries', async () => {
    await withPublicClient(url, key, async (call) => {
      const begin = Date.now();
      const [result] = await call('clerk_create_organization', { name: 'Never made' });
      const elapsed = Date.now() - begin;
      assert.match(assertToolError(result, key), /Clerk could not be reached/);
      assert.ok(elapsed < RETRY_WAIT_MS, `answered after ${elapsed} ms: was the write retried?`);
    });
  });

  it('/health with a key reports Clerk not connected and why, without the key', async () => {
    const response = await fetch(new URL('/health', url), { headers: { 'X-Clerk-Secret-Key': key } });
    const text = await response.text();
    assert.ok(!text.includes(key.slice('sk_test_'.length)), 'the health answer shows the key');
    const body = JSON.parse(text);
    assert.equal(response.status, 200, 'public mode: the server itself is fine');
    assert.equal(body.clerkConnected, false);
    assert.match(body.reason ?? '', /Clerk could not be reached/);
  });

  it('tools/list still works: it needs no Clerk call', async () => {
    await withPublicClient(url, key, async () => {});
  });
});
