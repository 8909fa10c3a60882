// A recording proxy between the worker and Prism, for the contract test. It forwards every
// request to Prism unchanged and records it with what was wrong with it:
//   - the request-side violations Prism reports in its `sl-violations` answer header;
//   - no operation in the spec for the method and path (Prism's NO_PATH_MATCHED and
//     NO_METHOD_MATCHED answers, and the proxy's own lookup);
//   - query parameters the operation does not declare, and body fields its JSON schema does
//     not name (Prism lets both through where the spec leaves them open; Clerk refuses unknown
//     body fields).
//
// Run:    node tests/contract/spec-proxy.mjs --target http://127.0.0.1:PRISM_PORT --spec SPEC.json
//                                            [--mock NAME=http://127.0.0.1:PORT ...] [--port 0]
//         SPEC.json is the /v1 copy spec-v1.mjs writes. It prints `listening <port>` on stdout
//         once it accepts connections. `--target` is the mock named `static` (Prism serving the
//         spec's examples), where requests go first; each `--mock` names another (a Prism with
//         dynamic data and a seed of its own), which the test can switch to.
//
// Test-only endpoints (not forwarded, not recorded):
//   GET /__requests     every recorded request, oldest first:
//                       { method, path, query, body, operationId, status, violations, mock }
//   DELETE /__requests  forget them
//   GET /__mock         { current, names }: the mock requests go to, and every one there is
//   PUT /__mock         send the requests from now on to the mock the body names

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect']);

/** Follows `$ref`s (local ones, `#/...`) until `node` is not one. */
function deref(spec, node) {
  let current = node;
  for (let hops = 0; current?.$ref !== undefined; hops++) {
    if (hops > 20 || !current.$ref.startsWith('#/')) throw new Error(`cannot follow $ref ${current.$ref}`);
    current = current.$ref.slice(2).split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((value, key) => value?.[key], spec);
  }
  return current;
}

/** The spec's operations, each with a matcher for its path template. */
export function operationsOf(spec) {
  const operations = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    const pattern = new RegExp(`^${template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+')}$`);
    const shared = item.parameters ?? [];
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = [...shared, ...(operation.parameters ?? [])].map((p) => deref(spec, p));
      const schema = deref(spec, operation.requestBody?.content?.['application/json']?.schema);
      operations.push({
        method: method.toUpperCase(),
        template,
        pattern,
        templated: (template.match(/\{/g) ?? []).length,
        operationId: operation.operationId ?? `${method.toUpperCase()} ${template}`,
        query: new Set(parameters.filter((p) => p?.in === 'query').map((p) => p.name)),
        bodyFields: schema?.properties ? new Set(Object.keys(schema.properties)) : null,
      });
    }
  }
  return operations;
}

/** The operation for a request: the matching template with the fewest path parameters. */
export function findOperation(operations, method, path) {
  return operations
    .filter((o) => o.method === method && o.pattern.test(path))
    .sort((a, b) => a.templated - b.templated)[0] ?? null;
}

/** What the spec itself says is wrong with a request, beyond what Prism checks. */
export function undeclared(operation, params, body) {
  const problems = [];
  for (const name of new Set(params.keys())) {
    if (!operation.query.has(name)) problems.push(`query parameter ${name} is not declared for ${operation.operationId}`);
  }
  if (body !== '' && operation.bodyFields) {
    let parsed;
    try {
      parsed = JSON.parse(body);
    } catch {
      return [...problems, `the body of ${operation.operationId} is not JSON`];
    }
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      for (const key of Object.keys(parsed)) {
        if (!operation.bodyFields.has(key)) problems.push(`body field ${key} is not declared for ${operation.operationId}`);
      }
    }
  }
  return problems;
}

