// Shared pieces of the end-to-end tests against running workers: where the workers and the fake
// Clerk are (from the environment run.mjs sets), MCP client connections, reading the fake's
// request record, and what the worker should make of a Clerk user.
//
// Test files run one at a time (run.mjs passes --test-concurrency=1) because they share the
// fake Clerk's request record.

import assert from 'node:assert/strict';

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

/** The two workers: public mode gets its key from each request, hosted mode holds one. */
export function modes() {
  const publicKey = setting('CLERK_KEY_PUBLIC');
  return [
    { name: 'public', url: setting('MCP_URL_PUBLIC'), headers: { 'X-Clerk-Secret-Key': publicKey }, key: publicKey },
    { name: 'hosted', url: setting('MCP_URL_HOSTED'), headers: {}, key: setting('CLERK_KEY_HOSTED') },
  ];
}

export const TOOL_NAMES = ['clerk_get_user', 'clerk_list_users'];

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
/** The fake's seeded users, oldest first, as Clerk renders them. */
export async function seededUsers() {
  seeded ??= await (await fetch(`${fakeClerkUrl()}/__users`)).json();
  return seeded;
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

/** A successful result: `structuredContent`, also given as JSON in the first text block. */
export function structured(result) {
  assert.notEqual(result.isError, true, `tool failed: ${result.content?.[0]?.text}`);
  assert.deepEqual(JSON.parse(toolText(result)), result.structuredContent,
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
