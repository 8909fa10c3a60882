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
// Import: startRecorder({ target, file }) resolves to { url, close }; `target` is the worker's
// origin, `file` the JSON Lines file each answer is appended to as
// { method, path, status, headers: [name, value, ...], body }.

import { createWriteStream } from 'node:fs';
import { Agent, createServer, request as forward } from 'node:http';

// RFC 9110, section 7.6.1 (and the older Keep-Alive and Proxy-Connection).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** Raw headers ([name, value, name, value, ...]) without the hop-by-hop ones. */
function endToEndHeaders(rawHeaders) {
  const kept = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (!HOP_BY_HOP.has(rawHeaders[i].toLowerCase())) kept.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  return kept;
}

export async function startRecorder({ target, file }) {
  const upstream = new URL(target);
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
    const outgoing = forward({
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: endToEndHeaders(req.rawHeaders),
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
        log.write(`${JSON.stringify({
          method: req.method,
          path: req.url,
          status: answer.statusCode,
          headers: answer.rawHeaders,
          body: Buffer.concat(chunks).toString('utf8'),
        })}\n`);
      });
      // The worker broke the answer off: break it off toward the client too.
      answer.on('close', () => {
        if (!answer.complete) res.destroy();
      });
    });
    outgoing.on('error', () => res.destroy());
    req.pipe(outgoing);
    // The client went away before its answer was complete: so does the request to the worker.
    res.on('close', () => {
      if (!res.writableFinished) outgoing.destroy();
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
