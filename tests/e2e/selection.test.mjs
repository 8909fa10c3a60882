// Which tools a connection gets, end to end, through the official TypeScript MCP client: a
// worker URL with `?readonly=true` lists only the tools that read and refuses a write tool by
// name as unknown; `?toolsets=users,roles` lists those two toolsets; the X-MCP-Readonly and
// X-MCP-Toolsets headers do the same and narrow further with the URL; an unknown toolset is an
// HTTP 400 naming it; /health reports the selection a request gets. Then the worker run.mjs
// starts with MCP_READ_ONLY=true, MCP_TOOLSETS=organizations,members,users and
// MCP_REDACT_PRIVATE_METADATA=true: no URL or header widens it, and no output shows
// privateMetadata (the client still validates every output against its schema).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  ALL_TOOL_NAMES, DEFAULT_TOOLSETS, OPT_IN_TOOLS, TOOL_NAMES, clerkState, connect, modes, seededUsers, setting, structured, withClerkRecord,
} from './support.mjs';

const TOOLSETS = {
  organizations: ['clerk_list_organizations', 'clerk_get_organization', 'clerk_create_organization', 'clerk_update_organization',
    'clerk_update_organization_metadata', 'clerk_delete_organization'],
  members: ['clerk_list_organization_members', 'clerk_list_user_organizations', 'clerk_add_member', 'clerk_update_member_role',
    'clerk_update_member_metadata', 'clerk_remove_member'],
  invitations: ['clerk_list_organization_invitations', 'clerk_create_invitation', 'clerk_bulk_invite_to_organization',
    'clerk_revoke_invitation'],
  users: ['clerk_list_users', 'clerk_count_users', 'clerk_get_user', 'clerk_create_user', 'clerk_update_user', 'clerk_update_user_metadata',
    'clerk_ban_user', 'clerk_bulk_ban_users', 'clerk_unban_user', 'clerk_lock_user', 'clerk_unlock_user', 'clerk_delete_user'],
  sessions: ['clerk_list_sessions', 'clerk_revoke_session'],
  roles: ['clerk_list_roles'],
  access: ['clerk_list_allowlist', 'clerk_add_to_allowlist', 'clerk_remove_from_allowlist', 'clerk_list_blocklist',
    'clerk_add_to_blocklist', 'clerk_remove_from_blocklist', 'clerk_list_waitlist', 'clerk_invite_waitlist_entry',
    'clerk_reject_waitlist_entry', 'clerk_list_instance_invitations', 'clerk_create_instance_invitation',
    'clerk_bulk_invite_to_instance', 'clerk_revoke_instance_invitation'],
  // Only for a connection that names them.
  ...OPT_IN_TOOLS,
};
// Tools of no toolset, which every selection has.
const ALWAYS = ['clerk_preview', 'clerk_whoami'];
const READ_TOOLS = [...ALWAYS,
  'clerk_list_organizations', 'clerk_get_organization', 'clerk_list_organization_members', 'clerk_list_user_organizations',
  'clerk_list_organization_invitations', 'clerk_list_users', 'clerk_count_users', 'clerk_get_user', 'clerk_list_sessions', 'clerk_list_roles',
  'clerk_list_allowlist', 'clerk_list_blocklist', 'clerk_list_waitlist', 'clerk_list_instance_invitations',
];
const of = (...toolsets) => [...toolsets.flatMap((name) => TOOLSETS[name]), ...ALWAYS];
const reading = (names) => names.filter((name) => READ_TOOLS.includes(name)).sort();
const sorted = (names) => [...names].sort();

/** `url` (a worker's /mcp) with `query` added. */
function withQuery(url, query) {
  const result = new URL(url);
  for (const [name, value] of Object.entries(query)) result.searchParams.set(name, value);
  return result.toString();
}

/** GET /health next to `url`, with the same query and `headers`. */
async function health(url, headers = {}) {
  const target = new URL(url);
  target.pathname = '/health';
  const response = await fetch(target, { headers });
  assert.equal(response.status, 200);
  return response.json();
}

/** Calls `name`, which the connection must not offer: it fails as unknown and Clerk hears nothing. */
async function refusedAsUnknown(session, name, args) {
  const [outcome, requests] = await withClerkRecord(async () => {
    try {
      return { result: await session.client.callTool({ name, arguments: args }) };
    } catch (error) {
      return { error };
    }
  });
  const text = outcome.error?.message ?? outcome.result?.content?.[0]?.text ?? '';
  assert.ok(outcome.error || outcome.result?.isError, `${name} was called: ${JSON.stringify(outcome.result)}`);
  assert.match(text, new RegExp(`Unknown tool: ${name}`));
  assert.deepEqual(requests, [], `Clerk heard of ${name}`);
}

