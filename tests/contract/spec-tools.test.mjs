// Tests of the contract step's own pieces, on the vendored spec: the /v1 copy, how the spec
// proxy finds an operation, judges a request and switches between mocks, and how a tool's
// result is judged. Needs no service (the proxy's mocks are servers of its own on 127.0.0.1):
//   node --test tests/contract/spec-tools.test.mjs

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';

import { outputValidators, passes } from './calls.mjs';
import {
  createSpecProxy, findOperation, operationsOf, prismViolations, undeclared,
} from './spec-proxy.mjs';
import { specWithV1, VENDORED_SPEC } from './spec-v1.mjs';

const VENDORED_SHA256 = '75df3a43fcb2d9fc4467a23c717714f5228aa3267b0930ba34612728365fd8f2';
const text = readFileSync(VENDORED_SPEC, 'utf8');
const spec = specWithV1(text);
const operations = operationsOf(spec);

describe('the vendored spec and its /v1 copy', () => {
  it('is Clerk\'s file, unmodified', () => {
    assert.equal(createHash('sha256').update(readFileSync(VENDORED_SPEC)).digest('hex'), VENDORED_SHA256);
    assert.equal(spec.info.version, '2026-05-12');
  });

  it('puts every path under /v1 and serves from 127.0.0.1', () => {
    const paths = Object.keys(spec.paths);
    assert.ok(paths.length > 100);
    assert.ok(paths.every((path) => path.startsWith('/v1/')));
    assert.ok('/v1/organizations/{organization_id}/memberships/{user_id}/metadata' in spec.paths);
    assert.deepEqual(spec.servers, [{ url: 'http://127.0.0.1' }]);
  });

  it('refuses a spec whose paths already carry /v1', () => {
    assert.throws(() => specWithV1('openapi: 3.0.3\npaths:\n  /v1/users: {}\n'), /already carry \/v1/);
    assert.throws(() => specWithV1('swagger: "2.0"\npaths: {}\n'), /not an OpenAPI 3 document/);
  });
});

describe('the spec proxy\'s judgement', () => {
  const operation = (method, path) => findOperation(operations, method, path)?.operationId ?? null;

  it('finds the operation of each tool\'s requests, preferring literal segments', () => {
    assert.equal(operation('GET', '/v1/users'), 'GetUserList');
    assert.equal(operation('GET', '/v1/users/count'), 'GetUsersCount');
    assert.equal(operation('GET', '/v1/users/user_2abc'), 'GetUser');
    assert.equal(operation('PATCH', '/v1/users/user_2abc/metadata'), 'UpdateUserMetadata');
    assert.equal(operation('GET', '/v1/organizations'), 'ListOrganizations');
    assert.equal(operation('POST', '/v1/organizations'), 'CreateOrganization');
    assert.equal(operation('GET', '/v1/organizations/acme'), 'GetOrganization');
    assert.equal(operation('DELETE', '/v1/organizations/org_2abc'), 'DeleteOrganization');
    assert.equal(operation('PATCH', '/v1/organizations/org_2abc/metadata'), 'MergeOrganizationMetadata');
    assert.equal(operation('GET', '/v1/organizations/org_2abc/memberships'), 'ListOrganizationMemberships');
    assert.equal(operation('PATCH', '/v1/organizations/org_2abc/memberships/user_2abc'), 'UpdateOrganizationMembership');
    assert.equal(operation('DELETE', '/v1/organizations/org_2abc/memberships/user_2abc'), 'DeleteOrganizationMembership');
    assert.equal(operation('PATCH', '/v1/organizations/org_2abc/memberships/user_2abc/metadata'), 'UpdateOrganizationMembershipMetadata');
    assert.equal(operation('GET', '/v1/organizations/org_2abc/invitations'), 'ListOrganizationInvitations');
    assert.equal(operation('POST', '/v1/organizations/org_2abc/invitations'), 'CreateOrganizationInvitation');
  });

  it('finds nothing for a path or method the spec does not have', () => {
    assert.equal(operation('GET', '/users'), null);
    assert.equal(operation('GET', '/v1/organizations/org_2abc/members'), null);
    assert.equal(operation('POST', '/v1/users/count'), null);
    assert.equal(operation('GET', '/v1/users/'), null);
  });

  it('flags query parameters and body fields the operation does not declare', () => {
    const count = findOperation(operations, 'GET', '/v1/users/count');
    assert.deepEqual(undeclared(count, new URLSearchParams('query=a&limit=1'), ''), [
      'query parameter limit is not declared for GetUsersCount',
    ]);
    const members = findOperation(operations, 'GET', '/v1/organizations/org_2abc/memberships');
    assert.deepEqual(undeclared(members, new URLSearchParams('role=org:admin&role=org:member&limit=5&offset=0&order_by=%2Bfirst_name'), ''), []);
    const create = findOperation(operations, 'POST', '/v1/organizations');
    assert.deepEqual(undeclared(create, new URLSearchParams(''), JSON.stringify({ name: 'x', createdBy: 'user_1' })), [
      'body field createdBy is not declared for CreateOrganization',
    ]);
    assert.deepEqual(undeclared(create, new URLSearchParams(''), '{"name":'), ['the body of CreateOrganization is not JSON']);
  });

  it('keeps the request side of Prism\'s sl-violations', () => {
    const header = JSON.stringify([
      { location: ['request', 'query', 'limit'], severity: 'Error', code: 'type', message: 'must be integer' },
      { location: ['response', 'body'], severity: 'Error', code: 'required', message: 'must have id' },
    ]);
    assert.deepEqual(prismViolations(header), ['request.query.limit: must be integer (Error, type)']);
    assert.deepEqual(prismViolations(null), []);
    assert.match(prismViolations('not json')[0], /unreadable/);
  });
});

