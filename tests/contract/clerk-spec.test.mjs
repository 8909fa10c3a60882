// Every tool's Clerk requests against Clerk's own Backend API spec. A public-mode worker talks to
// Prism (a mock server that validates each request against the spec) through spec-proxy.mjs,
// which records each request with the violations Prism reports in `sl-violations` and the query
// parameters and body fields the spec does not declare. Each tool (the opt-in toolsets' too) is called
// with typical and edge arguments (clerk_preview with each write tool's first) (paging, filters, signed orderBy, arrays, nested metadata with
// nulls, optional fields set and unset); each call must reach the spec operation the tool is
// for, and no request may break the spec. Prism answers with the spec's static examples, so the
// tool results themselves are not judged here. Finally Prism's own log must hold no request
// violation.
//
// A second, hosted worker with sign-in with Clerk has the same Clerk, and the fake Clerk of the
// contract step as its Frontend API (which signs JWTs): an opaque token makes it call the
// access-token check, a JWT the user and membership lookups that decide who is allowed.
//
// run.mjs starts Prism, the proxy and the workers, and sets MCP_URL_CONTRACT,
// MCP_URL_CONTRACT_OAUTH, CONTRACT_PROXY_URL, CLERK_KEY_CONTRACT, FAKE_CLERK_URL and PRISM_LOG.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';

import { ALL_TOOL_NAMES, ALL_TOOLSETS, connect, setting } from '../e2e/support.mjs';

const ORG = 'org_2bDCkPVCwcGpGRUF3ZxXoF5hYQa';
const USER = 'user_2bDCkQ7kQeP7nnQg6S8rPzJdGvU';
const OTHER_USER = 'user_2bDCkRjTm3mWxT9Tq1sLtSJzD6e';
const INVITATION = 'orginv_2bDCkSx9fQ1tPzJdGvUrQ7kQeP7';
const SESSION = 'sess_2bDCkTm3mWxT9Tq1sLtSJzD6eQa';
const NESTED = { plan: 'pro', limits: { seats: 10, projects: null }, tags: ['a', 'b'], removed: null, deep: { a: { b: { c: 1 } } } };

