// A stand-in for Clerk's Backend API, for end-to-end tests: the instance (GET /v1/instance: a
// development one, or a production one for a live key), users (list, count, get, create,
// update, metadata, ban (one or many), unban, lock, unlock, delete, their organization memberships),
// organizations (list, get by ID or slug, create, update, delete, metadata), their memberships
// (list, add, role, metadata, removal) and invitations (list, create one or in bulk, revoke), the instance's
// organization roles (list), users' sessions (list, revoke), the allow-list and block-list (list, add,
// remove), the waitlist (list, add, invite, reject) and application invitations (list, create one or in
// bulk, revoke), all held in memory. It is also
// the instance's OAuth authorization server: the Backend API's access-token check
// (POST /v1/oauth_applications/access_tokens/verify) for the opaque tokens it issues, and, as
// the instance's Frontend API on the same origin, its signing keys (GET /.well-known/jwks.json,
// an RSA key made at start) and its metadata (GET /.well-known/oauth-authorization-server).
//
// It answers in Clerk's wire format (snake_case, Unix-millisecond timestamps, a bare array for
// GET /v1/users, `{data, total_count}` for the organization lists, Clerk's error bodies),
// merges metadata the way Clerk does (a deep merge where `null` deletes a key), validates
// request bodies as Clerk does (an unknown, missing or wrongly typed field is a 422 naming it
// in `meta.param_name`), checks the headers every Clerk call must carry, and records every
// request so tests can assert on what the worker sent. A request that breaks a rule the
// worker must follow (headers, query parameters, body fields, endpoint) is a `violation` in
// its record.
//
// Run:    node tests/e2e/fake-clerk.mjs [--port 0] [--key sk_test_...]... [--users 45]
//                                       [--organizations 3] [--record false]
//         (or FAKE_CLERK_PORT, FAKE_CLERK_KEYS=comma,separated, FAKE_CLERK_USERS,
//         FAKE_CLERK_ORGANIZATIONS, FAKE_CLERK_RECORD). It prints `listening <port>` on stdout
//         once it accepts connections. `--record false` keeps no request record (GET
//         /__requests stays empty), so that a load benchmark's hundreds of thousands of
//         requests cost neither memory nor time.
// Import: startFakeClerk({ port, keys, userCount, organizationCount, record }), seedUsers(count),
//         seedOrganizations(users, count), mergeMetadata(target, patch), clerkErrorBody(...).
//
// Test-only endpoints (not recorded, no authentication):
//   GET /__requests      every recorded request, oldest first, with the answer it got
//   DELETE /__requests   forget them
//   GET /__users         the users, oldest first, exactly as Clerk would render them now
//   GET /__state         { organizations, memberships, invitations, sessions, allowlist, blocklist,
//                        waitlist, applicationInvitations } as Clerk would render them now
//                        (organizations with their counts), oldest first
//   POST /__invitations/{id}/accept
//                        the invitee accepts: the invitation turns `accepted` and the user
//                        with its email address becomes a member with its role and metadata;
//                        answers { invitation, membership }
//   POST /__faults       { path, method?, times?, status?, body?, rawBody?, headers?, delayMs?,
//                        padTo?, chunked?, cut? }: the next `times` (default 1) requests for
//                        exactly `path` (and `method`, if given) are answered as scripted.
//                        With `status`, they get this answer instead of the real one: `body`
//                        as JSON, or `rawBody` as is, or Clerk's usual error body for
//                        `status`. `headers` are added (say Retry-After). `delayMs` holds the
//                        answer that long; `padTo` appends spaces to the body up to that many
//                        bytes (JSON stays valid); `chunked: true` sends the body in chunks
//                        without a Content-Length; `cut` is `no-answer` (close the connection
//                        without answering) or `mid-body` (declare the whole body's length,
//                        send half of it, close). They are still recorded, with `fault: true`,
//                        and with `abandoned: true` if the client closed the connection first.
//   GET /__faults        the faults still waiting
//   DELETE /__faults     drop them all
//   POST /__oauth/access-tokens  { subject, status? }: issues an opaque access token of the user
//                        `subject`, `active` (default), `expired` or `revoked`, valid an hour
//                        (expired: an hour ago); answers { access_token, record }
//   POST /__oauth/jwt    { subject, claims?, header?, signedBy? }: a JWT access token of
//                        `subject` signed with the instance's key (`signedBy: "stranger"`: with
//                        a key the JWKS does not hold, under the same kid); `claims` and `header`
//                        replace the usual ones (iss, sub, exp in an hour, iat, nbf, client_id,
//                        scope, jti; alg RS256, typ at+jwt, kid); answers { access_token }
//
// Frontend API requests are recorded with `frontend: true`; they carry no key.

import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

export const CLERK_API_VERSION = '2026-05-12';
export const USER_AGENT_PREFIX = 'clerk-mcp-worker/';
export const DEFAULT_USER_COUNT = 45;
export const DEFAULT_ORGANIZATION_COUNT = 3;
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
const ORGANIZATION_NAMES = ['Acme Corporation', 'Globex', 'Initech', 'Umbrella Research', 'Stark Industries', 'Hooli'];

// The roles of a new Clerk instance, with the system permissions Clerk gives them.
export const ROLES = {
  'org:admin': {
    name: 'Admin',
    permissions: [
      'org:sys_profile:manage', 'org:sys_profile:delete', 'org:sys_memberships:read',
      'org:sys_memberships:manage', 'org:sys_domains:read', 'org:sys_domains:manage',
    ],
  },
  'org:member': { name: 'Member', permissions: ['org:sys_memberships:read'] },
  // A custom role, as an instance adds them.
  'org:billing_manager': {
    name: 'Billing manager',
    description: 'Manages the subscription and invoices',
    permissions: ['org:sys_memberships:read', 'org:billing:manage'],
  },
};
const ROLE_ORDER_FIELDS = new Set(['created_at', 'name', 'key']);
const LIST_ROLES_PARAMS = new Set(['query', 'order_by', 'limit', 'offset']);
const LIST_SESSIONS_PARAMS = new Set(['client_id', 'user_id', 'status', 'paginated', 'limit', 'offset']);
const SESSION_STATUSES = new Set(['abandoned', 'active', 'ended', 'expired', 'removed', 'replaced', 'revoked', 'pending']);
const PAGING_PARAMS = new Set(['limit', 'offset']);
const LIST_PLANS_PARAMS = new Set(['paginated', 'limit', 'offset', 'payer_type']);
const LIST_SUBSCRIPTION_ITEMS_PARAMS = new Set(['paginated', 'limit', 'offset', 'status', 'payer_type', 'plan_id', 'include_free', 'query']);
const SUBSCRIPTION_ITEM_STATUSES = new Set(['active', 'ended', 'past_due', 'upcoming', 'free_trial']);
const PAYER_TYPES = new Set(['user', 'org']);
const ENROLLMENT_MODES = new Set(['automatic_invitation', 'automatic_suggestion']);
const LIST_ALLOWLIST_PARAMS = new Set(['paginated', 'limit', 'offset']);
const LIST_WAITLIST_PARAMS = new Set(['limit', 'offset', 'query', 'status', 'order_by']);
const WAITLIST_STATUSES = new Set(['pending', 'invited', 'completed', 'rejected']);
const WAITLIST_ORDER_FIELDS = new Set(['created_at', 'email_address', 'invited_at']);
const LIST_APP_INVITATIONS_PARAMS = new Set(['status', 'query', 'order_by', 'paginated', 'limit', 'offset']);
const APP_INVITATION_ORDER_FIELDS = new Set(['created_at', 'email_address', 'expires_at']);

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
const USER_ORDER_FIELDS = new Set([
  'created_at', 'updated_at', 'email_address', 'web3wallet', 'first_name', 'last_name',
  'phone_number', 'username', 'last_active_at', 'last_sign_in_at',
]);
const LIST_ORGANIZATIONS_PARAMS = new Set([
  'include_members_count', 'include_missing_member_with_elevated_permissions', 'query', 'user_id',
  'organization_id', 'order_by', 'limit', 'offset',
]);
const GET_ORGANIZATION_PARAMS = new Set(['include_members_count', 'include_missing_member_with_elevated_permissions']);
const ORGANIZATION_ORDER_FIELDS = new Set(['created_at', 'name', 'members_count']);
const LIST_MEMBERSHIPS_PARAMS = new Set([
  'order_by', 'user_id', 'email_address', 'phone_number', 'username', 'web3_wallet', 'role', 'query',
  'email_address_query', 'phone_number_query', 'username_query', 'name_query',
  'last_active_at_before', 'last_active_at_after', 'created_at_before', 'created_at_after',
  'limit', 'offset',
]);
const MEMBERSHIP_ORDER_FIELDS = new Set(['created_at', 'first_name', 'last_name', 'username', 'email_address', 'phone_number']);
const LIST_INVITATIONS_PARAMS = new Set(['status', 'email_address', 'order_by', 'limit', 'offset']);
const INVITATION_ORDER_FIELDS = new Set(['created_at', 'email_address']);
const INVITATION_STATUSES = new Set(['pending', 'accepted', 'revoked', 'expired']);

// Request bodies, field by field, as the spec describes them. Clerk rejects fields it does not
// know even where the spec leaves `additionalProperties` open.
const METADATA = { type: 'object' };
const NULLABLE_METADATA = { type: 'object', nullable: true };
const BODIES = {
  createOrganization: {
    name: { type: 'string', required: true },
    created_by: { type: 'string', nullable: true },
    private_metadata: NULLABLE_METADATA,
    public_metadata: NULLABLE_METADATA,
    slug: { type: 'string', nullable: true },
    max_allowed_memberships: { type: 'integer', nullable: true, minimum: 0 },
    created_at: { type: 'string', nullable: true },
    role_set_key: { type: 'string', nullable: true },
  },
  organizationMetadata: { public_metadata: METADATA, private_metadata: METADATA },
  membershipMetadata: { public_metadata: METADATA, private_metadata: METADATA },
  userMetadata: { public_metadata: METADATA, private_metadata: METADATA, unsafe_metadata: METADATA },
  updateMembership: { role: { type: 'string', required: true } },
  updateOrganization: {
    name: { type: 'string', nullable: true },
    slug: { type: 'string', nullable: true },
    max_allowed_memberships: { type: 'integer', nullable: true, minimum: 0 },
    admin_delete_enabled: { type: 'boolean', nullable: true },
    created_at: { type: 'string', nullable: true },
    role_set_key: { type: 'string', nullable: true },
  },
  createMembership: {
    user_id: { type: 'string', required: true },
    role: { type: 'string', required: true },
    public_metadata: NULLABLE_METADATA,
    private_metadata: NULLABLE_METADATA,
  },
  revokeInvitation: { requesting_user_id: { type: 'string', nullable: true } },
  createUser: {
    external_id: { type: 'string', nullable: true },
    first_name: { type: 'string', nullable: true },
    last_name: { type: 'string', nullable: true },
    locale: { type: 'string', nullable: true },
    email_address: { type: 'array' },
    phone_number: { type: 'array' },
    username: { type: 'string', nullable: true },
    password: { type: 'string', nullable: true },
    skip_password_checks: { type: 'boolean', nullable: true },
    skip_password_requirement: { type: 'boolean', nullable: true },
    public_metadata: METADATA,
    private_metadata: METADATA,
    unsafe_metadata: METADATA,
    created_at: { type: 'string', nullable: true },
  },
  updateUser: {
    external_id: { type: 'string', nullable: true },
    first_name: { type: 'string', nullable: true },
    last_name: { type: 'string', nullable: true },
    locale: { type: 'string', nullable: true },
    username: { type: 'string', nullable: true },
    primary_email_address_id: { type: 'string', nullable: true },
    password: { type: 'string', nullable: true },
    skip_password_checks: { type: 'boolean', nullable: true },
    sign_out_of_other_sessions: { type: 'boolean', nullable: true },
  },
  verifyAccessToken: {
    access_token: { type: 'string', required: true },
    secret: { type: 'string' },
  },
  updateOrganizationSettings: {
    enabled: { type: 'boolean', nullable: true },
    max_allowed_memberships: { type: 'integer', nullable: true },
    admin_delete_enabled: { type: 'boolean', nullable: true },
    domains_enabled: { type: 'boolean', nullable: true },
    slug_disabled: { type: 'boolean', nullable: true },
    domains_enrollment_modes: { type: 'array' },
    creator_role_id: { type: 'string', nullable: true },
    domains_default_role_id: { type: 'string', nullable: true },
  },
  updateRestrictions: {
    allowlist: { type: 'boolean', nullable: true },
    blocklist: { type: 'boolean', nullable: true },
    allowlist_blocklist_disabled_on_sign_in: { type: 'boolean', nullable: true },
    block_email_subaddresses: { type: 'boolean', nullable: true },
    block_disposable_email_domains: { type: 'boolean', nullable: true },
  },
  createInvitation: {
    email_address: { type: 'string', required: true },
    inviter_user_id: { type: 'string', nullable: true },
    role: { type: 'string', required: true },
    public_metadata: NULLABLE_METADATA,
    private_metadata: NULLABLE_METADATA,
    redirect_url: { type: 'string', nullable: true },
    expires_in_days: { type: 'integer', nullable: true, minimum: 1, maximum: 365 },
    notify: { type: 'boolean', nullable: true },
  },
  banUsers: { user_ids: { type: 'array', required: true } },
  allowlistIdentifier: { identifier: { type: 'string', required: true }, notify: { type: 'boolean' } },
  blocklistIdentifier: { identifier: { type: 'string', required: true } },
  inviteWaitlistEntry: { ignore_existing: { type: 'boolean', nullable: true } },
  createWaitlistEntry: { email_address: { type: 'string', required: true }, notify: { type: 'boolean', nullable: true } },
  createAppInvitation: {
    email_address: { type: 'string', required: true },
    expires_in_days: { type: 'integer', nullable: true, minimum: 1, maximum: 365 },
    ignore_existing: { type: 'boolean', nullable: true },
    notify: { type: 'boolean', nullable: true },
    public_metadata: METADATA,
    redirect_url: { type: 'string' },
    template_slug: { type: 'string' },
  },
};
// An item of a bulk application invitation: as one, but metadata and redirect may be null.
BODIES.bulkAppInvitations = {
  array: {
    items: { ...BODIES.createAppInvitation, public_metadata: NULLABLE_METADATA, redirect_url: { type: 'string', nullable: true } },
    minItems: 1,
    maxItems: 10,
  },
};
// The body of a bulk invitation: an array of 1 to 10 createInvitation bodies.
BODIES.bulkInvitations = { array: { items: BODIES.createInvitation, minItems: 1, maxItems: 10 } };

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
// Seeded organizations

