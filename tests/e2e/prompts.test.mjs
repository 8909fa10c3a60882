// The prompts through the official TypeScript MCP client, in both modes: a full connection gets
// all four, each rendered by prompts/get from its arguments into one user message that names
// the tools it uses; a missing required argument or an unknown prompt is refused. A prompt is
// offered only when every tool it uses is, so a `?readonly=true` connection gets only the audit
// and cannot get the others by name, and one without the access toolset (whose block-list the
// audit reads) gets no audit. Rendering a prompt asks nothing of Clerk.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { connect, modes, withClerkRecord } from './support.mjs';

const PROMPTS = {
  audit_organization_admins: { required: ['organization'], optional: ['role'], tools: ['clerk_list_organization_members', 'clerk_get_user', 'clerk_list_blocklist'] },
  offboard_user: { required: ['user'], optional: ['reason'], tools: ['clerk_list_sessions', 'clerk_revoke_session', 'clerk_ban_user'] },
  invite_members: { required: ['organization', 'emails'], optional: ['role'], tools: ['clerk_create_invitation'] },
  review_waitlist: { required: [], optional: ['criteria'], tools: ['clerk_list_waitlist', 'clerk_invite_waitlist_entry', 'clerk_reject_waitlist_entry'] },
};

function withParam(url, name, value) {
  const result = new URL(url);
  result.searchParams.set(name, value);
  return result.toString();
}
const readonlyUrl = (url) => withParam(url, 'readonly', 'true');

/** Gets a prompt; resolves to its one message's text, and checks Clerk heard nothing. */
async function render(session, name, args) {
  const [result, requests] = await withClerkRecord(() => session.client.getPrompt({ name, arguments: args }));
  assert.deepEqual(requests, [], 'rendering a prompt asks nothing of Clerk');
  assert.equal(result.messages.length, 1);
  assert.equal(result.messages[0].role, 'user');
  assert.equal(result.messages[0].content.type, 'text');
  return result.messages[0].content.text;
}

async function refused(session, name, args) {
  await assert.rejects(() => session.client.getPrompt({ name, arguments: args }), (error) => {
    assert.match(error.message, /-32602|Unknown prompt|required|missing/i);
    return true;
  });
}

for (const mode of modes()) {
  describe(`${mode.name} mode`, () => {
    let full;
    let readonly;
    before(async () => {
      full = await connect(mode.url, mode.headers);
      readonly = await connect(readonlyUrl(mode.url), mode.headers);
    });
    after(async () => {
      await full?.close();
      await readonly?.close();
    });

    it('lists the four prompts with their arguments', async () => {
      const { prompts } = await full.client.listPrompts();
      assert.deepEqual(prompts.map((p) => p.name).sort(), Object.keys(PROMPTS).sort());
      for (const prompt of prompts) {
        assert.ok(prompt.description?.length > 0, `${prompt.name} has a description`);
        const { required, optional } = PROMPTS[prompt.name];
        assert.deepEqual(prompt.arguments.filter((a) => a.required).map((a) => a.name).sort(), [...required].sort());
        assert.deepEqual(prompt.arguments.filter((a) => !a.required).map((a) => a.name).sort(), [...optional].sort());
      }
    });

    it('renders each prompt from its arguments, naming the tools it uses', async () => {
      const audit = await render(full, 'audit_organization_admins', { organization: 'acme-corporation' });
      assert.match(audit, /acme-corporation/);
      assert.match(audit, /org:admin/, 'the default role');
      assert.match(await render(full, 'audit_organization_admins', { organization: 'org_2abc', role: 'org:billing_manager' }), /org:billing_manager/);
      const offboard = await render(full, 'offboard_user', { user: 'leaver@example.com', reason: 'left the company' });
      assert.match(offboard, /leaver@example\.com/);
      assert.match(offboard, /left the company/);
      const invite = await render(full, 'invite_members', { organization: 'globex', emails: 'a@example.com, b@example.com\nc@example.com' });
      for (const needle of ['globex', 'a@example.com', 'b@example.com', 'c@example.com', 'org:member']) assert.ok(invite.includes(needle), needle);
      const review = await render(full, 'review_waitlist', { criteria: 'only example.org addresses' });
      assert.match(review, /only example\.org addresses/);
      assert.match(review, /status pending/);
      assert.match(review, /Wait for my answer/);
      assert.match(await render(full, 'review_waitlist', {}), /criteria: none given/);
      for (const [name, { tools }] of Object.entries(PROMPTS)) {
        const text = await render(full, name, Object.fromEntries(PROMPTS[name].required.map((a) => [a, a === 'emails' ? 'x@example.com' : 'org_2abc'])));
        for (const tool of tools) assert.ok(text.includes(tool), `${name} names ${tool}`);
      }
    });

    it('refuses an unknown prompt and a missing required argument', async () => {
      await refused(full, 'no_such_prompt', {});
      await refused(full, 'invite_members', { organization: 'globex' });
    });

    it('offers only the audit on a ?readonly=true connection', async () => {
      const { prompts } = await readonly.client.listPrompts();
      assert.deepEqual(prompts.map((p) => p.name), ['audit_organization_admins']);
      assert.match(await render(readonly, 'audit_organization_admins', { organization: 'globex' }), /globex/);
      await refused(readonly, 'offboard_user', { user: 'user_2abc' });
      await refused(readonly, 'invite_members', { organization: 'globex', emails: 'a@example.com' });
      await refused(readonly, 'review_waitlist', {});
    });

    it('offers no audit on a connection without the access toolset', async () => {
      const narrowed = await connect(withParam(mode.url, 'toolsets', 'organizations,members,invitations,users,sessions,roles'), mode.headers);
      try {
        const { prompts } = await narrowed.client.listPrompts();
        assert.deepEqual(prompts.map((p) => p.name).sort(), ['invite_members', 'offboard_user']);
        await refused(narrowed, 'audit_organization_admins', { organization: 'globex' });
      } finally {
        await narrowed.close();
      }
    });
  });
}
