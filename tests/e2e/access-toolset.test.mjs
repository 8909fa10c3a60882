// The access toolset through the official TypeScript client, on a public-mode connection that
// names no toolsets (access is in the default set): the allow-list, the block-list, the
// waitlist and the application invitations. For each tool, the requests that reach the fake
// Clerk, the output (which the client checks against the tool's output schema), and the state
// it leaves; for the writes, what clerk_preview says first, reading only.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  assertClerkDelete, assertClerkGet, assertClerkWrite, assertOutputConventions, clerkState, connect, modes, seededUsers,
  structured, toolError, withClerkRecord,
} from './support.mjs';

const [publicMode] = modes();

describe('the access toolset (public mode, default toolsets)', () => {
  let session;
  const key = publicMode.key;
  const call = (name, args = {}) => withClerkRecord(() => session.client.callTool({ name, arguments: args }));
  const preview = async (name, args) => {
    const [result, requests] = await call('clerk_preview', { name, arguments: args });
    assert.ok(requests.every((r) => r.method === 'GET'), `${name}'s preview only reads`);
    return structured(result);
  };

  before(async () => {
    session = await connect(publicMode.url, publicMode.headers);
  });
  after(() => session?.close());

  it('offers the thirteen access tools by default', () => {
    const names = session.tools.map((tool) => tool.name);
    for (const name of ['clerk_list_allowlist', 'clerk_add_to_allowlist', 'clerk_remove_from_allowlist', 'clerk_list_blocklist',
      'clerk_add_to_blocklist', 'clerk_remove_from_blocklist', 'clerk_list_waitlist', 'clerk_invite_waitlist_entry',
      'clerk_reject_waitlist_entry', 'clerk_list_instance_invitations', 'clerk_create_instance_invitation',
      'clerk_bulk_invite_to_instance', 'clerk_revoke_instance_invitation']) {
      assert.ok(names.includes(name), name);
    }
  });

  it('the allow-list: listed a page at a time, added to and removed from', async () => {
    const [listed, reads] = await call('clerk_list_allowlist', { limit: 1 });
    const page = structured(listed);
    assertOutputConventions(page);
    assertClerkGet(reads[0], { path: '/v1/allowlist_identifiers', query: { paginated: 'true', limit: '1', offset: '0' }, key });
    assert.equal(page.identifiers.length, 1);
    assert.deepEqual([page.totalCount, page.hasMore, page.nextOffset], [2, true, 1]);

    const said = await preview('clerk_add_to_allowlist', { identifier: 'new.partner@allowed.example' });
    assert.match(said.summary, /Add "new\.partner@allowed\.example" to the allow-list/);
    const [added, writes] = await call('clerk_add_to_allowlist', { identifier: 'new.partner@allowed.example' });
    const identifier = structured(added);
    assert.equal(identifier.identifier, 'new.partner@allowed.example');
    assert.equal(identifier.identifierType, 'email_address');
    assertClerkWrite(writes[0], { method: 'POST', path: '/v1/allowlist_identifiers', body: { identifier: 'new.partner@allowed.example' }, key });

    const [again] = await call('clerk_add_to_allowlist', { identifier: 'new.partner@allowed.example' });
    assert.match(toolError(again), /already on the allowlist/);

    const removal = await preview('clerk_remove_from_allowlist', { identifierId: identifier.id });
    assert.match(removal.summary, new RegExp(`Remove "new\\.partner@allowed\\.example" \\(${identifier.id}\\) from the allow-list`));
    const [removed, deletes] = await call('clerk_remove_from_allowlist', { identifierId: identifier.id });
    assert.deepEqual(structured(removed), { id: identifier.id, deleted: true });
    assertClerkDelete(deletes[0], { path: `/v1/allowlist_identifiers/${identifier.id}`, key });
    assert.ok(!(await clerkState()).allowlist.some((i) => i.id === identifier.id));
    const [gone] = await call('clerk_remove_from_allowlist', { identifierId: identifier.id });
    assert.match(toolError(gone), new RegExp(`no identifier with ID ${identifier.id} on the allow-list`));
  });

  it('the block-list: read whole and paged here, added to and removed from', async () => {
    const [listed, reads] = await call('clerk_list_blocklist', { limit: 1, offset: 1, fields: ['identifier'] });
    assertClerkGet(reads[0], { path: '/v1/blocklist_identifiers', key });
    const page = structured(listed);
    assert.deepEqual(page, { identifiers: [{ id: page.identifiers[0].id, identifier: 'spammer@bad.example' }], totalCount: 2, count: 1, offset: 1, hasMore: false });

    const said = await preview('clerk_add_to_blocklist', { identifier: 'throwaway.example' });
    assert.match(said.summary, /^Add "throwaway\.example" to the block-list: while the block-list is on, it can neither sign up nor sign in\.$/);
    const [added, writes] = await call('clerk_add_to_blocklist', { identifier: 'throwaway.example' });
    const blocked = structured(added);
    assertClerkWrite(writes[0], { method: 'POST', path: '/v1/blocklist_identifiers', body: { identifier: 'throwaway.example' }, key });
    const [removed, deletes] = await call('clerk_remove_from_blocklist', { identifierId: blocked.id });
    assert.deepEqual(structured(removed), { id: blocked.id, deleted: true });
    assertClerkDelete(deletes[0], { path: `/v1/blocklist_identifiers/${blocked.id}`, key });
  });

  it('the waitlist: listed with its filters, one entry invited and one rejected', async () => {
    const [listed, reads] = await call('clerk_list_waitlist', { status: 'pending', limit: 10 });
    assertClerkGet(reads[0], { path: '/v1/waitlist_entries', query: { status: 'pending', limit: '10', offset: '0' }, key });
    const page = structured(listed);
    assertOutputConventions(page);
    assert.equal(page.totalCount, 3);
    assert.ok(page.entries.every((e) => e.status === 'pending'));
    const [searched] = await call('clerk_list_waitlist', { query: 'university' });
    assert.deepEqual(structured(searched).entries.map((e) => e.emailAddress), ['researcher@university.example']);

    const [invitee, rejectee] = page.entries;
    const said = await preview('clerk_invite_waitlist_entry', { waitlistEntryId: invitee.id });
    assert.equal(said.current.status, 'pending');
    assert.match(said.summary, new RegExp(`The waitlist entry ${invitee.id} of <${invitee.emailAddress}> becomes invited`));
    const [invited, invites] = await call('clerk_invite_waitlist_entry', { waitlistEntryId: invitee.id });
    const entry = structured(invited);
    assert.equal(entry.status, 'invited');
    assert.equal(entry.invitation.emailAddress, invitee.emailAddress);
    assert.equal(invites.length, 1);
    assert.equal(invites[0].path, `/v1/waitlist_entries/${invitee.id}/invite`);
    assert.equal(invites[0].body, '', 'no body unless ignoreExisting is given');
    assert.deepEqual(invites[0].violations, []);

    const [rejected, rejects] = await call('clerk_reject_waitlist_entry', { waitlistEntryId: rejectee.id });
    assert.equal(structured(rejected).status, 'rejected');
    assert.equal(rejects[0].path, `/v1/waitlist_entries/${rejectee.id}/reject`);
    assert.deepEqual(rejects[0].violations, []);
    const [twice] = await call('clerk_reject_waitlist_entry', { waitlistEntryId: rejectee.id });
    assert.match(toolError(twice), /409/);
  });

  it('application invitations: listed, created, revoked', async () => {
    const [listed, reads] = await call('clerk_list_instance_invitations', { status: 'accepted' });
    assertClerkGet(reads[0], { path: '/v1/invitations', query: { status: 'accepted', paginated: 'true', limit: '20', offset: '0' }, key });
    assert.deepEqual(structured(listed).invitations.map((i) => i.emailAddress), ['joined@invited.example']);

    const said = await preview('clerk_create_instance_invitation', { emailAddress: 'friend@invited.example', notify: false });
    assert.match(said.summary, /Clerk makes a sign-up link without emailing it, valid for 30 days; Clerk refuses if the address has a pending invitation/);
    const [created, writes] = await call('clerk_create_instance_invitation',
      { emailAddress: 'newcomer@example.org', expiresInDays: 7, publicMetadata: { plan: 'pro' }, redirectUrl: 'https://app.example.com/in' });
    const invitation = structured(created);
    assertOutputConventions(invitation);
    assert.deepEqual([invitation.status, invitation.publicMetadata], ['pending', { plan: 'pro' }]);
    assertClerkWrite(writes[0], { method: 'POST', path: '/v1/invitations', key,
      body: { email_address: 'newcomer@example.org', expires_in_days: 7, public_metadata: { plan: 'pro' }, redirect_url: 'https://app.example.com/in' } });

    const [existing] = await call('clerk_create_instance_invitation', { emailAddress: (await seededUsers())[0].email_addresses[0].email_address });
    assert.match(toolError(existing), /already exists/);

    const revoking = await preview('clerk_revoke_instance_invitation', { invitationId: invitation.id });
    assert.match(revoking.summary, new RegExp(`Revoke invitation ${invitation.id} of <newcomer@example\\.org>`));
    const [revoked, revokes] = await call('clerk_revoke_instance_invitation', { invitationId: invitation.id });
    assert.equal(structured(revoked).status, 'revoked');
    assert.equal(revokes[0].path, `/v1/invitations/${invitation.id}/revoke`);
    assert.equal(revokes[0].body, '');
    assert.deepEqual(revokes[0].violations, []);
    const [twice] = await call('clerk_revoke_instance_invitation', { invitationId: invitation.id });
    assert.match(toolError(twice), /Only pending invitations can be revoked/);
  });

  it('clerk_bulk_invite_to_instance: ten to a request, a refused batch one by one, each item its own result', async () => {
    const addresses = Array.from({ length: 11 }, (_, n) => `bulk${n}@example.org`);
    const [result, requests] = await call('clerk_bulk_invite_to_instance', { emailAddresses: [...addresses, 'BULK0@example.org'], notify: false });
    const output = structured(result);
    assert.deepEqual([output.succeeded, output.failed, output.notAttempted], [11, 1, 0]);
    assert.deepEqual(requests.map((r) => [r.path, JSON.parse(r.body).length]), [['/v1/invitations/bulk', 10], ['/v1/invitations/bulk', 1]]);
    assert.deepEqual(JSON.parse(requests[0].body)[0], { email_address: 'bulk0@example.org', notify: false });
    assert.ok(requests.every((r) => r.violations.length === 0));
    assert.equal(output.results[0].invitation.emailAddress, 'bulk0@example.org');
    assert.match(output.results[11].error, /repeats item 1/);

    // bulk0 has a pending invitation now: the batch is refused whole, then sent one by one.
    const [mixed, sent] = await call('clerk_bulk_invite_to_instance', { emailAddresses: ['bulk0@example.org', 'late@example.org'] });
    const results = structured(mixed).results;
    assert.deepEqual(sent.map((r) => r.path), ['/v1/invitations/bulk', '/v1/invitations', '/v1/invitations']);
    assert.deepEqual(results.map((r) => r.status), ['failed', 'succeeded']);
    assert.match(results[0].error, /pending invitation/);

    const said = await preview('clerk_bulk_invite_to_instance', { emailAddresses: ['x@example.org', 'X@example.org'] });
    assert.match(said.summary, /^Invite 1 address to sign up to the application/);
  });

  it('refuses bad arguments by name and sends nothing', async () => {
    for (const [name, args, argument] of [
      ['clerk_remove_from_allowlist', { identifierId: 'alid/../x' }, 'identifierId'],
      ['clerk_list_waitlist', { status: 'waiting' }, 'status'],
      ['clerk_revoke_instance_invitation', { invitationId: 'orginv_2abc' }, 'invitationId'],
      ['clerk_bulk_invite_to_instance', { emailAddresses: [] }, 'emailAddresses'],
    ]) {
      const [result, requests] = await call(name, args);
      assert.match(toolError(result), new RegExp(`\`${argument}\``));
      assert.deepEqual(requests, []);
    }
  });
});
