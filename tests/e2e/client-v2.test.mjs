// The official TypeScript SDK's v2 client (@modelcontextprotocol/client), which speaks MCP
// 2026-07-28 natively, in both modes: that, left to negotiate, it settles on 2026-07-28 itself
// (a silent fallback to a handshake era fails), lists the tools and prompts, and reads users;
// and that the same client in its default legacy mode still gets the 2025-11-25 handshake.
//
// Then, in public mode, the question the server asks when a slug names no organization but
// some come close: clerk_get_organization with slug 'acme' (the fake has 'acme-corporation',
// no 'acme') makes a client that can answer a form get an elicitation offering the close
// organizations to pick from. Picking one shows it; declining, or a client that cannot be
// asked, gets Clerk's 404 as a tool error.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

import {
  TOOL_NAMES, assertCompactUser, assertOutputConventions, clerkState, modes, pageOf, seededUsers, structured,
  toolError,
} from './support.mjs';

const MODERN = '2026-07-28';
const LEGACY = '2025-11-25';

/**
 * Connects the v2 client: negotiating (`versionNegotiation` mode 'auto') unless `legacy`, with
 * `capabilities`, and `onElicit` as its elicitation handler if given. With `sent`, every JSON-RPC
 * message the client posts is pushed onto it.
 */
async function connectV2(url, headers, { legacy = false, capabilities = {}, onElicit, sent } = {}) {
  const client = new Client(
    { name: 'clerk-mcp-worker-e2e-v2', version: '0.1.0' },
    { capabilities, ...(legacy ? {} : { versionNegotiation: { mode: 'auto' } }) },
  );
  if (onElicit) client.setRequestHandler('elicitation/create', onElicit);
  const recordingFetch = async (input, init) => {
    if (typeof init?.body === 'string') sent.push(JSON.parse(init.body));
    return fetch(input, init);
  };
  await client.connect(new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers },
    ...(sent ? { fetch: recordingFetch } : {}),
  }));
  return client;
}

for (const mode of modes()) {
  describe(`the v2 client in ${mode.name} mode`, () => {
    let client;
    let users;

    before(async () => {
      client = await connectV2(mode.url, mode.headers);
      users = await seededUsers();
    });
    after(() => client?.close());

    it('negotiates MCP 2026-07-28 itself, without falling back to a handshake', () => {
      assert.equal(client.getNegotiatedProtocolVersion(), MODERN);
      assert.equal(client.getProtocolEra(), 'modern');
      assert.ok(client.getDiscoverResult()?.supportedVersions?.includes(MODERN), 'server/discover offers 2026-07-28');
    });

    it('lists the forty-six tools, each with an output schema, and the prompts', async () => {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name).sort(), TOOL_NAMES);
      for (const tool of tools) assert.equal(tool.outputSchema?.type, 'object', `${tool.name} has an outputSchema`);
      const { prompts } = await client.listPrompts();
      assert.ok(prompts.length > 0, 'prompts/list has prompts');
    });

    it('shows the three newest users and the total with clerk_list_users', async () => {
      const result = await client.callTool({ name: 'clerk_list_users', arguments: { limit: 3 } });
      const output = structured(result);
      assertOutputConventions(output);
      const newest = [...users].reverse().slice(0, 3);
      assert.deepEqual(output.users.map((user) => user.id), newest.map((user) => user.id));
      output.users.forEach((user, i) => assertCompactUser(user, newest[i]));
      assert.deepEqual(pageOf(output), { totalCount: users.length, count: 3, offset: 0, hasMore: true, nextOffset: 3 });
    });

    it('still gets the 2025-11-25 handshake in its default legacy mode', async () => {
      const legacy = await connectV2(mode.url, mode.headers, { legacy: true });
      try {
        assert.equal(legacy.getNegotiatedProtocolVersion(), LEGACY);
        assert.equal(legacy.getProtocolEra(), 'legacy');
        const { tools } = await legacy.listTools();
        assert.deepEqual(tools.map((tool) => tool.name).sort(), TOOL_NAMES);
      } finally {
        await legacy.close();
      }
    });
  });
}

