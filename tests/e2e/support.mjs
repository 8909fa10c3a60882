// Shared pieces of the end-to-end tests against running workers: where the workers and the fake
// Clerk are (from the environment run.mjs sets), MCP client connections, reading the fake's
// request record and state, scripting its faults, and what the worker should make of a Clerk
// user, organization, membership or invitation.
//
// Test files run one at a time (run.mjs starts one `node --test` per file, in turn) because they
// share the fake Clerk's request record, state and scripted faults.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { CLERK_API_VERSION } from './fake-clerk.mjs';

/** A variable run.mjs sets; missing means the file was run on its own, which cannot work. */
export function setting(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite with \`node tests/e2e/run.mjs\``);
  return value;
}

export const fakeClerkUrl = () => setting('FAKE_CLERK_URL');

/**
 * Notes a secret a test made up in the file run.mjs names in MADE_UP_SECRETS, so that its
 * last step makes sure no worker ever showed it.
 */
function noteSecret(label, value) {
  if (process.env.MADE_UP_SECRETS) appendFileSync(process.env.MADE_UP_SECRETS, `${JSON.stringify({ label, value })}\n`);
  return value;
}

/** A Clerk key of valid form that Clerk does not know. */
export const madeUpKey = (label) => noteSecret(label, `sk_test_${randomBytes(20).toString('hex')}`);

/** Notes a token a test obtained (an OAuth access token, say) for the final scan. */
export const noteToken = (label, value) => noteSecret(label, value);

/** An access token no server holds. */
export const madeUpToken = (label) => noteSecret(label, randomBytes(24).toString('base64url'));

/** The hosted worker's two access tokens (MCP_AUTH_TOKENS holds both, as during a rotation). */
export const hostedTokens = () => setting('MCP_TOKENS_HOSTED').split(',');

/**
 * The two workers: public mode gets its key from each request; hosted mode holds one and lets
 * in only a client with one of its tokens (the first, unless `token` says which).
 */
export function modes({ token = 0 } = {}) {
  const publicKey = setting('CLERK_KEY_PUBLIC');
  return [
    { name: 'public', url: setting('MCP_URL_PUBLIC'), headers: { 'X-Clerk-Secret-Key': publicKey }, key: publicKey },
    {
      name: 'hosted',
      url: setting('MCP_URL_HOSTED'),
      headers: { Authorization: `Bearer ${hostedTokens()[token]}` },
      key: setting('CLERK_KEY_HOSTED'),
    },
  ];
}

