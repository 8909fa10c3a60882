// Tests of the fake Clerk itself: that it speaks Clerk's wire format, keeps organizations,
// memberships, invitations and metadata the way Clerk does, answers scripted faults, and
// catches the request mistakes the end-to-end tests rely on it to catch. Needs no worker:
//   node --test tests/e2e/fake-clerk.test.mjs

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';

import {
  CLERK_API_VERSION, ROLES, mergeMetadata, seedOrganizations, seedUsers, startFakeClerk,
} from './fake-clerk.mjs';

const KEY = 'sk_test_fake_clerk_unit';
const GOOD_HEADERS = {
  authorization: `Bearer ${KEY}`,
  'clerk-api-version': CLERK_API_VERSION,
  'user-agent': 'clerk-mcp-worker/0.1.0',
};

// The `required` list of the User schema in Clerk's Backend API spec (version 2026-05-12).
const USER_REQUIRED = [
  'id', 'object', 'username', 'first_name', 'last_name', 'has_image', 'primary_email_address_id',
  'primary_phone_number_id', 'primary_web3_wallet_id', 'password_enabled', 'two_factor_enabled',
  'totp_enabled', 'backup_code_enabled', 'email_addresses', 'phone_numbers', 'web3_wallets',
  'passkeys', 'external_accounts', 'saml_accounts', 'enterprise_accounts', 'public_metadata',
  'external_id', 'last_sign_in_at', 'banned', 'locked', 'lockout_expires_in_seconds',
  'verification_attempts_remaining', 'created_at', 'updated_at', 'delete_self_enabled',
  'create_organization_enabled', 'last_active_at', 'mfa_enabled_at', 'mfa_disabled_at',
  'legal_accepted_at',
];
const EMAIL_REQUIRED = ['object', 'email_address', 'verification', 'linked_to', 'reserved', 'created_at', 'updated_at'];
const PHONE_REQUIRED = ['object', 'phone_number', 'verification', 'linked_to', 'reserved', 'created_at', 'updated_at'];
const EXTERNAL_ACCOUNT_REQUIRED = [
  'object', 'id', 'provider', 'identification_id', 'provider_user_id', 'approved_scopes',
  'email_address', 'first_name', 'last_name', 'public_metadata', 'created_at', 'updated_at', 'verification',
];

function assertHasKeys(object, keys, what) {
  const missing = keys.filter((key) => !(key in object));
  assert.deepEqual(missing, [], `${what} lacks ${missing.join(', ')}`);
}

describe('seeded users', () => {
  const users = seedUsers(45);

  it('are the same on every run', () => {
    assert.deepEqual(seedUsers(45), users);
  });

  it('carry every field the Clerk spec requires, with Unix-millisecond times', () => {
    for (const user of users) {
      assertHasKeys(user, USER_REQUIRED, user.id);
      user.email_addresses.forEach((e) => assertHasKeys(e, EMAIL_REQUIRED, e.id));
      user.phone_numbers.forEach((p) => assertHasKeys(p, PHONE_REQUIRED, p.id));
      user.external_accounts.forEach((a) => assertHasKeys(a, EXTERNAL_ACCOUNT_REQUIRED, a.id));
      assert.match(user.id, /^user_[0-9A-Za-z]{27}$/);
      assert.ok(Number.isInteger(user.created_at) && user.created_at > 1.7e12);
    }
  });

  it('have unique ids and are created in index order', () => {
    assert.equal(new Set(users.map((u) => u.id)).size, users.length);
    users.slice(1).forEach((u, i) => assert.ok(u.created_at > users[i].created_at));
  });

  it('include a rich user, a sparse user and a user without email', () => {
    const [rich] = users;
    assert.equal(rich.email_addresses.length, 2);
    assert.deepEqual(rich.external_accounts.map((a) => a.provider), ['oauth_google', 'oauth_github']);
    assert.equal(rich.two_factor_enabled, true);
    assert.deepEqual(rich.private_metadata, { stripe_customer_id: 'cus_seed0' });
    const sparse = users[7];
    assert.equal(sparse.first_name, null);
    assert.equal(sparse.last_sign_in_at, null);
    assert.deepEqual(sparse.phone_numbers, []);
    assert.deepEqual(users[11].email_addresses, []);
    assert.equal(users[11].primary_email_address_id, null);
  });
});