// The spec operation(s) each tool is for, and the arguments to call it with.
const CALLS = {
  clerk_list_organizations: [['ListOrganizations'], [
    {},
    { query: 'acme & co +1', limit: 100, offset: 40, includeMembersCount: false, orderBy: '+name' },
    { limit: 1, includeMembersCount: true, orderBy: 'members_count' },
    { orderBy: '-created_at', offset: 0 },
  ]],
  clerk_get_organization: [['GetOrganization'], [{ organizationId: ORG }, { slug: 'acme-corp-2' }]],
  clerk_create_organization: [['CreateOrganization'], [
    { name: 'Acme' },
    {
      name: 'Acme Corporation', slug: 'acme-corporation', createdBy: USER, maxAllowedMemberships: 1,
      publicMetadata: NESTED, privateMetadata: {},
    },
    { name: 'Ünïcødé Org ✓', maxAllowedMemberships: 500, privateMetadata: { crm: { id: 7 } } },
  ]],
  clerk_update_organization_metadata: [['MergeOrganizationMetadata'], [
    { organizationId: ORG, publicMetadata: { a: { b: null } } },
    { organizationId: ORG, privateMetadata: { x: 1 } },
    { organizationId: ORG, publicMetadata: NESTED, privateMetadata: { gone: null } },
  ]],
  clerk_delete_organization: [['DeleteOrganization'], [{ organizationId: ORG }]],
  clerk_list_organization_members: [['ListOrganizationMemberships'], [
    { organizationId: ORG },
    { organizationId: ORG, limit: 100, offset: 5, query: 'ada lovelace', role: ['org:admin', 'org:member'], orderBy: '-first_name' },
    { organizationId: ORG, role: ['org:billing_manager'], orderBy: '+created_at', limit: 1 },
    { organizationId: ORG, orderBy: 'email_address', role: [] },
  ]],
  clerk_update_member_role: [['UpdateOrganizationMembership'], [
    { organizationId: ORG, userId: USER, role: 'org:admin' },
    { organizationId: ORG, userId: USER, role: 'org:custom_role:with-dash' },
  ]],
  clerk_update_member_metadata: [['UpdateOrganizationMembershipMetadata'], [
    { organizationId: ORG, userId: USER, publicMetadata: { a: null } },
    { organizationId: ORG, userId: USER, privateMetadata: { deep: { x: [{ y: 1 }] } } },
    { organizationId: ORG, userId: USER, publicMetadata: NESTED, privateMetadata: {} },
  ]],
  clerk_remove_member: [['DeleteOrganizationMembership'], [{ organizationId: ORG, userId: USER }]],
  clerk_list_organization_invitations: [['ListOrganizationInvitations'], [
    { organizationId: ORG },
    ...['pending', 'accepted', 'revoked', 'expired'].map((status) => ({ organizationId: ORG, status })),
    { organizationId: ORG, limit: 100, offset: 3 },
  ]],
  clerk_create_invitation: [['CreateOrganizationInvitation'], [
    { organizationId: ORG, emailAddress: 'new.member@example.com', role: 'org:member' },
    {
      organizationId: ORG, emailAddress: 'first.last+tag@example.co.uk', role: 'org:admin', inviterUserId: USER,
      redirectUrl: 'https://app.example.com/accept?next=%2Fhome&x=1', publicMetadata: NESTED, expiresInDays: 365,
    },
    { organizationId: ORG, emailAddress: 'short@example.com', role: 'org:member', expiresInDays: 1, publicMetadata: {} },
  ]],
  clerk_list_users: [['GetUserList', 'GetUsersCount'], [
    {},
    { limit: 200, offset: 10, query: '+1555', emailAddress: ['a@example.com', 'b+c@example.com'], userId: [USER, OTHER_USER], orderBy: '+last_sign_in_at' },
    ...['created_at', 'updated_at', 'last_active_at', 'email_address', 'first_name', 'last_name', 'username'].map((field, i) => (
      { limit: 1 + i, orderBy: i % 2 === 0 ? `-${field}` : field })),
    { query: 'a&b=c d', emailAddress: [], userId: [] },
  ]],
  clerk_get_user: [['GetUser'], [{ userId: USER }]],
  clerk_update_user_metadata: [['UpdateUserMetadata'], [
    { userId: USER, publicMetadata: { a: 1 } },
    { userId: USER, privateMetadata: { stripe: { id: 'cus_1' } } },
    { userId: USER, unsafeMetadata: { theme: null, onboarding: { done: true } } },
    { userId: USER, publicMetadata: NESTED, privateMetadata: { gone: null }, unsafeMetadata: {} },
  ]],
  clerk_update_organization: [['UpdateOrganization'], [
    { organizationId: ORG, name: 'Acme Renamed' },
    { organizationId: ORG, slug: 'acme-renamed', maxAllowedMemberships: 0, adminDeleteEnabled: false },
    { organizationId: ORG, name: 'Ünïcødé ✓', slug: 'u-2', maxAllowedMemberships: 250, adminDeleteEnabled: true },
  ]],
  clerk_list_user_organizations: [['UsersGetOrganizationMemberships'], [
    { userId: USER },
    { userId: USER, limit: 100, offset: 7 },
    { userId: OTHER_USER, limit: 1, offset: 0 },
  ]],
  clerk_add_member: [['CreateOrganizationMembership'], [
    { organizationId: ORG, userId: USER, role: 'org:member' },
    { organizationId: ORG, userId: OTHER_USER, role: 'org:custom_role:with-dash' },
  ]],
  clerk_revoke_invitation: [['RevokeOrganizationInvitation'], [
    { organizationId: ORG, invitationId: INVITATION },
    { organizationId: ORG, invitationId: INVITATION, requestingUserId: USER },
  ]],
  clerk_count_users: [['GetUsersCount'], [
    {},
    { query: '+1555 & co', emailAddress: ['a@example.com', 'b+c@example.com'], userId: [USER, OTHER_USER] },
    { emailAddress: [], userId: [], query: '' },
  ]],
  clerk_create_user: [['CreateUser'], [
    { emailAddress: ['new.user@example.com'] },
    {
      emailAddress: ['first@example.com', 'second+tag@example.co.uk'], phoneNumber: ['+15550100001'], username: 'new_user-1',
      firstName: 'Ada', lastName: 'Lovelace', externalId: 'ext-42', password: 'correct horse battery staple',
      publicMetadata: NESTED, privateMetadata: { stripe: { id: 'cus_1' } }, unsafeMetadata: {},
    },
    { username: 'no_password', skipPasswordRequirement: true },
    { phoneNumber: ['+447700900123'], firstName: 'Ünïcødé' },
  ]],
  clerk_update_user: [['UpdateUser'], [
    { userId: USER, firstName: 'Grace' },
    { userId: USER, firstName: 'Grace', lastName: 'Hopper', username: 'grace_h', externalId: 'ext-7' },
    { userId: USER, lastName: '' },
  ]],
  clerk_ban_user: [['BanUser'], [{ userId: USER }]],
  clerk_unban_user: [['UnbanUser'], [{ userId: USER }]],
  clerk_lock_user: [['LockUser'], [{ userId: USER }]],
  clerk_unlock_user: [['UnlockUser'], [{ userId: USER }]],
  clerk_delete_user: [['DeleteUser'], [{ userId: OTHER_USER }]],
  clerk_list_sessions: [['GetSessionList'], [
    { userId: USER },
    ...['active', 'ended', 'revoked', 'expired', 'removed', 'abandoned', 'replaced'].map((status) => ({ userId: USER, status })),
    { userId: USER, limit: 100, offset: 20 },
    { userId: OTHER_USER, limit: 1 },
  ]],
  clerk_revoke_session: [['RevokeSession'], [{ sessionId: SESSION }]],
  clerk_list_roles: [['ListOrganizationRoles'], [
    {},
    { query: 'billing', limit: 100, offset: 10 },
    { query: 'org:admin & co', limit: 1 },
  ]],
  clerk_whoami: [['GetInstance'], [{}]],
  clerk_get_instance: [['GetInstance', 'GetInstanceProtect'], [{}]],
  clerk_get_organization_settings: [['GetInstanceOrganizationSettings'], [{}]],
  clerk_update_organization_settings: [['UpdateInstanceOrganizationSettings'], [
    { enabled: true },
    { enabled: false, maxAllowedMemberships: 0, adminDeleteEnabled: false, domainsEnabled: true, slugDisabled: true,
      domainsEnrollmentModes: ['automatic_invitation', 'automatic_suggestion'] },
    { maxAllowedMemberships: 100000, domainsEnrollmentModes: [] },
  ]],
  clerk_update_instance_restrictions: [['UpdateInstanceRestrictions'], [
    { allowlist: true },
    { allowlist: false, blocklist: true, allowlistBlocklistDisabledOnSignIn: true, blockEmailSubaddresses: true,
      blockDisposableEmailDomains: false },
  ]],
  clerk_list_billing_plans: [['GetCommercePlanList'], [{}, { payerType: 'user', limit: 100, offset: 10 }, { payerType: 'org' }]],
  clerk_get_user_subscription: [['GetUserBillingSubscription'], [{ userId: USER }]],
  clerk_get_organization_subscription: [['GetOrganizationBillingSubscription'], [{ organizationId: ORG }]],
  clerk_list_subscription_items: [['GetCommerceSubscriptionItemList'], [
    {},
    ...['active', 'ended', 'past_due', 'upcoming', 'free_trial'].map((status) => ({ status })),
    { payerType: 'org', planId: 'cplan_2abc', includeFree: true, query: 'ada & co +1', limit: 100, offset: 5 },
    { payerType: 'user', includeFree: false, query: '' },
  ]],
};