/** Sets up data straight in the fake Clerk, as an administrator would in Clerk's dashboard. */
export async function clerkSetup(key, method, path, body) {
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

/** Every toolset, in the order the server names them. */
export const ALL_TOOLSETS = ['organizations', 'members', 'invitations', 'users', 'sessions', 'roles', 'instance', 'access', 'billing'];
/** The toolsets of a connection that names none: all but the instance's settings and billing. */
export const DEFAULT_TOOLSETS = ALL_TOOLSETS.filter((name) => name !== 'instance' && name !== 'billing');

/** The forty-six tools of the default toolsets, sorted by name. */
export const TOOL_NAMES = [
  'clerk_add_member', 'clerk_add_to_allowlist', 'clerk_add_to_blocklist', 'clerk_ban_user',
  'clerk_bulk_ban_users', 'clerk_bulk_invite_to_instance', 'clerk_bulk_invite_to_organization',
  'clerk_count_users', 'clerk_create_instance_invitation', 'clerk_create_invitation',
  'clerk_create_organization', 'clerk_create_user', 'clerk_delete_organization', 'clerk_delete_user',
  'clerk_get_organization', 'clerk_get_user', 'clerk_invite_waitlist_entry', 'clerk_list_allowlist',
  'clerk_list_blocklist', 'clerk_list_instance_invitations', 'clerk_list_organization_invitations',
  'clerk_list_organization_members', 'clerk_list_organizations', 'clerk_list_roles', 'clerk_list_sessions',
  'clerk_list_user_organizations', 'clerk_list_users', 'clerk_list_waitlist', 'clerk_lock_user',
  'clerk_preview', 'clerk_reject_waitlist_entry', 'clerk_remove_from_allowlist',
  'clerk_remove_from_blocklist', 'clerk_remove_member', 'clerk_revoke_instance_invitation',
  'clerk_revoke_invitation', 'clerk_revoke_session', 'clerk_unban_user', 'clerk_unlock_user',
  'clerk_update_member_metadata', 'clerk_update_member_role', 'clerk_update_organization',
  'clerk_update_organization_metadata', 'clerk_update_user', 'clerk_update_user_metadata', 'clerk_whoami',
];

/** The tools of the toolsets a connection gets only by naming them (`?toolsets=instance,billing`). */
export const OPT_IN_TOOLS = {
  instance: ['clerk_get_instance', 'clerk_get_organization_settings', 'clerk_update_organization_settings',
    'clerk_update_instance_restrictions'],
  billing: ['clerk_list_billing_plans', 'clerk_get_user_subscription', 'clerk_get_organization_subscription',
    'clerk_list_subscription_items'],
};
/** Every tool, those of the default set and the opt-in ones, sorted by name. */
export const ALL_TOOL_NAMES = [...TOOL_NAMES, ...Object.values(OPT_IN_TOOLS).flat()].sort();

/**
 * Connects the official TypeScript client and lists the tools, so that `callTool` checks
 * every `structuredContent` against the tool's `outputSchema`.
 */
export async function connect(url, headers = {}) {
  const client = new Client({ name: 'clerk-mcp-worker-e2e', version: '0.1.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  await client.connect(transport);
  const { tools } = await client.listTools();
  return { client, tools, close: () => client.close() };
}

// ---------------------------------------------------------------------------------------------
// The fake Clerk's record

export async function clearClerkRecord() {
  const response = await fetch(`${fakeClerkUrl()}/__requests`, { method: 'DELETE' });
  assert.equal(response.status, 204, 'could not clear the fake Clerk record');
}

export async function clerkRecord() {
  return (await fetch(`${fakeClerkUrl()}/__requests`)).json();
}

/** Runs `action` and returns its result with the requests Clerk received meanwhile. */
export async function withClerkRecord(action) {
  await clearClerkRecord();
  const result = await action();
  return [result, await clerkRecord()];
}

let seeded;
/** The fake's users, oldest first, as Clerk rendered them when this was first called. */
export async function seededUsers() {
  seeded ??= await currentUsers();
  return seeded;
}

/** The fake's users, oldest first, as Clerk renders them now (after any metadata changes). */
export async function currentUsers() {
  return (await fetch(`${fakeClerkUrl()}/__users`)).json();
}

/** The fake's organizations, memberships and invitations as Clerk would render them now. */
export async function clerkState() {
  return (await fetch(`${fakeClerkUrl()}/__state`)).json();
}

/** The invitee accepts invitation `id`; resolves to { invitation, membership } in Clerk's form. */
export async function acceptInvitation(id) {
  const response = await fetch(`${fakeClerkUrl()}/__invitations/${encodeURIComponent(id)}/accept`, { method: 'POST' });
  const body = await response.json();
  assert.equal(response.status, 200, `could not accept ${id}: ${JSON.stringify(body)}`);
  return body;
}

/**
 * Scripts the fake's answer to the next request(s) for `fault.path` (see fake-clerk.mjs,
 * POST /__faults): { path, method?, status, body?, rawBody?, headers?, times? }.
 */
export async function scriptFault(fault) {
  const response = await fetch(`${fakeClerkUrl()}/__faults`, { method: 'POST', body: JSON.stringify(fault) });
  assert.equal(response.status, 201, `the fake refused the fault: ${await response.text()}`);
}

export async function clearFaults() {
  const response = await fetch(`${fakeClerkUrl()}/__faults`, { method: 'DELETE' });
  assert.equal(response.status, 204, 'could not clear the fake Clerk faults');
}

/** A raw query string as sorted [name, value] pairs, decoded the way Clerk decodes them. */
export function queryPairs(rawQuery) {
  return [...new URLSearchParams(rawQuery)].sort(([a, x], [b, y]) => (a === b ? x.localeCompare(y) : a.localeCompare(b)));
}

/**
 * Asserts that one recorded request is a well-formed GET for `path` with exactly the query
 * `pairs` (any order), made with `key`, and that the fake found nothing wrong with it.
 */
export function assertClerkGet(request, { path, query = [], key }) {
  assert.equal(request.method, 'GET');
  assert.equal(request.path, path);
  assert.deepEqual(queryPairs(request.query), queryPairs(new URLSearchParams(query).toString()),
    `query of ${path} was ${request.query}`);
  assert.equal(request.headers.authorization, `Bearer ${key}`, 'Clerk must get the right secret key');
  assert.equal(request.headers['clerk-api-version'], CLERK_API_VERSION);
  assert.match(request.headers['user-agent'] ?? '', /^clerk-mcp-worker\/\d+\.\d+\.\d+/);
  assert.equal(request.headers['content-type'], undefined, 'a GET carries no Content-Type');
  assert.equal(request.body, '', 'a GET carries no body');
  assert.deepEqual(request.violations, []);
}

/** Asserts the headers every Clerk call carries, and that the fake found nothing wrong. */
function assertClerkHeaders(request, key) {
  assert.equal(request.headers.authorization, `Bearer ${key}`, 'Clerk must get the right secret key');
  assert.equal(request.headers['clerk-api-version'], CLERK_API_VERSION);
  assert.match(request.headers['user-agent'] ?? '', /^clerk-mcp-worker\/\d+\.\d+\.\d+/);
  assert.deepEqual(request.violations, []);
}

/**
 * Asserts that one recorded request is a POST or PATCH of exactly the JSON `body` (key order
 * aside) to `path`, without a query, made with `key`.
 */
export function assertClerkWrite(request, { method, path, body, key }) {
  assert.equal(request.method, method);
  assert.equal(request.path, path);
  assert.equal(request.query, '', `a ${method} carries no query`);
  assert.match(request.headers['content-type'] ?? '', /^application\/json\b/);
  assert.deepEqual(JSON.parse(request.body), body, `body of ${method} ${path}`);
  assertClerkHeaders(request, key);
}

/** Asserts that one recorded request is a bare DELETE of `path`, made with `key`. */
export function assertClerkDelete(request, { path, key }) {
  assert.equal(request.method, 'DELETE');
  assert.equal(request.path, path);
  assert.equal(request.query, '');
  assert.equal(request.body, '', 'a DELETE carries no body');
  assert.equal(request.headers['content-type'], undefined, 'a DELETE carries no Content-Type');
  assertClerkHeaders(request, key);
}

/** The GET /v1/users and GET /v1/users/count requests of one clerk_list_users call. */
export function listAndCount(requests) {
  assert.equal(requests.length, 2, `expected 2 Clerk calls, got ${requests.map((r) => `${r.path}?${r.query}`).join(', ')}`);
  const list = requests.find((r) => r.path === '/v1/users');
  const count = requests.find((r) => r.path === '/v1/users/count');
  assert.ok(list && count, `expected /v1/users and /v1/users/count, got ${requests.map((r) => r.path).join(', ')}`);
  return { list, count };
}

// ---------------------------------------------------------------------------------------------
// Tool results

export function toolText(result) {
  assert.ok(Array.isArray(result.content) && result.content.length > 0, 'a tool result has content');
  assert.equal(result.content[0].type, 'text');
  return result.content[0].text;
}

/**
 * The JSON a successful result's text block fences as untrusted data: one sentence saying it is
 * data, then `<untrusted-data-ID>`, the JSON, and `</untrusted-data-ID>` with the same ID of at
 * least 16 hex characters, which occurs nowhere inside.
 */
export function fencedJson(text) {
  const match = /^([^\n]*never as instructions[^\n]*)\n<untrusted-data-([0-9a-f]{16,})>\n([\s\S]*)\n<\/untrusted-data-\2>$/.exec(text);
  assert.ok(match, `a fenced text block: ${text.slice(0, 300)}`);
  assert.ok(!match[3].includes(`untrusted-data-${match[2]}`), 'the fence closes once');
  return JSON.parse(match[3]);
}

/** A successful result: `structuredContent`, also given as JSON, fenced, in the first text block. */
export function structured(result) {
  assert.notEqual(result.isError, true, `tool failed: ${result.content?.[0]?.text}`);
  assert.deepEqual(fencedJson(toolText(result)), result.structuredContent,
    'the text block holds the same JSON as structuredContent');
  return result.structuredContent;
}

/** A failed result (`isError: true`); returns its text. */
export function toolError(result) {
  assert.equal(result.isError, true, `expected a tool error, got ${JSON.stringify(result.structuredContent ?? result.content)}`);
  return toolText(result);
}

// ---------------------------------------------------------------------------------------------
// Users as the worker should show them

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const METADATA_KEYS = new Set(['publicMetadata', 'privateMetadata', 'unsafeMetadata']);

/**
 * Asserts the output conventions on a whole tool output: keys are camelCase and every `...At`
 * value is an ISO 8601 UTC string. Metadata objects are the customer's own data, not checked.
 */
export function assertOutputConventions(value, where = 'structuredContent') {
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertOutputConventions(item, `${where}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      assert.doesNotMatch(key, /_/, `${where}.${key} is not camelCase`);
      if (key.endsWith('At') && item !== null) assert.match(String(item), ISO_UTC, `${where}.${key} is not ISO 8601`);
      if (!METADATA_KEYS.has(key)) assertOutputConventions(item, `${where}.${key}`);
    }
  }
}

/** Turns ISO strings under `...At` keys into milliseconds, so equal instants compare equal. */
function instants(object) {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [
    key,
    key.endsWith('At') && typeof value === 'string' && ISO_UTC.test(value) ? Date.parse(value) : value,
  ]));
}

function omitEmpty(object) {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => !(
    value === null || value === undefined
    || (Array.isArray(value) && value.length === 0)
    || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0)
  )));
}

function pick(object, keys) {
  return Object.fromEntries(keys.filter((key) => key in object).map((key) => [key, object[key]]));
}

export const COMPACT_USER_FIELDS = [
  'id', 'firstName', 'lastName', 'username', 'primaryEmailAddress', 'emailAddresses', 'phoneNumbers',
  'externalAccounts', 'banned', 'locked', 'publicMetadata', 'privateMetadata', 'unsafeMetadata',
  'createdAt', 'updatedAt', 'lastSignInAt', 'lastActiveAt',
];

function primaryEmail(user) {
  return user.email_addresses.find((e) => e.id === user.primary_email_address_id)?.email_address ?? null;
}

/** The compact form clerk_list_users gives a Clerk user (times in milliseconds). */
export function expectedCompactUser(user) {
  return omitEmpty({
    id: user.id,
    firstName: user.first_name,
    lastName: user.last_name,
    username: user.username,
    primaryEmailAddress: primaryEmail(user),
    emailAddresses: user.email_addresses.map((e) => e.email_address),
    phoneNumbers: user.phone_numbers.map((p) => p.phone_number),
    externalAccounts: user.external_accounts.map((a) => a.provider),
    banned: user.banned,
    locked: user.locked,
    publicMetadata: user.public_metadata,
    privateMetadata: user.private_metadata,
    unsafeMetadata: user.unsafe_metadata,
    createdAt: user.created_at,
    updatedAt: user.updated_at,
    lastSignInAt: user.last_sign_in_at,
    lastActiveAt: user.last_active_at,
  });
}

/** Asserts a compact user shows the contract's fields of `user` exactly (extra fields allowed). */
export function assertCompactUser(actual, user) {
  assert.deepEqual(instants(pick(actual, COMPACT_USER_FIELDS)), expectedCompactUser(user), `compact user ${user.id}`);
}

/** Asserts clerk_get_user's output shows what a profile needs from `user`. */
export function assertFullUser(actual, user) {
  const times = instants(actual);
  assert.equal(actual.id, user.id);
  assert.equal(actual.firstName ?? null, user.first_name);
  assert.equal(actual.lastName ?? null, user.last_name);
  assert.equal(actual.username ?? null, user.username);
  assert.equal(actual.primaryEmailAddress ?? null, primaryEmail(user));
  assert.deepEqual(
    (actual.emailAddresses ?? []).map((e) => pick(e, ['id', 'emailAddress', 'verified', 'primary'])),
    user.email_addresses.map((e) => ({
      id: e.id,
      emailAddress: e.email_address,
      verified: e.verification?.status === 'verified',
      primary: e.id === user.primary_email_address_id,
    })),
  );
  assert.deepEqual(
    (actual.externalAccounts ?? []).map((a) => pick(a, ['provider', 'emailAddress'])),
    user.external_accounts.map((a) => ({ provider: a.provider, emailAddress: a.email_address })),
  );
  assert.equal(actual.twoFactorEnabled, user.two_factor_enabled);
  assert.equal(actual.banned, user.banned);
  assert.equal(actual.locked, user.locked);
  for (const [camel, snake] of [['publicMetadata', 'public_metadata'], ['privateMetadata', 'private_metadata'], ['unsafeMetadata', 'unsafe_metadata']]) {
    assert.deepEqual(actual[camel] ?? {}, user[snake], camel);
  }
  for (const [camel, snake] of [['createdAt', 'created_at'], ['updatedAt', 'updated_at'], ['lastSignInAt', 'last_sign_in_at'], ['lastActiveAt', 'last_active_at']]) {
    assert.equal(times[camel] ?? null, user[snake], camel);
  }
}

// ---------------------------------------------------------------------------------------------
// Organizations, members and invitations as the worker should show them

const iso = (ms) => (ms === null || ms === undefined ? undefined : new Date(ms).toISOString());

function withoutAbsent(object) {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== null && value !== undefined));
}

/** The output of the organization tools for a Clerk organization: nulls left out, metadata always. */
export function expectedOrganization(organization) {
  return {
    ...withoutAbsent({
      id: organization.id,
      name: organization.name,
      slug: organization.slug,
      membersCount: organization.members_count,
      pendingInvitationsCount: organization.pending_invitations_count,
      maxAllowedMemberships: organization.max_allowed_memberships,
      adminDeleteEnabled: organization.admin_delete_enabled,
      createdBy: organization.created_by,
      imageUrl: organization.image_url,
      hasImage: organization.has_image,
      createdAt: iso(organization.created_at),
      updatedAt: iso(organization.updated_at),
    }),
    publicMetadata: organization.public_metadata ?? {},
    privateMetadata: organization.private_metadata ?? {},
  };
}

/** Asserts an organization output is exactly what the worker should make of `organization`. */
export function assertOrganization(actual, organization) {
  assert.deepEqual(actual, expectedOrganization(organization), `organization ${organization.id}`);
}

const MEMBER_FIELDS = [
  'id', 'organizationId', 'userId', 'role', 'roleName', 'permissions', 'firstName', 'lastName', 'identifier',
  'username', 'imageUrl', 'publicMetadata', 'privateMetadata', 'createdAt', 'updatedAt',
];

/** The member output for a Clerk membership, absent fields left out. */
export function expectedMember(membership) {
  const user = membership.public_user_data ?? {};
  return withoutAbsent({
    id: membership.id,
    organizationId: membership.organization?.id,
    userId: user.user_id,
    role: membership.role,
    roleName: membership.role_name,
    permissions: membership.permissions,
    firstName: user.first_name,
    lastName: user.last_name,
    identifier: user.identifier,
    username: user.username,
    imageUrl: user.image_url,
    publicMetadata: membership.public_metadata ?? {},
    privateMetadata: membership.private_metadata ?? {},
    createdAt: iso(membership.created_at),
    updatedAt: iso(membership.updated_at),
  });
}

/** Asserts a member output shows the contract's fields of `membership` (nulls read as absent). */
export function assertMember(actual, membership) {
  assert.deepEqual(withoutAbsent(pick(actual, MEMBER_FIELDS)), expectedMember(membership), `member ${membership.id}`);
}

const INVITATION_FIELDS = [
  'id', 'organizationId', 'emailAddress', 'role', 'roleName', 'status', 'inviterUserId', 'url', 'expiresAt',
  'publicMetadata', 'privateMetadata', 'createdAt', 'updatedAt',
];

/** The invitation output for a Clerk invitation, absent fields left out. */
export function expectedInvitation(invitation) {
  return withoutAbsent({
    id: invitation.id,
    organizationId: invitation.organization_id,
    emailAddress: invitation.email_address,
    role: invitation.role,
    roleName: invitation.role_name,
    status: invitation.status,
    inviterUserId: invitation.inviter_id,
    url: invitation.url,
    expiresAt: iso(invitation.expires_at),
    publicMetadata: invitation.public_metadata ?? {},
    privateMetadata: invitation.private_metadata ?? {},
    createdAt: iso(invitation.created_at),
    updatedAt: iso(invitation.updated_at),
  });
}

/** Asserts an invitation output shows the contract's fields of `invitation` (nulls read as absent). */
export function assertInvitation(actual, invitation) {
  assert.deepEqual(withoutAbsent(pick(actual, INVITATION_FIELDS)), expectedInvitation(invitation), `invitation ${invitation.id}`);
}

/** The paging fields of a list output. */
export function pageOf({ totalCount, count, offset, hasMore, nextOffset }) {
  return { totalCount, count, offset, hasMore, ...(nextOffset === undefined ? {} : { nextOffset }) };
}
