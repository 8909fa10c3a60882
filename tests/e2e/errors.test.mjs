// Clerk's failures as the tools report them, through the official TypeScript MCP client in both
// modes. The fake Clerk is told to fail the next request for a path (401, 403, 404, 422 naming a
// parameter, 429 with Retry-After, 500, a body that is not JSON); the tool must answer a tool
// error (isError: true) whose text names the HTTP status, Clerk's code, its long message, the
// parameter and the seconds to wait where Clerk gave them, never the secret key; and the next
// call of the same tool must succeed. Then every one of the fourteen tools meets a 500 once.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';

import { CLERK_API_VERSION, clerkErrorBody as clerkError } from './fake-clerk.mjs';
import {
  clearFaults, clerkState, connect, fakeClerkUrl, modes, scriptFault, seededUsers, structured, toolText, withClerkRecord,
} from './support.mjs';

/** Sets up data straight in the fake Clerk, as an administrator would in Clerk's dashboard. */
async function clerkSetup(key, method, path, body) {
  const response = await fetch(`${fakeClerkUrl()}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      'clerk-api-version': CLERK_API_VERSION,
      'user-agent': 'clerk-mcp-worker/0.0.0 (e2e setup)',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json();
  assert.equal(response.status, 200, `setup ${method} ${path}: ${JSON.stringify(answer)}`);
  return answer;
}

/** Asserts a failed tool result and returns its text, checked for the key. */
function assertToolError(result, key) {
  assert.equal(result.isError, true, `expected a tool error, got ${JSON.stringify(result.structuredContent ?? result.content)}`);
  const text = toolText(result);
  assert.ok(!text.includes(key), `the error shows the secret key: ${text}`);
  assert.ok(!text.includes(key.slice('sk_test_'.length)), `the error shows the secret part of the key: ${text}`);
  return text;
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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
     * `expectations`, then calls it again and expects success.
     */
    async function failsThenRecovers(tool, args, fault, expectations) {
      await scriptFault(fault);
      const [result, requests] = await call(tool, args);
      const made = requests.map((r) => `${r.method} ${r.path}`).join(', ');
      assert.ok(requests.some((r) => r.fault), `${tool} did not call ${fault.method} ${fault.path}: ${made}`);
      const text = assertToolError(result, mode.key);
      for (const expected of expectations) assert.match(text, expected instanceof RegExp ? expected : new RegExp(escape(expected)));
      const [again, againRequests] = await call(tool, args);
      assert.ok(againRequests.every((r) => !r.fault && r.response.status === 200), 'the second call is answered normally');
      for (const request of [...requests, ...againRequests]) assert.deepEqual(request.violations, [], `${request.method} ${request.path}`);
      structured(again);
      return text;
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
        /\b401\b/, 'authentication_invalid', 'is invalid or revoked',
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
      const text = await failsThenRecovers('clerk_list_organization_invitations', { organizationId: organization.id },
        { path: `/v1/organizations/${organization.id}/invitations`, method: 'GET', status: 502, rawBody, times: 3 },
        [/\b502\b/]);
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

    describe('every tool', () => {
      // One call per tool, with the Clerk request it makes first. Run in this order, the calls
      // that succeed after the fault leave the data the later ones need.
      const cases = () => {
        const org = organization.id;
        const user = users[32 + index].id;
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
          ['clerk_delete_organization', { organizationId: spareOrganization.id }, 'DELETE', `/v1/organizations/${spareOrganization.id}`],
          ['clerk_list_users', { query: 'a' }, 'GET', '/v1/users'],
          ['clerk_get_user', { userId: user }, 'GET', `/v1/users/${user}`],
          ['clerk_update_user_metadata', { userId: user, unsafeMetadata: { every: 'tool' } }, 'PATCH', `/v1/users/${user}/metadata`],
        ];
      };

      it('reports a Clerk 500 as a tool error naming it, and succeeds next time', async () => {
        const tested = [];
        for (const [tool, args, method, path] of cases()) {
          await failsThenRecovers(tool, args, { path, method, status: 500 }, [/\b500\b/, 'internal_clerk_error']);
          tested.push(tool);
        }
        assert.equal(new Set(tested).size, 14);
        const state = await clerkState();
        assert.ok(!state.organizations.some((o) => o.id === spareOrganization.id), 'the spare organization was deleted on the second try');
      });
    });
  });
}