describe('fake Clerk over HTTP', () => {
  let fake;
  const call = (path, headers = GOOD_HEADERS, init = {}) => fetch(`${fake.url}${path}`, { headers, ...init });
  const record = async () => (await fetch(`${fake.url}/__requests`)).json();

  before(async () => {
    fake = await startFakeClerk({ keys: [KEY], userCount: 45 });
  });
  after(() => fake.close());
  beforeEach(async () => {
    const cleared = await fetch(`${fake.url}/__requests`, { method: 'DELETE' });
    assert.equal(cleared.status, 204);
  });

  it('lists users newest first as a bare array, ten by default', async () => {
    const response = await call('/v1/users');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^application\/json/);
    const users = await response.json();
    assert.ok(Array.isArray(users));
    assert.equal(users.length, 10);
    assert.deepEqual(users.map((u) => u.id), seedUsers(45).reverse().slice(0, 10).map((u) => u.id));
  });

  it('honours limit, offset and a signed order_by', async () => {
    const page = await (await call('/v1/users?limit=5&offset=43&order_by=created_at')).json();
    assert.deepEqual(page.map((u) => u.id), seedUsers(45).slice(43).map((u) => u.id));
    const byName = await (await call('/v1/users?limit=200&order_by=%2Blast_name')).json();
    const names = byName.map((u) => u.last_name);
    const named = names.filter((n) => n !== null);
    assert.deepEqual(named, [...named].sort((a, b) => a.localeCompare(b, 'en')));
    assert.deepEqual(names.slice(named.length), names.slice(named.length).map(() => null), 'nulls sort last');
    const descending = await (await call('/v1/users?limit=3&order_by=-username')).json();
    assert.ok(descending[0].username === null, 'descending puts nulls first');
  });

  it('filters by query, repeated email_address and repeated user_id, and counts the same way', async () => {
    const users = seedUsers(45);
    const byQuery = await (await call('/v1/users?query=LOVELACE&limit=100')).json();
    assert.ok(byQuery.length >= 2);
    assert.ok(byQuery.every((u) => u.last_name === 'Lovelace'));
    const count = await (await call('/v1/users/count?query=LOVELACE')).json();
    assert.deepEqual(count, { object: 'total_count', total_count: byQuery.length });

    const emails = [users[0].email_addresses[1].email_address, users[5].email_addresses[0].email_address];
    const byEmail = await (await call(`/v1/users?${emails.map((e) => `email_address=${encodeURIComponent(e)}`).join('&')}`)).json();
    assert.deepEqual(byEmail.map((u) => u.id).sort(), [users[0].id, users[5].id].sort());

    const byId = await (await call(`/v1/users?user_id=${users[3].id}&user_id=${users[4].id}`)).json();
    assert.deepEqual(byId.map((u) => u.id), [users[4].id, users[3].id]);
    const countById = await (await call(`/v1/users/count?user_id=${users[3].id}&user_id=${users[4].id}`)).json();
    assert.equal(countById.total_count, 2);
  });

  it('returns one user, and Clerk\'s 404 body for an unknown one', async () => {
    const [first] = seedUsers(1);
    const found = await call(`/v1/users/${first.id}`);
    assert.deepEqual(await found.json(), first);
    const missing = await call('/v1/users/user_doesnotexist');
    assert.equal(missing.status, 404);
    const body = await missing.json();
    assert.equal(body.errors[0].code, 'resource_not_found');
    assert.equal(body.errors[0].message, 'not found');
    assert.equal(typeof body.errors[0].long_message, 'string');
    assert.match(body.clerk_trace_id, /^[0-9a-f]{32}$/);
  });

  it('answers any other key with 401 authentication_invalid', async () => {
    for (const authorization of ['Bearer sk_test_other', KEY, '']) {
      const response = await call('/v1/users', { ...GOOD_HEADERS, authorization });
      assert.equal(response.status, 401);
      assert.equal((await response.json()).errors[0].code, 'authentication_invalid');
    }
  });

  it('answers out-of-range limits and unknown order_by fields with 422', async () => {
    for (const query of ['limit=0', 'limit=501', 'offset=-1', 'limit=ten', 'order_by=age', 'order_by=+last_name']) {
      const response = await call(`/v1/users?${query}`);
      assert.equal(response.status, 422, query);
      assert.match((await response.json()).errors[0].code, /^form_param_/);
    }
  });

  it('records each request with its raw query, headers and answer', async () => {
    await call('/v1/users?user_id=a&user_id=b&order_by=%2Busername');
    const [request] = await record();
    assert.equal(request.method, 'GET');
    assert.equal(request.path, '/v1/users');
    assert.equal(request.query, 'user_id=a&user_id=b&order_by=%2Busername');
    assert.equal(request.headers.authorization, `Bearer ${KEY}`);
    assert.equal(request.body, '');
    assert.deepEqual(request.violations, []);
    assert.equal(request.response.status, 200);
    assert.deepEqual(request.response.body, []);
  });

  it('flags missing or wrong Clerk headers and a GET with a body', async () => {
    await call('/v1/users', { authorization: `Bearer ${KEY}`, 'user-agent': 'node' });
    await call('/v1/users/count', { ...GOOD_HEADERS, 'clerk-api-version': '2025-11-10' });
    await call('/v1/users', { ...GOOD_HEADERS, 'content-type': 'application/json' }, { method: 'GET' });
    const [noVersion, oldVersion, withType] = await record();
    assert.equal(noVersion.violations.length, 2);
    assert.match(noVersion.violations.join('\n'), /Clerk-API-Version/);
    assert.match(noVersion.violations.join('\n'), /User-Agent/);
    assert.match(oldVersion.violations.join('\n'), /got "2025-11-10"/);
    assert.deepEqual(withType.violations, ['GET must not carry Content-Type']);
  });

  it('flags parameters an endpoint does not take, an unencoded + and unknown endpoints', async () => {
    await call('/v1/users/count?limit=10&offset=0&order_by=-created_at');
    await call('/v1/users?order_by=+last_name');
    await call('/v1/users/user_a/organization_invitations');
    const [count, plus, other] = await record();
    assert.deepEqual(count.violations, [
      'unexpected query parameter limit', 'unexpected query parameter offset', 'unexpected query parameter order_by',
    ]);
    assert.deepEqual(plus.violations, ['a leading + in order_by must be sent as %2B']);
    assert.equal(other.response.status, 404);
    assert.match(other.violations.join('\n'), /unexpected endpoint GET \/v1\/users\/user_a\/organization_invitations/);
  });

  it('forgets the record on DELETE /__requests', async () => {
    await call('/v1/users');
    assert.equal((await record()).length, 1);
    await fetch(`${fake.url}/__requests`, { method: 'DELETE' });
    assert.deepEqual(await record(), []);
  });
});

// The `required` lists (and, where the spec closes the object, the allowed keys) of the
// organization schemas in Clerk's Backend API spec (version 2026-05-12).
const ORGANIZATION_REQUIRED = [
  'object', 'id', 'name', 'slug', 'has_image', 'max_allowed_memberships', 'admin_delete_enabled',
  'public_metadata', 'created_at', 'updated_at',
];
const MEMBERSHIP_REQUIRED = ['object', 'id', 'role', 'permissions', 'public_metadata', 'created_at', 'updated_at', 'organization'];
const PUBLIC_USER_DATA_REQUIRED = ['user_id', 'first_name', 'last_name', 'profile_image_url', 'image_url', 'has_image'];
const PUBLIC_USER_DATA_KEYS = [...PUBLIC_USER_DATA_REQUIRED, 'identifier', 'username', 'banned', 'deprovisioned'];
const INVITATION_REQUIRED = [
  'object', 'id', 'email_address', 'role', 'role_name', 'public_metadata', 'url', 'expires_at',
  'created_at', 'updated_at', 'inviter_id', 'public_inviter_data',
];
const INVITATION_KEYS = [...INVITATION_REQUIRED, 'organization_id', 'status', 'private_metadata'];
const INVITER_REQUIRED = ['user_id', 'first_name', 'last_name', 'image_url', 'has_image', 'identifier'];
const DELETED_OBJECT_KEYS = ['object', 'id', 'slug', 'deleted', 'external_id'];

function assertOnlyKeys(object, keys, what) {
  const extra = Object.keys(object).filter((key) => !keys.includes(key));
  assert.deepEqual(extra, [], `${what} has keys the spec does not allow: ${extra.join(', ')}`);
}

function assertOrganizationShape(organization) {
  assertHasKeys(organization, ORGANIZATION_REQUIRED, organization.id);
  assert.equal(organization.object, 'organization');
  assert.match(organization.id, /^org_[0-9A-Za-z]{27}$/);
  assert.match(organization.slug, /^[a-z0-9-]+$/);
  assert.ok(Number.isInteger(organization.created_at) && organization.created_at > 1.7e12);
}

function assertMembershipShape(membership) {
  assertHasKeys(membership, MEMBERSHIP_REQUIRED, membership.id);
  assert.equal(membership.object, 'organization_membership');
  assert.match(membership.id, /^orgmem_[0-9A-Za-z]{27}$/);
  assertOrganizationShape(membership.organization);
  assertHasKeys(membership.public_user_data, PUBLIC_USER_DATA_REQUIRED, `${membership.id}.public_user_data`);
  assertOnlyKeys(membership.public_user_data, PUBLIC_USER_DATA_KEYS, `${membership.id}.public_user_data`);
  assert.equal(membership.role_name, ROLES[membership.role].name);
  assert.deepEqual(membership.permissions, ROLES[membership.role].permissions);
}