function slugify(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'organization';
}

/** The identifier Clerk shows for a member: the primary email, else the username, else the phone. */
function identifierOf(user) {
  return primaryEmail(user) ?? user.username ?? primaryPhone(user) ?? null;
}

/**
 * The seeded organizations with their memberships and invitations, oldest first, in the form
 * this fake stores them (Clerk's wire fields, plus `organization_id` and `user_id` on each
 * membership). Organization `i` is created by user `3i` (its admin), has users `3i+1` ...
 * `3i+2+i` as members, a pending invitation, and a revoked (odd `i`) or expired (even `i`) one;
 * organization 0 also has an accepted invitation and metadata in both objects.
 */
export function seedOrganizations(users, count = DEFAULT_ORGANIZATION_COUNT) {
  const organizations = [];
  const memberships = [];
  const invitations = [];
  for (let i = 0; i < count; i++) {
    const random = generator(1000 + i);
    const createdAt = FIRST_CREATED_AT + (7 * i + 3) * DAY + 4567;
    const name = `${ORGANIZATION_NAMES[i % ORGANIZATION_NAMES.length]}${i < ORGANIZATION_NAMES.length ? '' : ` ${i}`}`;
    const creator = users.length > 0 ? users[(3 * i) % users.length] : null;
    const organization = {
      object: 'organization',
      id: clerkId('org', random),
      name,
      slug: slugify(name),
      image_url: `https://img.clerk.com/seed-org-${i}`,
      has_image: i % 2 === 0,
      max_allowed_memberships: i === 0 ? 0 : 10,
      admin_delete_enabled: true,
      public_metadata: i === 0 ? { plan: 'enterprise', regions: ['eu', 'us'] } : {},
      private_metadata: i === 0 ? { billing: { customer_id: 'cus_org0', net_terms: 30 } } : {},
      created_by: creator?.id ?? '',
      created_at: createdAt,
      updated_at: createdAt + HOUR,
    };
    organizations.push(organization);

    const members = creator ? [[creator, 'org:admin']] : [];
    for (let k = 1; k <= 2 + i && users.length > 0; k++) {
      const user = users[(3 * i + k) % users.length];
      if (!members.some(([member]) => member.id === user.id)) members.push([user, 'org:member']);
    }
    members.forEach(([user, role], k) => {
      const at = createdAt + k * HOUR + 17;
      memberships.push({
        object: 'organization_membership',
        id: clerkId('orgmem', random),
        role,
        role_name: ROLES[role].name,
        permissions: [...ROLES[role].permissions],
        public_metadata: k === 1 ? { department: 'engineering' } : {},
        private_metadata: k === 1 ? { cost_center: 4200 + i } : {},
        organization_id: organization.id,
        user_id: user.id,
        created_at: at,
        updated_at: at,
      });
    });

    const invite = (email, role, status, at, extra = {}) => {
      const id = clerkId('orginv', random);
      invitations.push({
        object: 'organization_invitation',
        id,
        email_address: email,
        role,
        role_name: ROLES[role].name,
        organization_id: organization.id,
        inviter_id: creator?.id ?? null,
        status,
        public_metadata: {},
        private_metadata: {},
        url: status === 'pending' ? `https://accounts.example.com/accept-invitation?ticket=${id}` : null,
        expires_at: at + 30 * DAY,
        created_at: at,
        updated_at: status === 'pending' ? at : at + DAY,
        ...extra,
      });
    };
    invite(`invitee${i}@example.net`, 'org:member', 'pending', createdAt + 2 * DAY);
    invite(`former${i}@example.net`, i % 2 === 0 ? 'org:admin' : 'org:member', i % 2 === 0 ? 'expired' : 'revoked', createdAt + DAY);
    const member = members[1]?.[0];
    if (i === 0 && member && primaryEmail(member)) {
      invite(primaryEmail(member), 'org:member', 'accepted', createdAt, { public_metadata: { department: 'engineering' } });
    }
  }
  return { organizations, memberships, invitations };
}

// ---------------------------------------------------------------------------------------------
// Seeded roles and sessions

/** The instance's organization roles as Clerk renders them, oldest first. */
export function seedRoles() {
  const random = generator(2000);
  return Object.entries(ROLES).map(([key, role], i) => {
    const at = FIRST_CREATED_AT - (10 - i) * DAY;
    return {
      object: 'role',
      id: clerkId('role', random),
      name: role.name,
      key,
      description: role.description ?? null,
      is_creator_eligible: key === 'org:admin',
      permissions: role.permissions.map((permission) => ({
        object: 'permission',
        id: clerkId('perm', random),
        name: permission.replace(/^org:(sys_)?/, '').replace(/[:_]/g, ' '),
        key: permission,
        description: '',
        type: permission.startsWith('org:sys_') ? 'system' : 'user',
        created_at: at,
        updated_at: at,
      })),
      created_at: at,
      updated_at: at,
    };
  });
}

/**
 * Sessions of the seeded users: every third user has an active session on a laptop, every
 * sixth a second one on a phone, and every ninth an ended one.
 */
export function seedSessions(users) {
  const sessions = [];
  users.forEach((user, i) => {
    if (i % 3 !== 0) return;
    const random = generator(3000 + i);
    const base = user.created_at + 2 * DAY;
    const session = (status, at, mobile) => {
      sessions.push({
        object: 'session',
        id: clerkId('sess', random),
        user_id: user.id,
        client_id: clerkId('client', random),
        actor: null,
        status,
        last_active_organization_id: null,
        last_active_at: at + HOUR,
        latest_activity: {
          object: 'session_activity',
          id: clerkId('sess_activity', random),
          device_type: mobile ? 'iPhone' : 'Macintosh',
          is_mobile: mobile,
          browser_name: mobile ? 'Safari' : 'Firefox',
          browser_version: mobile ? '17.4' : '126.0',
          ip_address: `192.0.2.${i + 1}`,
          city: 'Lisbon',
          country: 'PT',
        },
        expire_at: at + 7 * DAY,
        abandon_at: at + 30 * DAY,
        created_at: at,
        updated_at: at + HOUR,
      });
    };
    if (i % 9 === 0) session('ended', base - DAY, false);
    session('active', base, false);
    if (i % 6 === 0) session('active', base + HOUR, true);
  });
  return sessions;
}

// ---------------------------------------------------------------------------------------------
// Clerk errors and parameters

/** The body of a Clerk error answer with one error. */
export function clerkErrorBody(code, message, longMessage, paramName) {
  return {
    errors: [{
      message,
      long_message: longMessage,
      code,
      ...(paramName ? { meta: { param_name: paramName } } : {}),
    }],
    clerk_trace_id: randomBytes(16).toString('hex'),
  };
}

class ClerkError extends Error {
  /** `details` is one `[code, message, longMessage, paramName?]`, or a list of them. */
  constructor(status, ...details) {
    const list = Array.isArray(details[0]) ? details : [details];
    super(list.map((d) => d[2]).join('; '));
    this.status = status;
    const bodies = list.map((d) => clerkErrorBody(...d));
    this.body = { errors: bodies.flatMap((b) => b.errors), clerk_trace_id: bodies[0].clerk_trace_id };
  }
}

function invalidParam(name, longMessage) {
  return new ClerkError(422, 'form_param_value_invalid', 'is invalid', longMessage, name);
}

