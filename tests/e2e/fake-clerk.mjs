// A stand-in for Clerk's Backend API (the user endpoints only), for end-to-end tests.
// It answers in Clerk's wire format (snake_case, Unix-millisecond timestamps, bare arrays
// for GET /v1/users, Clerk's error bodies), checks the headers every Clerk call must carry,
// and records every request so tests can assert on what the worker sent.
//
// Run:    node tests/e2e/fake-clerk.mjs [--port 0] [--key sk_test_...]... [--users 45]
//         (or FAKE_CLERK_PORT, FAKE_CLERK_KEYS=comma,separated, FAKE_CLERK_USERS)
//         It prints `listening <port>` on stdout once it accepts connections.
// Import: startFakeClerk({ port, keys, userCount }) and seedUsers(count).
//
// Test-only endpoints (not recorded, no authentication):
//   GET /__requests     every recorded request, oldest first, with the answer it got
//   DELETE /__requests  forget them
//   GET /__users        the seeded users, oldest first, exactly as Clerk would render them

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

export const CLERK_API_VERSION = '2026-05-12';
export const USER_AGENT_PREFIX = 'clerk-mcp-worker/';
export const DEFAULT_USER_COUNT = 45;
export const DEFAULT_KEYS = ['sk_test_fake_clerk_default_key'];

// 2024-01-02T03:04:05.678Z: the first seeded user's creation time.
const FIRST_CREATED_AT = 1704164645678;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const FIRST_NAMES = [
  'Ada', 'Grace', 'Alan', 'Katherine', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken',
  'Frances', 'Edsger', 'Radia', 'Donald', 'Hedy', 'John', 'Sophie', 'Tim', 'Annie',
];
const LAST_NAMES = [
  'Lovelace', 'Hopper', 'Turing', 'Johnson', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov',
  'Thompson', 'Allen', 'Dijkstra', 'Perlman', 'Knuth', 'Lamarr', 'McCarthy', 'Wilson',
  'Berners-Lee', 'Easley', 'Backus',
];

// Query parameters Clerk accepts on each endpoint this fake serves (from the Backend API spec).
const USER_FILTER_PARAMS = [
  'email_address', 'phone_number', 'external_id', 'username', 'web3_wallet', 'user_id',
  'organization_id', 'query', 'email_address_query', 'phone_number_query', 'username_query',
  'name_query', 'banned', 'last_active_at_before', 'last_active_at_after', 'last_active_at_since',
  'created_at_before', 'created_at_after', 'last_sign_in_at_before', 'last_sign_in_at_after',
  'provider', 'provider_user_id',
];
const LIST_USERS_PARAMS = new Set([...USER_FILTER_PARAMS, 'limit', 'offset', 'order_by', 'starting_after']);
const COUNT_USERS_PARAMS = new Set(USER_FILTER_PARAMS);
const ORDER_BY_FIELDS = new Set([
  'created_at', 'updated_at', 'email_address', 'web3wallet', 'first_name', 'last_name',
  'phone_number', 'username', 'last_active_at', 'last_sign_in_at',
]);

// ---------------------------------------------------------------------------------------------
// Seeded users

/** A small deterministic generator (mulberry32), so every run seeds the same users. */
function generator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** An ID shaped like Clerk's: a prefix and 27 base62 characters. */
function clerkId(prefix, random) {
  let id = `${prefix}_2`;
  while (id.length < prefix.length + 28) id += BASE62[Math.floor(random() * 62)];
  return id;
}

function otpVerification(strategy, at) {
  return {
    object: 'verification_otp',
    status: 'verified',
    strategy,
    attempts: 1,
    expire_at: at + 10 * 60_000,
    verified_at_client: null,
    ...(strategy === 'phone_code' ? { channel: 'sms' } : {}),
  };
}

function emailAddress(id, address, at, { linkedTo = [], verified = true } = {}) {
  return {
    id,
    object: 'email_address',
    email_address: address,
    reserved: false,
    verification: verified
      ? otpVerification('email_code', at)
      : { object: 'verification_otp', status: 'unverified', strategy: 'email_code', attempts: 0, expire_at: at + 10 * 60_000 },
    linked_to: linkedTo,
    matches_sso_connection: false,
    created_at: at,
    updated_at: at,
  };
}

