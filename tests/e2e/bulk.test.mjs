// The bulk tools through the official TypeScript MCP client against the fake Clerk, in both
// modes: clerk_bulk_invite_to_organization sends ten invitations to a request, and when Clerk
// refuses a batch whole (an address already invited) sends its invitations one by one, so that
// each has its own result; an address repeated in the list is sent once. A 429 whose Retry-After
// fits in the call's time is waited out and the batch sent again; one that does not leaves the
// items not attempted, saying when to try again, and changes nothing. clerk_bulk_ban_users reads
// which users exist, bans them in one request, and names the IDs no user has.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import {
  clearFaults, clerkSetup, clerkState, connect, modes, scriptFault, structured, toolError, withClerkRecord,
} from './support.mjs';

const requestsTo = (requests, method, path) => requests.filter((r) => r.method === method && r.path === path);

for (const mode of modes()) {
  describe(`${mode.name} mode`, () => {
    let session;
    let organization;
    const tag = `${mode.name}-${randomBytes(3).toString('hex')}`;
    const call = (name, args) => withClerkRecord(() => session.client.callTool({ name, arguments: args }));
    const address = (name) => `${name}-${tag}@example.org`;

    before(async () => {
      session = await connect(mode.url, mode.headers);
      organization = await clerkSetup(mode.key, 'POST', '/v1/organizations', { name: `Bulk ${tag}` });
    });
    after(async () => {
      await clearFaults();
      await session?.close();
    });

    it('invites ten to a request, retries a refused batch one by one, and sends a repeat once', async () => {
      const base = `/v1/organizations/${organization.id}/invitations`;
      await clerkSetup(mode.key, 'POST', base, { email_address: address('already'), role: 'org:member' });
      const invitations = [
        ...Array.from({ length: 9 }, (_, n) => ({ emailAddress: address(`new${n}`) })),
        { emailAddress: address('already') },
        { emailAddress: address('admin'), role: 'org:admin' },
        { emailAddress: address('new0').toUpperCase() },
      ];
      const [result, requests] = await call('clerk_bulk_invite_to_organization', {
        organizationId: organization.id, role: 'org:member', expiresInDays: 3, invitations,
      });
      const output = structured(result);
      for (const request of requests) assert.deepEqual(request.violations, [], `${request.method} ${request.path}`);

      const bulk = requestsTo(requests, 'POST', `${base}/bulk`);
      assert.equal(bulk.length, 2, 'two batches: ten, then one');
      assert.equal(JSON.parse(bulk[0].body).length, 10);
      assert.equal(bulk[0].response.status, 400, 'Clerk refused the first batch whole');
      assert.deepEqual(JSON.parse(bulk[1].body), [{ email_address: address('admin'), expires_in_days: 3, role: 'org:admin' }]);
      assert.equal(requestsTo(requests, 'POST', base).length, 10, 'the refused batch went one by one');

      assert.deepEqual({ succeeded: output.succeeded, failed: output.failed, notAttempted: output.notAttempted },
        { succeeded: 10, failed: 2, notAttempted: 0 });
      assert.equal(output.results.length, invitations.length);
      output.results.forEach((r, i) => assert.equal(r.input, invitations[i].emailAddress, 'in the order given, as given'));
      const refused = output.results[9];
      assert.equal(refused.status, 'failed');
      assert.match(refused.error, /\b400\b.*duplicate_record/);
      assert.ok(!('invitation' in refused));
      assert.equal(output.results[11].status, 'failed');
      assert.match(output.results[11].error, /repeats item 1/);
      const admin = output.results[10];
      assert.equal(admin.status, 'succeeded');
      assert.equal(admin.invitation.role, 'org:admin');
      assert.equal(admin.invitation.status, 'pending');
      assert.match(admin.invitation.id, /^orginv_/);

      const pending = (await clerkState()).invitations.filter((i) => i.organization_id === organization.id && i.status === 'pending');
      for (const n of [...Array(9).keys()].map((k) => `new${k}`).concat(['admin', 'already'])) {
        assert.equal(pending.filter((i) => i.email_address.toLowerCase() === address(n)).length, 1, `${n} invited once`);
      }
    });

    it('waits out a 429 whose Retry-After fits the call, and sends the batch again', async () => {
      const path = `/v1/organizations/${organization.id}/invitations/bulk`;
      await scriptFault({ path, method: 'POST', status: 429, headers: { 'Retry-After': '1' } });
      const begin = Date.now();
      const [result, requests] = await call('clerk_bulk_invite_to_organization', {
        organizationId: organization.id, role: 'org:member', invitations: [{ emailAddress: address('patient') }],
      });
      const elapsed = Date.now() - begin;
      const output = structured(result);
      assert.equal(output.succeeded, 1);
      assert.deepEqual(requestsTo(requests, 'POST', path).map((r) => r.response.status), [429, 200]);
      assert.ok(elapsed >= 1000, `answered after ${elapsed} ms, before the second the 429 asked for`);
    });

    it('leaves the items not attempted when the 429 asks for longer than the call has', async () => {
      const path = `/v1/organizations/${organization.id}/invitations/bulk`;
      await scriptFault({ path, method: 'POST', status: 429, headers: { 'Retry-After': '120' } });
      const invitations = [{ emailAddress: address('later1') }, { emailAddress: address('later2') }];
      const [result, requests] = await call('clerk_bulk_invite_to_organization', {
        organizationId: organization.id, role: 'org:member', invitations,
      });
      const text = toolError(result);
      assert.match(text, /^No item succeeded: 0 failed, 2 not attempted\./);
      const results = JSON.parse(text.slice(text.indexOf('{')));
      assert.deepEqual(results.results.map((r) => r.status), ['not_attempted', 'not_attempted']);
      assert.match(results.results[0].error, /429.*120 seconds/);
      assert.equal(requestsTo(requests, 'POST', path).length, 1, 'not waited for, not sent again');
      const state = await clerkState();
      assert.ok(!state.invitations.some((i) => i.email_address.startsWith('later')), 'nothing was created');
    });

    it('bans the users that exist in one request and names the IDs no user has', async () => {
      const made = [];
      for (const name of ['ban-a', 'ban-b']) {
        made.push(await clerkSetup(mode.key, 'POST', '/v1/users', { email_address: [address(name)], skip_password_requirement: true }));
      }
      const unknown = 'user_2NoSuchUserInThisInstance00';
      const userIds = [made[0].id, unknown, made[1].id, made[0].id];
      const [result, requests] = await call('clerk_bulk_ban_users', { userIds });
      const output = structured(result);
      for (const request of requests) assert.deepEqual(request.violations, [], `${request.method} ${request.path}`);
      assert.deepEqual(requests.map((r) => `${r.method} ${r.path}`), ['GET /v1/users', 'POST /v1/users/ban']);
      assert.deepEqual(JSON.parse(requests[1].body), { user_ids: [made[0].id, made[1].id] });
      assert.deepEqual(output.results.map((r) => r.status), ['succeeded', 'failed', 'succeeded', 'failed']);
      assert.equal(output.results[0].user.id, made[0].id);
      assert.equal(output.results[0].user.banned, true);
      assert.match(output.results[1].error, new RegExp(`no user with ID ${unknown}`));
      assert.match(output.results[3].error, /repeats item 1/);
      for (const user of made) {
        assert.equal((await clerkSetup(mode.key, 'GET', `/v1/users/${user.id}`)).banned, true, `${user.id} is banned`);
        // Other files page through the seeded users: leave no user behind.
        await clerkSetup(mode.key, 'DELETE', `/v1/users/${user.id}`);
      }
    });
  });
}
