// The fake Clerk's answers against Clerk's own Backend API spec: every endpoint the fake serves
// (the session, allow-list and application invitation lists with `paginated=true` only for their
// request, the spec knowing only their array),
// success and failure, goes through `prism proxy`, which forwards to a fresh fake Clerk and
// reports in `sl-violations` each way the request or the answer breaks the spec. An answer
// that breaks it means the end-to-end tests would be testing the worker against a Clerk that
// does not exist.
//
// run.mjs starts the fake and Prism, and sets PRISM_PROXY_URL, FAKE_CLERK_URL (the fake itself,
// for its test-only endpoints) and FAKE_CLERK_KEY.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { CLERK_API_VERSION } from '../e2e/fake-clerk.mjs';
import { setting } from '../e2e/support.mjs';

const prism = setting('PRISM_PROXY_URL');
const fake = setting('FAKE_CLERK_URL');
const key = setting('FAKE_CLERK_KEY');
const HEADERS = { authorization: `Bearer ${key}`, 'clerk-api-version': CLERK_API_VERSION, 'user-agent': 'clerk-mcp-worker/0.0.0 (spec check)' };

/** Sends a request through Prism; resolves to { status, body, violations }. */
async function viaPrism(method, path, body, headers = {}) {
  const response = await fetch(`${prism}${path}`, {
    method,
    headers: { ...HEADERS, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const violations = JSON.parse(response.headers.get('sl-violations') ?? '[]')
    .map((v) => `${v.location.join('.')}: ${v.message}`);
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text, which the status check will show
  }
  return { status: response.status, body: parsed, violations };
}

/** Asserts the fake answered `status` and that neither the request nor the answer breaks the spec. */
async function conforms(method, path, status, body) {
  const answer = await viaPrism(method, path, body);
  assert.equal(answer.status, status, `${method} ${path}: ${JSON.stringify(answer.body).slice(0, 500)}`);
  assert.deepEqual(answer.violations, [], `${method} ${path}`);
  return answer.body;
}

/** For a request that is wrong on purpose: only the answer must follow the spec. */
async function answerConforms(method, path, status, body, headers) {
  const answer = await viaPrism(method, path, body, headers);
  assert.equal(answer.status, status, `${method} ${path}: ${JSON.stringify(answer.body).slice(0, 500)}`);
  assert.deepEqual(answer.violations.filter((v) => v.startsWith('response')), [], `${method} ${path}`);
  return answer.body;
}

const hook = async (method, path) => (await fetch(`${fake}${path}`, { method })).json();

describe('the fake Clerk\'s answers follow Clerk\'s Backend API spec (Prism proxy)', () => {
  let users;
  let seeded;

  before(async () => {
    users = await hook('GET', '/__users');
    seeded = await hook('GET', '/__state');
  });

  it('user lists, counts and every seeded user', async () => {
    const [rich, , , , , other] = users;
    for (const query of [
      '', '?limit=100', '?limit=5&offset=40&order_by=%2Blast_name', '?order_by=-last_sign_in_at&query=lovelace',
      `?email_address=${encodeURIComponent(rich.email_addresses[0].email_address)}&user_id=${other.id}`,
    ]) {
      await conforms('GET', `/v1/users${query}`, 200);
    }
    await conforms('GET', '/v1/users/count', 200);
    await conforms('GET', `/v1/users/count?query=a&user_id=${rich.id}`, 200);
    for (const user of users) await conforms('GET', `/v1/users/${user.id}`, 200);
    await conforms('GET', '/v1/users/user_2NoSuchUserInThisInstance00', 404);
  });

  it('user metadata merges', async () => {
    const user = users[9];
    await conforms('PATCH', `/v1/users/${user.id}/metadata`, 200, {
      public_metadata: { plan: null, nested: { a: [1, 2] } }, private_metadata: {}, unsafe_metadata: { theme: 'dark' },
    });
    await answerConforms('PATCH', `/v1/users/${user.id}/metadata`, 422, { publicMetadata: {} });
  });

  it('organization lists, lookups and failures', async () => {
    const [first] = seeded.organizations;
    for (const query of ['', '?include_members_count=true', '?limit=1&offset=1&order_by=%2Bname', '?query=glob&order_by=-members_count']) {
      await conforms('GET', `/v1/organizations${query}`, 200);
    }
    await conforms('GET', `/v1/organizations/${first.id}?include_members_count=true`, 200);
    await conforms('GET', `/v1/organizations/${first.slug}`, 200);
    await conforms('GET', '/v1/organizations/org_2NoSuchOrganization0000000000', 404);
  });

  it('an organization\'s whole life', async () => {
    const creator = users[12];
    const invitee = users[13];
    const organization = await conforms('POST', '/v1/organizations', 200, {
      name: 'Spec Check Inc', slug: 'spec-check', created_by: creator.id, max_allowed_memberships: 12,
      public_metadata: { tier: 'gold', nested: { a: 1 } }, private_metadata: { crm: 'x' },
    });
    await conforms('POST', '/v1/organizations', 200, { name: 'Spec Check Minimal' });
    await answerConforms('POST', '/v1/organizations', 422, { name: 'Taken', slug: 'spec-check' });
    await answerConforms('POST', '/v1/organizations', 422, { name: 'Unknown field', createdBy: creator.id });
    await conforms('PATCH', `/v1/organizations/${organization.id}/metadata`, 200, { public_metadata: { nested: { a: null, b: 2 } } });

    const base = `/v1/organizations/${organization.id}`;
    await conforms('GET', `${base}/memberships`, 200);
    await conforms('GET', `${base}/memberships?role=org:admin&role=org:member&order_by=%2Bfirst_name&limit=1`, 200);
    const invitation = await conforms('POST', `${base}/invitations`, 200, {
      email_address: invitee.email_addresses[0].email_address, role: 'org:member', inviter_user_id: creator.id,
      redirect_url: 'https://app.example.com/welcome', public_metadata: { via: 'spec' }, expires_in_days: 3,
    });
    await conforms('POST', `${base}/invitations`, 200, { email_address: 'nobody@example.org', role: 'org:admin' });
    await answerConforms('POST', `${base}/invitations`, 422, { email_address: 'x@example.org', role: 'org:boss' });
    await conforms('POST', `${base}/invitations/bulk`, 200, [
      { email_address: 'bulk.one@example.org', role: 'org:member', inviter_user_id: creator.id, expires_in_days: 7 },
      { email_address: 'bulk.two@example.org', role: 'org:admin', redirect_url: 'https://app.example.com/join', public_metadata: { via: 'bulk' } },
    ]);
    // All or nothing: a repeated address refuses the batch, an unknown role too.
    await answerConforms('POST', `${base}/invitations/bulk`, 400, [
      { email_address: 'bulk.three@example.org', role: 'org:member' }, { email_address: 'bulk.one@example.org', role: 'org:member' },
    ]);
    await answerConforms('POST', `${base}/invitations/bulk`, 422, [{ email_address: 'bulk.four@example.org', role: 'org:boss' }]);
    await answerConforms('POST', '/v1/organizations/org_2NoSuchOrganization0000000/invitations/bulk', 404, [
      { email_address: 'bulk.five@example.org', role: 'org:member' },
    ]);
    await hook('POST', `/__invitations/${invitation.id}/accept`);
    for (const status of ['', '?status=pending', '?status=accepted', '?status=revoked', '?status=expired', '?limit=1&offset=1']) {
      await conforms('GET', `${base}/invitations${status}`, 200);
    }

    await conforms('PATCH', `${base}/memberships/${invitee.id}`, 200, { role: 'org:admin' });
    await answerConforms('PATCH', `${base}/memberships/${invitee.id}`, 422, { role: 'org:boss' });
    await conforms('PATCH', `${base}/memberships/${invitee.id}/metadata`, 200, {
      public_metadata: { via: null, team: 'core' }, private_metadata: { badge: 1 },
    });
    await conforms('DELETE', `${base}/memberships/${invitee.id}`, 200);
    await conforms('DELETE', `${base}/memberships/${invitee.id}`, 404);
    await conforms('DELETE', base, 200);
    await conforms('GET', base, 404);
  });

  it('a seeded organization\'s members and invitations', async () => {
    for (const organization of seeded.organizations) {
      await conforms('GET', `/v1/organizations/${organization.id}/memberships?limit=100`, 200);
      await conforms('GET', `/v1/organizations/${organization.id}/invitations?limit=100`, 200);
    }
  });

  it('the instance', async () => {
    const instance = await conforms('GET', '/v1/instance', 200);
    assert.equal(instance.environment_type, key.startsWith('sk_live_') ? 'production' : 'development');
  });

  it('the instance\'s Protect and organization settings, and its restrictions', async () => {
    const protect = await conforms('GET', '/v1/instance/protect', 200);
    assert.equal(protect.object, 'instance_protect');
    await conforms('GET', '/v1/instance/organization_settings', 200);
    const settings = await conforms('PATCH', '/v1/instance/organization_settings', 200,
      { max_allowed_memberships: 7, domains_enrollment_modes: ['automatic_suggestion'] });
    assert.equal(settings.max_allowed_memberships, 7);
    await answerConforms('PATCH', '/v1/instance/organization_settings', 422, { domains_enrollment_modes: ['sometimes'] });
    const restrictions = await conforms('PATCH', '/v1/instance/restrictions', 200, { block_email_subaddresses: true });
    assert.equal(restrictions.block_email_subaddresses, true);
    await conforms('PATCH', '/v1/instance/restrictions', 200, { block_email_subaddresses: false });
  });

  it('billing plans, subscription items and subscriptions, with a payer that has none', async () => {
    for (const query of ['', '?paginated=true&limit=1&offset=1', '?paginated=true&payer_type=org']) {
      await conforms('GET', `/v1/billing/plans${query}`, 200);
    }
    for (const query of ['', '?paginated=true&include_free=true', '?paginated=true&status=active&payer_type=user&query=a']) {
      await conforms('GET', `/v1/billing/subscription_items${query}`, 200);
    }
    const subscription = await conforms('GET', `/v1/users/${users[0].id}/billing/subscription`, 200);
    assert.equal(subscription.subscription_items[0].payer.user_id, users[0].id);
    await conforms('GET', `/v1/organizations/${seeded.organizations[0].id}/billing/subscription`, 200);
    await answerConforms('GET', `/v1/users/${users[1].id}/billing/subscription`, 404);
  });

  it('roles, sessions, a user\'s whole life and the organization actions', async () => {
    for (const query of ['', '?limit=1&offset=1', '?query=billing&order_by=-name']) await conforms('GET', `/v1/organization_roles${query}`, 200);
    const target = users[27];
    await conforms('GET', `/v1/sessions?user_id=${target.id}`, 200);
    await conforms('GET', `/v1/sessions?user_id=${target.id}&status=active&limit=5`, 200);
    // The spec describes only the bare array; `paginated=true` answers {data, total_count},
    // as Clerk does, so only the request is checked here.
    const page = await viaPrism('GET', `/v1/sessions?user_id=${target.id}&paginated=true&limit=10&offset=0`);
    assert.equal(page.status, 200);
    assert.deepEqual(page.violations.filter((v) => v.startsWith('request')), []);
    const [session] = page.body.data;
    await conforms('POST', `/v1/sessions/${session.id}/revoke`, 200);
    await answerConforms('POST', '/v1/sessions/sess_2NoSuchSession000000000000/revoke', 404);

    const user = await conforms('POST', '/v1/users', 200, {
      email_address: ['spec.user@example.org'], phone_number: ['+15550109999'], username: 'spec_user', first_name: 'Spec', last_name: 'User',
      external_id: 'ext-spec', password: 'long enough password', public_metadata: { a: 1 }, private_metadata: {}, unsafe_metadata: { b: null },
    });
    await conforms('POST', '/v1/users', 200, { email_address: ['spec.minimal@example.org'] });
    await answerConforms('POST', '/v1/users', 422, { email_address: ['spec.user@example.org'] });
    await conforms('PATCH', `/v1/users/${user.id}`, 200, { first_name: 'Spectre', external_id: 'ext-spec-2' });
    await answerConforms('PATCH', `/v1/users/${user.id}`, 422, { public_metadata: {} });
    for (const action of ['ban', 'unban', 'lock', 'unlock']) await conforms('POST', `/v1/users/${user.id}/${action}`, 200);
    await conforms('POST', '/v1/users/ban', 200, { user_ids: [user.id, users[20].id] });
    await answerConforms('POST', '/v1/users/ban', 400, { user_ids: [user.id, 'user_2NoSuchUserInThisInstance00'] });
    await conforms('POST', `/v1/users/${users[20].id}/unban`, 200);
    const organization = seeded.organizations[2];
    await conforms('POST', `/v1/organizations/${organization.id}/memberships`, 200, { user_id: user.id, role: 'org:billing_manager' });
    await answerConforms('POST', `/v1/organizations/${organization.id}/memberships`, 400, { user_id: user.id, role: 'org:member' });
    await conforms('GET', `/v1/users/${user.id}/organization_memberships?limit=5&offset=0`, 200);
    for (const member of users.slice(0, 6)) await conforms('GET', `/v1/users/${member.id}/organization_memberships`, 200);
    await conforms('DELETE', `/v1/users/${user.id}`, 200);
    await answerConforms('DELETE', `/v1/users/${user.id}`, 404);

    await conforms('PATCH', `/v1/organizations/${organization.id}`, 200, { name: 'Spec Renamed', max_allowed_memberships: 0, admin_delete_enabled: false });
    await answerConforms('PATCH', `/v1/organizations/${organization.id}`, 422, { slug: 'Not A Slug' });
    const pending = seeded.invitations.find((i) => i.organization_id === organization.id && i.status === 'pending');
    await conforms('POST', `/v1/organizations/${organization.id}/invitations/${pending.id}/revoke`, 200);
    await answerConforms('POST', `/v1/organizations/${organization.id}/invitations/${pending.id}/revoke`, 400, { requesting_user_id: users[0].id });
  });

  it('the allow-list, block-list, waitlist and application invitations', async () => {
    /** A list asked for with `paginated=true`: the spec knows only its array, so only the request is checked. */
    const paginatedPage = async (path) => {
      const page = await viaPrism('GET', path);
      assert.equal(page.status, 200, path);
      assert.deepEqual(page.violations.filter((v) => v.startsWith('request')), [], path);
      assert.ok(Array.isArray(page.body.data), path);
      return page.body;
    };
    for (const query of ['', '?limit=1&offset=1']) await conforms('GET', `/v1/allowlist_identifiers${query}`, 200);
    await paginatedPage('/v1/allowlist_identifiers?paginated=true&limit=500&offset=0');
    const allowed = await conforms('POST', '/v1/allowlist_identifiers', 200, { identifier: 'spec.allowed@example.org', notify: true });
    await conforms('POST', '/v1/allowlist_identifiers', 200, { identifier: '+15550109876' });
    await answerConforms('POST', '/v1/allowlist_identifiers', 400, { identifier: 'spec.allowed@example.org' });
    await conforms('DELETE', `/v1/allowlist_identifiers/${allowed.id}`, 200);
    await answerConforms('DELETE', `/v1/allowlist_identifiers/${allowed.id}`, 404);

    await conforms('GET', '/v1/blocklist_identifiers', 200);
    const blocked = await conforms('POST', '/v1/blocklist_identifiers', 200, { identifier: 'spec-blocked.example' });
    await answerConforms('POST', '/v1/blocklist_identifiers', 400, { identifier: 'spec-blocked.example' });
    await conforms('DELETE', `/v1/blocklist_identifiers/${blocked.id}`, 200);
    await answerConforms('DELETE', `/v1/blocklist_identifiers/${blocked.id}`, 404);

    for (const query of ['', '?status=pending', '?status=invited&limit=1', '?status=rejected', '?query=waiting&limit=5&offset=0', '?order_by=%2Bemail_address']) {
      await conforms('GET', `/v1/waitlist_entries${query}`, 200);
    }
    const added = await conforms('POST', '/v1/waitlist_entries', 200, { email_address: 'spec.waiting@example.org', notify: false });
    assert.equal(added.status, 'pending');
    assert.equal((await conforms('POST', '/v1/waitlist_entries', 200, { email_address: 'spec.waiting@example.org' })).id, added.id);
    await answerConforms('POST', '/v1/waitlist_entries', 422, { email_address: 'not an address' });
    const { data: [first, second] } = await conforms('GET', '/v1/waitlist_entries?status=pending', 200);
    const invited = await conforms('POST', `/v1/waitlist_entries/${first.id}/invite`, 200);
    assert.equal(invited.invitation.status, 'pending');
    await answerConforms('POST', `/v1/waitlist_entries/${first.id}/invite`, 409, { ignore_existing: false });
    await conforms('POST', `/v1/waitlist_entries/${first.id}/invite`, 200, { ignore_existing: true });
    await conforms('POST', `/v1/waitlist_entries/${second.id}/reject`, 200);
    await answerConforms('POST', `/v1/waitlist_entries/${second.id}/reject`, 409);
    await answerConforms('POST', '/v1/waitlist_entries/wle_2NoSuchEntry0000000000000/reject', 404);

    for (const query of ['', '?status=pending', '?status=accepted', '?status=revoked', '?status=expired', '?query=invited&limit=1&offset=1']) {
      await conforms('GET', `/v1/invitations${query}`, 200);
    }
    await paginatedPage('/v1/invitations?status=pending&query=friend&paginated=true&limit=1&offset=0');
    const invitation = await conforms('POST', '/v1/invitations', 200, {
      email_address: 'spec.invitee@example.org', expires_in_days: 3, notify: false, public_metadata: { via: 'spec' },
      redirect_url: 'https://app.example.com/welcome',
    });
    await answerConforms('POST', '/v1/invitations', 400, { email_address: 'spec.invitee@example.org' });
    await conforms('POST', '/v1/invitations', 200, { email_address: 'spec.invitee@example.org', ignore_existing: true });
    await answerConforms('POST', '/v1/invitations', 422, { email_address: users[0].email_addresses[0].email_address });
    const bulk = await conforms('POST', '/v1/invitations/bulk', 200, [
      { email_address: 'spec.bulk1@example.org', notify: false }, { email_address: 'spec.bulk2@example.org', public_metadata: null, redirect_url: null },
    ]);
    assert.equal(bulk.length, 2);
    await answerConforms('POST', '/v1/invitations/bulk', 400, [{ email_address: 'spec.bulk3@example.org' }, { email_address: 'spec.bulk1@example.org' }]);
    await conforms('POST', `/v1/invitations/${invitation.id}/revoke`, 200);
    await answerConforms('POST', `/v1/invitations/${invitation.id}/revoke`, 400);
    await answerConforms('POST', '/v1/invitations/inv_2NoSuchInvitation000000000/revoke', 404);
  });

  it('OAuth access-token checks: active, expired, revoked and unknown tokens', async () => {
    for (const status of ['active', 'expired', 'revoked']) {
      const response = await fetch(`${fake}/__oauth/access-tokens`, { method: 'POST', body: JSON.stringify({ subject: users[0].id, status }) });
      const { access_token: token } = await response.json();
      const record = await conforms('POST', '/v1/oauth_applications/access_tokens/verify', 200, { access_token: token });
      assert.equal(record.subject, users[0].id);
    }
    await answerConforms('POST', '/v1/oauth_applications/access_tokens/verify', 404, { access_token: 'oat_unknown0000000000000000000000' });
  });

  it('a rejected key', async () => {
    await answerConforms('GET', '/v1/users', 401, undefined, { authorization: 'Bearer sk_test_rejected' });
    await answerConforms('PATCH', `/v1/users/${users[0].id}/metadata`, 401, { public_metadata: {} }, { authorization: 'Bearer sk_test_rejected' });
  });
});