function externalAccount(random, provider, identificationId, address, user, at) {
  const name = provider.replace('oauth_', '');
  return {
    object: 'external_account',
    id: clerkId('eac', random),
    provider,
    identification_id: identificationId,
    provider_user_id: String(100000000000 + Math.floor(random() * 899999999999)),
    approved_scopes: provider === 'oauth_google'
      ? 'email https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile openid profile'
      : 'read:user user:email',
    email_address: address,
    email_address_verified: true,
    first_name: user.first_name ?? '',
    last_name: user.last_name ?? '',
    avatar_url: `https://avatars.example.com/${name}/${identificationId}`,
    image_url: `https://avatars.example.com/${name}/${identificationId}`,
    username: provider === 'oauth_github' ? user.username : null,
    phone_number: null,
    public_metadata: {},
    label: null,
    created_at: at,
    updated_at: at,
    verification: {
      object: 'verification_oauth',
      status: 'verified',
      strategy: provider,
      attempts: null,
      expire_at: at + 10 * 60_000,
      verified_at_client: null,
    },
  };
}

/**
 * The seeded users, oldest first, as Clerk renders them. User `i` is created `i` days (and a
 * few seconds) after the first. Its shape follows from `i`, so tests can find each kind:
 *   i % 10 === 7   sparse: no names, username, phone, external accounts, metadata or sign-in
 *   i % 15 === 11  no email address at all
 *   i % 3 === 0    a second, unverified work address and a Google account (on that address)
 *   i % 5 === 0    a GitHub account (on the primary address)
 *   i % 2 === 0    a phone number and public metadata
 *   i % 13 === 7 banned; i % 17 === 9 locked; i % 8 === 0 two-factor enabled
 * User 0 has all of the rich traits.
 */
