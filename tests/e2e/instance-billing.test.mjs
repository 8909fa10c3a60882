// The instance and billing toolsets through the official TypeScript client, on a public-mode
// connection that names them (`?toolsets=instance,billing`; a connection naming none does not
// get them, tests/e2e/selection.test.mjs): the requests that reach the fake Clerk, the outputs
// (which the client checks against each tool's output schema) and the state they leave.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { INSTANCE_IDS } from './fake-clerk.mjs';
import {
  assertClerkGet, assertClerkWrite, assertOutputConventions, clerkState, connect, modes, seededUsers, structured, toolError,
  withClerkRecord,
} from './support.mjs';

const [publicMode] = modes();

describe('the instance and billing toolsets (public mode, ?toolsets=instance,billing)', () => {
  let session;
  const key = publicMode.key;
  const call = (name, args = {}) => withClerkRecord(() => session.client.callTool({ name, arguments: args }));

  before(async () => {
    const url = new URL(publicMode.url);
    url.searchParams.set('toolsets', 'instance,billing');
    session = await connect(url.toString(), publicMode.headers);
  });
  after(() => session?.close());

  it('clerk_get_instance shows the instance and its Protect settings', async () => {
    const [result, requests] = await call('clerk_get_instance');
    assert.deepEqual(structured(result), {
      id: INSTANCE_IDS.development, environment: 'development', allowedOrigins: [],
      protect: { rulesEnabled: false, specterEnabled: false, checksBypassed: false },
    });
    assert.equal(requests.length, 2);
    assertClerkGet(requests[0], { path: '/v1/instance', key });
    assertClerkGet(requests[1], { path: '/v1/instance/protect', key });
  });

  it('organization settings are read, changed, and read back changed', async () => {
    const [read, reads] = await call('clerk_get_organization_settings');
    const before = structured(read);
    assert.equal(before.enabled, true);
    assertClerkGet(reads[0], { path: '/v1/instance/organization_settings', key });
    const [updated, writes] = await call('clerk_update_organization_settings',
      { maxAllowedMemberships: 12, domainsEnrollmentModes: ['automatic_suggestion'] });
    assert.deepEqual(structured(updated), { ...before, maxAllowedMemberships: 12, domainsEnrollmentModes: ['automatic_suggestion'] });
    assert.equal(writes.length, 1);
    assertClerkWrite(writes[0], { method: 'PATCH', path: '/v1/instance/organization_settings', key,
      body: { max_allowed_memberships: 12, domains_enrollment_modes: ['automatic_suggestion'] } });
    const [again] = await call('clerk_get_organization_settings');
    assert.equal(structured(again).maxAllowedMemberships, 12);
    // Put back what other tests may expect.
    await call('clerk_update_organization_settings', { maxAllowedMemberships: before.maxAllowedMemberships, domainsEnrollmentModes: [] });
  });

  it('clerk_preview of a restriction names the instance and says who is locked out, changing nothing', async () => {
    const [result, requests] = await call('clerk_preview', { name: 'clerk_update_instance_restrictions', arguments: { allowlist: true } });
    const text = JSON.stringify(structured(result));
    assert.match(text, new RegExp(`${INSTANCE_IDS.development} \\(development\\)`));
    assert.match(text, /every other user, existing ones included, is locked out/);
    assert.deepEqual(requests.map((r) => r.method), ['GET']);
  });

  it('clerk_update_instance_restrictions sends only what is given and answers the new state', async () => {
    const [result, requests] = await call('clerk_update_instance_restrictions', { blockDisposableEmailDomains: true });
    assert.deepEqual(structured(result), {
      allowlist: false, blocklist: false, allowlistBlocklistDisabledOnSignIn: false,
      blockEmailSubaddresses: false, blockDisposableEmailDomains: true,
    });
    assertClerkWrite(requests[0], { method: 'PATCH', path: '/v1/instance/restrictions', key, body: { block_disposable_email_domains: true } });
    await call('clerk_update_instance_restrictions', { blockDisposableEmailDomains: false });
  });

  it('billing plans show money as Clerk gives it, filtered by payer type', async () => {
    const [result, requests] = await call('clerk_list_billing_plans', { payerType: 'org' });
    const output = structured(result);
    assert.deepEqual(output.plans.map((p) => [p.slug, p.payerType, p.fee]), [
      ['team', 'org', { amount: 2500, amountFormatted: '25.00', currency: 'USD', currencySymbol: '$' }]]);
    assert.equal(output.totalCount, 1);
    assertClerkGet(requests[0], { path: '/v1/billing/plans', key, query: { paginated: 'true', limit: '20', offset: '0', payer_type: 'org' } });
  });

  it('a user\'s and an organization\'s subscriptions, and a payer without one', async () => {
    const users = await seededUsers();
    const [result, requests] = await call('clerk_get_user_subscription', { userId: users[0].id });
    const subscription = structured(result);
    assertOutputConventions(subscription);
    assert.equal(subscription.items[0].payer.userId, users[0].id);
    assert.equal(subscription.items[0].planName, 'Free');
    assertClerkGet(requests[0], { path: `/v1/users/${users[0].id}/billing/subscription`, key });

    const { organizations } = await clerkState();
    const [organizationResult] = await call('clerk_get_organization_subscription', { organizationId: organizations[0].id });
    const paid = structured(organizationResult);
    assert.deepEqual(paid.nextPayment.amount, { amount: 2500, amountFormatted: '25.00', currency: 'USD', currencySymbol: '$' });
    assert.equal(paid.items[0].lifetimePaid.amount, 7500);

    const [missing] = await call('clerk_get_user_subscription', { userId: users[1].id });
    assert.match(toolError(missing), new RegExp(`no user with ID ${users[1].id}, or no billing subscription`));
  });

  it('subscription items leave out free plans unless asked, and filter by payer type', async () => {
    const [paidOnly, requests] = await call('clerk_list_subscription_items');
    assert.deepEqual(structured(paidOnly).subscriptionItems.map((i) => i.planName), ['Team']);
    assertClerkGet(requests[0], { path: '/v1/billing/subscription_items', key, query: { paginated: 'true', limit: '20', offset: '0' } });
    const [all] = await call('clerk_list_subscription_items', { includeFree: true, payerType: 'user' });
    assert.deepEqual(structured(all).subscriptionItems.map((i) => i.planName), ['Free']);
  });
});