function notFound(longMessage) {
  return new ClerkError(404, 'resource_not_found', 'not found', longMessage);
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

function booleanParam(params, name) {
  const raw = params.get(name);
  if (raw === null) return false;
  if (raw !== 'true' && raw !== 'false') {
    throw new ClerkError(422, 'form_param_format_invalid', 'is invalid', `${name} must be true or false`, name);
  }
  return raw === 'true';
}

/** `limit` (1-500, default 10) and `offset` (default 0), as every Clerk list takes them. */
function paging(params) {
  return {
    limit: integerParam(params, 'limit', { fallback: 10, min: 1, max: 500 }),
    offset: integerParam(params, 'offset', { fallback: 0, min: 0 }),
  };
}

/** One page of `items` in Clerk's `{data, total_count}` envelope. */
function paginated(items, params, render) {
  const { limit, offset } = paging(params);
  return { data: items.slice(offset, offset + limit).map(render), total_count: items.length };
}

/** `user_id=a&user_id=-b` style filters: `+` or nothing includes, `-` excludes. */
function signedIdFilter(items, ids, idOf) {
  const included = ids.filter((id) => !id.startsWith('-')).map((id) => id.replace(/^\+/, ''));
  const excluded = ids.filter((id) => id.startsWith('-')).map((id) => id.slice(1));
  let result = items;
  if (included.length > 0) result = result.filter((item) => included.includes(idOf(item)));
  if (excluded.length > 0) result = result.filter((item) => !excluded.includes(idOf(item)));
  return result;
}

/**
 * Sorts like Clerk's database on `orderBy` (`field`, `+field` or `-field`; unsigned is
 * ascending): nulls last when ascending, first when descending; ties by id.
 */
function sortBy(items, orderBy, fields, keyOf) {
  const descending = orderBy.startsWith('-');
  const field = orderBy.replace(/^[+-]/, '');
  if (!fields.has(field)) {
    throw invalidParam('order_by', `order_by must be one of ${[...fields].join(', ')}, optionally prefixed with + or -`);
  }
  const compare = (a, b) => {
    const x = keyOf(a, field) ?? null;
    const y = keyOf(b, field) ?? null;
    if (x === y) return a.id < b.id ? -1 : 1;
    if (x === null) return descending ? -1 : 1;
    if (y === null) return descending ? 1 : -1;
    const order = typeof x === 'string' ? x.localeCompare(y, 'en') : x - y;
    if (order === 0) return a.id < b.id ? -1 : 1;
    return descending ? -order : order;
  };
  return [...items].sort(compare);
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Clerk's metadata merge (JSON Merge Patch, RFC 7386): nested objects merge key by key, a key
 * set to null is deleted, anything else (arrays too) replaces what was there.
 */
export function mergeMetadata(target, patch) {
  const result = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (isPlainObject(value)) result[key] = mergeMetadata(result[key], value);
    else result[key] = structuredClone(value);
  }
  return result;
}

const JSON_TYPES = {
  string: (v) => typeof v === 'string',
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  object: isPlainObject,
  array: Array.isArray,
};

/**
 * Reads a JSON request body against `fields` as Clerk does: a body that is not a JSON object is
 * a 400; unknown, missing and wrongly typed fields are one 422 naming each; a value out of
 * bounds is a 422 too. The first three are the caller's mistakes about the API, so they are
 * also reported to `violate`; a value out of bounds may come from a user.
 */
function readJsonBody(raw, fields, violate) {
  let body = {};
  if (raw !== '') {
    try {
      body = JSON.parse(raw);
    } catch {
      violate('the body is not JSON');
      throw new ClerkError(400, 'malformed_request', 'malformed request', 'The request body could not be parsed as JSON');
    }
  }
  if (fields.array) {
    const { items, minItems, maxItems } = fields.array;
    if (!Array.isArray(body) || body.length < minItems || body.length > maxItems) {
      violate(`the body must be an array of ${minItems} to ${maxItems} objects`);
      throw new ClerkError(400, 'malformed_request', 'malformed request',
        `The request body must be an array of ${minItems} to ${maxItems} objects`);
    }
    return body.map((item) => readJsonBody(JSON.stringify(item), items, violate));
  }
  if (!isPlainObject(body)) {
    violate('the body is not a JSON object');
    throw new ClerkError(400, 'malformed_request', 'malformed request', 'The request body must be a JSON object');
  }
  const problems = [];
  for (const key of Object.keys(body)) {
    if (!(key in fields)) {
      problems.push(['form_param_unknown', 'is unknown', `${key} is not a valid parameter for this request.`, key]);
    }
  }
  for (const [key, field] of Object.entries(fields)) {
    const value = body[key];
    if (value === undefined) {
      if (field.required) problems.push(['form_param_missing', 'missing required parameter', `${key} must be included.`, key]);
    } else if (value === null ? !field.nullable : !JSON_TYPES[field.type](value)) {
      const expected = `${field.type === 'integer' ? 'an' : 'a'} ${field.type}${field.nullable ? ' or null' : ''}`;
      problems.push(['form_param_format_invalid', 'is invalid', `${key} must be ${expected}.`, key]);
    }
  }
  if (problems.length > 0) {
    for (const [, , longMessage] of problems) violate(`body: ${longMessage}`);
    throw new ClerkError(422, ...problems);
  }
  for (const [key, field] of Object.entries(fields)) {
    const value = body[key];
    if (typeof value !== 'number') continue;
    if ((field.minimum !== undefined && value < field.minimum) || (field.maximum !== undefined && value > field.maximum)) {
      throw invalidParam(key, `${key} must be between ${field.minimum ?? '-infinity'} and ${field.maximum ?? 'infinity'}`);
    }
  }
  return body;
}

// ---------------------------------------------------------------------------------------------
// Users

/** What kind of identifier a list holds: a phone number, a web3 wallet, or an email address (or domain). */
function identifierType(value) {
  if (/^\+\d+$/.test(value)) return 'phone_number';
  if (/^0x[0-9a-fA-F]+$/.test(value)) return 'web3_wallet';
  return 'email_address';
}

function primaryEmail(user) {
  return user.email_addresses.find((e) => e.id === user.primary_email_address_id)?.email_address ?? null;
}

function primaryPhone(user) {
  return user.phone_numbers.find((p) => p.id === user.primary_phone_number_id)?.phone_number ?? null;
}

function matchesUserQuery(user, query) {
  const needle = query.toLowerCase();
  return [
    user.id, user.first_name, user.last_name, user.username,
    ...user.email_addresses.map((e) => e.email_address),
    ...user.phone_numbers.map((p) => p.phone_number),
  ].some((field) => field?.toLowerCase().includes(needle));
}

/** The users that pass the filters GET /v1/users and GET /v1/users/count share. */
function filterUsers(users, params) {
  let result = users;
  const query = params.get('query');
  if (query !== null && query !== '') result = result.filter((u) => matchesUserQuery(u, query));
  const emails = params.getAll('email_address').map((e) => e.toLowerCase());
  if (emails.length > 0) {
    result = result.filter((u) => u.email_addresses.some((e) => emails.includes(e.email_address.toLowerCase())));
  }
  return signedIdFilter(result, params.getAll('user_id'), (u) => u.id);
}

function userSortKey(user, field) {
  if (field === 'email_address') return primaryEmail(user);
  if (field === 'phone_number') return primaryPhone(user);
  if (field === 'web3wallet') return null;
  return user[field];
}

// ---------------------------------------------------------------------------------------------
// The instance: users, organizations, memberships and invitations

/** A path segment as Clerk reads it. */
function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The instance IDs `GET /v1/instance` answers with, by environment. */
export const INSTANCE_IDS = { development: 'ins_2fakeDevelopment00000000000', production: 'ins_2fakeProduction000000000000' };

class FakeInstance {
  constructor({ users, organizations = [], memberships = [], invitations = [], roles = seedRoles(), sessions = seedSessions(users) }) {
    this.users = users;
    this.organizations = organizations;
    this.memberships = memberships;
    this.invitations = invitations;
    this.roles = roles;
    this.sessions = sessions;
    this.random = generator(0xc1e4c);
    this.lastTime = 0;
    // Opaque OAuth access tokens this instance issued, by token.
    this.accessTokens = new Map();
    this.protect = { object: 'instance_protect', rules_enabled: false, specter_enabled: false, checks_bypassed: false };
    this.organizationSettings = {
      object: 'organization_settings', enabled: true, max_allowed_memberships: 5, max_allowed_roles: 10,
      max_role_sets_allowed: 1, max_allowed_domains: 10, creator_role: 'org:admin', admin_delete_enabled: true,
      domains_enabled: false, slug_disabled: false, domains_enrollment_modes: [], domains_default_role: 'org:member',
      initial_role_set_key: null,
    };
    // Clerk's defaults; Clerk offers no way to read them, only to change them.
    this.restrictions = {
      object: 'instance_restrictions', allowlist: false, blocklist: false, allowlist_blocklist_disabled_on_sign_in: false,
      block_email_subaddresses: false, block_disposable_email_domains: false,
    };
    this.seedBilling();
    this.seedAccess();
  }

  // Allow-list, block-list, waitlist and application invitations --------------------------------

  /**
   * Two allow-listed addresses, a blocked address and a blocked domain, five waitlist entries
   * (three pending, one invited, one rejected) and three application invitations (pending,
   * accepted, revoked) besides the invited entry's. Their own generator keeps the IDs of
   * everything else as they were.
   */
  seedAccess() {
    const random = generator(0xacce55);
    const at = FIRST_CREATED_AT;
    this.allowlist = [];
    this.blocklist = [];
    this.waitlist = [];
    this.appInvitations = [];
    const identifier = (list, prefix, value, n) => list.push({
      id: clerkId(prefix, random), identifier: value, identifier_type: identifierType(value), created_at: at + n * HOUR, updated_at: at + n * HOUR,
    });
    identifier(this.allowlist, 'alid', 'partner@allowed.example', 1);
    identifier(this.allowlist, 'alid', '+15550100123', 2);
    identifier(this.blocklist, 'blid', 'spammer@bad.example', 1);
    identifier(this.blocklist, 'blid', 'disposable.example', 2);
    const invite = (email, status, n) => {
      const invitation = {
        id: clerkId('inv', random), email_address: email, public_metadata: {}, status, created_at: at + n * HOUR, updated_at: at + n * HOUR,
        expires_at: at + n * HOUR + 30 * DAY,
      };
      this.appInvitations.push(invitation);
      return invitation;
    };
    invite('friend@invited.example', 'pending', 3);
    invite('joined@invited.example', 'accepted', 4);
    invite('changed.mind@invited.example', 'revoked', 5);
    const entry = (email, status, n) => {
      const waiting = { id: clerkId('wle', random), email_address: email, status, created_at: at + n * DAY, updated_at: at + n * DAY };
      if (status === 'invited') waiting.invitation_id = invite(email, 'pending', n * 24 + 1).id;
      this.waitlist.push(waiting);
    };
    entry('early.bird@waiting.example', 'pending', 1);
    entry('researcher@university.example', 'pending', 2);
    entry('promo@spam.example', 'pending', 3);
    entry('already@waiting.example', 'invited', 4);
    entry('turned.away@waiting.example', 'rejected', 5);
  }

  renderIdentifier(kind, item) {
    return {
      object: `${kind}_identifier`, id: item.id, identifier: item.identifier, identifier_type: item.identifier_type,
      instance_id: INSTANCE_IDS.development, ...(item.invitation_id ? { invitation_id: item.invitation_id } : {}),
      created_at: item.created_at, updated_at: item.updated_at,
    };
  }

  identifiers(kind) {
    return kind === 'allowlist' ? this.allowlist : this.blocklist;
  }

  /** GET /v1/allowlist_identifiers: a bare array, or `{data, total_count}` with `paginated=true`. */
  listAllowlist(params) {
    const sorted = [...this.allowlist].sort((a, b) => b.created_at - a.created_at);
    if (booleanParam(params, 'paginated')) return paginated(sorted, params, (i) => this.renderIdentifier('allowlist', i));
    const { limit, offset } = paging(params);
    return sorted.slice(offset, offset + limit).map((i) => this.renderIdentifier('allowlist', i));
  }

  /** GET /v1/blocklist_identifiers: the whole list, which takes no parameters. */
  listBlocklist() {
    const data = [...this.blocklist].sort((a, b) => b.created_at - a.created_at).map((i) => this.renderIdentifier('blocklist', i));
    return { data, total_count: data.length };
  }

  /** POST /v1/{allowlist,blocklist}_identifiers: an identifier already listed is refused. */
  addIdentifier(kind, body) {
    const value = body.identifier.trim();
    if (value === '') throw invalidParam('identifier', 'identifier must not be empty');
    const list = this.identifiers(kind);
    if (list.some((i) => i.identifier.toLowerCase() === value.toLowerCase())) {
      throw new ClerkError(400, 'duplicate_record', 'duplicate record', `${value} is already on the ${kind}.`, 'identifier');
    }
    const at = this.now();
    const item = { id: clerkId(kind === 'allowlist' ? 'alid' : 'blid', this.random), identifier: value, identifier_type: identifierType(value), created_at: at, updated_at: at };
    if (body.notify && item.identifier_type === 'email_address') item.invitation_id = this.createAppInvitation({ email_address: value }).id;
    list.push(item);
    return this.renderIdentifier(kind, item);
  }

  /** DELETE /v1/{allowlist,blocklist}_identifiers/{id}. */
  removeIdentifier(kind, id) {
    const list = this.identifiers(kind);
    const index = list.findIndex((i) => i.id === id);
    if (index < 0) throw notFound(`No ${kind} identifier was found with id ${id}`);
    list.splice(index, 1);
    return { object: `${kind}_identifier`, id, deleted: true };
  }

  renderAppInvitation(invitation) {
    const open = invitation.status === 'pending';
    return {
      object: 'invitation', id: invitation.id, email_address: invitation.email_address, public_metadata: invitation.public_metadata,
      revoked: invitation.status === 'revoked', status: invitation.status,
      ...(open ? { url: `https://accounts.example.com/sign-up?__clerk_ticket=${invitation.id}` } : {}),
      expires_at: invitation.expires_at, created_at: invitation.created_at, updated_at: invitation.updated_at,
    };
  }

  renderWaitlistEntry(entry) {
    const invitation = this.appInvitations.find((i) => i.id === entry.invitation_id);
    // No invitation is left out rather than null: the spec's `allOf` with `nullable` reads null as
    // not an object (the worker reads both; tests/integration/access_tools.rs).
    return {
      object: 'waitlist_entry', id: entry.id, email_address: entry.email_address, status: entry.status, is_locked: false,
      ...(invitation ? { invitation: this.renderAppInvitation(invitation) } : {}), created_at: entry.created_at, updated_at: entry.updated_at,
    };
  }

  /** GET /v1/waitlist_entries: `{data, total_count}`, newest first unless `order_by` says. */
  listWaitlist(params) {
    const status = params.get('status');
    if (status !== null && !WAITLIST_STATUSES.has(status)) throw invalidParam('status', `status must be one of ${[...WAITLIST_STATUSES].join(', ')}`);
    const query = (params.get('query') ?? '').toLowerCase();
    const entries = this.waitlist.filter((e) => (status === null || e.status === status)
      && (query === '' || e.id.toLowerCase() === query || e.email_address.toLowerCase().includes(query)));
    const sorted = sortBy(entries, params.get('order_by') ?? '-created_at', WAITLIST_ORDER_FIELDS, (e, field) => e[field]);
    return paginated(sorted, params, (e) => this.renderWaitlistEntry(e));
  }

  /** POST /v1/waitlist_entries: a pending entry, or the entry the address has already. */
  createWaitlistEntry(body) {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.email_address)) {
      throw new ClerkError(422, 'form_param_format_invalid', 'is invalid', 'email_address must be a valid email address.', 'email_address');
    }
    const lower = body.email_address.toLowerCase();
    let entry = this.waitlist.find((e) => e.email_address.toLowerCase() === lower);
    if (!entry) {
      const at = this.now();
      entry = { id: clerkId('wle', this.random), email_address: body.email_address, status: 'pending', created_at: at, updated_at: at };
      this.waitlist.push(entry);
    }
    return this.renderWaitlistEntry(entry);
  }

  waitlistEntry(id) {
    const entry = this.waitlist.find((e) => e.id === id);
    if (!entry) throw notFound(`No waitlist entry was found with id ${id}`);
    return entry;
  }

  /** POST /v1/waitlist_entries/{id}/invite: a pending entry (or an invited one, ignoring its invitation) is invited. */
  inviteWaitlistEntry(id, body) {
    const entry = this.waitlistEntry(id);
    if (!(entry.status === 'pending' || (entry.status === 'invited' && body.ignore_existing))) {
      throw new ClerkError(409, 'conflict', 'conflict', `The waitlist entry is ${entry.status} and cannot be invited.`);
    }
    entry.invitation_id = this.createAppInvitation({ email_address: entry.email_address, ignore_existing: body.ignore_existing }).id;
    Object.assign(entry, { status: 'invited', updated_at: this.now() });
    return this.renderWaitlistEntry(entry);
  }

  /** POST /v1/waitlist_entries/{id}/reject: an entry not yet completed or rejected is rejected. */
  rejectWaitlistEntry(id) {
    const entry = this.waitlistEntry(id);
    if (entry.status === 'rejected' || entry.status === 'completed') {
      throw new ClerkError(409, 'conflict', 'conflict', `The waitlist entry is ${entry.status} and cannot be rejected.`);
    }
    Object.assign(entry, { status: 'rejected', updated_at: this.now() });
    return this.renderWaitlistEntry(entry);
  }

  /** GET /v1/invitations: a bare array, or `{data, total_count}` with `paginated=true`. */
  listAppInvitations(params) {
    const status = params.get('status');
    if (status !== null && !INVITATION_STATUSES.has(status)) throw invalidParam('status', `status must be one of ${[...INVITATION_STATUSES].join(', ')}`);
    const query = (params.get('query') ?? '').toLowerCase();
    const invitations = this.appInvitations.filter((i) => (status === null || i.status === status)
      && (query === '' || i.id.toLowerCase() === query || i.email_address.toLowerCase().includes(query)));
    const sorted = sortBy(invitations, params.get('order_by') ?? '-created_at', APP_INVITATION_ORDER_FIELDS, (i, field) => i[field]);
    if (booleanParam(params, 'paginated')) return paginated(sorted, params, (i) => this.renderAppInvitation(i));
    const { limit, offset } = paging(params);
    return sorted.slice(offset, offset + limit).map((i) => this.renderAppInvitation(i));
  }

  /** POST /v1/invitations: refused for a user's address, or one with a pending invitation unless `ignore_existing`. */
  createAppInvitation(body) {
    const email = body.email_address;
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      throw new ClerkError(422, 'form_param_format_invalid', 'is invalid', 'email_address must be a valid email address.', 'email_address');
    }
    const lower = email.toLowerCase();
    if (this.users.some((u) => u.email_addresses.some((e) => e.email_address.toLowerCase() === lower))) {
      throw new ClerkError(422, 'form_identifier_exists', 'already exists', `A user with ${email} already exists.`, 'email_address');
    }
    if (!body.ignore_existing && this.appInvitations.some((i) => i.status === 'pending' && i.email_address.toLowerCase() === lower)) {
      throw new ClerkError(400, 'duplicate_record', 'duplicate invitation', `There is already a pending invitation for ${email}.`, 'email_address');
    }
    const at = this.now();
    const invitation = {
      id: clerkId('inv', this.random), email_address: email, public_metadata: body.public_metadata ?? {}, status: 'pending',
      expires_at: at + (body.expires_in_days ?? 30) * DAY, created_at: at, updated_at: at,
    };
    this.appInvitations.push(invitation);
    return this.renderAppInvitation(invitation);
  }

  /** POST /v1/invitations/bulk: all or nothing, answered as a bare array. */
  createAppInvitations(items) {
    const before = this.appInvitations.slice();
    try {
      const seen = new Set();
      return items.map((item) => {
        const lower = item.email_address.toLowerCase();
        if (seen.has(lower)) {
          throw new ClerkError(400, 'duplicate_record', 'duplicate invitation', `${item.email_address} is repeated.`, 'email_address');
        }
        seen.add(lower);
        return this.createAppInvitation(item);
      });
    } catch (error) {
      this.appInvitations = before;
      throw error;
    }
  }

  /** POST /v1/invitations/{id}/revoke: only a pending invitation can be revoked. */
  revokeAppInvitation(id) {
    const invitation = this.appInvitations.find((i) => i.id === id);
    if (!invitation) throw notFound(`No invitation was found with id ${id}`);
    if (invitation.status !== 'pending') {
      throw new ClerkError(400, 'invitation_not_pending', 'invitation is not pending', `Only pending invitations can be revoked; this one is ${invitation.status}.`);
    }
    Object.assign(invitation, { status: 'revoked', updated_at: this.now() });
    return this.renderAppInvitation(invitation);
  }

  // Instance settings ---------------------------------------------------------------------------

  updateOrganizationSettings(body) {
    for (const mode of body.domains_enrollment_modes ?? []) {
      if (!ENROLLMENT_MODES.has(mode)) throw invalidParam('domains_enrollment_modes', `${mode} is not a supported enrollment mode`);
    }
    if (body.max_allowed_memberships !== undefined && body.max_allowed_memberships !== null && body.max_allowed_memberships < 0) {
      throw invalidParam('max_allowed_memberships', 'max_allowed_memberships must be 0 or more');
    }
    for (const key of ['enabled', 'max_allowed_memberships', 'admin_delete_enabled', 'domains_enabled', 'slug_disabled', 'domains_enrollment_modes']) {
      if (body[key] !== undefined && body[key] !== null) this.organizationSettings[key] = body[key];
    }
    return this.organizationSettings;
  }

  updateRestrictions(body) {
    for (const [key, value] of Object.entries(body)) {
      if (value !== null) this.restrictions[key] = value;
    }
    return this.restrictions;
  }

  // Billing -------------------------------------------------------------------------------------

  /** Two plans (a free default one for users, a paid one for organizations), and two subscriptions. */
  seedBilling() {
    const money = (amount) => ({ amount, amount_formatted: (amount / 100).toFixed(2), currency: 'USD', currency_symbol: '$' });
    const at = FIRST_CREATED_AT;
    const plan = (id, name, slug, payerType, fee, extra) => ({
      object: 'commerce_plan', id, name, fee: money(fee), annual_monthly_fee: money(fee * 0.8), annual_fee: money(fee * 0.8 * 12),
      description: null, product_id: 'prod_2fakeProduct', is_default: fee === 0, is_recurring: true, publicly_visible: true,
      has_base_fee: fee > 0, for_payer_type: payerType, slug, avatar_url: null, free_trial_enabled: false, free_trial_days: null,
      features: [], ...extra,
    });
    this.plans = [
      plan('cplan_2fakeFreeUser000000000', 'Free', 'free_user', 'user', 0),
      plan('cplan_2fakeTeamOrg0000000000', 'Team', 'team', 'org', 2500, {
        free_trial_enabled: true, free_trial_days: 14,
        features: [{ object: 'feature', id: 'feat_2fakeSso', name: 'SSO', description: null, slug: 'sso', avatar_url: null }],
      }),
    ];
    this.subscriptions = [];
    const subscribe = (payer, plan, { status = 'active', paid = 0 } = {}) => {
      const n = this.subscriptions.length;
      const payerId = `cpayer_2fake${n}`;
      const item = {
        object: 'commerce_subscription_item', id: `csubi_2fake${n}`, instance_id: INSTANCE_IDS.development, status,
        plan_id: plan.id, plan, plan_period: 'month', payer_id: payerId,
        payer: { object: 'commerce_payer', id: payerId, instance_id: INSTANCE_IDS.development, ...payer, created_at: at, updated_at: at },
        is_free_trial: false, period_start: at, period_end: plan.fee.amount > 0 ? at + 30 * DAY : null,
        canceled_at: null, past_due_at: status === 'past_due' ? at + 30 * DAY : null, ended_at: null,
        lifetime_paid: money(paid), created_at: at, updated_at: at,
        next_payment: plan.fee.amount > 0 ? { amount: plan.fee, date: at + 30 * DAY } : null,
      };
      this.subscriptions.push({
        object: 'commerce_subscription', id: `csub_2fake${n}`, instance_id: INSTANCE_IDS.development,
        status: status === 'past_due' ? 'past_due' : 'active', payer_id: payerId, created_at: at, updated_at: at,
        active_at: at, past_due_at: item.past_due_at, subscription_items: [item],
        ...(plan.fee.amount > 0 ? { next_payment: { date: at + 30 * DAY, amount: plan.fee } } : {}),
      });
    };
    const [user] = this.users;
    if (user) {
      subscribe({ user_id: user.id, first_name: user.first_name, last_name: user.last_name, email: primaryEmail(user) ?? null,
        organization_id: null, organization_name: null, image_url: user.image_url }, this.plans[0]);
    }
    const [organization] = this.organizations;
    if (organization) {
      subscribe({ user_id: null, first_name: null, last_name: null, email: null, organization_id: organization.id,
        organization_name: organization.name, image_url: organization.image_url }, this.plans[1], { paid: 7500 });
    }
  }

  listPlans(params) {
    const payerType = params.get('payer_type');
    if (payerType !== null && !PAYER_TYPES.has(payerType)) throw invalidParam('payer_type', 'payer_type must be user or org');
    const plans = [...this.plans].reverse().filter((p) => payerType === null || p.for_payer_type === payerType);
    return paginated(plans, params, (p) => p);
  }

  subscriptionOf(field, id) {
    const subscription = this.subscriptions.find((s) => s.subscription_items[0].payer[field] === id);
    if (!subscription) throw notFound(`No billing subscription was found for ${id}`);
    return subscription;
  }

  listSubscriptionItems(params) {
    const status = params.get('status');
    if (status !== null && !SUBSCRIPTION_ITEM_STATUSES.has(status)) throw invalidParam('status', 'status is invalid');
    const payerType = params.get('payer_type');
    if (payerType !== null && !PAYER_TYPES.has(payerType)) throw invalidParam('payer_type', 'payer_type must be user or org');
    const includeFree = booleanParam(params, 'include_free');
    const planId = params.get('plan_id');
    const query = (params.get('query') ?? '').toLowerCase();
    const items = this.subscriptions.flatMap((s) => s.subscription_items).reverse().filter((item) => (
      (status === null || item.status === status)
      && (payerType === null || (payerType === 'org') === (item.payer.organization_id !== null))
      && (includeFree || item.plan.fee.amount > 0)
      && (planId === null || item.plan_id === planId)
      && (query === '' || [item.payer.email, item.payer.organization_name, item.payer.first_name, item.payer.last_name, item.plan.name]
        .some((text) => text?.toLowerCase().includes(query)))
    ));
    return paginated(items, params, (i) => i);
  }

  /** The current time in Unix milliseconds, strictly increasing from call to call. */
  now() {
    this.lastTime = Math.max(Date.now(), this.lastTime + 1);
    return this.lastTime;
  }

  /**
   * The instance as `GET /v1/instance` gives it. One fake serves every key it accepts; a live
   * key's answer is a production instance's, as it would be at Clerk.
   */
  describe(key) {
    const live = key.startsWith('sk_live_');
    return {
      object: 'instance', id: live ? INSTANCE_IDS.production : INSTANCE_IDS.development,
      environment_type: live ? 'production' : 'development', allowed_origins: null, workspace_id: null,
    };
  }

  // Users -------------------------------------------------------------------------------------

  listUsers(params) {
    const { limit, offset } = paging(params);
    const users = sortBy(filterUsers(this.users, params), params.get('order_by') ?? '-created_at', USER_ORDER_FIELDS, userSortKey);
    return users.slice(offset, offset + limit);
  }

  countUsers(params) {
    return { object: 'total_count', total_count: filterUsers(this.users, params).length };
  }

  user(id) {
    const user = this.users.find((u) => u.id === id);
    if (!user) throw notFound(`No user was found with id ${id}`);
    return user;
  }

  updateUserMetadata(id, body) {
    const user = this.user(id);
    for (const key of ['public_metadata', 'private_metadata', 'unsafe_metadata']) {
      if (body[key] !== undefined) user[key] = mergeMetadata(user[key], body[key]);
    }
    user.updated_at = this.now();
    return user;
  }

  emailTaken(address, except = null) {
    const needle = address.toLowerCase();
    return this.users.some((u) => u !== except && u.email_addresses.some((e) => e.email_address.toLowerCase() === needle));
  }

  usernameTaken(username, except = null) {
    return this.users.some((u) => u !== except && u.username !== null && u.username.toLowerCase() === username.toLowerCase());
  }

  externalIdTaken(externalId, except = null) {
    return this.users.some((u) => u !== except && u.external_id === externalId);
  }

  checkUsername(username, except = null) {
    if (!/^[a-z0-9_-]{4,64}$/i.test(username)) {
      throw new ClerkError(422, 'form_username_invalid_character', 'is invalid',
        'Username must be between 4 and 64 characters long and contain only letters, digits, - and _.', 'username');
    }
    if (this.usernameTaken(username, except)) {
      throw new ClerkError(422, 'form_identifier_exists', 'is taken', 'That username is taken. Please try another.', 'username');
    }
  }

  checkExternalId(externalId, except = null) {
    if (this.externalIdTaken(externalId, except)) {
      throw new ClerkError(422, 'form_identifier_exists', 'is taken', 'That external ID is taken. Please try another.', 'external_id');
    }
  }

  /** POST /v1/users: the instance needs an email address, a phone number or a username. */
  createUser(body) {
    const emails = body.email_address ?? [];
    const phones = body.phone_number ?? [];
    for (const [name, values] of [['email_address', emails], ['phone_number', phones]]) {
      if (!values.every((v) => typeof v === 'string')) throw invalidParam(name, `${name} must be an array of strings`);
    }
    if (emails.length === 0 && phones.length === 0 && !body.username) {
      throw new ClerkError(422, 'form_data_missing', 'missing data',
        'You must provide at least one of email_address, phone_number or username.', 'email_address');
    }
    for (const address of emails) {
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) {
        throw new ClerkError(422, 'form_param_format_invalid', 'is invalid', 'email_address must be a valid email address.', 'email_address');
      }
      if (this.emailTaken(address) || emails.filter((e) => e.toLowerCase() === address.toLowerCase()).length > 1) {
        throw new ClerkError(422, 'form_identifier_exists', 'is taken', 'That email address is taken. Please try another.', 'email_address');
      }
    }
    for (const number of phones) {
      if (!/^\+[1-9]\d{6,14}$/.test(number)) {
        throw new ClerkError(422, 'form_param_format_invalid', 'is invalid', 'phone_number must be a valid phone number in E.164 format.', 'phone_number');
      }
    }
    if (body.username) this.checkUsername(body.username);
    if (body.external_id) this.checkExternalId(body.external_id);
    if (body.password !== undefined && body.password !== null && body.password.length < 8 && !body.skip_password_checks) {
      throw new ClerkError(422, 'form_password_length_too_short', 'is too short', 'Passwords must be 8 characters or more.', 'password');
    }
    const at = this.now();
    const user = {
      id: clerkId('user', this.random),
      object: 'user',
      username: body.username ?? null,
      first_name: body.first_name ?? null,
      last_name: body.last_name ?? null,
      image_url: `https://img.clerk.com/new-${this.users.length}`,
      has_image: false,
      primary_email_address_id: null,
      primary_phone_number_id: null,
      primary_web3_wallet_id: null,
      password_enabled: typeof body.password === 'string',
      two_factor_enabled: false,
      totp_enabled: false,
      backup_code_enabled: false,
      email_addresses: emails.map((address) => emailAddress(clerkId('idn', this.random), address, at)),
      phone_numbers: phones.map((number) => ({
        id: clerkId('idn', this.random),
        object: 'phone_number',
        phone_number: number,
        reserved_for_second_factor: false,
        default_second_factor: false,
        reserved: false,
        verification: otpVerification('phone_code', at),
        linked_to: [],
        backup_codes: null,
        created_at: at,
        updated_at: at,
      })),
      web3_wallets: [],
      passkeys: [],
      external_accounts: [],
      saml_accounts: [],
      enterprise_accounts: [],
      public_metadata: body.public_metadata ?? {},
      private_metadata: body.private_metadata ?? {},
      unsafe_metadata: body.unsafe_metadata ?? {},
      external_id: body.external_id ?? null,
      last_sign_in_at: null,
      banned: false,
      locked: false,
      lockout_expires_in_seconds: null,
      verification_attempts_remaining: 100,
      created_at: at,
      updated_at: at,
      delete_self_enabled: true,
      create_organization_enabled: true,
      create_organizations_limit: null,
      last_active_at: null,
      mfa_enabled_at: null,
      mfa_disabled_at: null,
      legal_accepted_at: null,
      locale: body.locale ?? null,
      password_last_updated_at: typeof body.password === 'string' ? at : null,
      bypass_client_trust: false,
      profile_image_url: `https://img.clerk.com/new-${this.users.length}`,
    };
    user.primary_email_address_id = user.email_addresses[0]?.id ?? null;
    user.primary_phone_number_id = user.phone_numbers[0]?.id ?? null;
    this.users.push(user);
    return user;
  }

  /** PATCH /v1/users/{id}: the profile fields given; metadata goes through /metadata. */
  updateUser(id, body) {
    const user = this.user(id);
    if (body.username) this.checkUsername(body.username, user);
    if (body.external_id) this.checkExternalId(body.external_id, user);
    if (body.primary_email_address_id && !user.email_addresses.some((e) => e.id === body.primary_email_address_id)) {
      throw invalidParam('primary_email_address_id', 'primary_email_address_id must be one of the user\'s email addresses');
    }
    for (const key of ['first_name', 'last_name', 'username', 'external_id', 'locale', 'primary_email_address_id']) {
      if (body[key] !== undefined) user[key] = body[key];
    }
    if (typeof body.password === 'string') {
      user.password_enabled = true;
      user.password_last_updated_at = this.now();
    }
    user.updated_at = this.now();
    return user;
  }

  /** POST /v1/users/{id}/ban: also ends every active session, as Clerk does. */
  banUser(id) {
    const user = this.user(id);
    const at = this.now();
    user.banned = true;
    for (const session of this.sessions) {
      if (session.user_id === user.id && session.status === 'active') Object.assign(session, { status: 'revoked', updated_at: at });
    }
    user.updated_at = at;
    return user;
  }

  /**
   * POST /v1/users/ban: 1 to 50 user IDs. The fake refuses the whole batch with a 400 (the spec
   * gives this endpoint no 404) when one of them is not a user, which Clerk does not document,
   * and otherwise bans each.
   */
  banUsers(body) {
    const ids = body.user_ids;
    if (ids.length < 1 || ids.length > 50 || !ids.every((id) => typeof id === 'string')) {
      throw invalidParam('user_ids', 'user_ids must hold 1 to 50 user IDs');
    }
    const unknown = ids.find((id) => !this.users.some((u) => u.id === id));
    if (unknown !== undefined) {
      throw new ClerkError(400, 'resource_not_found', 'not found', `No user was found with id ${unknown}`, 'user_ids');
    }
    return ids.map((id) => this.banUser(id));
  }

  unbanUser(id) {
    const user = this.user(id);
    Object.assign(user, { banned: false, updated_at: this.now() });
    return user;
  }

  lockUser(id) {
    const user = this.user(id);
    Object.assign(user, { locked: true, lockout_expires_in_seconds: 3600, verification_attempts_remaining: 0, updated_at: this.now() });
    return user;
  }

  unlockUser(id) {
    const user = this.user(id);
    Object.assign(user, { locked: false, lockout_expires_in_seconds: null, verification_attempts_remaining: 100, updated_at: this.now() });
    return user;
  }

  /** DELETE /v1/users/{id}: the user goes, with their memberships and sessions. */
  deleteUser(id) {
    const user = this.user(id);
    this.users = this.users.filter((u) => u !== user);
    this.memberships = this.memberships.filter((m) => m.user_id !== user.id);
    this.sessions = this.sessions.filter((s) => s.user_id !== user.id);
    return { object: 'user', id: user.id, deleted: true };
  }

  /** GET /v1/users/{id}/organization_memberships: newest first, with each organization. */
  listUserMemberships(id, params) {
    const user = this.user(id);
    const memberships = this.memberships.filter((m) => m.user_id === user.id).sort((a, b) => b.created_at - a.created_at);
    return paginated(memberships, params, (m) => this.renderMembership(m));
  }

  // Sessions ----------------------------------------------------------------------------------

  /** GET /v1/sessions: a bare array, or `{data, total_count}` with `paginated=true`. */
  listSessions(params) {
    const userId = params.get('user_id');
    const clientId = params.get('client_id');
    if (!userId && !clientId) {
      throw new ClerkError(400, 'missing_query_parameter', 'missing query parameter', 'Either client_id or user_id must be given.', 'user_id');
    }
    const paginatedAnswer = booleanParam(params, 'paginated');
    let sessions = this.sessions.filter((s) => (!userId || s.user_id === userId) && (!clientId || s.client_id === clientId));
    const status = params.get('status');
    if (status !== null) {
      if (!SESSION_STATUSES.has(status)) throw invalidParam('status', `status must be one of ${[...SESSION_STATUSES].join(', ')}`);
      sessions = sessions.filter((s) => s.status === status);
    }
    const sorted = [...sessions].sort((a, b) => b.created_at - a.created_at);
    if (paginatedAnswer) return paginated(sorted, params, (s) => s);
    const { limit, offset } = paging(params);
    return sorted.slice(offset, offset + limit);
  }

  /** GET /v1/sessions/{id}. */
  session(id) {
    const session = this.sessions.find((s) => s.id === id);
    if (!session) throw notFound(`No session was found with id ${id}`);
    return session;
  }

  revokeSession(id) {
    const session = this.sessions.find((s) => s.id === id);
    if (!session) throw notFound(`No session was found with id ${id}`);
    if (session.status !== 'revoked') Object.assign(session, { status: 'revoked', updated_at: this.now() });
    return session;
  }

  // Roles -------------------------------------------------------------------------------------

  listRoles(params) {
    let roles = this.roles;
    const query = params.get('query');
    if (query !== null && query !== '') {
      const needle = query.toLowerCase();
      roles = roles.filter((r) => r.id === query || r.name.toLowerCase().includes(needle) || r.key.toLowerCase().includes(needle));
    }
    const sorted = sortBy(roles, params.get('order_by') ?? '-created_at', ROLE_ORDER_FIELDS, (r, field) => r[field]);
    return paginated(sorted, params, (r) => r);
  }

  // Organizations -----------------------------------------------------------------------------

  organizationById(id) {
    const organization = this.organizations.find((o) => o.id === id);
    if (!organization) throw notFound(`No organization was found with id ${id}`);
    return organization;
  }

  organizationByIdOrSlug(idOrSlug) {
    const organization = this.organizations.find((o) => o.id === idOrSlug || o.slug === idOrSlug);
    if (!organization) throw notFound(`No organization was found with id or slug ${idOrSlug}`);
    return organization;
  }

  membersOf(organization) {
    return this.memberships.filter((m) => m.organization_id === organization.id);
  }

  /** An organization as Clerk renders it; with `counts` as `include_members_count=true` does. */
  renderOrganization(organization, { counts = false } = {}) {
    const rendered = structuredClone(organization);
    if (counts) {
      rendered.members_count = this.membersOf(organization).length;
      rendered.pending_invitations_count = this.invitations
        .filter((i) => i.organization_id === organization.id && i.status === 'pending').length;
    }
    return rendered;
  }

  listOrganizations(params) {
    const counts = booleanParam(params, 'include_members_count');
    booleanParam(params, 'include_missing_member_with_elevated_permissions');
    let organizations = this.organizations;
    const query = params.get('query');
    if (query !== null && query !== '') {
      const needle = query.toLowerCase();
      organizations = organizations.filter((o) => o.id === query
        || o.name.toLowerCase().includes(needle) || o.slug.toLowerCase().includes(needle));
    }
    organizations = signedIdFilter(organizations, params.getAll('organization_id'), (o) => o.id);
    const userIds = params.getAll('user_id');
    if (userIds.length > 0) {
      const memberOf = (o) => new Set(this.membersOf(o).map((m) => m.user_id));
      const included = userIds.filter((id) => !id.startsWith('-')).map((id) => id.replace(/^\+/, ''));
      const excluded = userIds.filter((id) => id.startsWith('-')).map((id) => id.slice(1));
      organizations = organizations.filter((o) => {
        const members = memberOf(o);
        return (included.length === 0 || included.some((id) => members.has(id))) && !excluded.some((id) => members.has(id));
      });
    }
    const sorted = sortBy(organizations, params.get('order_by') ?? '-created_at', ORGANIZATION_ORDER_FIELDS, (o, field) => (
      field === 'members_count' ? this.membersOf(o).length : o[field]));
    return paginated(sorted, params, (o) => this.renderOrganization(o, { counts }));
  }

  getOrganization(idOrSlug, params) {
    const counts = booleanParam(params, 'include_members_count');
    booleanParam(params, 'include_missing_member_with_elevated_permissions');
    return this.renderOrganization(this.organizationByIdOrSlug(idOrSlug), { counts });
  }

  createOrganization(body) {
    if (body.name.trim() === '') throw invalidParam('name', 'name must not be empty');
    if (body.name.length > 256) throw invalidParam('name', 'name must be at most 256 characters');
    let { slug } = body;
    if (slug !== undefined && slug !== null) {
      if (!/^[a-z0-9-]+$/.test(slug)) {
        throw new ClerkError(422, 'form_param_format_invalid', 'is invalid',
          'slug can contain only lowercase alphanumeric characters and the dash "-"', 'slug');
      }
      if (this.organizations.some((o) => o.slug === slug)) {
        throw new ClerkError(422, 'form_identifier_exists', 'is taken', 'That slug is taken. Please try another.', 'slug');
      }
    } else {
      const base = slugify(body.name);
      slug = base;
      for (let n = 2; this.organizations.some((o) => o.slug === slug); n++) slug = `${base}-${n}`;
    }
    const creator = body.created_by ? this.users.find((u) => u.id === body.created_by) : null;
    if (body.created_by && !creator) {
      throw invalidParam('created_by', `created_by must be the ID of a user of this instance; there is no user ${body.created_by}`);
    }
    const at = this.now();
    const organization = {
      object: 'organization',
      id: clerkId('org', this.random),
      name: body.name,
      slug,
      image_url: `https://img.clerk.com/org-${this.organizations.length}`,
      has_image: false,
      max_allowed_memberships: body.max_allowed_memberships ?? 5,
      admin_delete_enabled: true,
      public_metadata: body.public_metadata ?? {},
      private_metadata: body.private_metadata ?? {},
      created_by: creator?.id ?? '',
      created_at: at,
      updated_at: at,
    };
    this.organizations.push(organization);
    if (creator) this.addMembership(organization, creator, 'org:admin', {});
    return this.renderOrganization(organization);
  }

  /** PATCH /v1/organizations/{id}: the fields given; metadata goes through /metadata. */
  updateOrganization(id, body) {
    const organization = this.organizationById(id);
    if (typeof body.name === 'string') {
      if (body.name.trim() === '') throw invalidParam('name', 'name must not be empty');
      if (body.name.length > 256) throw invalidParam('name', 'name must be at most 256 characters');
      if (/https?:\/\/|<[a-z/!]/i.test(body.name)) throw invalidParam('name', 'name must not contain URLs or HTML');
    }
    if (typeof body.slug === 'string') {
      if (!/^[a-z0-9-]+$/.test(body.slug)) {
        throw new ClerkError(422, 'form_param_format_invalid', 'is invalid',
          'slug can contain only lowercase alphanumeric characters and the dash "-"', 'slug');
      }
      if (this.organizations.some((o) => o !== organization && o.slug === body.slug)) {
        throw new ClerkError(422, 'form_identifier_exists', 'is taken', 'That slug is taken. Please try another.', 'slug');
      }
    }
    for (const key of ['name', 'slug', 'max_allowed_memberships', 'admin_delete_enabled']) {
      if (body[key] !== undefined && body[key] !== null) organization[key] = body[key];
    }
    organization.updated_at = this.now();
    return this.renderOrganization(organization);
  }

  updateOrganizationMetadata(id, body) {
    const organization = this.organizationById(id);
    for (const key of ['public_metadata', 'private_metadata']) {
      if (body[key] !== undefined) organization[key] = mergeMetadata(organization[key], body[key]);
    }
    organization.updated_at = this.now();
    return this.renderOrganization(organization);
  }

  deleteOrganization(id) {
    const organization = this.organizationById(id);
    this.organizations = this.organizations.filter((o) => o !== organization);
    this.memberships = this.memberships.filter((m) => m.organization_id !== organization.id);
    this.invitations = this.invitations.filter((i) => i.organization_id !== organization.id);
    return { object: 'organization', id: organization.id, slug: organization.slug, deleted: true };
  }

  // Memberships -------------------------------------------------------------------------------

  role(key, param = 'role') {
    const role = ROLES[key];
    if (!role) {
      throw invalidParam(param, `${param} must be one of the instance's roles (${Object.keys(ROLES).join(', ')}); there is no role ${key}`);
    }
    return role;
  }

  addMembership(organization, user, roleKey, { public_metadata: publicMetadata = {}, private_metadata: privateMetadata = {} }) {
    const role = this.role(roleKey);
    const at = this.now();
    const membership = {
      object: 'organization_membership',
      id: clerkId('orgmem', this.random),
      role: roleKey,
      role_name: role.name,
      permissions: [...role.permissions],
      public_metadata: structuredClone(publicMetadata ?? {}),
      private_metadata: structuredClone(privateMetadata ?? {}),
      organization_id: organization.id,
      user_id: user.id,
      created_at: at,
      updated_at: at,
    };
    this.memberships.push(membership);
    return membership;
  }

  /** A membership as Clerk renders it: with its organization and the member's public data. */
  renderMembership(membership) {
    const { organization_id: organizationId, user_id: userId, ...wire } = structuredClone(membership);
    const user = this.users.find((u) => u.id === userId);
    return {
      ...wire,
      organization: this.renderOrganization(this.organizations.find((o) => o.id === organizationId)),
      public_user_data: {
        user_id: userId,
        first_name: user?.first_name ?? null,
        last_name: user?.last_name ?? null,
        profile_image_url: user?.profile_image_url ?? null,
        image_url: user?.image_url ?? '',
        has_image: user?.has_image ?? false,
        identifier: user ? identifierOf(user) : null,
        username: user?.username ?? null,
        banned: user?.banned ?? false,
      },
    };
  }

  membership(organizationId, userId) {
    const organization = this.organizationById(organizationId);
    const membership = this.membersOf(organization).find((m) => m.user_id === userId);
    if (!membership) throw notFound(`No membership was found for user ${userId} in organization ${organizationId}`);
    return membership;
  }

  listMemberships(organizationId, params) {
    const organization = this.organizationById(organizationId);
    const userOf = (m) => this.users.find((u) => u.id === m.user_id);
    let memberships = this.membersOf(organization);
    const roles = params.getAll('role');
    if (roles.length > 0) memberships = memberships.filter((m) => roles.includes(m.role));
    const query = params.get('query');
    if (query !== null && query !== '') memberships = memberships.filter((m) => matchesUserQuery(userOf(m), query));
    const emails = params.getAll('email_address').map((e) => e.toLowerCase());
    if (emails.length > 0) {
      memberships = memberships.filter((m) => userOf(m).email_addresses.some((e) => emails.includes(e.email_address.toLowerCase())));
    }
    const usernames = params.getAll('username');
    if (usernames.length > 0) memberships = memberships.filter((m) => usernames.includes(userOf(m).username));
    memberships = signedIdFilter(memberships, params.getAll('user_id'), (m) => m.user_id);
    const sorted = sortBy(memberships, params.get('order_by') ?? '-created_at', MEMBERSHIP_ORDER_FIELDS, (m, field) => (
      field === 'created_at' ? m.created_at : userSortKey(userOf(m), field)));
    return paginated(sorted, params, (m) => this.renderMembership(m));
  }

  /** POST /v1/organizations/{id}/memberships: the user joins with the role. */
  createMembership(organizationId, body) {
    const organization = this.organizationById(organizationId);
    const user = this.user(body.user_id);
    this.role(body.role);
    if (this.membersOf(organization).some((m) => m.user_id === user.id)) {
      throw new ClerkError(400, 'already_a_member_in_organization', 'already a member',
        `User ${user.id} is already a member of the organization.`, 'user_id');
    }
    const limit = organization.max_allowed_memberships;
    if (limit > 0 && this.membersOf(organization).length >= limit) {
      throw new ClerkError(403, 'organization_membership_quota_exceeded', 'membership quota exceeded',
        'You have reached your limit of organization memberships.');
    }
    return this.renderMembership(this.addMembership(organization, user, body.role, body));
  }

  updateMembershipRole(organizationId, userId, body) {
    const membership = this.membership(organizationId, userId);
    const role = this.role(body.role);
    Object.assign(membership, { role: body.role, role_name: role.name, permissions: [...role.permissions], updated_at: this.now() });
    return this.renderMembership(membership);
  }

  updateMembershipMetadata(organizationId, userId, body) {
    const membership = this.membership(organizationId, userId);
    for (const key of ['public_metadata', 'private_metadata']) {
      if (body[key] !== undefined) membership[key] = mergeMetadata(membership[key], body[key]);
    }
    membership.updated_at = this.now();
    return this.renderMembership(membership);
  }

  removeMembership(organizationId, userId) {
    const membership = this.membership(organizationId, userId);
    const rendered = this.renderMembership(membership);
    this.memberships = this.memberships.filter((m) => m !== membership);
    return rendered;
  }

  // Invitations -------------------------------------------------------------------------------

  renderInvitation(invitation) {
    const inviter = this.users.find((u) => u.id === invitation.inviter_id);
    return {
      ...structuredClone(invitation),
      public_inviter_data: inviter ? {
        user_id: inviter.id,
        first_name: inviter.first_name,
        last_name: inviter.last_name,
        image_url: inviter.image_url,
        has_image: inviter.has_image,
        identifier: identifierOf(inviter) ?? inviter.id,
      } : null,
    };
  }

  listInvitations(organizationId, params) {
    const organization = this.organizationById(organizationId);
    let invitations = this.invitations.filter((i) => i.organization_id === organization.id);
    const status = params.get('status');
    if (status !== null) {
      if (!INVITATION_STATUSES.has(status)) {
        throw invalidParam('status', `status must be one of ${[...INVITATION_STATUSES].join(', ')}`);
      }
      invitations = invitations.filter((i) => i.status === status);
    }
    const email = params.get('email_address');
    if (email !== null) invitations = invitations.filter((i) => i.email_address.toLowerCase() === email.toLowerCase());
    const sorted = sortBy(invitations, params.get('order_by') ?? '-created_at', INVITATION_ORDER_FIELDS, (i, field) => i[field]);
    return paginated(sorted, params, (i) => this.renderInvitation(i));
  }

  createInvitation(organizationId, body) {
    const organization = this.organizationById(organizationId);
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.email_address)) {
      throw new ClerkError(422, 'form_param_format_invalid', 'is invalid', 'email_address must be a valid email address.', 'email_address');
    }
    const role = this.role(body.role);
    if (this.invitations.some((i) => i.organization_id === organization.id && i.status === 'pending'
      && i.email_address.toLowerCase() === body.email_address.toLowerCase())) {
      throw new ClerkError(400, 'duplicate_record', 'duplicate invitation',
        `There is already a pending invitation for ${body.email_address} in this organization.`, 'email_address');
    }
    const at = this.now();
    const id = clerkId('orginv', this.random);
    const redirect = body.redirect_url ? `&redirect_url=${encodeURIComponent(body.redirect_url)}` : '';
    const invitation = {
      object: 'organization_invitation',
      id,
      email_address: body.email_address,
      role: body.role,
      role_name: role.name,
      organization_id: organization.id,
      inviter_id: body.inviter_user_id ?? null,
      status: 'pending',
      public_metadata: body.public_metadata ?? {},
      private_metadata: body.private_metadata ?? {},
      url: `https://accounts.example.com/accept-invitation?ticket=${id}${redirect}`,
      expires_at: at + (body.expires_in_days ?? 30) * DAY,
      created_at: at,
      updated_at: at,
    };
    this.invitations.push(invitation);
    return this.renderInvitation(invitation);
  }

  /**
   * POST .../invitations/bulk: all or nothing, as Clerk answers it: the first item Clerk
   * refuses (a bad address, an unknown role, a pending invitation, one repeated in the batch)
   * refuses the whole batch, and none of it is created.
   */
  createInvitations(organizationId, items) {
    const before = this.invitations.slice();
    try {
      const data = items.map((item) => this.createInvitation(organizationId, item));
      return { data, total_count: data.length };
    } catch (error) {
      this.invitations = before;
      throw error;
    }
  }

  /** POST .../invitations/{id}/revoke: only a pending invitation can be revoked. */
  /** GET /v1/organizations/{id}/invitations/{invitation_id}. */
  invitation(organizationId, invitationId) {
    const organization = this.organizationById(organizationId);
    const invitation = this.invitations.find((i) => i.organization_id === organization.id && i.id === invitationId);
    if (!invitation) throw notFound(`No invitation was found with id ${invitationId}`);
    return this.renderInvitation(invitation);
  }

  revokeInvitation(organizationId, invitationId, body) {
    const organization = this.organizationById(organizationId);
    const invitation = this.invitations.find((i) => i.organization_id === organization.id && i.id === invitationId);
    if (!invitation) throw notFound(`No invitation was found with id ${invitationId}`);
    if (body.requesting_user_id && !this.users.some((u) => u.id === body.requesting_user_id)) {
      throw notFound(`No user was found with id ${body.requesting_user_id}`);
    }
    if (invitation.status !== 'pending') {
      throw new ClerkError(400, 'organization_invitation_not_pending', 'invitation is not pending',
        `Only pending invitations can be revoked; this one is ${invitation.status}.`);
    }
    Object.assign(invitation, { status: 'revoked', url: null, updated_at: this.now() });
    return this.renderInvitation(invitation);
  }

  /** The invitee accepts (a test hook): the invitation turns accepted and makes a membership. */
  acceptInvitation(id) {
    const invitation = this.invitations.find((i) => i.id === id);
    if (!invitation) return [404, { error: `no invitation ${id}` }];
    if (invitation.status !== 'pending') return [409, { error: `invitation ${id} is ${invitation.status}` }];
    const email = invitation.email_address.toLowerCase();
    const user = this.users.find((u) => u.email_addresses.some((e) => e.email_address.toLowerCase() === email));
    if (!user) return [409, { error: `no user has the email address ${invitation.email_address}` }];
    const organization = this.organizations.find((o) => o.id === invitation.organization_id);
    if (this.membersOf(organization).some((m) => m.user_id === user.id)) {
      return [409, { error: `${user.id} is already a member` }];
    }
    const membership = this.addMembership(organization, user, invitation.role, invitation);
    Object.assign(invitation, { status: 'accepted', url: null, updated_at: this.now() });
    return [200, { invitation: this.renderInvitation(invitation), membership: this.renderMembership(membership) }];
  }

  // OAuth access tokens ------------------------------------------------------------------------

  /** Issues an opaque access token of `subject` (a test hook): [status, answer]. */
  issueAccessToken({ subject, status = 'active' } = {}) {
    if (typeof subject !== 'string' || !subject.startsWith('user_')) return [400, { error: 'subject must be a user ID' }];
    if (!['active', 'expired', 'revoked'].includes(status)) return [400, { error: 'status must be active, expired or revoked' }];
    const token = `oat_${randomBytes(24).toString('hex')}`;
    const seconds = Math.floor(Date.now() / 1000);
    const record = {
      object: 'clerk_idp_oauth_access_token',
      id: `oat_${randomBytes(16).toString('hex')}`,
      client_id: 'client_2assistantFakeClerk000000000',
      subject,
      scopes: ['profile', 'email'],
      revoked: status === 'revoked',
      revocation_reason: status === 'revoked' ? 'Revoked by user' : null,
      expired: status === 'expired',
      expiration: status === 'expired' ? seconds - 3600 : seconds + 3600,
      created_at: seconds - 60,
      updated_at: seconds - 60,
    };
    this.accessTokens.set(token, record);
    return [201, { access_token: token, record }];
  }

  /** POST /v1/oauth_applications/access_tokens/verify: the token's record, or 404. */
  verifyAccessToken(body) {
    const record = this.accessTokens.get(body.access_token);
    if (!record) throw notFound('The access token could not be found.');
    return record;
  }

  /** Everything but the users, as Clerk would render it now (for tests). */
  state() {
    return {
      organizations: this.organizations.map((o) => this.renderOrganization(o, { counts: true })),
      memberships: this.memberships.map((m) => this.renderMembership(m)),
      invitations: this.invitations.map((i) => this.renderInvitation(i)),
      sessions: structuredClone(this.sessions),
      allowlist: this.allowlist.map((i) => this.renderIdentifier('allowlist', i)),
      blocklist: this.blocklist.map((i) => this.renderIdentifier('blocklist', i)),
      waitlist: this.waitlist.map((e) => this.renderWaitlistEntry(e)),
      applicationInvitations: this.appInvitations.map((i) => this.renderAppInvitation(i)),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Endpoints

/**
 * The endpoints this fake serves: method, path template (`:name` is one segment), the query
 * parameters Clerk takes there, the body fields it takes (if it takes a body), and the answer.
 */
const ENDPOINTS = [
  ['GET', '/v1/instance', [], null, (c) => c.instance.describe(c.key)],
  ['GET', '/v1/instance/protect', [], null, (c) => c.instance.protect],
  ['GET', '/v1/instance/organization_settings', [], null, (c) => c.instance.organizationSettings],
  ['PATCH', '/v1/instance/organization_settings', [], BODIES.updateOrganizationSettings, (c) => c.instance.updateOrganizationSettings(c.body)],
  ['PATCH', '/v1/instance/restrictions', [], BODIES.updateRestrictions, (c) => c.instance.updateRestrictions(c.body)],
  ['GET', '/v1/billing/plans', LIST_PLANS_PARAMS, null, (c) => c.instance.listPlans(c.params)],
  ['GET', '/v1/billing/subscription_items', LIST_SUBSCRIPTION_ITEMS_PARAMS, null, (c) => c.instance.listSubscriptionItems(c.params)],
  ['GET', '/v1/users/:user/billing/subscription', [], null, (c) => c.instance.subscriptionOf('user_id', c.user)],
  ['GET', '/v1/organizations/:organization/billing/subscription', [], null, (c) => c.instance.subscriptionOf('organization_id', c.organization)],
  ['GET', '/v1/allowlist_identifiers', LIST_ALLOWLIST_PARAMS, null, (c) => c.instance.listAllowlist(c.params)],
  ['POST', '/v1/allowlist_identifiers', [], BODIES.allowlistIdentifier, (c) => c.instance.addIdentifier('allowlist', c.body)],
  ['DELETE', '/v1/allowlist_identifiers/:identifier', [], null, (c) => c.instance.removeIdentifier('allowlist', c.identifier)],
  ['GET', '/v1/blocklist_identifiers', [], null, (c) => c.instance.listBlocklist()],
  ['POST', '/v1/blocklist_identifiers', [], BODIES.blocklistIdentifier, (c) => c.instance.addIdentifier('blocklist', c.body)],
  ['DELETE', '/v1/blocklist_identifiers/:identifier', [], null, (c) => c.instance.removeIdentifier('blocklist', c.identifier)],
  ['GET', '/v1/waitlist_entries', LIST_WAITLIST_PARAMS, null, (c) => c.instance.listWaitlist(c.params)],
  ['POST', '/v1/waitlist_entries', [], BODIES.createWaitlistEntry, (c) => c.instance.createWaitlistEntry(c.body)],
  // The spec makes this body optional: it is sent only to set ignore_existing.
  ['POST', '/v1/waitlist_entries/:entry/invite', [], { ...BODIES.inviteWaitlistEntry, optional: true },
    (c) => c.instance.inviteWaitlistEntry(c.entry, c.body)],
  ['POST', '/v1/waitlist_entries/:entry/reject', [], null, (c) => c.instance.rejectWaitlistEntry(c.entry)],
  ['GET', '/v1/invitations', LIST_APP_INVITATIONS_PARAMS, null, (c) => c.instance.listAppInvitations(c.params)],
  ['POST', '/v1/invitations', [], BODIES.createAppInvitation, (c) => c.instance.createAppInvitation(c.body)],
  ['POST', '/v1/invitations/bulk', [], BODIES.bulkAppInvitations, (c) => c.instance.createAppInvitations(c.body)],
  ['POST', '/v1/invitations/:invitation/revoke', [], null, (c) => c.instance.revokeAppInvitation(c.invitation)],
  ['GET', '/v1/users', LIST_USERS_PARAMS, null, (c) => c.instance.listUsers(c.params)],
  ['GET', '/v1/users/count', COUNT_USERS_PARAMS, null, (c) => c.instance.countUsers(c.params)],
  ['GET', '/v1/users/:user', [], null, (c) => c.instance.user(c.user)],
  ['POST', '/v1/users', [], BODIES.createUser, (c) => c.instance.createUser(c.body)],
  ['PATCH', '/v1/users/:user', [], BODIES.updateUser, (c) => c.instance.updateUser(c.user, c.body)],
  ['DELETE', '/v1/users/:user', [], null, (c) => c.instance.deleteUser(c.user)],
  ['PATCH', '/v1/users/:user/metadata', [], BODIES.userMetadata, (c) => c.instance.updateUserMetadata(c.user, c.body)],
  ['POST', '/v1/users/ban', [], BODIES.banUsers, (c) => c.instance.banUsers(c.body)],
  ['POST', '/v1/users/:user/ban', [], null, (c) => c.instance.banUser(c.user)],
  ['POST', '/v1/users/:user/unban', [], null, (c) => c.instance.unbanUser(c.user)],
  ['POST', '/v1/users/:user/lock', [], null, (c) => c.instance.lockUser(c.user)],
  ['POST', '/v1/users/:user/unlock', [], null, (c) => c.instance.unlockUser(c.user)],
  ['GET', '/v1/users/:user/organization_memberships', PAGING_PARAMS, null, (c) => c.instance.listUserMemberships(c.user, c.params)],
  ['GET', '/v1/sessions', LIST_SESSIONS_PARAMS, null, (c) => c.instance.listSessions(c.params)],
  ['GET', '/v1/sessions/:session', [], null, (c) => c.instance.session(c.session)],
  ['POST', '/v1/sessions/:session/revoke', [], null, (c) => c.instance.revokeSession(c.session)],
  ['GET', '/v1/organization_roles', LIST_ROLES_PARAMS, null, (c) => c.instance.listRoles(c.params)],
  ['GET', '/v1/organizations', LIST_ORGANIZATIONS_PARAMS, null, (c) => c.instance.listOrganizations(c.params)],
  ['POST', '/v1/organizations', [], BODIES.createOrganization, (c) => c.instance.createOrganization(c.body)],
  ['GET', '/v1/organizations/:organization', GET_ORGANIZATION_PARAMS, null, (c) => c.instance.getOrganization(c.organization, c.params)],
  ['PATCH', '/v1/organizations/:organization', [], BODIES.updateOrganization, (c) => c.instance.updateOrganization(c.organization, c.body)],
  ['DELETE', '/v1/organizations/:organization', [], null, (c) => c.instance.deleteOrganization(c.organization)],
  ['PATCH', '/v1/organizations/:organization/metadata', [], BODIES.organizationMetadata,
    (c) => c.instance.updateOrganizationMetadata(c.organization, c.body)],
  ['GET', '/v1/organizations/:organization/memberships', LIST_MEMBERSHIPS_PARAMS, null,
    (c) => c.instance.listMemberships(c.organization, c.params)],
  ['POST', '/v1/organizations/:organization/memberships', [], BODIES.createMembership,
    (c) => c.instance.createMembership(c.organization, c.body)],
  ['PATCH', '/v1/organizations/:organization/memberships/:user', [], BODIES.updateMembership,
    (c) => c.instance.updateMembershipRole(c.organization, c.user, c.body)],
  ['DELETE', '/v1/organizations/:organization/memberships/:user', [], null, (c) => c.instance.removeMembership(c.organization, c.user)],
  ['PATCH', '/v1/organizations/:organization/memberships/:user/metadata', [], BODIES.membershipMetadata,
    (c) => c.instance.updateMembershipMetadata(c.organization, c.user, c.body)],
  ['GET', '/v1/organizations/:organization/invitations', LIST_INVITATIONS_PARAMS, null,
    (c) => c.instance.listInvitations(c.organization, c.params)],
  ['POST', '/v1/organizations/:organization/invitations', [], BODIES.createInvitation,
    (c) => c.instance.createInvitation(c.organization, c.body)],
  ['POST', '/v1/organizations/:organization/invitations/bulk', [], BODIES.bulkInvitations,
    (c) => c.instance.createInvitations(c.organization, c.body)],
  ['POST', '/v1/oauth_applications/access_tokens/verify', [], BODIES.verifyAccessToken,
    (c) => c.instance.verifyAccessToken(c.body)],
  // The spec makes this body optional: it is sent only to name the user who revokes.
  ['GET', '/v1/organizations/:organization/invitations/:invitation', [], null,
    (c) => c.instance.invitation(c.organization, c.invitation)],
  ['POST', '/v1/organizations/:organization/invitations/:invitation/revoke', [], { ...BODIES.revokeInvitation, optional: true },
    (c) => c.instance.revokeInvitation(c.organization, c.invitation, c.body)],
].map(([method, template, params, fields, answer]) => {
  const { optional = false, ...body } = fields ?? {};
  return { method, template: template.split('/'), params: new Set(params), body: fields ? body : null, bodyOptional: optional, answer };
});

/** The endpoint a request is for, with its path's named segments (decoded), or null. */
function findEndpoint(method, path) {
  const segments = path.split('/');
  for (const endpoint of ENDPOINTS) {
    if (endpoint.method !== method || endpoint.template.length !== segments.length) continue;
    const names = {};
    const matches = endpoint.template.every((part, i) => {
      if (!part.startsWith(':')) return part === segments[i];
      if (segments[i] === '') return false;
      names[part.slice(1)] = decodeSegment(segments[i]);
      return true;
    });
    if (matches) return { endpoint, names };
  }
  return null;
}

/** Header and shape rules every request from the worker must follow. */
function headerViolations(req, body, endpoint) {
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
  // A POST such as /ban takes no body at all; an optional body may be left out whole.
  const bodyless = req.method === 'GET' || req.method === 'DELETE' || (endpoint !== undefined && endpoint.body === null);
  const mayOmit = bodyless || (endpoint?.bodyOptional && body.length === 0 && req.headers['content-type'] === undefined);
  if (bodyless) {
    const what = req.method === 'GET' || req.method === 'DELETE' ? req.method : `${req.method} ${req.url.split('?')[0]}`;
    if (req.headers['content-type'] !== undefined) violations.push(`${what} must not carry Content-Type`);
    if (body.length > 0) violations.push(`${what} must not carry a body`);
  } else if (!mayOmit && (req.method === 'POST' || req.method === 'PATCH')) {
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      violations.push(`${req.method} must carry Content-Type: application/json, got ${JSON.stringify(req.headers['content-type'] ?? null)}`);
    }
    if (body.length === 0) violations.push(`${req.method} must carry a JSON body`);
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

// ---------------------------------------------------------------------------------------------
// Scripted faults

// Clerk's usual error for a status, for a fault that brings no body of its own.
const USUAL_ERRORS = {
  400: ['bad_request', 'bad request', 'The request could not be processed.'],
  401: ['authentication_invalid', 'Invalid authentication', 'Unable to authenticate the request, you need to supply an active API key'],
  402: ['payment_required', 'payment required', 'This feature is not available on your current plan.'],
  403: ['authorization_invalid', 'Unauthorized request', 'You are not authorized to perform this request'],
  404: ['resource_not_found', 'not found', 'Resource not found'],
  409: ['conflict', 'conflict', 'The request conflicts with the current state of the resource.'],
  422: ['form_param_value_invalid', 'is invalid', 'A parameter of this request is invalid.'],
  429: ['too_many_requests', 'Too many requests', 'You have exceeded the rate limit. Please try again later.'],
  500: ['internal_clerk_error', 'Oops, an unexpected error occurred',
    "There was an internal error on our servers. We've been notified and are working on fixing it."],
  502: ['bad_gateway', 'bad gateway', 'The server received an invalid response.'],
  503: ['service_unavailable', 'service unavailable', 'The service is temporarily unavailable.'],
};

const CUTS = new Set(['no-answer', 'mid-body']);
const MAX_DELAY_MS = 120_000;
const MAX_PAD_BYTES = 64 * 1024 * 1024;

/** Checks a POST /__faults body; returns the fault to store or throws a message. */
function readFault(raw) {
  let fault;
  try {
    fault = JSON.parse(raw);
  } catch {
    throw new Error('the body must be JSON');
  }
  if (!isPlainObject(fault)) throw new Error('the body must be a JSON object');
  const known = new Set(['path', 'method', 'status', 'body', 'rawBody', 'headers', 'times', 'delayMs', 'padTo', 'chunked', 'cut']);
  const unknown = Object.keys(fault).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new Error(`unknown fields: ${unknown.join(', ')}`);
  if (typeof fault.path !== 'string' || !fault.path.startsWith('/')) throw new Error('path must be a string starting with /');
  if (fault.method !== undefined && typeof fault.method !== 'string') throw new Error('method must be a string');
  if (fault.status !== undefined && !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)) {
    throw new Error('status must be an HTTP status');
  }
  if ((fault.body !== undefined || fault.rawBody !== undefined) && fault.status === undefined) {
    throw new Error('a body needs a status');
  }
  if (fault.rawBody !== undefined && typeof fault.rawBody !== 'string') throw new Error('rawBody must be a string');
  if (fault.rawBody !== undefined && fault.body !== undefined) throw new Error('give body or rawBody, not both');
  if (fault.headers !== undefined && (!isPlainObject(fault.headers) || !Object.values(fault.headers).every((v) => typeof v === 'string'))) {
    throw new Error('headers must be an object of strings');
  }
  if (fault.delayMs !== undefined && !(Number.isInteger(fault.delayMs) && fault.delayMs >= 0 && fault.delayMs <= MAX_DELAY_MS)) {
    throw new Error(`delayMs must be an integer from 0 to ${MAX_DELAY_MS}`);
  }
  if (fault.padTo !== undefined && !(Number.isInteger(fault.padTo) && fault.padTo >= 0 && fault.padTo <= MAX_PAD_BYTES)) {
    throw new Error(`padTo must be an integer from 0 to ${MAX_PAD_BYTES}`);
  }
  if (fault.chunked !== undefined && typeof fault.chunked !== 'boolean') throw new Error('chunked must be true or false');
  if (fault.cut !== undefined && !CUTS.has(fault.cut)) throw new Error(`cut must be one of ${[...CUTS].join(', ')}`);
  if (fault.cut === 'mid-body' && fault.chunked) throw new Error('mid-body needs a declared length: give cut or chunked, not both');
  if (['status', 'headers', 'delayMs', 'padTo', 'chunked', 'cut'].every((key) => fault[key] === undefined)) {
    throw new Error('a fault needs at least one of status, headers, delayMs, padTo, chunked, cut');
  }
  const times = fault.times ?? 1;
  if (!Number.isInteger(times) || times < 1) throw new Error('times must be an integer >= 1');
  return { ...fault, method: fault.method?.toUpperCase(), times };
}

/** The answer a fault with a `status` scripts: { status, headers, text, recorded }. */
function faultAnswer(fault) {
  const headers = { ...(fault.headers ?? {}) };
  const hasType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  if (fault.rawBody !== undefined) {
    if (!hasType) headers['content-type'] = 'text/html; charset=utf-8';
    return { status: fault.status, headers, text: fault.rawBody, recorded: fault.rawBody };
  }
  const usual = USUAL_ERRORS[fault.status] ?? ['unexpected_error', 'unexpected error', `HTTP ${fault.status}`];
  const body = fault.body !== undefined ? fault.body : clerkErrorBody(...usual);
  if (!hasType) headers['content-type'] = 'application/json; charset=utf-8';
  return { status: fault.status, headers, text: JSON.stringify(body), recorded: body };
}

const CHUNK_BYTES = 64 * 1024;

/** Writes `bytes` in chunks of CHUNK_BYTES, waiting for the socket to drain; then ends. */
async function writeInChunks(res, bytes) {
  for (let offset = 0; offset < bytes.length && !res.destroyed; offset += CHUNK_BYTES) {
    if (!res.write(bytes.subarray(offset, offset + CHUNK_BYTES))) {
      await new Promise((resolve) => {
        res.once('drain', resolve);
        res.once('close', resolve);
      });
    }
  }
  if (!res.destroyed) res.end();
}

/** Resolves after `ms`, or as soon as `res`'s connection closes; to whether it closed. */
function holdUnlessClosed(res, ms) {
  if (res.destroyed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(false);
    }, ms);
    res.once('close', onClose);
  });
}