export function seedUsers(count = DEFAULT_USER_COUNT) {
  const users = [];
  for (let i = 0; i < count; i++) {
    const random = generator(i + 1);
    const sparse = i % 10 === 7;
    const noEmail = i % 15 === 11;
    const createdAt = FIRST_CREATED_AT + i * DAY + i * 1234;
    const first = FIRST_NAMES[i % FIRST_NAMES.length];
    const last = LAST_NAMES[i % LAST_NAMES.length];
    const handle = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');

    const user = {
      id: clerkId('user', random),
      object: 'user',
      username: sparse || i % 4 === 3 ? null : `${handle.replace('.', '_')}${i}`,
      first_name: sparse ? null : first,
      last_name: sparse ? null : last,
      image_url: `https://img.clerk.com/seed-${i}`,
      has_image: !sparse && i % 2 === 0,
      primary_email_address_id: null,
      primary_phone_number_id: null,
      primary_web3_wallet_id: null,
      password_enabled: !sparse,
      two_factor_enabled: !sparse && i % 8 === 0,
      totp_enabled: !sparse && i % 8 === 0,
      backup_code_enabled: !sparse && i % 8 === 0,
      email_addresses: [],
      phone_numbers: [],
      web3_wallets: [],
      passkeys: [],
      external_accounts: [],
      saml_accounts: [],
      enterprise_accounts: [],
      public_metadata: {},
      private_metadata: {},
      unsafe_metadata: {},
      external_id: sparse ? null : `ext-${1000 + i}`,
      last_sign_in_at: null,
      banned: i % 13 === 7,
      locked: i % 17 === 9,
      lockout_expires_in_seconds: i % 17 === 9 ? 1800 : null,
      verification_attempts_remaining: 100,
      created_at: createdAt,
      updated_at: createdAt + (i % 5) * HOUR + 1000,
      delete_self_enabled: true,
      create_organization_enabled: true,
      create_organizations_limit: null,
      last_active_at: null,
      mfa_enabled_at: !sparse && i % 8 === 0 ? createdAt + HOUR : null,
      mfa_disabled_at: null,
      legal_accepted_at: null,
      locale: i % 6 === 1 ? 'fr-FR' : null,
      password_last_updated_at: sparse ? null : createdAt,
      bypass_client_trust: false,
      profile_image_url: `https://img.clerk.com/seed-${i}`,
    };

    if (!noEmail) {
      const primaryId = clerkId('idn', random);
      user.email_addresses.push(emailAddress(primaryId, `${handle}${i}@example.com`, createdAt));
      user.primary_email_address_id = primaryId;
    }
    if (!sparse && i % 2 === 0) {
      const phoneId = clerkId('idn', random);
      user.phone_numbers.push({
        id: phoneId,
        object: 'phone_number',
        phone_number: `+1555010${String(i).padStart(4, '0')}`,
        reserved_for_second_factor: false,
        default_second_factor: false,
        reserved: false,
        verification: otpVerification('phone_code', createdAt),
        linked_to: [],
        backup_codes: null,
        created_at: createdAt,
        updated_at: createdAt,
      });
      user.primary_phone_number_id = phoneId;
      user.public_metadata = { plan: i % 4 === 0 ? 'pro' : 'free', seats: i + 1, feature_flags: ['beta'] };
    }
    // Metadata keys are the customer's own: snake_case ones must come back unchanged.
    if (!sparse && i % 4 === 0) user.private_metadata = { stripe_customer_id: `cus_seed${i}` };
    if (!sparse && i % 6 === 0) user.unsafe_metadata = { theme: 'dark', onboarding: { done: true } };
    if (!sparse && !noEmail && i % 3 === 0) {
      const workId = clerkId('idn', random);
      const account = externalAccount(random, 'oauth_google', workId, `${handle}@work.example.org`, user, createdAt + HOUR);
      user.email_addresses.push(emailAddress(workId, `${handle}@work.example.org`, createdAt + HOUR, {
        verified: false,
        linkedTo: [{ type: 'oauth_google', id: account.id }],
      }));
      user.external_accounts.push(account);
    }
    if (!sparse && !noEmail && i % 5 === 0) {
      const primary = user.email_addresses[0];
      const account = externalAccount(random, 'oauth_github', primary.id, primary.email_address, user, createdAt + 2 * HOUR);
      primary.linked_to.push({ type: 'oauth_github', id: account.id });
      user.external_accounts.push(account);
    }
    if (!sparse && i % 7 !== 6) {
      user.last_sign_in_at = createdAt + 2 * DAY + 4321;
      // Clerk reports the last activity with day precision.
      user.last_active_at = Math.floor((createdAt + 3 * DAY) / DAY) * DAY;
    }
    users.push(user);
  }
  return users;
}

// ---------------------------------------------------------------------------------------------
// Clerk behaviour

class ClerkError extends Error {
  constructor(status, code, message, longMessage, paramName) {
    super(longMessage);
    this.status = status;
    this.body = {
      errors: [{
        message,
        long_message: longMessage,
        code,
        ...(paramName ? { meta: { param_name: paramName } } : {}),
      }],
      clerk_trace_id: randomBytes(16).toString('hex'),
    };
  }
}

function invalidParam(name, longMessage) {
  return new ClerkError(422, 'form_param_value_invalid', 'is invalid', longMessage, name);
}

function integerParam(params, name, { fallback, min, max }) {
  const raw = params.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) throw new ClerkError(422, 'form_param_format_invalid', 'is invalid', `${name} must be an integer`, name);
  const value = Number(raw);
  if (value < min || (max !== undefined && value > max)) {
    throw invalidParam(name, `${name} must be between ${min} and ${max ?? 'infinity'}`);
  }
  return value;
}

function primaryEmail(user) {
  return user.email_addresses.find((e) => e.id === user.primary_email_address_id)?.email_address ?? null;
}

function primaryPhone(user) {
  return user.phone_numbers.find((p) => p.id === user.primary_phone_number_id)?.phone_number ?? null;
}

