// Tests of the recording proxy (recorder.mjs) against a small origin server: that a client
// sees exactly what it would see without it, and that every answer is written down. Needs no
// worker:
//   node --test tests/e2e/recorder.test.mjs

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { after, before, beforeEach, describe, it } from 'node:test';

import { startRecorder } from './recorder.mjs';

const LOST = 'Your worker restarted mid-request.';

/** The origin: answers by path, and notes each request and the connection it came on. */
function startOrigin() {
  const seen = [];
  let connections = 0;
  const server = createServer(async (req, res) => {
    // A kept-alive connection closed just as it is reused: the request is not read, the
    // connection is reset.
    if (req.socket.resetOnReuse) {
      req.socket.resetAndDestroy();
      return;
    }
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    seen.push({ method: req.method, url: req.url, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks).toString(), connection: req.socket.id });
    if (req.url === '/slow-stream') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first ');
      setTimeout(() => res.end('second'), 300);
    } else if (req.url === '/broken') {
      res.writeHead(200, { 'content-length': '100' });
      res.write('only part', () => res.destroy());
    } else if (req.url === '/close') {
      res.writeHead(200, { connection: 'close', 'content-length': '2' });
      res.end('ok');
    } else if (req.url === '/gzip' || req.url === '/br') {
      const body = req.url === '/gzip' ? gzipSync('{"secret":"in gzip"}') : brotliCompressSync('{"secret":"in br"}');
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': req.url.slice(1), 'content-length': body.length });
      res.end(body);
    } else if (req.url === '/empty-gzip') {
      res.writeHead(204, { 'content-encoding': 'gzip' });
      res.end();
    } else if (req.url.startsWith('/lost')) {
      // wrangler dev's answer for a request it lost on the way (gzipped, as wrangler sends
      // it to a client that accepts gzip): at the first try of each body for /lost-once, at
      // every try for /lost-always.
      const body = Buffer.concat(chunks).toString();
      const tries = seen.filter((s) => s.url === req.url && s.body === body).length;
      if (req.url === '/lost-always' || tries === 1) {
        const text = `${LOST} Please try sending the request again. Only GET or HEAD requests are retried automatically.`;
        const gzip = req.url === '/lost-once';
        res.writeHead(503, { 'content-type': 'text/plain;charset=UTF-8', 'retry-after': '0', ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
        // wrangler then closes the connection, without saying so.
        res.end(gzip ? gzipSync(text) : text, () => req.socket.destroy());
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ echo: body, tries }));
      }
    } else if (req.url === '/reset-on-reuse') {
      req.socket.resetOnReuse = true;
      res.writeHead(200, { 'content-length': '2' });
      res.end('ok');
    } else if (req.url === '/unavailable') {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('Clerk is down');
    } else if (req.url === '/hold') {
      req.socket.once('close', () => seen.push({ url: '/hold', closed: true }));
    } else {
      res.writeHead(201, 'Made', [
        'Content-Type', 'application/json', 'WWW-Authenticate', 'Bearer realm="x"', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'X-Mixed-Case', 'kept',
      ]);
      res.end(JSON.stringify({ echo: Buffer.concat(chunks).toString() }));
    }
  });
  server.on('connection', (socket) => {
    connections += 1;
    socket.id = connections;
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, seen, url: `http://127.0.0.1:${server.address().port}` }));
  });
}

/** One request on `agent`; resolves to { status, statusMessage, rawHeaders, body, chunkTimes } or { error }. */
function send(url, { method = 'GET', path = '/', headers = {}, body, agent } = {}) {
  return new Promise((resolve) => {
    const target = new URL(url);
    const begin = Date.now();
    const outgoing = request({ host: target.hostname, port: target.port, method, path, headers, agent }, (response) => {
      const chunks = [];
      const chunkTimes = [];
      response.on('data', (chunk) => {
        chunks.push(chunk);
        chunkTimes.push(Date.now() - begin);
      });
      response.on('end', () => resolve({
        status: response.statusCode, statusMessage: response.statusMessage, rawHeaders: response.rawHeaders, body: Buffer.concat(chunks).toString(), chunkTimes,
      }));
      response.on('error', (error) => resolve({ error: error.code ?? error.message }));
    });
    outgoing.on('error', (error) => resolve({ error: error.code ?? error.message }));
    outgoing.end(body);
  });
}