function assertInvitationShape(invitation) {
  assertHasKeys(invitation, INVITATION_REQUIRED, invitation.id);
  assertOnlyKeys(invitation, INVITATION_KEYS, invitation.id);
  assert.equal(invitation.object, 'organization_invitation');
  assert.match(invitation.id, /^orginv_[0-9A-Za-z]{27}$/);
  if (invitation.public_inviter_data !== null) {
    assertHasKeys(invitation.public_inviter_data, INVITER_REQUIRED, `${invitation.id}.public_inviter_data`);
  }
}

describe('seeded organizations', () => {
  const users = seedUsers(45);
  const seeded = seedOrganizations(users, 3);

  it('are the same on every run', () => {
    assert.deepEqual(seedOrganizations(seedUsers(45), 3), seeded);
  });

  it('each have their creator as admin, members, and invitations in several states', () => {
    const { organizations, memberships, invitations } = seeded;
    assert.equal(organizations.length, 3);
    organizations.forEach((organization, i) => {
      assertOrganizationShape(organization);
      const members = memberships.filter((m) => m.organization_id === organization.id);
      assert.equal(members.length, 3 + i);
      assert.deepEqual(members.filter((m) => m.role === 'org:admin').map((m) => m.user_id), [organization.created_by]);
      const statuses = invitations.filter((inv) => inv.organization_id === organization.id).map((inv) => inv.status).sort();
      assert.ok(statuses.includes('pending') && (statuses.includes('revoked') || statuses.includes('expired')), statuses.join());
    });
    assert.equal(new Set(organizations.map((o) => o.slug)).size, 3);
  });

  it('are none without users to create them, and none when asked for none', () => {
    assert.deepEqual(seedOrganizations(users, 0), { organizations: [], memberships: [], invitations: [] });
    const lonely = seedOrganizations([], 1);
    assert.equal(lonely.organizations.length, 1);
    assert.deepEqual(lonely.memberships, []);
  });
});

describe('metadata merge', () => {
  it('merges nested objects key by key and keeps the keys it is not given', () => {
    assert.deepEqual(
      mergeMetadata({ plan: 'free', limits: { seats: 5, projects: 2 }, tags: ['a'] }, { limits: { seats: 10 }, region: 'eu' }),
      { plan: 'free', limits: { seats: 10, projects: 2 }, tags: ['a'], region: 'eu' },
    );
  });

  it('deletes a key set to null, at any depth', () => {
    assert.deepEqual(mergeMetadata({ a: 1, b: { c: 2, d: 3 } }, { a: null, b: { c: null } }), { b: { d: 3 } });
    assert.deepEqual(mergeMetadata({}, { gone: null, fresh: { inner: null, kept: 1 } }), { fresh: { kept: 1 } });
  });

  it('replaces arrays and scalars whole, and an object replaces a scalar', () => {
    assert.deepEqual(mergeMetadata({ list: [1, 2, 3], n: 1, s: 'x' }, { list: [4], n: { deep: true }, s: 2 }), { list: [4], n: { deep: true }, s: 2 });
  });

  it('leaves both of its inputs as they were', () => {
    const target = { a: { b: 1 } };
    const patch = { a: { c: [1] } };
    const merged = mergeMetadata(target, patch);
    merged.a.c.push(2);
    assert.deepEqual(target, { a: { b: 1 } });
    assert.deepEqual(patch, { a: { c: [1] } });
  });
});

/** Starts a fake of its own for each test, so that what one test changes no other sees. */
function freshFake() {
  const context = {};
  beforeEach(async () => {
    context.fake = await startFakeClerk({ keys: [KEY], userCount: 45, organizationCount: 3 });
  });
  afterEach(() => context.fake.close());
  const url = (path) => `${context.fake.url}${path}`;
  context.get = async (path, headers = GOOD_HEADERS) => answer(await fetch(url(path), { headers }));
  context.send = async (method, path, body, headers = {}) => answer(await fetch(url(path), {
    method,
    headers: { ...GOOD_HEADERS, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
  }));
  context.raw = (path, init = {}) => fetch(url(path), { headers: GOOD_HEADERS, ...init });
  context.record = async () => (await fetch(url('/__requests'))).json();
  context.state = async () => (await fetch(url('/__state'))).json();
  context.users = async () => (await fetch(url('/__users'))).json();
  context.hook = async (method, path, body) => answer(await fetch(url(path), {
    method, body: body === undefined ? undefined : JSON.stringify(body),
  }));
  return context;
}

async function answer(response) {
  const text = await response.text();
  let body = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body };
}

function assertClerkError(reply, status, code, paramName) {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  const [error] = reply.body.errors;
  assert.equal(error.code, code);
  assert.equal(typeof error.message, 'string');
  assert.equal(typeof error.long_message, 'string');
  if (paramName !== undefined) assert.equal(error.meta?.param_name, paramName);
  assert.match(reply.body.clerk_trace_id, /^[0-9a-f]{32}$/);
}

