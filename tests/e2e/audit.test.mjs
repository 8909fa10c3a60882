// The audit trail, read where an operator reads it: the worker's log. wrangler dev prints what
// the worker writes with console.log, as `wrangler tail`, Workers Logs and Logpush get it;
// run.mjs saves each worker's output and names the file in MCP_LOG_<worker>. Every tools/call
// writes one JSON line: its fields are checked for each outcome the server decides itself (ok,
// tool_error, refused, and a confirmation asked for, refused, given), for the principals of the hosted and public workers, for a batch and
// for a 2026-07-28 client that names itself; and no line holds a key, a token, an email
// address, a password, a name or a metadata value the calls carried.
//
// Each test reads only what its worker logged after the test began (test files run one at a
// time, so nothing else calls the worker meanwhile).

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { setTimeout as pause } from 'node:timers/promises';

import {
  fakeClerkUrl, hostedTokens, noteToken, seededUsers, setting, structured, toolError,
} from './support.mjs';

const FIELDS = [
  'argsDigest', 'clerkStatus', 'client', 'durationMs', 'event', 'outcome', 'principal', 'requestId', 'targets',
  'time', 'tool',
];
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const LINE_PREFIX = '{"event":"tool_call"';

const publicKey = setting('CLERK_KEY_PUBLIC');
const publicKeyHeader = { 'x-clerk-secret-key': publicKey };
const bearer = (token) => ({ authorization: `Bearer ${token}` });

/** The audit lines in a piece of a worker's log; any line that starts like one must be one. */
function auditLines(text) {
  return text.split('\n').map((line) => line.trim()).filter((line) => line.startsWith(LINE_PREFIX)).map((line) => {
    try {
      return JSON.parse(line);
    } catch (error) {
      throw new Error(`an audit line is not JSON (${error.message}): ${line}`);
    }
  });
}

/**
 * The log of the worker MCP_LOG_<name> names, from where it ends now. `lines(count)` waits
 * until `count` audit lines were written after that point, then a little longer, and returns
 * every one there is, so that a test sees any line too many.
 */
function logFrom(name) {
  const file = setting(`MCP_LOG_${name}`);
  const start = statSync(file).size;
  const written = () => readFileSync(file).subarray(start).toString('utf8');
  return {
    written,
    async lines(count) {
      const until = Date.now() + 10_000;
      while (auditLines(written()).length < count && Date.now() < until) await pause(100);
      await pause(300);
      return auditLines(written());
    },
  };
}

let nextId = 1;

