// Tests of the fake Clerk itself: that it speaks Clerk's wire format and catches the request
// mistakes the end-to-end tests rely on it to catch. Needs no worker:
//   node --test tests/e2e/fake-clerk.test.mjs

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, beforeEach, describe, it } from 'node:test';

import { CLERK_API_VERSION, seedUsers, startFakeClerk } from './fake-clerk.mjs';

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
    await call('/v1/users/user_a/organization_memberships');
    const [count, plus, other] = await record();
    assert.deepEqual(count.violations, [
      'unexpected query parameter limit', 'unexpected query parameter offset', 'unexpected query parameter order_by',
    ]);
    assert.deepEqual(plus.violations, ['a leading + in order_by must be sent as %2B']);
    assert.equal(other.response.status, 404);
    assert.match(other.violations.join('\n'), /unexpected endpoint GET \/v1\/users\/user_a\/organization_memberships/);
  });

  it('forgets the record on DELETE /__requests', async () => {
    await call('/v1/users');
    assert.equal((await record()).length, 1);
    await fetch(`${fake.url}/__requests`, { method: 'DELETE' });
    assert.deepEqual(await record(), []);
  });
});

describe('fake Clerk command line', () => {
  it('prints "listening <port>" and serves the keys and user count it was given', async () => {
    const script = fileURLToPath(new URL('./fake-clerk.mjs', import.meta.url));
    const child = spawn(process.execPath, [script, '--port', '0', '--key', 'sk_test_cli', '--users', '3'], {
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
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