describe('recording proxy', () => {
  let origin;
  let recorder;
  let dir;
  let file;
  const lines = () => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  /** The last line recorded for `path`, once there is one (the file is written as answers end). */
  async function recordedFor(path) {
    for (let i = 0; i < 50 && !lines().some((line) => line.path === path); i++) await new Promise((resolve) => { setTimeout(resolve, 20); });
    return lines().filter((line) => line.path === path).at(-1);
  }

  before(async () => {
    origin = await startOrigin();
    dir = mkdtempSync(join(tmpdir(), 'recorder-test-'));
    file = join(dir, 'answers.jsonl');
    recorder = await startRecorder({ target: origin.url, file });
  });
  after(async () => {
    await recorder.close();
    origin.server.closeAllConnections();
    origin.server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => { origin.seen.length = 0; });

  it('forwards method, path, query, headers and body as they came', async () => {
    const body = JSON.stringify({ hello: 'world' });
    await send(recorder.url, {
      method: 'POST', path: '/mcp?x=1', body, headers: { 'Content-Type': 'application/json', 'X-Clerk-Secret-Key': 'value', Authorization: 'Bearer t', 'Content-Length': Buffer.byteLength(body) },
    });
    const [seen] = origin.seen;
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/mcp?x=1');
    assert.equal(seen.body, body);
    const headers = {};
    for (let i = 0; i < seen.rawHeaders.length; i += 2) headers[seen.rawHeaders[i]] = seen.rawHeaders[i + 1];
    assert.equal(headers['X-Clerk-Secret-Key'], 'value');
    assert.equal(headers.Authorization, 'Bearer t');
    assert.equal(headers.Host, new URL(recorder.url).host, 'the Host the client sent');
  });

  it('puts setHeaders on every request, in place of those of the same name', async () => {
    const setting = await startRecorder({ target: origin.url, file: join(dir, 'set-headers.jsonl'), setHeaders: { Authorization: 'Bearer given' } });
    try {
      await send(setting.url, { headers: { authorization: 'Bearer own', 'X-Other': 'kept' } });
    } finally {
      await setting.close();
    }
    const [seen] = origin.seen;
    const values = (name) => seen.rawHeaders.filter((_, i) => i % 2 === 1 && seen.rawHeaders[i - 1].toLowerCase() === name);
    assert.deepEqual(values('authorization'), ['Bearer given']);
    assert.deepEqual(values('x-other'), ['kept']);
  });

  it('answers with the status, reason, headers (case and repeats kept) and body the origin gave, and records them', async () => {
    const answer = await send(recorder.url, { method: 'POST', path: '/mcp', body: 'ping', headers: { 'Content-Length': 4 } });
    assert.equal(answer.status, 201);
    assert.equal(answer.statusMessage, 'Made');
    const perConnection = new Set(['Date', 'Connection', 'Keep-Alive', 'Transfer-Encoding', 'Content-Length']);
    const names = answer.rawHeaders.filter((name, i) => i % 2 === 0 && !perConnection.has(name));
    assert.deepEqual(names, ['Content-Type', 'WWW-Authenticate', 'Set-Cookie', 'Set-Cookie', 'X-Mixed-Case']);
    assert.equal(answer.body, '{"echo":"ping"}');
    const last = await recordedFor('/mcp');
    assert.deepEqual([last.method, last.path, last.status, last.body], ['POST', '/mcp', 201, '{"echo":"ping"}']);
    assert.ok(last.headers.includes('WWW-Authenticate'));
  });

  it('passes a compressed body on as it came, and records it decompressed', async () => {
    for (const [coding, text] of [['gzip', '{"secret":"in gzip"}'], ['br', '{"secret":"in br"}']]) {
      const target = new URL(recorder.url);
      const raw = await new Promise((resolve) => {
        request({ host: target.hostname, port: target.port, path: `/${coding}` }, (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () => resolve({ encoding: response.headers['content-encoding'], bytes: Buffer.concat(chunks) }));
        }).end();
      });
      assert.equal(raw.encoding, coding);
      assert.equal(raw.bytes[0] === 0x1f, coding === 'gzip', 'the client gets the compressed bytes');
      const entry = await recordedFor(`/${coding}`);
      assert.equal(entry.body, text);
      assert.equal(entry.undecodable, undefined);
    }
    assert.equal((await send(recorder.url, { path: '/empty-gzip' })).status, 204);
    const empty = await recordedFor('/empty-gzip');
    assert.deepEqual([empty.body, empty.undecodable], ['', undefined], 'an empty body needs no decoding');
  });

  it('streams a body as it comes instead of waiting for its end', async () => {
    const answer = await send(recorder.url, { path: '/slow-stream' });
    assert.equal(answer.body, 'first second');
    assert.ok(answer.chunkTimes.length >= 2, 'the body came in one piece');
    assert.ok(answer.chunkTimes[0] < 250, `the first chunk came after ${answer.chunkTimes[0]} ms`);
  });

  it('reuses one connection to the origin for the requests a client sends on one connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await send(recorder.url, { path: '/', agent })).status, 201);
    } finally {
      agent.destroy();
    }
    assert.equal(new Set(origin.seen.map((s) => s.connection)).size, 1);
  });

  it('gives two client connections two origin connections', async () => {
    const agents = [new Agent({ keepAlive: true, maxSockets: 1 }), new Agent({ keepAlive: true, maxSockets: 1 })];
    try {
      await Promise.all(agents.map((agent) => send(recorder.url, { path: '/', agent })));
    } finally {
      agents.forEach((agent) => agent.destroy());
    }
    assert.equal(new Set(origin.seen.map((s) => s.connection)).size, 2);
  });

  it('closes the client connection after an answer the origin closed its connection with', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answer = await send(recorder.url, { path: '/close', agent });
      assert.equal(answer.status, 200);
      assert.ok(answer.rawHeaders.some((value, i) => i % 2 === 0 && value.toLowerCase() === 'connection' && /close/i.test(answer.rawHeaders[i + 1])));
    } finally {
      agent.destroy();
    }
  });

  it('breaks off an answer the origin broke off, and writes that down', async () => {
    const answer = await send(recorder.url, { path: '/broken' });
    assert.ok(answer.error, `the client got a whole answer: ${JSON.stringify(answer)}`);
    assert.deepEqual(await recordedFor('/broken'), { method: 'GET', path: '/broken', error: 'the worker broke the answer off' });
  });

  it('sends a request wrangler dev lost on its way again, and writes the loss down', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'ping' });
    const resentBefore = recorder.resent();
    const answer = await send(recorder.url, { method: 'POST', path: '/lost-once', body, headers: { 'Content-Length': Buffer.byteLength(body) } });
    assert.equal(answer.status, 200);
    assert.equal(recorder.resent() - resentBefore, 1, 'the resend is counted');
    assert.deepEqual(JSON.parse(answer.body), { echo: body, tries: 2 });
    assert.deepEqual(origin.seen.map((s) => [s.method, s.body]), [['POST', body], ['POST', body]], 'the same request, twice');
    const entries = lines().filter((line) => line.path === '/lost-once');
    for (let i = 0; i < 50 && entries.length < 2; i++) {
      await new Promise((resolve) => { setTimeout(resolve, 20); });
      entries.splice(0, entries.length, ...lines().filter((line) => line.path === '/lost-once'));
    }
    assert.deepEqual(entries.map((e) => [e.status, Boolean(e.resent)]), [[503, true], [200, false]]);
  });

  it('sends a request again on a new connection when its kept-alive one is reset as it is reused', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const body = '{"after":"reset"}';
    try {
      assert.equal((await send(recorder.url, { path: '/reset-on-reuse', agent })).status, 200);
      const answer = await send(recorder.url, { method: 'POST', path: '/mcp', body, agent, headers: { 'Content-Length': Buffer.byteLength(body) } });
      assert.deepEqual([answer.status, answer.body], [201, JSON.stringify({ echo: body })]);
    } finally {
      agent.destroy();
    }
    const [first, second] = origin.seen;
    assert.equal(second.body, body);
    assert.notEqual(second.connection, first.connection, 'sent again on a new connection');
    const loss = (line) => line.path === '/mcp' && line.resent && line.status === undefined;
    for (let i = 0; i < 50 && !lines().some(loss); i++) await new Promise((resolve) => { setTimeout(resolve, 20); });
    assert.ok(lines().some(loss), 'the loss is written down');
  });

  it('passes on a third loss in a row, and any other 503, as it came', async () => {
    const body = '{"n":1}';
    const lost = await send(recorder.url, { method: 'POST', path: '/lost-always', body, headers: { 'Content-Length': Buffer.byteLength(body) } });
    assert.equal(lost.status, 503);
    assert.ok(lost.body.startsWith(LOST));
    assert.equal(origin.seen.length, 3, 'sent twice more, not again after that');
    origin.seen.length = 0;
    const other = await send(recorder.url, { method: 'POST', path: '/unavailable', body, headers: { 'Content-Length': Buffer.byteLength(body) } });
    assert.deepEqual([other.status, other.body], [503, 'Clerk is down']);
    assert.equal(origin.seen.length, 1, 'a 503 of the worker\'s own is not sent again');
  });

  it('drops the request to the origin when the client goes away', async () => {
    const target = new URL(recorder.url);
    const outgoing = request({ host: target.hostname, port: target.port, path: '/hold' });
    outgoing.on('error', () => {});
    outgoing.end();
    await new Promise((resolve) => { setTimeout(resolve, 200); });
    outgoing.destroy();
    await new Promise((resolve) => { setTimeout(resolve, 300); });
    assert.ok(origin.seen.some((s) => s.url === '/hold' && s.closed), 'the origin connection is still open');
  });
});