describe('a connection narrows the tools', () => {
  // Readonly in hosted mode too, where the token stays what lets the client in.
  for (const mode of modes()) {
    describe(`${mode.name} mode, ?readonly=true`, () => {
      let session;
      before(async () => {
        session = await connect(withQuery(mode.url, { readonly: 'true' }), mode.headers);
      });
      after(() => session?.close());

      it('lists only the tools that read, each marked readOnlyHint', () => {
        assert.deepEqual(session.tools.map((t) => t.name).sort(), sorted(READ_TOOLS));
        assert.ok(session.tools.every((t) => t.annotations?.readOnlyHint === true));
      });

      it('refuses a write tool by name as unknown, and still reads', async () => {
        const [user] = await seededUsers();
        await refusedAsUnknown(session, 'clerk_delete_user', { userId: user.id });
        await refusedAsUnknown(session, 'clerk_ban_user', { userId: user.id });
        assert.ok((await clerkState()).organizations.length > 0);
        const [result, requests] = await withClerkRecord(() => session.client.callTool({ name: 'clerk_get_user', arguments: { userId: user.id } }));
        assert.equal(structured(result).id, user.id);
        assert.equal(requests.length, 1);
      });

      it('/health reports it', async () => {
        const body = await health(withQuery(mode.url, { readonly: 'true' }), mode.headers);
        assert.equal(body.readOnly, true);
        assert.deepEqual(sorted(body.toolsets), sorted(DEFAULT_TOOLSETS));
        assert.equal(body.redactPrivateMetadata, false);
      });
    });
  }

  const [publicMode] = modes();

  it('?toolsets=users,roles lists those two toolsets, and refuses the rest', async () => {
    const session = await connect(withQuery(publicMode.url, { toolsets: 'users,roles' }), publicMode.headers);
    try {
      assert.deepEqual(session.tools.map((t) => t.name).sort(), sorted(of('users', 'roles')));
      await refusedAsUnknown(session, 'clerk_list_organizations', {});
      await refusedAsUnknown(session, 'clerk_list_sessions', { userId: (await seededUsers())[0].id });
      const [result] = await withClerkRecord(() => session.client.callTool({ name: 'clerk_list_roles', arguments: {} }));
      assert.equal(structured(result).totalCount, 3);
    } finally {
      await session.close();
    }
    const body = await health(withQuery(publicMode.url, { toolsets: 'users,roles' }));
    assert.deepEqual(sorted(body.toolsets), ['roles', 'users']);
    assert.equal(body.readOnly, false);
  });

  it('the X-MCP-Readonly and X-MCP-Toolsets headers narrow as the URL does, and with it', async () => {
    const headers = { ...publicMode.headers, 'X-MCP-Readonly': 'true', 'X-MCP-Toolsets': 'users,sessions' };
    const byHeaders = await connect(publicMode.url, headers);
    try {
      assert.deepEqual(byHeaders.tools.map((t) => t.name).sort(), reading(of('users', 'sessions')));
      await refusedAsUnknown(byHeaders, 'clerk_revoke_session', { sessionId: 'sess_2bDCkTm3mWxT9Tq1sLtSJzD6eQa' });
    } finally {
      await byHeaders.close();
    }
    // The URL and the headers both narrow: only what both allow.
    const both = await connect(withQuery(publicMode.url, { toolsets: 'sessions,roles' }), headers);
    try {
      assert.deepEqual(both.tools.map((t) => t.name), ['clerk_list_sessions', 'clerk_preview', 'clerk_whoami']);
    } finally {
      await both.close();
    }
    const body = await health(withQuery(publicMode.url, { toolsets: 'sessions,roles' }), headers);
    assert.equal(body.readOnly, true);
    assert.deepEqual(body.toolsets, ['sessions']);
  });

  it('refuses an unknown toolset or readonly value with HTTP 400 naming it', async () => {
    for (const [query, needle] of [[{ toolsets: 'users,payments' }, 'payments'], [{ readonly: 'maybe' }, 'readonly']]) {
      const response = await fetch(withQuery(publicMode.url, query), {
        method: 'POST',
        headers: { ...publicMode.headers, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      assert.equal(response.status, 400);
      assert.match(await response.text(), new RegExp(needle));
    }
  });

  it('a full connection gets every tool of the default set', async () => {
    const body = await health(publicMode.url);
    assert.deepEqual({ readOnly: body.readOnly, redactPrivateMetadata: body.redactPrivateMetadata }, { readOnly: false, redactPrivateMetadata: false });
    assert.equal(TOOL_NAMES.length, 46);
    const opted = Object.values(OPT_IN_TOOLS).flat();
    assert.deepEqual(sorted([...Object.values(TOOLSETS).flat(), ...ALWAYS].filter((name) => !opted.includes(name))), TOOL_NAMES);
    assert.deepEqual(sorted([...Object.values(TOOLSETS).flat(), ...ALWAYS]), ALL_TOOL_NAMES);
  });

  it('?toolsets=instance,billing lists the opt-in toolsets, which a connection naming none does not get', async () => {
    const session = await connect(withQuery(publicMode.url, { toolsets: 'instance,billing' }), publicMode.headers);
    try {
      assert.deepEqual(session.tools.map((t) => t.name).sort(), sorted(of('instance', 'billing')));
    } finally {
      await session.close();
    }
    const plain = await connect(publicMode.url, publicMode.headers);
    try {
      await refusedAsUnknown(plain, 'clerk_get_instance', {});
      await refusedAsUnknown(plain, 'clerk_list_billing_plans', {});
    } finally {
      await plain.close();
    }
  });
});

describe('a server narrowed by its settings (MCP_READ_ONLY, MCP_TOOLSETS, MCP_REDACT_PRIVATE_METADATA)', () => {
  const url = setting('MCP_URL_PUBLIC_NARROWED');
  const headers = { 'X-Clerk-Secret-Key': setting('CLERK_KEY_PUBLIC') };
  const serverTools = reading(of('organizations', 'members', 'users'));
  let session;
  let users;
  let state;

  before(async () => {
    session = await connect(url, headers);
    users = await seededUsers();
    state = await clerkState();
  });
  after(() => session?.close());

  it('offers only the reading tools of its toolsets', () => {
    assert.deepEqual(session.tools.map((t) => t.name).sort(), serverTools);
  });

  it('no URL or header widens it', async () => {
    for (const [query, extra] of [
      [{ readonly: 'false' }, {}],
      [{}, { 'X-MCP-Readonly': 'false' }],
      [{ readonly: 'false', toolsets: 'organizations,members,invitations,users,sessions,roles' }, { 'X-MCP-Toolsets': 'sessions,users' }],
    ]) {
      const wider = await connect(withQuery(url, query), { ...headers, ...extra });
      try {
        const names = wider.tools.map((t) => t.name).sort();
        assert.ok(names.every((name) => serverTools.includes(name)), `${JSON.stringify(query)} ${JSON.stringify(extra)} widened to ${names}`);
        await refusedAsUnknown(wider, 'clerk_delete_user', { userId: users[0].id });
        await refusedAsUnknown(wider, 'clerk_list_sessions', { userId: users[0].id });
      } finally {
        await wider.close();
      }
      const body = await health(withQuery(url, query), extra);
      assert.equal(body.readOnly, true);
      assert.ok(body.toolsets.every((name) => ['organizations', 'members', 'users'].includes(name)), JSON.stringify(body.toolsets));
      assert.equal(body.redactPrivateMetadata, true);
    }
    const narrower = await connect(withQuery(url, { toolsets: 'users,sessions' }), headers);
    try {
      assert.deepEqual(narrower.tools.map((t) => t.name).sort(), reading(of('users')));
    } finally {
      await narrower.close();
    }
  });

  it('/health reports the server\'s selection', async () => {
    const body = await health(url);
    assert.equal(body.readOnly, true);
    assert.deepEqual(sorted(body.toolsets), ['members', 'organizations', 'users']);
    assert.equal(body.redactPrivateMetadata, true);
  });

  describe('takes privateMetadata out of every output', () => {
    const call = async (name, args) => {
      const [result, requests] = await withClerkRecord(() => session.client.callTool({ name, arguments: args }));
      assert.ok(requests.length > 0);
      return structured(result);
    };
    const noPrivate = (value, where) => {
      if (Array.isArray(value)) value.forEach((item, i) => noPrivate(item, `${where}[${i}]`));
      else if (value !== null && typeof value === 'object') {
        assert.ok(!('privateMetadata' in value), `${where} has privateMetadata`);
        for (const [key, item] of Object.entries(value)) noPrivate(item, `${where}.${key}`);
      }
    };

    it('of users, whose private metadata Clerk does send', async () => {
      const rich = users.find((u) => Object.keys(u.private_metadata).length > 0);
      const user = await call('clerk_get_user', { userId: rich.id });
      noPrivate(user, 'clerk_get_user');
      assert.deepEqual(user.publicMetadata ?? {}, rich.public_metadata, 'public metadata stays');
      noPrivate(await call('clerk_list_users', { limit: 50 }), 'clerk_list_users');
    });

    it('of organizations, members and a user\'s organizations', async () => {
      const organization = state.organizations.find((o) => Object.keys(o.private_metadata).length > 0);
      assert.ok(organization, 'a seeded organization has private metadata');
      const got = await call('clerk_get_organization', { organizationId: organization.id });
      noPrivate(got, 'clerk_get_organization');
      assert.deepEqual(got.publicMetadata, organization.public_metadata);
      noPrivate(await call('clerk_list_organizations', { limit: 100 }), 'clerk_list_organizations');
      noPrivate(await call('clerk_list_organization_members', { organizationId: organization.id }), 'clerk_list_organization_members');
      const member = state.memberships.find((m) => m.organization.id === organization.id && Object.keys(m.private_metadata).length > 0);
      noPrivate(await call('clerk_list_user_organizations', { userId: member.public_user_data.user_id }), 'clerk_list_user_organizations');
    });
  });
});