/** Posts one JSON-RPC message (or batch) over plain HTTP; resolves to the parsed answer. */
async function post(url, headers, body, { version = '2025-06-18' } = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(version ? { 'mcp-protocol-version': version } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const callBody = (name, args) => ({ jsonrpc: '2.0', id: nextId++, method: 'tools/call', params: { name, arguments: args } });

/** A tools/call; resolves to its result, after checking it got one. */
async function callTool(url, headers, name, args) {
  const { status, body } = await post(url, headers, callBody(name, args));
  assert.equal(status, 200, JSON.stringify(body));
  assert.ok(body.result, JSON.stringify(body));
  return body.result;
}

/** Checks that a line has every field and the forms they take whatever the call. */
function assertLineShape(line) {
  assert.deepEqual(Object.keys(line).sort(), FIELDS);
  assert.equal(line.event, 'tool_call');
  assert.match(line.time, ISO_TIME);
  assert.ok(Math.abs(Date.parse(line.time) - Date.now()) < 10 * 60_000, `${line.time} is not about now`);
  assert.ok(line.requestId === null || typeof line.requestId === 'string');
  assert.ok(Number.isInteger(line.durationMs) && line.durationMs >= 0, `durationMs ${line.durationMs}`);
  assert.ok(Array.isArray(line.targets));
  assert.ok(line.argsDigest === null || /^[0-9a-f]{16}$/.test(line.argsDigest), `argsDigest ${line.argsDigest}`);
}

/** `principal` for a public request with `key`: the first 12 hex characters of its SHA-256. */
const keyPrincipal = (key) => `key:${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;

describe('the hosted worker', () => {
  const url = setting('MCP_URL_HOSTED');
  const [firstToken, secondToken] = hostedTokens();

  it('writes one line with every field for a read: ok, the token by its place, the user, Clerk\'s 200', async () => {
    const [user] = await seededUsers();
    const log = logFrom('HOSTED');
    structured(await callTool(url, bearer(secondToken), 'clerk_get_user', { userId: user.id }));
    const lines = await log.lines(1);
    assert.equal(lines.length, 1, JSON.stringify(lines));
    const [line] = lines;
    assertLineShape(line);
    assert.equal(line.tool, 'clerk_get_user');
    assert.equal(line.outcome, 'ok');
    assert.equal(line.principal, 'token:2');
    assert.equal(line.client, null);
    assert.deepEqual(line.targets, [user.id]);
    assert.match(line.argsDigest, /^[0-9a-f]{16}$/);
    assert.equal(line.clerkStatus, 200);
  });

  it('records an error from Clerk as a tool_error with Clerk\'s status', async () => {
    const log = logFrom('HOSTED');
    toolError(await callTool(url, bearer(firstToken), 'clerk_get_user', { userId: 'user_auditnosuchuser' }));
    const [line, ...more] = await log.lines(1);
    assert.deepEqual(more, []);
    assertLineShape(line);
    assert.equal(line.outcome, 'tool_error');
    assert.equal(line.principal, 'token:1');
    assert.equal(line.clerkStatus, 404);
    assert.deepEqual(line.targets, ['user_auditnosuchuser']);
  });

  it('records a write withheld from the read-only token as refused, the token numbered after MCP_AUTH_TOKENS', async () => {
    const [user] = await seededUsers();
    const log = logFrom('HOSTED');
    toolError(await callTool(url, bearer(setting('MCP_TOKEN_READ_ONLY')), 'clerk_ban_user', { userId: user.id }));
    const [line, ...more] = await log.lines(1);
    assert.deepEqual(more, []);
    assertLineShape(line);
    assert.equal(line.tool, 'clerk_ban_user');
    assert.equal(line.outcome, 'refused');
    assert.equal(line.principal, 'token:3');
    assert.equal(line.clerkStatus, null);
  });

  it('gives the same arguments the same digest and other arguments another', async () => {
    const [first, second] = await seededUsers();
    const log = logFrom('HOSTED');
    for (const user of [first, first, second]) {
      await callTool(url, bearer(firstToken), 'clerk_get_user', { userId: user.id });
    }
    const lines = await log.lines(3);
    assert.equal(lines.length, 3);
    assert.equal(lines[0].argsDigest, lines[1].argsDigest);
    assert.notEqual(lines[0].argsDigest, lines[2].argsDigest);
  });
});

describe('the public worker', () => {
  const url = setting('MCP_URL_PUBLIC');

  it('names the caller by a hash of the key it brought, and refuses an unknown tool without naming it', async () => {
    const [user] = await seededUsers();
    const log = logFrom('PUBLIC');
    await callTool(url, publicKeyHeader, 'clerk_get_user', { userId: user.id });
    const unknown = 'clerk_audit_made_up_tool';
    const { body } = await post(url, publicKeyHeader, callBody(unknown, { userId: user.id }));
    assert.equal(body.error?.code, -32602);
    const lines = await log.lines(2);
    assert.equal(lines.length, 2, JSON.stringify(lines));
    for (const line of lines) {
      assertLineShape(line);
      assert.equal(line.principal, keyPrincipal(publicKey));
    }
    assert.equal(lines[0].outcome, 'ok');
    assert.equal(lines[1].outcome, 'refused');
    assert.equal(lines[1].tool, null);
    assert.deepEqual(lines[1].targets, [user.id]);
    assert.equal(log.written().includes(unknown), false, 'the unknown name is in the log');
  });

  it('writes one line for each tools/call of a 2025-03-26 batch', async () => {
    const [first, second] = await seededUsers();
    const log = logFrom('PUBLIC');
    const { status, body } = await post(url, publicKeyHeader, [
      callBody('clerk_get_user', { userId: first.id }),
      { jsonrpc: '2.0', id: nextId++, method: 'tools/list' },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      callBody('clerk_get_user', { userId: second.id }),
    ], { version: null });
    assert.equal(status, 200);
    assert.equal(body.length, 3);
    const lines = await log.lines(2);
    assert.equal(lines.length, 2, JSON.stringify(lines));
    assert.deepEqual(lines.map((line) => line.targets).sort(), [[first.id], [second.id]].sort());
    assert.deepEqual(lines.map((line) => line.outcome), ['ok', 'ok']);
  });

  it('names the client a 2026-07-28 request names, in printable text only', async () => {
    const [user] = await seededUsers();
    const log = logFrom('PUBLIC');
    const message = {
      jsonrpc: '2.0',
      id: nextId++,
      method: 'tools/call',
      params: {
        name: 'clerk_get_user',
        arguments: { userId: user.id },
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': {},
          'io.modelcontextprotocol/clientInfo': { name: 'Audit\u0007 Client', version: '3.1.4' },
        },
      },
    };
    const { status, body } = await post(url, {
      ...publicKeyHeader, 'mcp-method': 'tools/call', 'mcp-name': 'clerk_get_user',
    }, message, { version: '2026-07-28' });
    assert.equal(status, 200, JSON.stringify(body));
    const [line, ...more] = await log.lines(1);
    assert.deepEqual(more, []);
    assertLineShape(line);
    assert.deepEqual(line.client, { name: 'Audit Client', version: '3.1.4' });
    assert.equal(line.outcome, 'ok');
  });
});

describe('the worker with sign-in with Clerk', () => {
  it('names a user who signed in by their user ID, and never the token', async () => {
    const users = await seededUsers();
    const response = await fetch(`${fakeClerkUrl()}/__oauth/access-tokens`, {
      method: 'POST', body: JSON.stringify({ subject: users[0].id }),
    });
    assert.equal(response.status, 201);
    const { access_token: accessToken } = await response.json();
    noteToken('the audit test\'s OAuth access token', accessToken);
    const log = logFrom('OAUTH');
    structured(await callTool(setting('MCP_URL_OAUTH'), bearer(accessToken), 'clerk_get_user', { userId: users[1].id }));
    const [line, ...more] = await log.lines(1);
    assert.deepEqual(more, []);
    assertLineShape(line);
    assert.equal(line.principal, users[0].id);
    assert.deepEqual(line.targets, [users[1].id]);
    assert.equal(line.clerkStatus, 200);
    assert.equal(log.written().includes(accessToken), false, 'the access token is in the log');
  });
});

describe('what the lines never hold', () => {
  it('holds no key, token, email address, password, name or metadata value of the calls', async () => {
    const tag = randomBytes(6).toString('hex');
    const written = {
      email: `audit.${tag}@example.com`,
      password: noteToken('the audit test\'s password', `pw-Audit-${randomBytes(12).toString('hex')}`),
      firstName: `Auditfirst${tag}`,
      lastName: `Auditlast${tag}`,
      username: `audit_${tag}`,
      externalId: `ext-audit-${tag}`,
      publicValue: `public-value-${tag}`,
      privateValue: `private-value-${tag}`,
      unsafeValue: `unsafe-value-${tag}`,
      memberValue: `member-value-${tag}`,
    };
    const newUser = {
      emailAddress: [written.email], password: written.password, firstName: written.firstName,
      lastName: written.lastName, username: written.username, externalId: written.externalId,
      publicMetadata: { plan: written.publicValue }, privateMetadata: { crm: written.privateValue },
      unsafeMetadata: { seen: written.unsafeValue },
    };
    const [seeded] = await seededUsers();
    const logs = { PUBLIC: logFrom('PUBLIC'), HOSTED: logFrom('HOSTED'), HOSTED_LIVE: logFrom('HOSTED_LIVE') };
    const publicUrl = setting('MCP_URL_PUBLIC');
    const hostedUrl = setting('MCP_URL_HOSTED');
    const [token] = hostedTokens();
    const expected = { PUBLIC: 0, HOSTED: 0, HOSTED_LIVE: 0 };

    // A user made and removed again, so that the fake's state is as the other tests expect it.
    const created = structured(await callTool(publicUrl, publicKeyHeader, 'clerk_create_user', newUser));
    await callTool(publicUrl, publicKeyHeader, 'clerk_delete_user', { userId: created.id });
    await callTool(publicUrl, publicKeyHeader, 'clerk_list_users', { emailAddress: [written.email], query: written.firstName });
    expected.PUBLIC += 3;
    // Metadata set and taken away again.
    for (const value of [written.unsafeValue, null]) {
      await callTool(hostedUrl, bearer(token), 'clerk_update_user_metadata', { userId: seeded.id, unsafeMetadata: { auditCheck: value } });
    }
    await callTool(hostedUrl, bearer(token), 'clerk_count_users', { emailAddress: [written.email] });
    expected.HOSTED += 3;
    // Writes a production key may not make: refused, with every value still in the arguments.
    toolError(await callTool(setting('MCP_URL_HOSTED_LIVE'), bearer(token), 'clerk_create_user', newUser));
    toolError(await callTool(setting('MCP_URL_HOSTED_LIVE'), bearer(token), 'clerk_create_invitation', {
      organizationId: 'org_auditorg1', emailAddress: written.email, role: 'org:member',
      publicMetadata: { note: written.memberValue },
    }));
    expected.HOSTED_LIVE += 2;

    const secrets = {
      'the public key': publicKey,
      'the hosted key': setting('CLERK_KEY_HOSTED'),
      'the production key': setting('CLERK_KEY_LIVE'),
      ...Object.fromEntries(hostedTokens().map((value, i) => [`hosted token ${i + 1}`, value])),
      'the read-only token': setting('MCP_TOKEN_READ_ONLY'),
      ...written,
    };
    let checked = 0;
    for (const [name, log] of Object.entries(logs)) {
      const lines = await log.lines(expected[name]);
      assert.equal(lines.length, expected[name], `${name}: ${JSON.stringify(lines)}`);
      checked += lines.length;
      // Everything the worker logged meanwhile, audit lines and the rest.
      const text = log.written();
      for (const [label, value] of Object.entries(secrets)) {
        assert.equal(text.includes(value), false, `the ${name} worker's log holds ${label}`);
      }
      assert.equal(/sk_(?:test|live)_[A-Za-z0-9]/.test(text), false, `the ${name} worker's log holds a key`);
      for (const line of lines) {
        assertLineShape(line);
        assert.equal(JSON.stringify(line).includes('@'), false, `an email address in ${JSON.stringify(line)}`);
      }
    }
    assert.equal(checked, 8);
    const live = await logs.HOSTED_LIVE.lines(2);
    assert.deepEqual(live.map((line) => [line.tool, line.outcome, line.principal]), [
      ['clerk_create_user', 'refused', 'token:1'],
      ['clerk_create_invitation', 'refused', 'token:1'],
    ]);
    assert.deepEqual(live[1].targets, ['org_auditorg1']);
  });
});