/**
 * Sends `answer` as `fault` says (no fault: at once and whole): after `delayMs`, padded to
 * `padTo` bytes, in chunks, or cut off.
 */
async function deliver(res, record, fault, { status, headers, text }) {
  let cutHere = false;
  res.once('close', () => {
    if (!res.writableFinished && !cutHere) record.abandoned = true;
  });
  let bytes = Buffer.from(text, 'utf8');
  if (fault?.padTo > bytes.length) bytes = Buffer.concat([bytes, Buffer.alloc(fault.padTo - bytes.length, ' ')]);
  if (fault?.delayMs > 0 && await holdUnlessClosed(res, fault.delayMs)) return;
  if (res.destroyed) return;
  cutHere = fault?.cut !== undefined;
  if (fault?.cut === 'no-answer') {
    res.destroy();
    return;
  }
  if (fault?.chunked) {
    res.writeHead(status, headers);
    await writeInChunks(res, bytes);
    return;
  }
  res.writeHead(status, { ...headers, 'content-length': bytes.length });
  if (fault?.cut === 'mid-body') {
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
    return;
  }
  res.end(bytes);
}

// ---------------------------------------------------------------------------------------------
// HTTP server

function send(res, status, body, extraHeaders = {}) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...extraHeaders,
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

// ---------------------------------------------------------------------------------------------
// The instance as an OAuth authorization server (Frontend API)