describe('which organization a close slug meant (public mode, 2026-07-28)', () => {
  const { url, headers } = modes()[0];
  const call = (client) => client.callTool({ name: 'clerk_get_organization', arguments: { slug: 'acme' } });
  const FORM = { elicitation: { form: {} } };
  let acme;

  before(async () => {
    acme = (await clerkState()).organizations.find((organization) => organization.slug === 'acme-corporation');
    assert.ok(acme, 'the fake Clerk has the organization acme-corporation');
    assert.ok(!(await clerkState()).organizations.some((organization) => organization.slug === 'acme'),
      'the fake Clerk has no organization acme');
  });

  /** Connects a 2026-07-28 client that can answer forms; `answer` is its reply to each question. */
  async function askable(answer) {
    const asked = [];
    const client = await connectV2(url, headers, {
      capabilities: FORM,
      onElicit: (request) => {
        asked.push(request.params);
        return answer;
      },
    });
    assert.equal(client.getNegotiatedProtocolVersion(), MODERN);
    return { client, asked };
  }

  /**
   * Asserts the client was asked once, with a form naming 'acme' that offers acme-corporation
   * among its choices; `result` is what the call came to, shown if it was not asked.
   */
  function assertAcmeQuestion(asked, result) {
    assert.equal(asked.length, 1,
      `the client should be asked once which organization was meant, was asked ${asked.length} times; the call gave ${JSON.stringify(result.content)}`);
    const [question] = asked;
    assert.ok(question.mode === undefined || question.mode === 'form', `a form elicitation, got mode ${question.mode}`);
    assert.equal(typeof question.message, 'string');
    assert.ok(question.message.includes('acme'), `the message names the slug asked for: ${question.message}`);
    const choices = question.requestedSchema?.properties?.slug?.oneOf;
    assert.ok(Array.isArray(choices) && choices.length > 0, `requestedSchema.properties.slug.oneOf lists choices: ${JSON.stringify(question.requestedSchema)}`);
    for (const choice of choices) {
      assert.equal(typeof choice.const, 'string', `each choice has a const: ${JSON.stringify(choice)}`);
      assert.equal(typeof choice.title, 'string', `each choice has a title: ${JSON.stringify(choice)}`);
    }
    assert.ok(choices.some((choice) => choice.const === 'acme-corporation'), `acme-corporation is offered: ${JSON.stringify(choices)}`);
  }

  it('asks which organization was meant, and shows the one the user picks', async () => {
    const { client, asked } = await askable({ action: 'accept', content: { slug: 'acme-corporation' } });
    try {
      const result = await call(client);
      assertAcmeQuestion(asked, result);
      const output = structured(result);
      assert.equal(output.slug, 'acme-corporation');
      assert.equal(output.name, 'Acme Corporation');
      assert.equal(output.id, acme.id);
    } finally {
      await client.close();
    }
  });

  it("reports Clerk's 404 as a tool error when the user declines to pick one", async () => {
    const { client, asked } = await askable({ action: 'decline' });
    try {
      const result = await call(client);
      assertAcmeQuestion(asked, result);
      const text = toolError(result);
      assert.match(text, /404/);
      assert.match(text, /resource_not_found/);
    } finally {
      await client.close();
    }
  });

  it("reports Clerk's 404 at once to a client that cannot be asked", async () => {
    // The v2 client refuses an elicitation handler without the capability, so this one has
    // none to call; were it asked anyway, callTool would reject ("Cannot fulfil input request").
    const sent = [];
    const client = await connectV2(url, headers, { capabilities: {}, sent });
    try {
      assert.equal(client.getNegotiatedProtocolVersion(), MODERN);
      const result = await call(client);
      const text = toolError(result);
      assert.match(text, /404/);
      assert.match(text, /resource_not_found/);
      const calls = sent.filter((message) => message.method === 'tools/call');
      assert.equal(calls.length, 1, 'one tools/call, not retried with answers');
      assert.equal(calls[0].params.inputResponses, undefined);
      assert.equal(calls[0].params._meta?.['io.modelcontextprotocol/clientCapabilities']?.elicitation, undefined,
        'the call declares no elicitation');
    } finally {
      await client.close();
    }
  });
});