describe('the worker that waits for a yes', () => {
  const url = setting('MCP_URL_PUBLIC_CONFIRM');

  it('records the question, a refused token and the confirmed deletion, each once', async () => {
    const email = `audit-confirm-${randomBytes(4).toString('hex')}@example.com`;
    // Made through another worker, so that its line cannot land in this worker's log late.
    const created = structured(await callTool(setting('MCP_URL_PUBLIC'), publicKeyHeader, 'clerk_create_user', { emailAddress: [email] }));
    const log = logFrom('PUBLIC_CONFIRM');
    const asked = await callTool(url, publicKeyHeader, 'clerk_delete_user', { userId: created.id });
    toolError(asked);
    const { confirmToken } = asked._meta['clerk-mcp-worker/confirmation'];
    toolError(await callTool(url, publicKeyHeader, 'clerk_delete_user', { userId: created.id, confirmToken: `${confirmToken}x` }));
    structured(await callTool(url, publicKeyHeader, 'clerk_delete_user', { userId: created.id, confirmToken }));
    const lines = await log.lines(3);
    assert.deepEqual(lines.map((line) => [line.tool, line.outcome, line.clerkStatus]), [
      ['clerk_delete_user', 'confirmation_requested', 200],
      ['clerk_delete_user', 'refused', null],
      ['clerk_delete_user', 'confirmed', 200],
    ]);
    for (const line of lines) {
      assertLineShape(line);
      assert.deepEqual(line.targets, [created.id]);
      assert.equal(line.principal, keyPrincipal(publicKey));
      assert.equal(JSON.stringify(line).includes(confirmToken), false, 'the token is in a line');
    }
    // The digest leaves the token out: the question and the deletion it allowed share one.
    assert.equal(lines[0].argsDigest, lines[2].argsDigest);
  });
});