describe('fake Clerk organizations over HTTP', () => {
  const fake = freshFake();

  it('lists organizations newest first in {data, total_count}, with counts only when asked', async () => {
    const { organizations } = await fake.state();
    const plain = await fake.get('/v1/organizations');
    assert.equal(plain.status, 200);
    assert.deepEqual(Object.keys(plain.body).sort(), ['data', 'total_count']);
    assert.equal(plain.body.total_count, 3);
    assert.deepEqual(plain.body.data.map((o) => o.id), organizations.map((o) => o.id).reverse());
    plain.body.data.forEach(assertOrganizationShape);
    assert.ok(plain.body.data.every((o) => !('members_count' in o)));

    const counted = await fake.get('/v1/organizations?include_members_count=true&limit=1&offset=1');
    assert.equal(counted.body.total_count, 3);
    assert.deepEqual(counted.body.data.map((o) => [o.id, o.members_count, o.pending_invitations_count]), [[organizations[1].id, 4, 1]]);
  });

  it('searches by name, slug or exact ID, and orders by a signed field', async () => {
    const { organizations } = await fake.state();
    assert.deepEqual((await fake.get('/v1/organizations?query=GLOB')).body.data.map((o) => o.name), ['Globex']);
    assert.deepEqual((await fake.get('/v1/organizations?query=acme-corp')).body.data.map((o) => o.name), ['Acme Corporation']);
    assert.deepEqual((await fake.get(`/v1/organizations?query=${organizations[2].id}`)).body.data.map((o) => o.id), [organizations[2].id]);
    assert.deepEqual((await fake.get('/v1/organizations?order_by=%2Bname')).body.data.map((o) => o.name), ['Acme Corporation', 'Globex', 'Initech']);
    assert.deepEqual((await fake.get('/v1/organizations?order_by=name')).body.data.map((o) => o.name), ['Acme Corporation', 'Globex', 'Initech']);
    assert.deepEqual((await fake.get('/v1/organizations?order_by=-members_count')).body.data.map((o) => o.name), ['Initech', 'Globex', 'Acme Corporation']);
  });

  it('answers bad list parameters with 422 naming them', async () => {
    assertClerkError(await fake.get('/v1/organizations?include_members_count=yes'), 422, 'form_param_format_invalid', 'include_members_count');
    assertClerkError(await fake.get('/v1/organizations?order_by=-slug'), 422, 'form_param_value_invalid', 'order_by');
    assertClerkError(await fake.get('/v1/organizations?limit=501'), 422, 'form_param_value_invalid', 'limit');
  });

  it('gets one organization by ID or by slug, and 404s otherwise', async () => {
    const [first] = (await fake.state()).organizations;
    for (const key of [first.id, first.slug]) {
      const reply = await fake.get(`/v1/organizations/${key}?include_members_count=true`);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, first);
    }
    assertClerkError(await fake.get('/v1/organizations/org_2NoSuchOrganization0000000000'), 404, 'resource_not_found');
  });

  it('creates an organization from a name alone, deriving its slug, with no members', async () => {
    const reply = await fake.send('POST', '/v1/organizations', { name: 'Wayne Enterprises' });
    assert.equal(reply.status, 200);
    assertOrganizationShape(reply.body);
    assert.equal(reply.body.slug, 'wayne-enterprises');
    assert.deepEqual([reply.body.public_metadata, reply.body.private_metadata], [{}, {}]);
    const again = await fake.send('POST', '/v1/organizations', { name: 'Wayne  Enterprises!' });
    assert.equal(again.body.slug, 'wayne-enterprises-2');
    const members = await fake.get(`/v1/organizations/${reply.body.id}/memberships`);
    assert.deepEqual(members.body, { data: [], total_count: 0 });
    assert.deepEqual((await fake.record()).map((r) => r.violations), [[], [], []]);
  });

  it('creates an organization with every field, and makes created_by its admin', async () => {
    const [, creator] = await fake.users();
    const body = {
      name: 'Cyberdyne', slug: 'cyberdyne', created_by: creator.id, max_allowed_memberships: 25,
      public_metadata: { tier: 'gold', nested: { a: 1 } }, private_metadata: { crm_id: 7 },
    };
    const reply = await fake.send('POST', '/v1/organizations', body);
    assert.equal(reply.status, 200);
    assert.equal(reply.body.slug, 'cyberdyne');
    assert.equal(reply.body.created_by, creator.id);
    assert.equal(reply.body.max_allowed_memberships, 25);
    assert.deepEqual(reply.body.public_metadata, body.public_metadata);
    assert.deepEqual(reply.body.private_metadata, body.private_metadata);
    const members = await fake.get(`/v1/organizations/${reply.body.id}/memberships`);
    assert.equal(members.body.total_count, 1);
    assertMembershipShape(members.body.data[0]);
    assert.equal(members.body.data[0].public_user_data.user_id, creator.id);
    assert.equal(members.body.data[0].role, 'org:admin');
    const counted = await fake.get('/v1/organizations/cyberdyne?include_members_count=true');
    assert.equal(counted.body.members_count, 1);
  });

  it('refuses a taken or malformed slug and an unknown creator with 422 naming the field', async () => {
    const create = (body) => fake.send('POST', '/v1/organizations', body);
    assertClerkError(await create({ name: 'Again', slug: 'globex' }), 422, 'form_identifier_exists', 'slug');
    assertClerkError(await create({ name: 'Bad', slug: 'Bad_Slug' }), 422, 'form_param_format_invalid', 'slug');
    assertClerkError(await create({ name: 'Nobody', created_by: 'user_2NoSuchUser' }), 422, 'form_param_value_invalid', 'created_by');
    assertClerkError(await create({ name: 'Negative', max_allowed_memberships: -1 }), 422, 'form_param_value_invalid', 'max_allowed_memberships');
    assert.deepEqual((await fake.record()).flatMap((r) => r.violations), [], 'values a user chose are no violation');
  });

  it('refuses unknown, missing and wrongly typed body fields with 422s, and flags them', async () => {
    const reply = await fake.send('POST', '/v1/organizations', { name: 42, createdBy: 'user_x', public_metadata: 'x' });
    assert.equal(reply.status, 422);
    assert.deepEqual(
      reply.body.errors.map((e) => [e.code, e.meta.param_name]).sort(),
      [['form_param_format_invalid', 'name'], ['form_param_format_invalid', 'public_metadata'], ['form_param_unknown', 'createdBy']],
    );
    assertClerkError(await fake.send('POST', '/v1/organizations', { slug: 'no-name' }), 422, 'form_param_missing', 'name');
    const [typed, missing] = await fake.record();
    assert.equal(typed.violations.length, 3);
    assert.match(missing.violations.join(), /name must be included/);
  });

  it('deep-merges metadata patches, deleting keys set to null', async () => {
    const created = (await fake.send('POST', '/v1/organizations', {
      name: 'Merge Co', public_metadata: { plan: 'pro', limits: { seats: 5, projects: 3 } }, private_metadata: { keep: true },
    })).body;
    const first = await fake.send('PATCH', `/v1/organizations/${created.id}/metadata`, { public_metadata: { limits: { seats: 10 }, region: 'eu' } });
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.public_metadata, { plan: 'pro', limits: { seats: 10, projects: 3 }, region: 'eu' });
    assert.deepEqual(first.body.private_metadata, { keep: true });
    assert.ok(first.body.updated_at > created.updated_at);
    const second = await fake.send('PATCH', `/v1/organizations/${created.id}/metadata`, {
      public_metadata: { limits: { projects: null }, plan: null }, private_metadata: { added: [1, 2] },
    });
    assert.deepEqual(second.body.public_metadata, { limits: { seats: 10 }, region: 'eu' });
    assert.deepEqual(second.body.private_metadata, { keep: true, added: [1, 2] });
    assert.deepEqual((await fake.get(`/v1/organizations/${created.id}`)).body.public_metadata, second.body.public_metadata);
  });

  it('refuses a metadata patch with other fields, null objects or for an unknown organization', async () => {
    const [first] = (await fake.state()).organizations;
    const patch = (body) => fake.send('PATCH', `/v1/organizations/${first.id}/metadata`, body);
    assertClerkError(await patch({ publicMetadata: {} }), 422, 'form_param_unknown', 'publicMetadata');
    assertClerkError(await patch({ public_metadata: null }), 422, 'form_param_format_invalid', 'public_metadata');
    assertClerkError(await fake.send('PATCH', '/v1/organizations/org_2None/metadata', { public_metadata: {} }), 404, 'resource_not_found');
    assertClerkError(await fake.send('PATCH', `/v1/organizations/${first.slug}/metadata`, { public_metadata: {} }), 404, 'resource_not_found');
  });

  it('deletes an organization with its memberships and invitations, answering a DeletedObject', async () => {
    const [first] = (await fake.state()).organizations;
    const reply = await fake.send('DELETE', `/v1/organizations/${first.id}`);
    assert.equal(reply.status, 200);
    assertOnlyKeys(reply.body, DELETED_OBJECT_KEYS, 'deleted object');
    assert.deepEqual(reply.body, { object: 'organization', id: first.id, slug: first.slug, deleted: true });
    assertClerkError(await fake.get(`/v1/organizations/${first.id}`), 404, 'resource_not_found');
    assertClerkError(await fake.send('DELETE', `/v1/organizations/${first.id}`), 404, 'resource_not_found');
    const state = await fake.state();
    assert.ok(state.memberships.every((m) => m.organization.id !== first.id));
    assert.ok(state.invitations.every((i) => i.organization_id !== first.id));
    assert.equal((await fake.get('/v1/organizations')).body.total_count, 2);
  });
});