const proxy = setting('CONTRACT_PROXY_URL');

async function clearRecord() {
  assert.equal((await fetch(`${proxy}/__requests`, { method: 'DELETE' })).status, 204);
}

async function record() {
  return (await fetch(`${proxy}/__requests`)).json();
}

/** POSTs a ping to the OAuth worker with `token`; resolves to the requests it made of Clerk. */
async function signInRequests(token) {
  await clearRecord();
  const response = await fetch(setting('MCP_URL_CONTRACT_OAUTH'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
  });
  await response.body?.cancel();
  return record();
}

describe('sign-in checks follow Clerk\'s Backend API spec (Prism)', () => {
  it('checks an opaque access token with verifyOAuthAccessToken', async () => {
    const requests = await signInRequests(`oat_${'0123456789abcdef'.repeat(3)}`);
    assert.deepEqual(requests.map((r) => r.operationId), ['verifyOAuthAccessToken']);
    for (const request of requests) assert.deepEqual(request.violations, [], request.body);
  });

  it('looks the user of a JWT up, and their admin membership, within the spec', async () => {
    const minted = await fetch(`${setting('FAKE_CLERK_URL')}/__oauth/jwt`, { method: 'POST', body: JSON.stringify({ subject: USER }) });
    const { access_token: token } = await minted.json();
    const requests = await signInRequests(token);
    assert.deepEqual(requests.map((r) => r.operationId), ['GetUser', 'ListOrganizationMemberships']);
    for (const request of requests) assert.deepEqual(request.violations, [], `${request.path}?${request.query}`);
  });
});