const base64url = (bytes) => Buffer.from(bytes).toString('base64url');

/** The instance's signing key, and a stranger's key to forge signatures with, made at start. */
function makeSigningKeys() {
  const kid = `ins_${randomBytes(12).toString('hex')}`;
  const own = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...own.publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
  return { kid, own: own.privateKey, stranger: stranger.privateKey, jwks: { keys: [jwk] } };
}

/** Mints a JWT access token as the instance would (a test hook): [status, answer]. */
function mintJwt(keys, issuer, raw) {
  let request;
  try {
    request = JSON.parse(raw || '{}');
  } catch {
    return [400, { error: 'the body must be JSON' }];
  }
  const { subject, claims = {}, header = {}, signedBy = 'instance' } = request;
  if (typeof subject !== 'string') return [400, { error: 'subject must be a user ID' }];
  const seconds = Math.floor(Date.now() / 1000);
  const fullHeader = { alg: 'RS256', typ: 'at+jwt', kid: keys.kid, ...header };
  const fullClaims = {
    iss: issuer, sub: subject, exp: seconds + 3600, iat: seconds, nbf: seconds,
    client_id: 'client_2assistantFakeClerk000000000', scope: 'profile email',
    jti: `oat_${randomBytes(16).toString('hex')}`, ...claims,
  };
  const signed = `${base64url(JSON.stringify(fullHeader))}.${base64url(JSON.stringify(fullClaims))}`;
  const key = signedBy === 'stranger' ? keys.stranger : keys.own;
  const signature = sign('sha256', Buffer.from(signed), key);
  return [201, { access_token: `${signed}.${base64url(signature)}` }];
}