/** Starts `server` on a free 127.0.0.1 port; resolves to its base URL. */
async function listen(server) {
  await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  return `http://127.0.0.1:${server.address().port}`;
}

describe('the spec proxy\'s mocks', () => {
  it('sends requests to the static mock first, then to the one the test names', async () => {
    const mocks = ['static', 'seed-1'].map((name) => createServer((req, res) => res.end(JSON.stringify({ name }))));
    const [staticUrl, seedUrl] = await Promise.all(mocks.map(listen));
    const proxy = createSpecProxy({ target: staticUrl, spec, mocks: { 'seed-1': seedUrl } });
    const proxyUrl = await listen(proxy);
    try {
      const ask = async () => (await (await fetch(`${proxyUrl}/v1/users/count`)).json()).name;
      assert.deepEqual(await (await fetch(`${proxyUrl}/__mock`)).json(), { current: 'static', names: ['static', 'seed-1'] });
      assert.equal(await ask(), 'static');
      assert.equal((await fetch(`${proxyUrl}/__mock`, { method: 'PUT', body: 'seed-1' })).status, 204);
      assert.equal(await ask(), 'seed-1');
      assert.equal((await fetch(`${proxyUrl}/__mock`, { method: 'PUT', body: 'seed-9' })).status, 404);
      assert.equal(await ask(), 'seed-1');
      const recorded = await (await fetch(`${proxyUrl}/__requests`)).json();
      assert.deepEqual(recorded.map((r) => [r.operationId, r.mock]), [
        ['GetUsersCount', 'static'], ['GetUsersCount', 'seed-1'], ['GetUsersCount', 'seed-1'],
      ]);
    } finally {
      for (const server of [proxy, ...mocks]) {
        server.closeAllConnections();
        server.close();
      }
    }
  });
});

describe('how a result is judged', () => {
  const schema = {
    type: 'object',
    properties: { createdAt: { type: ['string', 'integer', 'null'], format: 'date-time' }, totalCount: { type: 'integer' } },
    required: ['totalCount'],
    additionalProperties: false,
  };
  const validate = outputValidators([{ name: 'clerk_t', outputSchema: schema }, { name: 'clerk_none' }]).get('clerk_t');

  it('checks the outputSchema, formats too', () => {
    assert.ok(validate({ totalCount: -1, createdAt: '2024-01-02T03:04:05.678Z' }));
    assert.ok(validate({ totalCount: 0, createdAt: 253402300800000 }));
    assert.ok(!validate({ totalCount: 1, createdAt: 'yesterday' }));
    assert.ok(!validate({ createdAt: '2024-01-02T03:04:05.678Z' }));
    assert.ok(!validate({ totalCount: 1, extra: true }));
  });

  it('lets pass only the refusals the answer justifies', () => {
    const refusal = 'tool error: Invalid argument `userId`: user user_2abc is not a member of organization org_2abc. Nothing was sent to Clerk.';
    assert.ok(passes('clerk_preview clerk_remove_member', { ok: false, outcome: refusal }));
    assert.ok(!passes('clerk_remove_member', { ok: false, outcome: refusal }));
    assert.ok(!passes('clerk_preview clerk_remove_member', { ok: false, outcome: 'tool error: Clerk answered HTTP 200 with a body this server could not read' }));
    assert.ok(passes('clerk_list_users', { ok: true, outcome: 'ok' }));
  });
});