describe('every tool\'s Clerk requests follow Clerk\'s Backend API spec (Prism)', () => {
  let session;
  const outcomes = [];

  before(async () => {
    // Every toolset, the opt-in ones (instance, billing) too.
    const url = new URL(setting('MCP_URL_CONTRACT'));
    url.searchParams.set('toolsets', ALL_TOOLSETS.join(','));
    session = await connect(url.toString(), { 'X-Clerk-Secret-Key': setting('CLERK_KEY_CONTRACT') });
  });
  after(async () => {
    await session?.close();
    // What the tools made of Prism's static examples: informative only.
    const summary = {};
    for (const { tool, outcome } of outcomes) summary[tool] = [...(summary[tool] ?? []), outcome];
    console.log(`tool results on Prism's examples: ${JSON.stringify(summary)}`);
  });

  it('covers every tool, those of the opt-in toolsets too', () => {
    assert.deepEqual([...Object.keys(CALLS), 'clerk_preview'].sort(), ALL_TOOL_NAMES);
    assert.deepEqual(session.tools.map((t) => t.name).sort(), ALL_TOOL_NAMES);
  });

  for (const [tool, [operationIds, argumentSets]] of Object.entries(CALLS)) {
    for (const args of argumentSets) {
      it(`${tool} ${JSON.stringify(args)}`, async () => {
        await clearRecord();
        let outcome;
        try {
          const result = await session.client.callTool({ name: tool, arguments: args });
          outcome = result.isError ? `tool error: ${result.content?.[0]?.text}` : 'ok';
        } catch (error) {
          outcome = `client error: ${error.message}`;
        }
        outcomes.push({ tool, outcome: outcome.slice(0, 160) });
        const requests = await record();
        assert.ok(requests.length > 0, `${tool} sent no request (${outcome})`);
        assert.deepEqual([...new Set(requests.map((r) => r.operationId))].sort(), [...operationIds].sort(),
          `${tool} called ${requests.map((r) => `${r.method} ${r.path}`).join(', ')}`);
        for (const request of requests) {
          assert.deepEqual(request.violations, [], `${request.method} ${request.path}?${request.query} ${request.body}`);
        }
      });
    }
  }

  // The reads a write's confirmation and preview make first, for every write tool: clerk_preview
  // makes exactly those, and holds the write back.
  const WRITES = ['clerk_create_organization', 'clerk_update_organization', 'clerk_update_organization_metadata',
    'clerk_delete_organization', 'clerk_add_member', 'clerk_update_member_role', 'clerk_update_member_metadata',
    'clerk_remove_member', 'clerk_create_invitation', 'clerk_revoke_invitation', 'clerk_create_user', 'clerk_update_user',
    'clerk_update_user_metadata', 'clerk_ban_user', 'clerk_unban_user', 'clerk_lock_user', 'clerk_unlock_user',
    'clerk_delete_user', 'clerk_revoke_session', 'clerk_update_organization_settings', 'clerk_update_instance_restrictions'];
  for (const tool of WRITES) {
    it(`clerk_preview of ${tool} reads within the spec and writes nothing`, async () => {
      await clearRecord();
      const [, [args]] = CALLS[tool];
      const result = await session.client.callTool({ name: 'clerk_preview', arguments: { name: tool, arguments: args } });
      outcomes.push({ tool: `clerk_preview ${tool}`, outcome: (result.isError ? `tool error: ${result.content?.[0]?.text}` : 'ok').slice(0, 160) });
      const requests = await record();
      for (const request of requests) {
        assert.equal(request.method, 'GET', `${tool}'s preview sent ${request.method} ${request.path}`);
        assert.deepEqual(request.violations, [], `${request.method} ${request.path}?${request.query}`);
      }
    });
  }

  it('leaves no request violation in Prism\'s log', () => {
    const lines = readFileSync(setting('PRISM_LOG'), 'utf8').split('\n');
    const bad = lines.filter((line) => /Violation: request|Request did not pass the validation rules|NO_PATH_MATCHED|NO_METHOD_MATCHED/.test(line));
    assert.deepEqual(bad, []);
    assert.ok(lines.some((line) => /Request received/.test(line)), 'Prism logged the requests it received');
  });
});
