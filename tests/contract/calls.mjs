// What the contract step calls: each tool with typical and edge arguments (paging, filters,
// signed orderBy, arrays, nested metadata with nulls, optional fields set and unset), the spec
// operation(s) each is for, and the write tools whose reads clerk_preview makes. Then how a
// tool's result is judged: it must be a result, not an error, and its structuredContent must
// match the tool's own outputSchema (JSON Schema 2020-12, formats checked).

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

import { ALL_TOOLSETS } from '../e2e/support.mjs';

export const ORG = 'org_2bDCkPVCwcGpGRUF3ZxXoF5hYQa';
export const USER = 'user_2bDCkQ7kQeP7nnQg6S8rPzJdGvU';
const OTHER_USER = 'user_2bDCkRjTm3mWxT9Tq1sLtSJzD6e';
const INVITATION = 'orginv_2bDCkSx9fQ1tPzJdGvUrQ7kQeP7';
const SESSION = 'sess_2bDCkTm3mWxT9Tq1sLtSJzD6eQa';
const ALLOWED = 'alid_2bDCkUq8rPzJdGvUrQ7kQeP7nnQ';
const BLOCKED = 'blid_2bDCkVx9fQ1tPzJdGvUrQ7kQeP7';
const WAITING = 'wle_2bDCkWm3mWxT9Tq1sLtSJzD6eQa';
const APP_INVITATION = 'inv_2bDCkXq8rPzJdGvUrQ7kQeP7nnQ';
const NESTED = { plan: 'pro', limits: { seats: 10, projects: null }, tags: ['a', 'b'], removed: null, deep: { a: { b: { c: 1 } } } };