describe('fake Clerk memberships and invitations over HTTP', () => {
  const fake = freshFake();
  const organization = async (index = 2) => (await fake.state()).organizations[index];

  it('lists memberships in Clerk\'s shape, filtered by repeated role and query, paged', async () => {
    const org = await organization();
    const all = await fake.get(`/v1/organizations/${org.id}/memberships?limit=100`);
    assert.equal(all.body.total_count, 5);
    all.body.data.forEach(assertMembershipShape);
    const members = await fake.get(`/v1/organizations/${org.id}/memberships?role=org:member`);
    assert.equal(members.body.total_count, 4);
    const both = await fake.get(`/v1/organizations/${org.id}/memberships?role=org:member&role=org:admin&limit=2&offset=4`);
    assert.deepEqual([both.body.total_count, both.body.data.length], [5, 1]);
    const someone = all.body.data[2].public_user_data;
    const found = await fake.get(`/v1/organizations/${org.id}/memberships?query=${encodeURIComponent(someone.last_name)}`);
    assert.ok(found.body.data.some((m) => m.public_user_data.user_id === someone.user_id));
    const byName = await fake.get(`/v1/organizations/${org.id}/memberships?order_by=%2Bfirst_name&limit=100`);
    const names = byName.body.data.map((m) => m.public_user_data.first_name).filter(Boolean);
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, 'en')));
    assertClerkError(await fake.get('/v1/organizations/org_2None/memberships'), 404, 'resource_not_found');
    assert.deepEqual((await fake.record()).flatMap((r) => r.violations), []);
  });

  it('changes a member\'s role with its permissions, and refuses an unknown role or member', async () => {
    const org = await organization();
    const { data: [member] } = (await fake.get(`/v1/organizations/${org.id}/memberships?role=org:member&limit=1`)).body;
    const userId = member.public_user_data.user_id;
    const reply = await fake.send('PATCH', `/v1/organizations/${org.id}/memberships/${userId}`, { role: 'org:admin' });
    assert.equal(reply.status, 200);
    assertMembershipShape(reply.body);
    assert.deepEqual([reply.body.id, reply.body.role, reply.body.role_name], [member.id, 'org:admin', 'Admin']);
    const path = `/v1/organizations/${org.id}/memberships/${userId}`;
    assertClerkError(await fake.send('PATCH', path, { role: 'org:owner' }), 422, 'form_param_value_invalid', 'role');
    assertClerkError(await fake.send('PATCH', path, {}), 422, 'form_param_missing', 'role');
    assertClerkError(await fake.send('PATCH', `/v1/organizations/${org.id}/memberships/user_2NotAMember`, { role: 'org:admin' }), 404, 'resource_not_found');
  });

  it('deep-merges membership metadata and removes a member, answering the membership', async () => {
    const org = await organization(0);
    const { data } = (await fake.get(`/v1/organizations/${org.id}/memberships?limit=100`)).body;
    const member = data.find((m) => Object.keys(m.public_metadata).length > 0);
    const userId = member.public_user_data.user_id;
    const merged = await fake.send('PATCH', `/v1/organizations/${org.id}/memberships/${userId}/metadata`, {
      public_metadata: { department: null, team: { name: 'core' } }, private_metadata: { badge: 12 },
    });
    assert.equal(merged.status, 200);
    assert.deepEqual(merged.body.public_metadata, { team: { name: 'core' } });
    assert.deepEqual(merged.body.private_metadata, { ...member.private_metadata, badge: 12 });
    const metadataPath = `/v1/organizations/${org.id}/memberships/${userId}/metadata`;
    assertClerkError(await fake.send('PATCH', metadataPath, { unsafe_metadata: {} }), 422, 'form_param_unknown', 'unsafe_metadata');

    const removed = await fake.send('DELETE', `/v1/organizations/${org.id}/memberships/${userId}`);
    assert.equal(removed.status, 200);
    assertMembershipShape(removed.body);
    assert.equal(removed.body.id, member.id);
    assertClerkError(await fake.send('DELETE', `/v1/organizations/${org.id}/memberships/${userId}`), 404, 'resource_not_found');
    assert.equal((await fake.get(`/v1/organizations/${org.id}/memberships`)).body.total_count, data.length - 1);
  });

  it('lists invitations newest first, filtered by status', async () => {
    const org = await organization(0);
    const all = await fake.get(`/v1/organizations/${org.id}/invitations`);
    assert.equal(all.status, 200);
    assert.equal(all.body.total_count, 3);
    all.body.data.forEach(assertInvitationShape);
    const times = all.body.data.map((i) => i.created_at);
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    for (const status of ['pending', 'accepted', 'expired', 'revoked']) {
      const { body } = await fake.get(`/v1/organizations/${org.id}/invitations?status=${status}`);
      assert.deepEqual(body.data.map((i) => i.status), body.data.map(() => status));
      assert.equal(body.total_count, all.body.data.filter((i) => i.status === status).length);
    }
    assertClerkError(await fake.get(`/v1/organizations/${org.id}/invitations?status=open`), 422, 'form_param_value_invalid', 'status');
  });

  it('creates a pending invitation with every field, and refuses a duplicate or an unknown role', async () => {
    const org = await organization(1);
    const inviter = org.created_by;
    const body = {
      email_address: 'new.person@example.org', role: 'org:admin', inviter_user_id: inviter,
      redirect_url: 'https://app.example.com/welcome', public_metadata: { source: 'e2e' }, expires_in_days: 7,
    };
    const reply = await fake.send('POST', `/v1/organizations/${org.id}/invitations`, body);
    assert.equal(reply.status, 200);
    assertInvitationShape(reply.body);
    const invitation = reply.body;
    assert.deepEqual(
      [invitation.status, invitation.email_address, invitation.role, invitation.role_name, invitation.inviter_id, invitation.organization_id],
      ['pending', body.email_address, 'org:admin', 'Admin', inviter, org.id],
    );
    assert.equal(invitation.public_inviter_data.user_id, inviter);
    assert.equal(invitation.expires_at - invitation.created_at, 7 * 24 * 3_600_000);
    assert.match(invitation.url, /redirect_url=https%3A%2F%2Fapp\.example\.com%2Fwelcome/);
    assert.deepEqual(invitation.public_metadata, { source: 'e2e' });

    const minimal = await fake.send('POST', `/v1/organizations/${org.id}/invitations`, { email_address: 'other@example.org', role: 'org:member' });
    assert.equal(minimal.body.expires_at - minimal.body.created_at, 30 * 24 * 3_600_000);
    assert.equal(minimal.body.inviter_id, null);
    assert.equal(minimal.body.public_inviter_data, null);

    const invite = (fields) => fake.send('POST', `/v1/organizations/${org.id}/invitations`, fields);
    assertClerkError(await invite({ email_address: body.email_address, role: 'org:member' }), 400, 'duplicate_record');
    assertClerkError(await invite({ email_address: 'x@example.org', role: 'org:boss' }), 422, 'form_param_value_invalid', 'role');
    assertClerkError(await invite({ email_address: 'x@example.org', role: 'org:member', expires_in_days: 366 }), 422, 'form_param_value_invalid', 'expires_in_days');
    assertClerkError(await invite({ email_address: 'x@example.org' }), 422, 'form_param_missing', 'role');
  });

  it('turns an accepted invitation into a membership with its role and metadata', async () => {
    const org = await organization(1);
    const users = await fake.users();
    const invitee = users.find((u) => u.email_addresses.length > 0 && !(u.id === org.created_by));
    const email = invitee.email_addresses[0].email_address;
    const invitation = (await fake.send('POST', `/v1/organizations/${org.id}/invitations`, {
      email_address: email, role: 'org:member', public_metadata: { via: 'invite' },
    })).body;
    const accepted = await fake.hook('POST', `/__invitations/${invitation.id}/accept`);
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.invitation.status, 'accepted');
    assertMembershipShape(accepted.body.membership);
    assert.deepEqual(accepted.body.membership.public_metadata, { via: 'invite' });
    assert.equal(accepted.body.membership.public_user_data.user_id, invitee.id);
    assert.equal((await fake.hook('POST', `/__invitations/${invitation.id}/accept`)).status, 409);
    const { body } = await fake.get(`/v1/organizations/${org.id}/invitations?status=accepted`);
    assert.deepEqual(body.data.map((i) => i.id), [invitation.id]);
  });
});