/** The users that pass the filters GET /v1/users and GET /v1/users/count share. */
function filterUsers(users, params) {
  let result = users;
  const query = params.get('query');
  if (query !== null && query !== '') {
    const needle = query.toLowerCase();
    result = result.filter((u) => [
      u.id, u.first_name, u.last_name, u.username,
      ...u.email_addresses.map((e) => e.email_address),
      ...u.phone_numbers.map((p) => p.phone_number),
    ].some((field) => field?.toLowerCase().includes(needle)));
  }
  const emails = params.getAll('email_address').map((e) => e.toLowerCase());
  if (emails.length > 0) {
    result = result.filter((u) => u.email_addresses.some((e) => emails.includes(e.email_address.toLowerCase())));
  }
  const userIds = params.getAll('user_id');
  const included = userIds.filter((id) => !id.startsWith('-')).map((id) => id.replace(/^\+/, ''));
  const excluded = userIds.filter((id) => id.startsWith('-')).map((id) => id.slice(1));
  if (included.length > 0) result = result.filter((u) => included.includes(u.id));
  if (excluded.length > 0) result = result.filter((u) => !excluded.includes(u.id));
  return result;
}

/** Sorts like Clerk's database: nulls last when ascending, first when descending; ties by id. */
function sortUsers(users, orderBy) {
  const descending = orderBy.startsWith('-');
  const field = orderBy.replace(/^[+-]/, '');
  if (!ORDER_BY_FIELDS.has(field)) {
    throw invalidParam('order_by', `order_by must be one of ${[...ORDER_BY_FIELDS].join(', ')}, optionally prefixed with + or -`);
  }
  const keyOf = {
    email_address: primaryEmail,
    phone_number: primaryPhone,
    web3wallet: () => null,
  }[field] ?? ((u) => u[field]);
  const compare = (a, b) => {
    const x = keyOf(a);
    const y = keyOf(b);
    if (x === y) return a.id < b.id ? -1 : 1;
    if (x === null) return descending ? -1 : 1;
    if (y === null) return descending ? 1 : -1;
    const order = typeof x === 'string' ? x.localeCompare(y, 'en') : x - y;
    if (order === 0) return a.id < b.id ? -1 : 1;
    return descending ? -order : order;
  };
  return [...users].sort(compare);
}

function listUsers(users, params) {
  const limit = integerParam(params, 'limit', { fallback: 10, min: 1, max: 500 });
  const offset = integerParam(params, 'offset', { fallback: 0, min: 0 });
  const orderBy = params.get('order_by') ?? '-created_at';
  return sortUsers(filterUsers(users, params), orderBy).slice(offset, offset + limit);
}

function countUsers(users, params) {
  return { object: 'total_count', total_count: filterUsers(users, params).length };
}

function getUser(users, rawId) {
  let id;
  try {
    id = decodeURIComponent(rawId);
  } catch {
    id = rawId;
  }
  const user = users.find((u) => u.id === id);
  if (!user) {
    throw new ClerkError(404, 'resource_not_found', 'not found', `No user was found with id ${id}`);
  }
  return user;
}

/** Header and shape rules every request from the worker must follow. */
function headerViolations(req, body) {
  const violations = [];
  const version = req.headers['clerk-api-version'];
  if (version !== CLERK_API_VERSION) {
    violations.push(`Clerk-API-Version must be ${CLERK_API_VERSION}, got ${JSON.stringify(version ?? null)}`);
  }
  const agent = req.headers['user-agent'];
  if (!agent?.startsWith(USER_AGENT_PREFIX)) {
    violations.push(`User-Agent must start with ${USER_AGENT_PREFIX}, got ${JSON.stringify(agent ?? null)}`);
  }
  if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) {
    violations.push('Authorization must be "Bearer <secret key>"');
  }
  if (req.method === 'GET' || req.method === 'DELETE') {
    if (req.headers['content-type'] !== undefined) violations.push(`${req.method} must not carry Content-Type`);
    if (body.length > 0) violations.push(`${req.method} must not carry a body`);
  }
  return violations;
}

function queryViolations(allowed, params, rawQuery) {
  const violations = [];
  for (const name of new Set(params.keys())) {
    if (!allowed.has(name)) violations.push(`unexpected query parameter ${name}`);
  }
  // A raw `+` decodes as a space, so `order_by=+name` would reach Clerk as ` name`.
  if (/(^|&)order_by=\+/.test(rawQuery)) violations.push('a leading + in order_by must be sent as %2B');
  return violations;
}

/**
 * Finds the endpoint for a request: the query parameters it takes and the handler that
 * answers it. An unknown endpoint is Clerk's 404, and a violation: the worker called it.
 */