/** The request-side entries of Prism's `sl-violations` header, one line each. */
export function prismViolations(header) {
  if (!header) return [];
  let entries;
  try {
    entries = JSON.parse(header);
  } catch {
    return [`unreadable sl-violations header: ${header}`];
  }
  return entries
    .filter((entry) => entry.location?.[0] === 'request')
    .map((entry) => `${entry.location.join('.')}: ${entry.message} (${entry.severity}, ${entry.code})`);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res, status, value) {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Builds the proxy as an unstarted `http.Server` forwarding to `target` (Prism's base URL), or
 * to one of `mocks` (a name for each base URL) once the test switches to it.
 */
export function createSpecProxy({ target, spec, mocks = {} }) {
  const operations = operationsOf(spec);
  const requests = [];
  const targets = { static: target, ...mocks };
  let current = 'static';

  return createServer(async (req, res) => {
    const raw = await readBody(req);
    const [path, ...rest] = req.url.split('?');
    const query = rest.join('?');
    if (path === '/__requests' && req.method === 'GET') return sendJson(res, 200, requests);
    if (path === '/__requests' && req.method === 'DELETE') {
      requests.length = 0;
      res.writeHead(204).end();
      return undefined;
    }
    if (path === '/__mock' && req.method === 'GET') return sendJson(res, 200, { current, names: Object.keys(targets) });
    if (path === '/__mock' && req.method === 'PUT') {
      const name = raw.toString('utf8').trim();
      if (!Object.hasOwn(targets, name)) return sendJson(res, 404, { error: `no mock named ${name}` });
      current = name;
      res.writeHead(204).end();
      return undefined;
    }

    const body = raw.toString('utf8');
    const operation = findOperation(operations, req.method, path);
    const record = {
      method: req.method,
      path,
      query,
      body,
      operationId: operation?.operationId ?? null,
      status: null,
      mock: current,
      violations: operation
        ? undeclared(operation, new URLSearchParams(query), body)
        : [`the spec has no operation for ${req.method} ${path}`],
    };
    requests.push(record);

    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
    let answer;
    try {
      answer = await fetch(`${targets[current]}${req.url}`, {
        method: req.method,
        headers,
        body: raw.length > 0 ? raw : undefined,
        redirect: 'manual',
      });
    } catch (error) {
      record.status = 502;
      record.violations.push(`Prism did not answer: ${error.cause?.code ?? error.message}`);
      return sendJson(res, 502, { error: 'Prism did not answer' });
    }
    const text = await answer.text();
    record.status = answer.status;
    record.violations.push(...prismViolations(answer.headers.get('sl-violations')));
    if (/NO_PATH_MATCHED|NO_METHOD_MATCHED/.test(text) && (answer.headers.get('content-type') ?? '').includes('problem+json')) {
      record.violations.push(`Prism found no operation for ${req.method} ${path}`);
    }
    const back = {};
    answer.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') back[name] = value;
    });
    res.writeHead(answer.status, { ...back, 'content-length': Buffer.byteLength(text) });
    res.end(text);
    return undefined;
  });
}

async function main() {
  const { values } = parseArgs({
    options: {
      target: { type: 'string' },
      spec: { type: 'string' },
      mock: { type: 'string', multiple: true, default: [] },
      port: { type: 'string', default: '0' },
    },
  });
  const mocks = values.mock.map((entry) => entry.split(/=(.*)/s));
  if (!values.target || !values.spec || mocks.some(([name, url]) => !name || !url || name === 'static')) {
    console.error('usage: node tests/contract/spec-proxy.mjs --target http://127.0.0.1:PORT --spec SPEC.json [--mock NAME=URL ...] [--port 0]');
    process.exit(2);
  }
  const server = createSpecProxy({
    target: values.target.replace(/\/$/, ''),
    spec: JSON.parse(readFileSync(values.spec, 'utf8')),
    mocks: Object.fromEntries(mocks.map(([name, url]) => [name, url.replace(/\/$/, '')])),
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(values.port), '127.0.0.1', resolve);
  });
  const stop = () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`listening ${server.address().port}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