describe('fake Clerk user metadata over HTTP', () => {
  const fake = freshFake();

  it('deep-merges the three metadata objects and answers the whole user', async () => {
    const [rich] = await fake.users();
    const reply = await fake.send('PATCH', `/v1/users/${rich.id}/metadata`, {
      public_metadata: { plan: null, seats: 2, extra: { on: true } }, unsafe_metadata: { onboarding: { step: 3 } },
    });
    assert.equal(reply.status, 200);
    assertHasKeys(reply.body, USER_REQUIRED, rich.id);
    assert.deepEqual(reply.body.public_metadata, { seats: 2, feature_flags: ['beta'], extra: { on: true } });
    assert.deepEqual(reply.body.private_metadata, rich.private_metadata);
    assert.deepEqual(reply.body.unsafe_metadata, { theme: 'dark', onboarding: { done: true, step: 3 } });
    assert.ok(reply.body.updated_at > rich.updated_at);
    assert.deepEqual((await fake.users())[0], reply.body, '/__users shows the change');
    assertClerkError(await fake.send('PATCH', `/v1/users/${rich.id}/metadata`, { metadata: {} }), 422, 'form_param_unknown', 'metadata');
    assertClerkError(await fake.send('PATCH', '/v1/users/user_2None/metadata', { public_metadata: {} }), 404, 'resource_not_found');
  });

  it('flags a write without Content-Type: application/json or with a body that is not JSON', async () => {
    const [rich] = await fake.users();
    await fake.send('PATCH', `/v1/users/${rich.id}/metadata`, '{"public_metadata":{}}', { 'content-type': 'text/plain' });
    const broken = await fake.send('PATCH', `/v1/users/${rich.id}/metadata`, '{"public_metadata":');
    assertClerkError(broken, 400, 'malformed_request');
    await fake.send('PATCH', `/v1/users/${rich.id}/metadata`);
    const [plain, notJson, empty] = await fake.record();
    assert.match(plain.violations.join(), /Content-Type: application\/json/);
    assert.match(notJson.violations.join(), /not JSON/);
    assert.match(empty.violations.join(), /must carry a JSON body/);
  });
});