function endpoint(users, method, path) {
  if (method === 'GET' && path === '/v1/users') {
    return { params: LIST_USERS_PARAMS, answer: (params) => listUsers(users, params) };
  }
  if (method === 'GET' && path === '/v1/users/count') {
    return { params: COUNT_USERS_PARAMS, answer: (params) => countUsers(users, params) };
  }
  const single = /^\/v1\/users\/([^/]+)$/.exec(path);
  if (method === 'GET' && single) {
    return { params: new Set(), answer: () => getUser(users, single[1]) };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// HTTP server

function send(res, status, body) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Builds the fake as an unstarted `http.Server`. `keys` are the secret keys it accepts;
 * `users` the seeded users. The server's `requests` property holds the record.
 */
export function createFakeClerk({ keys = DEFAULT_KEYS, users = seedUsers() } = {}) {
  const requests = [];
  const accepted = new Set(keys.map((key) => `Bearer ${key}`));

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const [path, ...rest] = req.url.split('?');
    const rawQuery = rest.join('?');

    if (path === '/__requests' && req.method === 'GET') return send(res, 200, requests);
    if (path === '/__requests' && req.method === 'DELETE') {
      requests.length = 0;
      res.writeHead(204).end();
      return undefined;
    }
    if (path === '/__users' && req.method === 'GET') return send(res, 200, users);

    const params = new URLSearchParams(rawQuery);
    const record = {
      method: req.method,
      path,
      query: rawQuery,
      headers: { ...req.headers },
      body,
      violations: headerViolations(req, body),
      response: null,
    };
    requests.push(record);

    let status = 200;
    let answer;
    try {
      const target = endpoint(users, req.method, path);
      if (target) {
        record.violations.push(...queryViolations(target.params, params, rawQuery));
      } else {
        record.violations.push(`unexpected endpoint ${req.method} ${path}`);
      }
      if (!accepted.has(req.headers.authorization)) {
        throw new ClerkError(401, 'authentication_invalid', 'Invalid authentication',
          'Unable to authenticate the request, you need to supply an active API key');
      }
      if (!target) throw new ClerkError(404, 'resource_not_found', 'not found', `No route for ${req.method} ${path}`);
      answer = target.answer(params);
    } catch (error) {
      if (!(error instanceof ClerkError)) throw error;
      status = error.status;
      answer = error.body;
    }
    record.response = { status, body: answer };
    return send(res, status, answer);
  });
  server.requests = requests;
  return server;
}

/** Starts the fake on 127.0.0.1; `port` 0 picks a free one. Resolves to { url, port, close }. */
export async function startFakeClerk({ port = 0, keys, userCount = DEFAULT_USER_COUNT } = {}) {
  const server = createFakeClerk({ keys, users: seedUsers(userCount) });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actualPort = server.address().port;
  return {
    server,
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function parseCommandLine(argv, env) {
  const options = {
    port: Number(env.FAKE_CLERK_PORT ?? 0),
    keys: env.FAKE_CLERK_KEYS ? env.FAKE_CLERK_KEYS.split(',').filter(Boolean) : [],
    userCount: Number(env.FAKE_CLERK_USERS ?? DEFAULT_USER_COUNT),
  };
  const cliKeys = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--port') options.port = Number(value);
    else if (flag === '--key') cliKeys.push(value);
    else if (flag === '--users') options.userCount = Number(value);
    else throw new Error(`unknown argument ${flag} (expected --port, --key, --users)`);
    i++;
  }
  if (cliKeys.length > 0) options.keys = cliKeys;
  if (options.keys.length === 0) options.keys = DEFAULT_KEYS;
  if (!Number.isInteger(options.port) || options.port < 0) throw new Error('the port must be an integer >= 0');
  if (!Number.isInteger(options.userCount) || options.userCount < 0) throw new Error('the user count must be an integer >= 0');
  return options;
}

async function main() {
  let options;
  try {
    options = parseCommandLine(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`fake-clerk: ${error.message}`);
    process.exit(2);
  }
  const fake = await startFakeClerk(options);
  const stop = () => fake.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`listening ${fake.port}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
