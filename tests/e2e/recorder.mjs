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
// toward the client. One exception: a request that `wrangler dev` lost on its way to the worker
// is sent again, up to twice (DEV_SERVER_LOST below).
//
// Import: startRecorder({ target, file, setHeaders }) resolves to { url, resent, close }; `target` is
// the worker's origin (or a function giving it, read at each request, for a proxy that starts
// before its worker's port is known), `file` the JSON Lines file each answer is appended to as
// { method, path, status, headers: [name, value, ...], body }, the body decoded from any
// Content-Encoding (gzip, deflate, br) so that it can be searched, or with `undecodable` when
// it could not be; or { method, path, error } for an exchange that did not end in a whole
// answer; or, with `resent` saying why, for a request wrangler dev lost and that went again
// (with the 503 that said so, if one did; see DEV_SERVER_LOST). `setHeaders`
// (none by default) are put on every request, in place of any of the same name: they give a
// client that cannot send headers of its own (the conformance suite) an access token.

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

/** What the log keeps of one whole answer: its body decoded for searching, if it can be. */
function recorded(req, answer, bytes) {
  const entry = { method: req.method, path: req.url, status: answer.statusCode, headers: answer.rawHeaders };
  try {
    entry.body = decodedBody(bytes, answer.headers['content-encoding']);
  } catch (error) {
    entry.body = bytes.toString('utf8');
    entry.undecodable = error.message;
  }
  return entry;
}

// wrangler dev closes a kept-alive connection after five idle seconds, in front of the worker
// and between its own proxy and the worker, and a request written on one just as it closes is
// lost. On the first hop this proxy sees the reset of a reused connection; on the second,
// wrangler answers a 503 starting with the text below (it sends only GET and HEAD again
// itself). In that race the request never reached the worker: it is sent again, and written
// down with `resent` saying why. The worker itself never answers this text.
const DEV_SERVER_LOST = 'Your worker restarted mid-request.';
const MAX_RESENT_BODY = 1024 * 1024;
// Both losses can meet one request in turn: its first try meets the reset, and the second
// the 503.
const MAX_ATTEMPTS = 3;

/** Whether an answer may be that 503: it must then be read whole before it is passed on. */
function mayBeDevServerLoss(answer) {
  return answer.statusCode === 503 && /^text\/plain\b/i.test(answer.headers['content-type'] ?? '');
}

export async function startRecorder({ target, file, setHeaders = {} }) {
  const replaced = new Set(Object.keys(setHeaders).map((name) => name.toLowerCase()));
  const added = Object.entries(setHeaders).flat();
  const log = createWriteStream(file, { flags: 'a' });
  // One agent per client connection, holding at most one connection to the worker. `fresh`
  // drops that connection and starts another, for a request that is sent again.
  const agents = new WeakMap();
  const agentFor = (socket, { fresh = false } = {}) => {
    let agent = agents.get(socket);
    if (!agent) socket.once('close', () => agents.get(socket).destroy());
    if (agent && fresh) agent.destroy();
    if (!agent || fresh) {
      agent = new Agent({ keepAlive: true, maxSockets: 1 });
      agents.set(socket, agent);
    }
    return agent;
  };
  let resent = 0;

  const server = createServer((req, res) => {
    const upstream = new URL(typeof target === 'function' ? target() : target);
    // A copy of the request body, for sending it again (see DEV_SERVER_LOST).
    const sent = [];
    let sentBytes = 0;
    req.on('data', (chunk) => {
      sentBytes += chunk.length;
      if (sentBytes <= MAX_RESENT_BODY) sent.push(chunk);
    });
    // Anything but a whole answer is written down too, as { method, path, error }: the first
    // thing that went wrong, not what followed from it.
    let failed = false;
    const note = (error) => {
      if (failed) return;
      failed = true;
      log.write(`${JSON.stringify({ method: req.method, path: req.url, error })}\n`);
    };
    let outgoing;

    /** Writes the worker's answer through to the client and down in the log. */
    const passOn = (answer, firstChunks = []) => {
      const headers = endToEndHeaders(answer.rawHeaders);
      if (/\bclose\b/i.test(answer.headers.connection ?? '')) headers.push('Connection', 'close');
      res.writeHead(answer.statusCode, answer.statusMessage, headers);
      const chunks = [...firstChunks];
      for (const chunk of firstChunks) res.write(chunk);
      const finish = () => {
        res.end();
        log.write(`${JSON.stringify(recorded(req, answer, Buffer.concat(chunks)))}\n`);
      };
      if (answer.complete) {
        finish();
        return;
      }
      answer.on('data', (chunk) => {
        chunks.push(chunk);
        res.write(chunk);
      });
      answer.on('end', finish);
      // The worker broke the answer off: break it off toward the client too.
      answer.on('close', () => {
        if (answer.complete) return;
        note('the worker broke the answer off');
        res.destroy();
      });
    };

    /** Runs `then` once the whole request body is here (and so in `sent`). */
    const whenComplete = (then) => {
      if (req.complete) {
        then();
        return;
      }
      req.once('end', then);
      req.resume();
    };

    /** Whether a request on its `attempt`th try may still go again. */
    const mayResend = (attempt) => attempt < MAX_ATTEMPTS && sentBytes <= MAX_RESENT_BODY;

    /** Writes down a lost request (`entry`, with `resent` saying why) and sends it again. */
    const resend = (entry, attempt) => {
      log.write(`${JSON.stringify(entry)}\n`);
      resent += 1;
      whenComplete(() => send(attempt + 1));
    };

    const send = (attempt) => {
      let answered = false;
      const request = forward({
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: [...endToEndHeaders(req.rawHeaders, replaced), ...added],
        agent: agentFor(req.socket, { fresh: attempt > 1 }),
      }, (answer) => {
        answered = true;
        if (!(mayResend(attempt) && req.complete && mayBeDevServerLoss(answer))) {
          passOn(answer);
          return;
        }
        const chunks = [];
        answer.on('data', (chunk) => chunks.push(chunk));
        answer.on('end', () => {
          const entry = recorded(req, answer, Buffer.concat(chunks));
          if (!entry.body.startsWith(DEV_SERVER_LOST)) {
            passOn(answer, chunks);
            return;
          }
          resend({ ...entry, resent: 'wrangler dev lost it on its way to the worker' }, attempt);
        });
      });
      outgoing = request;
      request.on('error', (error) => {
        // A kept-alive connection that wrangler dev closed for idleness just as it was reused:
        // the request never got there, and goes again on a new connection.
        if (mayResend(attempt) && !answered && request.reusedSocket && error.code === 'ECONNRESET') {
          resend({ method: req.method, path: req.url, resent: 'the kept-alive connection was reset as it was reused' }, attempt);
          return;
        }
        // No answer from the worker: none for the client either.
        note(`no answer from the worker: ${error.code ?? error.message}${request.reusedSocket ? ' on a reused connection' : ''}`);
        res.destroy();
      });
      if (attempt > 1) request.end(Buffer.concat(sent));
      else req.pipe(request);
    };
    send(1);
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
    /** How many requests went again, each written down with `resent`. */
    resent: () => resent,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => log.end(resolve));
    }),
  };
}