/** The instance's authorization-server metadata (RFC 8414), as its Frontend API serves it. */
function authorizationServerMetadata(issuer) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    registration_endpoint: `${issuer}/oauth/register`,
    revocation_endpoint: `${issuer}/oauth/token/revoke`,
    introspection_endpoint: `${issuer}/oauth/token_info`,
    userinfo_endpoint: `${issuer}/oauth/userinfo`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    scopes_supported: ['openid', 'profile', 'email', 'public_metadata', 'private_metadata'],
    response_types_supported: ['code'],
    response_modes_supported: ['query', 'form_post'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'none', 'client_secret_post'],
    code_challenge_methods_supported: ['S256'],
  };
}

/** Answers the Frontend API's public documents (recorded); returns false for any other request. */
function answerFrontendApi(req, res, { path, requests, signing, issuer }) {
  const documents = {
    '/.well-known/jwks.json': () => signing.jwks,
    '/.well-known/oauth-authorization-server': () => authorizationServerMetadata(issuer),
  };
  if (req.method !== 'GET' || !(path in documents)) return false;
  const answer = documents[path]();
  requests.push({
    method: req.method, path, query: '', headers: { ...req.headers }, body: '', frontend: true, violations: [],
    response: { status: 200, body: answer },
  });
  send(res, 200, answer);
  return true;
}