describe('fake Clerk users\' lives, roles and sessions', () => {
  const fake = freshFake();

  it('creates, updates, bans, unbans, locks, unlocks and deletes a user', async () => {
    const created = await fake.send('POST', '/v1/users', {
      email_address: ['new.user@example.org'], first_name: 'New', username: 'new_user', password: 'long enough', public_metadata: { a: 1 },
    });
    assert.equal(created.status, 200);
    const user = created.body;
    assert.match(user.id, /^user_/);
    assert.equal(user.email_addresses[0].email_address, 'new.user@example.org');
    assert.equal(user.primary_email_address_id, user.email_addresses[0].id);
    assert.equal(user.password_enabled, true);
    assert.equal((await fake.get('/v1/users/count')).body.total_count, 46);
    assertClerkError(await fake.send('POST', '/v1/users', { email_address: ['NEW.user@example.org'] }), 422, 'form_identifier_exists', 'email_address');
    assertClerkError(await fake.send('POST', '/v1/users', { first_name: 'Nobody' }), 422, 'form_data_missing');
    assertClerkError(await fake.send('POST', '/v1/users', { email_address: ['short@example.org'], password: 'short' }), 422,
      'form_password_length_too_short', 'password');
    assertClerkError(await fake.send('POST', '/v1/users', { emailAddress: ['x@example.org'] }), 422, 'form_param_unknown', 'emailAddress');

    const updated = await fake.send('PATCH', `/v1/users/${user.id}`, { last_name: 'Person', external_id: 'ext-new' });
    assert.equal(updated.body.first_name, 'New');
    assert.equal(updated.body.last_name, 'Person');
    assertClerkError(await fake.send('PATCH', `/v1/users/${user.id}`, { public_metadata: {} }), 422, 'form_param_unknown', 'public_metadata');
    const [seeded] = await fake.users();
    assertClerkError(await fake.send('PATCH', `/v1/users/${seeded.id}`, { username: 'new_user' }), 422, 'form_identifier_exists', 'username');

    for (const [action, field, value] of [['ban', 'banned', true], ['unban', 'banned', false], ['lock', 'locked', true], ['unlock', 'locked', false]]) {
      const acted = await fake.send('POST', `/v1/users/${user.id}/${action}`);
      assert.equal(acted.status, 200, action);
      assert.equal(acted.body[field], value, action);
    }
    const deleted = await fake.send('DELETE', `/v1/users/${user.id}`);
    assert.deepEqual(deleted.body, { object: 'user', id: user.id, deleted: true });
    assertClerkError(await fake.get(`/v1/users/${user.id}`), 404, 'resource_not_found');
    assert.equal((await fake.get('/v1/users/count')).body.total_count, 45);
    assertClerkError(await fake.send('POST', `/v1/users/${user.id}/ban`), 404, 'resource_not_found');

    const records = await fake.record();
    assert.deepEqual(records.filter((r) => r.response.status === 200).flatMap((r) => r.violations), []);
  });

  it('flags a body or Content-Type on an action that takes none', async () => {
    const [user] = await fake.users();
    await fake.send('POST', `/v1/users/${user.id}/lock`, {});
    const [withBody] = await fake.record();
    assert.deepEqual(withBody.violations, [`POST /v1/users/${user.id}/lock must not carry Content-Type`, `POST /v1/users/${user.id}/lock must not carry a body`]);
  });

  it('adds a member, lists a user\'s memberships, updates an organization and revokes an invitation', async () => {
    const { organizations, invitations } = await fake.state();
    const [organization] = organizations;
    const users = await fake.users();
    const outsider = users[40];
    const added = await fake.send('POST', `/v1/organizations/${organization.id}/memberships`, { user_id: outsider.id, role: 'org:billing_manager' });
    assert.equal(added.status, 200);
    assert.equal(added.body.role_name, 'Billing manager');
    assert.equal(added.body.public_user_data.user_id, outsider.id);
    assertClerkError(await fake.send('POST', `/v1/organizations/${organization.id}/memberships`, { user_id: outsider.id, role: 'org:member' }),
      400, 'already_a_member_in_organization');
    assertClerkError(await fake.send('POST', `/v1/organizations/${organization.id}/memberships`, { user_id: users[41].id, role: 'org:boss' }),
      422, 'form_param_value_invalid', 'role');
    assertClerkError(await fake.send('POST', `/v1/organizations/${organization.id}/memberships`, { user_id: users[41].id }),
      422, 'form_param_missing', 'role');

    const mine = await fake.get(`/v1/users/${outsider.id}/organization_memberships?limit=1`);
    assert.equal(mine.body.total_count, 1);
    assert.equal(mine.body.data[0].organization.id, organization.id);
    assertClerkError(await fake.get('/v1/users/user_2None/organization_memberships'), 404, 'resource_not_found');

    const renamed = await fake.send('PATCH', `/v1/organizations/${organization.id}`, { name: 'Renamed', admin_delete_enabled: false });
    assert.equal(renamed.body.name, 'Renamed');
    assert.equal(renamed.body.slug, organization.slug);
    assert.equal(renamed.body.admin_delete_enabled, false);
    assertClerkError(await fake.send('PATCH', `/v1/organizations/${organization.id}`, { slug: organizations[1].slug }), 422, 'form_identifier_exists', 'slug');
    assertClerkError(await fake.send('PATCH', `/v1/organizations/${organization.id}`, { public_metadata: {} }), 422, 'form_param_unknown');

    const pending = invitations.find((i) => i.organization_id === organization.id && i.status === 'pending');
    const revokePath = `/v1/organizations/${organization.id}/invitations/${pending.id}/revoke`;
    const revoked = await fake.send('POST', revokePath);
    assert.equal(revoked.body.status, 'revoked');
    assert.equal(revoked.body.url, null);
    assertClerkError(await fake.send('POST', revokePath, { requesting_user_id: users[0].id }), 400, 'organization_invitation_not_pending');
    assertClerkError(await fake.send('POST', `/v1/organizations/${organization.id}/invitations/orginv_2None/revoke`), 404, 'resource_not_found');
    const [bodyless, named] = (await fake.record()).filter((r) => r.path === revokePath);
    assert.deepEqual(bodyless.violations, [], 'the revoke body is optional');
    assert.deepEqual(named.violations, []);
  });

  it('lists the roles, newest first, by query and page', async () => {
    const all = await fake.get('/v1/organization_roles');
    assert.equal(all.body.total_count, Object.keys(ROLES).length);
    assert.deepEqual(all.body.data.map((r) => r.key), ['org:billing_manager', 'org:member', 'org:admin']);
    for (const role of all.body.data) {
      assert.equal(role.object, 'role');
      assert.deepEqual(role.permissions.map((p) => p.key), ROLES[role.key].permissions);
    }
    assert.deepEqual((await fake.get('/v1/organization_roles?query=BILL')).body.data.map((r) => r.key), ['org:billing_manager']);
    const page = await fake.get('/v1/organization_roles?limit=1&offset=1&order_by=name');
    assert.deepEqual(page.body.data.map((r) => r.key), ['org:billing_manager']);
    assertClerkError(await fake.get('/v1/organization_roles?order_by=permissions'), 422, 'form_param_value_invalid', 'order_by');
  });

  it('lists a user\'s sessions as an array or, with paginated=true, as {data, total_count}, and revokes one', async () => {
    const users = await fake.users();
    const user = users[18];
    const bare = await fake.get(`/v1/sessions?user_id=${user.id}`);
    assert.ok(Array.isArray(bare.body));
    assert.deepEqual(bare.body.map((s) => s.status).sort(), ['active', 'active', 'ended']);
    const page = await fake.get(`/v1/sessions?user_id=${user.id}&paginated=true&status=active&limit=1`);
    assert.equal(page.body.total_count, 2);
    assert.equal(page.body.data.length, 1);
    assert.equal((await fake.get(`/v1/sessions?user_id=${users[1].id}&paginated=true`)).body.total_count, 0);
    assertClerkError(await fake.get('/v1/sessions?paginated=true'), 400, 'missing_query_parameter');
    assertClerkError(await fake.get(`/v1/sessions?user_id=${user.id}&status=gone`), 422, 'form_param_value_invalid', 'status');

    const [session] = page.body.data;
    const revoked = await fake.send('POST', `/v1/sessions/${session.id}/revoke`);
    assert.equal(revoked.body.status, 'revoked');
    assert.equal((await fake.get(`/v1/sessions?user_id=${user.id}&paginated=true&status=active`)).body.total_count, 1);
    assertClerkError(await fake.send('POST', '/v1/sessions/sess_2None/revoke'), 404, 'resource_not_found');

    // A ban ends the user's active sessions, as Clerk's does.
    await fake.send('POST', `/v1/users/${user.id}/ban`);
    assert.equal((await fake.get(`/v1/sessions?user_id=${user.id}&paginated=true&status=active`)).body.total_count, 0);
  });
});

