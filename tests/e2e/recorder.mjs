// A recording proxy for the end-to-end suite: it sits on 127.0.0.1 in front of one worker, every
// client connects to the worker through it, and it writes down every answer the worker gives
// (status, headers, body) so that run.mjs can check afterwards that no secret ever left the
// worker.
//
// It must not change what a client sees. Requests go through as they came (method, path,
// headers, body streamed), and answers come back as the worker gave them (status, headers,
// body streamed chunk by chunk as it arrives); only the hop-by-hop headers of RFC 9110,
// section 7.6.1, are left to each connection. Each client connection gets a connection of its
// own to the worker, kept alive as long as the client's, so that a client reusing a connection
// reuses one on the worker too; a connection the worker closes or breaks is closed or broken
// toward the client.
//
// Import: startRecorder({ target, file, setHeaders }) resolves to { url, close }; `target` is
// the worker's origin (or a function giving it, read at each request, for a proxy that starts
// before its worker's port is known), `file` the JSON Lines file each answer is appended to as
// { method, path, status, headers: [name, value, ...], body }, the body decoded from any
// Content-Encoding (gzip, deflate, br) so that it can be searched, or with `undecodable` when
// it could not be; or { method, path, error } for an exchange that did not end in a whole
// answer. `setHeaders` (none by default)
// are put on every request, in place of any of the same name: they give a client that cannot
// send headers of its own (the conformance suite) an access token.

import { createWriteStream } from 'node:fs';
import { Agent, createServer, request as forward } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

// RFC 9110, section 7.6.1 (and the older Keep-Alive and Proxy-Connection).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** Raw headers ([name, value, name, value, ...]) without the hop-by-hop ones and those in `replaced`. */
function endToEndHeaders(rawHeaders, replaced = new Set()) {
  const kept = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (!HOP_BY_HOP.has(name) && !replaced.has(name)) kept.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  return kept;
}

/** The body as text, undone from its Content-Encoding; throws if it cannot be. */
function decodedBody(bytes, contentEncoding = '') {
  // An empty body has nothing to undo, whatever its headers say (a 204 may name gzip).
  if (bytes.length === 0) return '';
  let decoded = bytes;
  // Codings apply in the order listed, so they are undone from the last.
  for (const coding of contentEncoding.split(',').map((c) => c.trim().toLowerCase()).filter(Boolean).reverse()) {
    if (coding === 'gzip' || coding === 'x-gzip') decoded = gunzipSync(decoded);
    else if (coding === 'br') decoded = brotliDecompressSync(decoded);
    else if (coding === 'deflate') {
      try {
        decoded = inflateSync(decoded);
      } catch {
        decoded = inflateRawSync(decoded);
      }
    } else if (coding !== 'identity') throw new Error(`unknown content coding ${coding}`);
  }
  return decoded.toString('utf8');
}

export async function startRecorder({ target, file, setHeaders = {} }) {
  const replaced = new Set(Object.keys(setHeaders).map((name) => name.toLowerCase()));
  const added = Object.entries(setHeaders).flat();
  const log = createWriteStream(file, { flags: 'a' });
  // One agent per client connection, holding at most one connection to the worker.
  const agents = new WeakMap();
  const agentFor = (socket) => {
    let agent = agents.get(socket);
    if (!agent) {
      agent = new Agent({ keepAlive: true, maxSockets: 1 });
      agents.set(socket, agent);
      socket.once('close', () => agent.destroy());
    }
    return agent;
  };

  const server = createServer((req, res) => {
    const upstream = new URL(typeof target === 'function' ? target() : target);
    const outgoing = forward({
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: [...endToEndHeaders(req.rawHeaders, replaced), ...added],
      agent: agentFor(req.socket),
    }, (answer) => {
      const headers = endToEndHeaders(answer.rawHeaders);
      if (/\bclose\b/i.test(answer.headers.connection ?? '')) headers.push('Connection', 'close');
      res.writeHead(answer.statusCode, answer.statusMessage, headers);
      const chunks = [];
      answer.on('data', (chunk) => {
        chunks.push(chunk);
        res.write(chunk);
      });
      answer.on('end', () => {
        res.end();
        const entry = { method: req.method, path: req.url, status: answer.statusCode, headers: answer.rawHeaders };
        const bytes = Buffer.concat(chunks);
        try {
          entry.body = decodedBody(bytes, answer.headers['content-encoding']);
        } catch (error) {
          entry.body = bytes.toString('utf8');
          entry.undecodable = error.message;
        }
        log.write(`${JSON.stringify(entry)}\n`);
      });
      // The worker broke the answer off: break it off toward the client too.
      answer.on('close', () => {
        if (answer.complete) return;
        note('the worker broke the answer off');
        res.destroy();
      });
    });
    // Anything but a whole answer is written down too, as { method, path, error }: the first
    // thing that went wrong, not what followed from it.
    let failed = false;
    const note = (error) => {
      if (failed) return;
      failed = true;
      log.write(`${JSON.stringify({ method: req.method, path: req.url, error })}\n`);
    };
    // No answer from the worker: none for the client either.
    outgoing.on('error', (error) => {
      note(`no answer from the worker: ${error.code ?? error.message}${outgoing.reusedSocket ? ' on a reused connection' : ''}`);
      res.destroy();
    });
    req.pipe(outgoing);
    // The client went away before its answer was complete: so does the request to the worker.
    res.on('close', () => {
      if (res.writableFinished) return;
      note('the client left before its answer was complete');
      outgoing.destroy();
    });
  });
  server.keepAliveTimeout = 60_000;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => log.end(resolve));
    }),
  };
}