/** Answers the test-only endpoints; returns false for any other request. */
function answerTestEndpoint(req, res, { path, body, requests, instance, faults, signing, issuer }) {
  const route = `${req.method} ${path}`;
  if (route === 'POST /__oauth/access-tokens') {
    let request;
    try {
      request = JSON.parse(body || '{}');
    } catch {
      return send(res, 400, { error: 'the body must be JSON' }), true;
    }
    const [status, answer] = instance.issueAccessToken(request);
    return send(res, status, answer), true;
  }
  if (route === 'POST /__oauth/jwt') {
    const [status, answer] = mintJwt(signing, issuer, body);
    return send(res, status, answer), true;
  }
  if (route === 'GET /__requests') return send(res, 200, requests), true;
  if (route === 'DELETE /__requests') {
    requests.length = 0;
    res.writeHead(204).end();
    return true;
  }
  if (route === 'GET /__users') return send(res, 200, instance.users), true;
  if (route === 'GET /__state') return send(res, 200, instance.state()), true;
  const accept = /^\/__invitations\/([^/]+)\/accept$/.exec(path);
  if (accept && req.method === 'POST') {
    const [status, answer] = instance.acceptInvitation(decodeSegment(accept[1]));
    return send(res, status, answer), true;
  }
  if (route === 'GET /__faults') return send(res, 200, faults), true;
  if (route === 'DELETE /__faults') {
    faults.length = 0;
    res.writeHead(204).end();
    return true;
  }
  if (route === 'POST /__faults') {
    try {
      const fault = readFault(body);
      faults.push(fault);
      send(res, 201, fault);
    } catch (error) {
      send(res, 400, { error: error.message });
    }
    return true;
  }
  if (path.startsWith('/__')) return send(res, 404, { error: `no test endpoint ${route}` }), true;
  return false;
}