describe('fake Clerk scripted faults', () => {
  const fake = freshFake();
  const script = (fault) => fake.hook('POST', '/__faults', fault);

  it('answers the next matching request with the scripted status, body and headers, then resumes', async () => {
    const body = { errors: [{ message: 'slow down', long_message: 'Too many requests, retry later', code: 'too_many_requests' }] };
    const scripted = await script({ path: '/v1/organizations', method: 'get', status: 429, body, headers: { 'Retry-After': '17' } });
    assert.equal(scripted.status, 201);
    const limited = await fake.get('/v1/organizations');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '17');
    assert.deepEqual(limited.body, body);
    assert.equal((await fake.get('/v1/organizations')).status, 200);
    const [first, second] = await fake.record();
    assert.equal(first.fault, true);
    assert.deepEqual(first.response, { status: 429, body });
    assert.equal(second.fault, undefined);
  });

  it('gives Clerk\'s usual error body for a status without a body, `times` times, for that method only', async () => {
    await script({ path: '/v1/users/count', method: 'GET', status: 500, times: 2 });
    await script({ path: '/v1/users/count', method: 'POST', status: 418 });
    for (let i = 0; i < 2; i++) assertClerkError(await fake.get('/v1/users/count'), 500, 'internal_clerk_error');
    assert.equal((await fake.get('/v1/users/count')).status, 200);
    assert.equal((await fake.hook('GET', '/__faults')).body.length, 1, 'the POST fault is still waiting');
    for (const [status, code] of [[401, 'authentication_invalid'], [403, 'authorization_invalid'], [404, 'resource_not_found']]) {
      await script({ path: '/v1/users', status });
      assertClerkError(await fake.get('/v1/users'), status, code);
    }
  });

  it('sends a raw body as it is, as text/html unless told otherwise', async () => {
    await script({ path: '/v1/organizations', status: 502, rawBody: '<html>Bad gateway</html>' });
    const reply = await fake.get('/v1/organizations');
    assert.equal(reply.status, 502);
    assert.match(reply.headers.get('content-type'), /^text\/html/);
    assert.equal(reply.body, '<html>Bad gateway</html>');
  });

  it('still checks a faulted request, and a fault answers even a rejected key', async () => {
    await script({ path: '/v1/organizations', status: 503 });
    const reply = await fake.send('POST', '/v1/organizations', { bogus: true }, { authorization: 'Bearer sk_test_other' });
    assert.equal(reply.status, 503);
    const [request] = await fake.record();
    assert.match(request.violations.join(), /bogus is not a valid parameter/);
  });

  it('holds the real answer for delayMs, and records a client that gave up first', async () => {
    await script({ path: '/v1/users/count', delayMs: 300, times: 2 });
    const begin = Date.now();
    const held = await fake.get('/v1/users/count');
    assert.ok(Date.now() - begin >= 290, `answered after ${Date.now() - begin} ms`);
    assert.deepEqual(held.body, { object: 'total_count', total_count: 45 });
    await assert.rejects(fake.raw('/v1/users/count', { signal: AbortSignal.timeout(100) }));
    await new Promise((resolve) => { setTimeout(resolve, 300); });
    const [answered, abandoned] = await fake.record();
    assert.deepEqual([answered.fault, answered.abandoned], [true, undefined]);
    assert.deepEqual([abandoned.fault, abandoned.abandoned], [true, true]);
  });

  it('pads the real answer with spaces to padTo bytes, so it is still JSON', async () => {
    await script({ path: '/v1/users', padTo: 100_000 });
    const response = await fake.raw('/v1/users?limit=2');
    assert.equal(response.headers.get('content-length'), '100000');
    const text = await response.text();
    assert.equal(Buffer.byteLength(text), 100_000);
    assert.equal(JSON.parse(text).length, 2);
  });

  it('sends a chunked body without a Content-Length for chunked: true', async () => {
    await script({ path: '/v1/users', padTo: 300_000, chunked: true });
    const response = await fake.raw('/v1/users?limit=1');
    assert.equal(response.headers.get('content-length'), null);
    assert.equal(response.headers.get('transfer-encoding'), 'chunked');
    const text = await response.text();
    assert.equal(Buffer.byteLength(text), 300_000);
    assert.equal(JSON.parse(text).length, 1);
  });

  it('closes the connection without an answer for cut: no-answer, then answers the next request', async () => {
    await script({ path: '/v1/users/count', method: 'GET', cut: 'no-answer' });
    await assert.rejects(fake.raw('/v1/users/count'), /fetch failed/);
    assert.equal((await fake.get('/v1/users/count')).status, 200);
    const [cut] = await fake.record();
    assert.deepEqual([cut.fault, cut.abandoned], [true, undefined], 'the fake closed it, not the client');
  });

  it('sends half of a body whose whole length it declared for cut: mid-body', async () => {
    await script({ path: '/v1/organizations', status: 200, body: { data: [], total_count: 0, padding: 'x'.repeat(1000) }, cut: 'mid-body' });
    const response = await fake.raw('/v1/organizations');
    assert.equal(response.status, 200);
    assert.ok(Number(response.headers.get('content-length')) > 1000);
    await assert.rejects(response.text());
  });

  it('forgets every fault on DELETE /__faults and refuses a malformed one', async () => {
    await script({ path: '/v1/users', status: 500, times: 5 });
    assert.equal((await fake.hook('DELETE', '/__faults')).status, 204);
    assert.equal((await fake.get('/v1/users')).status, 200);
    for (const bad of [{ status: 500 }, { path: 'v1/users', status: 500 }, { path: '/v1/users', status: 99 }, { path: '/v1/users', status: 500, times: 0 },
      { path: '/v1/users', status: 500, body: {}, rawBody: '' }, { path: '/v1/users', status: 500, extra: 1 },
      { path: '/v1/users' }, { path: '/v1/users', body: {} }, { path: '/v1/users', delayMs: -1 }, { path: '/v1/users', padTo: 1.5 },
      { path: '/v1/users', cut: 'sideways' }, { path: '/v1/users', chunked: 'yes' }, { path: '/v1/users', chunked: true, cut: 'mid-body' }]) {
      assert.equal((await script(bad)).status, 400, JSON.stringify(bad));
    }
  });
});

describe('fake Clerk command line', () => {
  it('prints "listening <port>" and serves the keys, user count and organization count it was given', async () => {
    const script = fileURLToPath(new URL('./fake-clerk.mjs', import.meta.url));
    const child = spawn(process.execPath, [script, '--port', '0', '--key', 'sk_test_cli', '--users', '3', '--organizations', '2'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      let output = '';
      child.stdout.setEncoding('utf8');
      for await (const chunk of child.stdout) {
        output += chunk;
        if (output.includes('\n')) break;
      }
      const match = /^listening (\d+)\n$/.exec(output);
      assert.ok(match, `unexpected first line: ${JSON.stringify(output)}`);
      const url = `http://127.0.0.1:${match[1]}`;
      const users = await (await fetch(`${url}/__users`)).json();
      assert.equal(users.length, 3);
      const count = await fetch(`${url}/v1/users/count`, { headers: { ...GOOD_HEADERS, authorization: 'Bearer sk_test_cli' } });
      assert.deepEqual(await count.json(), { object: 'total_count', total_count: 3 });
      const { organizations } = await (await fetch(`${url}/__state`)).json();
      assert.equal(organizations.length, 2);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
  it('keeps no request record when told not to (record: false, --record false), and still answers', async () => {
    const fake = await startFakeClerk({ keys: [KEY], userCount: 3, record: false });
    try {
      const response = await fetch(`${fake.url}/v1/users?limit=20`, { headers: GOOD_HEADERS });
      assert.equal(response.status, 200);
      assert.equal((await response.json()).length, 3);
      assert.deepEqual(await (await fetch(`${fake.url}/__requests`)).json(), []);
    } finally {
      await fake.close();
    }
  });
});