// The spec operation(s) each tool is for, and the arguments to call it with.
export const CALLS = {
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
  clerk_bulk_invite_to_organization: [['CreateOrganizationInvitationBulk'], [
    { organizationId: ORG, role: 'org:member', invitations: [{ emailAddress: 'new.member@example.com' }] },
    {
      organizationId: ORG, role: 'org:member', inviterUserId: USER, redirectUrl: 'https://app.example.com/join', expiresInDays: 3,
      publicMetadata: NESTED,
      invitations: [
        ...Array.from({ length: 11 }, (_, n) => ({ emailAddress: `person${n}@example.com` })),
        { emailAddress: 'admin@example.com', role: 'org:admin', inviterUserId: OTHER_USER, expiresInDays: 365, publicMetadata: {} },
      ],
    },
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
  // The tool reads first which of the users exist; Prism's example users carry none of these
  // IDs, so each is reported as unknown and no ban is sent. The ban request itself is checked by
  // the fake Clerk (bulk.test.mjs) and its answers by fake-clerk-spec.test.mjs.
  clerk_bulk_ban_users: [['GetUserList'], [{ userIds: [USER] }, { userIds: [USER, OTHER_USER, USER] }]],
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
  clerk_list_allowlist: [['ListAllowlistIdentifiers'], [{}, { limit: 100, offset: 40 }, { limit: 1, fields: ['identifier'] }]],
  clerk_add_to_allowlist: [['CreateAllowlistIdentifier'], [
    { identifier: 'ada@example.com' }, { identifier: '+15550100001', notify: true }, { identifier: '0x52908400098527886E0F7030069857D2E4169EE7', notify: false },
  ]],
  clerk_remove_from_allowlist: [['DeleteAllowlistIdentifier'], [{ identifierId: ALLOWED }]],
  clerk_list_blocklist: [['ListBlocklistIdentifiers'], [{}, { limit: 1, offset: 1 }, { limit: 100, offset: 500 }]],
  clerk_add_to_blocklist: [['CreateBlocklistIdentifier'], [{ identifier: 'spam.example' }, { identifier: 'first.last+tag@example.co.uk' }]],
  clerk_remove_from_blocklist: [['DeleteBlocklistIdentifier'], [{ identifierId: BLOCKED }]],
  clerk_list_waitlist: [['ListWaitlistEntries'], [
    {},
    ...['pending', 'invited', 'completed', 'rejected'].map((status) => ({ status })),
    { query: 'ada & co +1', limit: 100, offset: 20 },
    { query: WAITING, limit: 1, fields: ['emailAddress', 'status'] },
  ]],
  clerk_invite_waitlist_entry: [['InviteWaitlistEntry'], [{ waitlistEntryId: WAITING }, { waitlistEntryId: WAITING, ignoreExisting: true }]],
  clerk_reject_waitlist_entry: [['RejectWaitlistEntry'], [{ waitlistEntryId: WAITING }]],
  clerk_list_instance_invitations: [['ListInvitations'], [
    {},
    ...['pending', 'accepted', 'revoked', 'expired'].map((status) => ({ status })),
    { query: 'ada@example.com', limit: 100, offset: 3 },
  ]],
  clerk_create_instance_invitation: [['CreateInvitation'], [
    { emailAddress: 'new.user@example.com' },
    {
      emailAddress: 'first.last+tag@example.co.uk', redirectUrl: 'https://app.example.com/welcome?from=invite', publicMetadata: NESTED,
      expiresInDays: 365, notify: false, ignoreExisting: true,
    },
    { emailAddress: 'short@example.com', expiresInDays: 1, publicMetadata: {} },
  ]],
  clerk_bulk_invite_to_instance: [['CreateBulkInvitations'], [
    { emailAddresses: ['new.user@example.com'] },
    {
      emailAddresses: [...Array.from({ length: 11 }, (_, n) => `person${n}@example.com`), 'PERSON0@example.com'],
      redirectUrl: 'https://app.example.com/join', publicMetadata: NESTED, expiresInDays: 3, notify: false, ignoreExisting: true,
    },
  ]],
  clerk_revoke_instance_invitation: [['RevokeInvitation'], [{ invitationId: APP_INVITATION }]],
  clerk_list_subscription_items: [['GetCommerceSubscriptionItemList'], [
    {},
    ...['active', 'ended', 'past_due', 'upcoming', 'free_trial'].map((status) => ({ status })),
    { payerType: 'org', planId: 'cplan_2abc', includeFree: true, query: 'ada & co +1', limit: 100, offset: 5 },
    { payerType: 'user', includeFree: false, query: '' },
  ]],
};

// The write tools: clerk_preview of each makes that tool's reads and holds the write back.
export const WRITES = ['clerk_create_organization', 'clerk_update_organization', 'clerk_update_organization_metadata',
  'clerk_delete_organization', 'clerk_add_member', 'clerk_update_member_role', 'clerk_update_member_metadata',
  'clerk_remove_member', 'clerk_create_invitation', 'clerk_bulk_invite_to_organization', 'clerk_revoke_invitation', 'clerk_create_user', 'clerk_update_user',
  'clerk_update_user_metadata', 'clerk_ban_user', 'clerk_bulk_ban_users', 'clerk_unban_user', 'clerk_lock_user', 'clerk_unlock_user',
  'clerk_delete_user', 'clerk_revoke_session', 'clerk_update_organization_settings', 'clerk_update_instance_restrictions',
  'clerk_add_to_allowlist', 'clerk_remove_from_allowlist', 'clerk_add_to_blocklist', 'clerk_remove_from_blocklist',
  'clerk_invite_waitlist_entry', 'clerk_reject_waitlist_entry', 'clerk_create_instance_invitation', 'clerk_bulk_invite_to_instance',
  'clerk_revoke_instance_invitation'];

/** The contract worker's MCP URL, naming every toolset: the opt-in ones (instance, billing) too. */
export function everyToolset(url) {
  const named = new URL(url);
  named.searchParams.set('toolsets', ALL_TOOLSETS.join(','));
  return named.toString();
}

/**
 * A validator of each tool's structuredContent, from the outputSchema tools/list gave (the
 * tools without one are left out).
 */
export function outputValidators(tools) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  return new Map(tools.filter((tool) => tool.outputSchema).map((tool) => [tool.name, ajv.compile(tool.outputSchema)]));
}

/**
 * Calls `tool` and says what became of it: { ok, outcome, problems }. A tool error, a client
 * error (the client checks structuredContent against the outputSchema too) or a
 * structuredContent that does not match the schema is a problem.
 */
export async function callAndJudge(client, validators, tool, args) {
  let result;
  try {
    result = await client.callTool({ name: tool, arguments: args });
  } catch (error) {
    return { ok: false, outcome: `client error: ${error.message}`, problems: [`client error: ${error.message}`] };
  }
  if (result.isError) {
    const text = result.content?.map((part) => part.text ?? '').join(' ') ?? '';
    return { ok: false, outcome: `tool error: ${text}`, problems: [`tool error: ${text}`] };
  }
  const problems = [];
  const validate = validators.get(tool);
  if (!validate) problems.push(`${tool} has no outputSchema`);
  else if (result.structuredContent === undefined) problems.push(`${tool} gave no structuredContent`);
  else if (!validate(result.structuredContent)) {
    problems.push(...validate.errors.map((e) => `${e.instancePath || '/'} ${e.message} (${JSON.stringify(e.params)})`));
  }
  return { ok: problems.length === 0, outcome: problems.length ? `does not match its outputSchema: ${problems[0]}` : 'ok', problems, result };
}

// A refusal the answer itself justifies: clerk_preview of a membership write first reads the
// membership of the user it names, and the answer that comes back must be that user's. The
// spec's example membership, and any random one, is of another user (`string`), so the
// preview rightly says the user is not a member, and sends nothing. No other refusal passes.
const NOT_A_MEMBER = /^tool error: Invalid argument `userId`: user user_\w+ is not a member of organization org_\w+\. Nothing was sent to Clerk\.$/;
// A bulk call in which every item fails for a reason the answer gives: the users the spec's
// examples (and random data) hold never carry the IDs asked for, so a bulk ban finds none of
// them and sends nothing; an invitation batch's answer (to an organization or to the
// application) holds invitations of other addresses, so no address asked for is shown as
// invited. Each item must fail for that reason (or repeat an
// earlier one), never another.
const noItemSucceeded = (reason) => new RegExp(
  '^tool error: No item succeeded: \\d+ failed, 0 not attempted\\. Each item\'s result: \\{"results":\\['
  + `(\\{"input":"[^"]+","status":"failed","error":"(${reason}|repeats item \\d+ of the list [^"]*)"\\},?)+\\]`,
);
const NO_SUCH_USERS = noItemSucceeded('Not found: no user with ID user_\\w+: not sent');
const notInTheAnswer = (list) => noItemSucceeded("Clerk's answer held no invitation for this address, though it may have sent one: "
  + `check ${list} before inviting it again`);
const NOT_IN_THE_ANSWER = notInTheAnswer('clerk_list_organization_invitations');
export const JUSTIFIED_REFUSALS = new Map([
  ...['clerk_update_member_role', 'clerk_update_member_metadata', 'clerk_remove_member'].map((tool) => [`clerk_preview ${tool}`, NOT_A_MEMBER]),
  ['clerk_bulk_ban_users', NO_SUCH_USERS],
  ['clerk_preview clerk_bulk_ban_users', NO_SUCH_USERS],
  ['clerk_bulk_invite_to_organization', NOT_IN_THE_ANSWER],
  ['clerk_bulk_invite_to_instance', notInTheAnswer('clerk_list_instance_invitations')],
]);

/** Whether `judged` (of callAndJudge) passes for the call named `label`: ok, or refused as justified. */
export function passes(label, judged) {
  return judged.ok || (JUSTIFIED_REFUSALS.get(label)?.test(judged.outcome) ?? false);
}