/** Takes one use of the first fault scripted for this request, if any. */
function takeFault(faults, method, path) {
  const index = faults.findIndex((f) => f.path === path && (f.method === undefined || f.method === method));
  if (index < 0) return null;
  const fault = faults[index];
  fault.times -= 1;
  if (fault.times === 0) faults.splice(index, 1);
  return fault;
}

/** What Clerk itself would answer: { status, headers, text, recorded }. */
function realAnswer({ req, path, found, bodyError, instance, params, parsedBody, accepted, extraHeaders = {} }) {
  let status = 200;
  let answer;
  try {
    if (!accepted.has(req.headers.authorization)) {
      throw new ClerkError(401, 'authentication_invalid', 'Invalid authentication',
        'Unable to authenticate the request, you need to supply an active API key');
    }
    if (!found) throw notFound(`No route for ${req.method} ${path}`);
    if (bodyError) throw bodyError;
    const key = req.headers.authorization.slice('Bearer '.length);
    answer = structuredClone(found.endpoint.answer({ instance, key, params, body: parsedBody, ...found.names }));
  } catch (error) {
    if (!(error instanceof ClerkError)) throw error;
    status = error.status;
    answer = error.body;
  }
  const headers = { 'content-type': 'application/json; charset=utf-8', ...extraHeaders };
  return { status, headers, text: JSON.stringify(answer), recorded: answer };
}

/**
 * Builds the fake as an unstarted `http.Server`. `keys` are the secret keys it accepts; `users`
 * the seeded users and `organizationCount` how many organizations to seed beside them. The
 * server's `requests` property holds the record, unless `record` is false.
 */
export function createFakeClerk({
  keys = DEFAULT_KEYS, users = seedUsers(), organizationCount = DEFAULT_ORGANIZATION_COUNT, record: keepRecord = true,
} = {}) {
  const requests = [];
  const faults = [];
  const accepted = new Set(keys.map((key) => `Bearer ${key}`));
  const instance = new FakeInstance({ users, ...seedOrganizations(users, organizationCount) });
  const signing = makeSigningKeys();

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const [path, ...rest] = req.url.split('?');
    const rawQuery = rest.join('?');
    // The instance's Frontend API is this very origin.
    const issuer = `http://127.0.0.1:${server.address().port}`;
    if (answerTestEndpoint(req, res, { path, body, requests, instance, faults, signing, issuer })) return undefined;
    if (answerFrontendApi(req, res, { path, requests, signing, issuer })) return undefined;

    const params = new URLSearchParams(rawQuery);
    const found = findEndpoint(req.method, path);
    const record = {
      method: req.method,
      path,
      query: rawQuery,
      headers: { ...req.headers },
      body,
      violations: headerViolations(req, body, found?.endpoint),
      response: null,
    };
    if (keepRecord) requests.push(record);
    const violate = (message) => record.violations.push(message);

    if (found) {
      record.violations.push(...queryViolations(found.endpoint.params, params, rawQuery));
    } else {
      violate(`unexpected endpoint ${req.method} ${path}`);
    }
    // Read the body before anything else answers, so that a faulted or unauthenticated
    // request is still checked.
    let parsedBody;
    let bodyError = null;
    if (found?.endpoint.body) {
      try {
        parsedBody = readJsonBody(body, found.endpoint.body, violate);
      } catch (error) {
        if (!(error instanceof ClerkError)) throw error;
        bodyError = error;
      }
    }

    const fault = takeFault(faults, req.method, path);
    if (fault) record.fault = true;
    const answer = fault?.status !== undefined
      ? faultAnswer(fault)
      : realAnswer({ req, path, found, bodyError, instance, params, parsedBody, accepted, extraHeaders: fault?.headers });
    record.response = { status: answer.status, body: answer.recorded };
    return deliver(res, record, fault, answer);
  });
  server.requests = requests;
  return server;
}

/** Starts the fake on 127.0.0.1; `port` 0 picks a free one. Resolves to { url, port, close }. */
export async function startFakeClerk({
  port = 0, keys, userCount = DEFAULT_USER_COUNT, organizationCount = DEFAULT_ORGANIZATION_COUNT, record = true,
} = {}) {
  const server = createFakeClerk({ keys, users: seedUsers(userCount), organizationCount, record });
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
    organizationCount: Number(env.FAKE_CLERK_ORGANIZATIONS ?? DEFAULT_ORGANIZATION_COUNT),
    record: env.FAKE_CLERK_RECORD ?? 'true',
  };
  const cliKeys = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--port') options.port = Number(value);
    else if (flag === '--key') cliKeys.push(value);
    else if (flag === '--users') options.userCount = Number(value);
    else if (flag === '--organizations') options.organizationCount = Number(value);
    else if (flag === '--record') options.record = value;
    else throw new Error(`unknown argument ${flag} (expected --port, --key, --users, --organizations, --record)`);
    i++;
  }
  if (cliKeys.length > 0) options.keys = cliKeys;
  if (options.keys.length === 0) options.keys = DEFAULT_KEYS;
  if (!Number.isInteger(options.port) || options.port < 0) throw new Error('the port must be an integer >= 0');
  if (!Number.isInteger(options.userCount) || options.userCount < 0) throw new Error('the user count must be an integer >= 0');
  if (!Number.isInteger(options.organizationCount) || options.organizationCount < 0) {
    throw new Error('the organization count must be an integer >= 0');
  }
  if (options.record !== 'true' && options.record !== 'false') throw new Error('--record must be true or false');
  options.record = options.record === 'true';
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
