// The front door (GET / in a browser) in a real browser: Debian's Chromium, driven by
// playwright-core, against the public and the hosted worker. For each mode:
//   - the page loads with no console error, no script error, and no request to another origin;
//     without JavaScript its form still works: ticking a box and sending the form gives a page
//     whose MCP URL has that choice, the same URL the script makes for it;
//   - each control (read-only, each toolset, confirmation) changes the MCP URL as the server
//     reads it and the tools shown with it (the tools shown are those `tools/list` gives for
//     the URL shown), and the defaults give back the bare /mcp URL;
//   - each client's snippet parses as the JSON or shell command that client expects and names
//     the URL on the page, before and after the controls change it; the headers name where the
//     secret comes from (X-Clerk-Secret-Key in public mode, Authorization: Bearer in hosted
//     mode, whose worker has access tokens), never a secret; the install links hold the same;
//   - each copy button puts exactly its text on the clipboard;
//   - the Tab key alone reaches every control, each shows where the focus is, Space ticks a box
//     and the arrow keys change the confirmation;
//   - a full-page screenshot at desktop (1280×900) and phone (390×844) widths is saved under
//     target/front-door/ for a person to look at; at both, nothing but a snippet's own box is
//     wider than the screen, and no tool's name and mark run out of its column.
//
// Chromium is /usr/bin/chromium (Debian's chromium package, which `.ci/setup.sh --test`
// installs) or the one CHROMIUM names; the test fails when it cannot start it.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { connect, modes, setting } from './support.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCREENSHOTS = join(ROOT, 'target', 'front-door');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CLIENTS = ['claude-code', 'claude-desktop', 'cursor', 'vscode', 'windsurf'];
const OPT_IN = ['instance', 'billing'];
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
// Every secret the workers hold: none may be on the page.
const SECRETS = [setting('CLERK_KEY_PUBLIC'), setting('CLERK_KEY_HOSTED'), ...setting('MCP_TOKENS_HOSTED').split(',')];

let browser;

before(async () => {
  const how = 'install Debian\'s chromium package (apt-get install chromium; `bash .ci/setup.sh --test` does) or name another Chromium with CHROMIUM=';
  if (!existsSync(CHROMIUM)) throw new Error(`there is no Chromium at ${CHROMIUM}: ${how}`);
  try {
    // Root may not use Chromium's sandbox; the pages are the worker's own.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 30_000 });
  } catch (error) {
    throw new Error(`could not start Chromium at ${CHROMIUM} (${error.message.split('\n')[0]}): ${how}`);
  }
});

after(async () => {
  await browser?.close();
});

/**
 * Opens `url` in a new browser context, noting every console error, script error and request.
 * `options` are the context's (viewport, javaScriptEnabled, isMobile, ...).
 */
async function open(url, options = {}) {
  const context = await browser.newContext({ viewport: DESKTOP, ...options });
  const page = await context.newPage();
  const seen = { consoleErrors: [], pageErrors: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') seen.consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => seen.pageErrors.push(error.message));
  page.on('request', (request) => seen.requests.push(request.url()));
  const response = await page.goto(url);
  assert.equal(response.status(), 200, `GET ${url}`);
  assert.match(response.headers()['content-type'], /^text\/html/);
  return { context, page, seen };
}

/** What the page shows now: the MCP URL, the tool count, the tools and prompts shown. */
function shown(page) {
  return page.evaluate(() => {
    const visible = (element) => !element.closest('[hidden]');
    const tools = [...document.querySelectorAll('li[data-tool]')];
    return {
      url: document.getElementById('mcp-url').value,
      count: Number(document.getElementById('tool-count').textContent),
      tools: tools.filter(visible).map((li) => ({ name: li.dataset.tool, toolset: li.dataset.toolset, kind: li.dataset.kind })),
      hiddenToolsets: [...new Set(tools.filter((li) => !visible(li)).map((li) => li.dataset.toolset))],
      prompts: [...document.querySelectorAll('li[data-prompt]')].filter(visible).map((li) => li.dataset.prompt),
      emptyGroupsShown: [...document.querySelectorAll('section[data-group]')]
        .filter((group) => !group.hidden && !group.querySelector('li[data-tool]:not([hidden])')).map((group) => group.dataset.group),
    };
  });
}

/** The form's facts: the bare MCP URL, the default toolsets, the server's confirmation, each box. */
function form(page) {
  return page.evaluate(() => {
    const element = document.getElementById('narrowing');
    return {
      base: element.dataset.base,
      defaults: element.dataset.defaults.split(',').filter(Boolean),
      confirm: element.dataset.confirm,
      toolsets: [...element.querySelectorAll('input[type=checkbox][name=toolset]')].map((box) => box.value),
      readOnlyDisabled: document.getElementById('readonly').disabled,
    };
  });
}

/** The MCP URL for these choices, the toolsets listed in the order of the page's boxes. */
function expectedUrl(facts, { readOnly = false, toolsets = facts.defaults, confirm = facts.confirm } = {}) {
  const query = [];
  if (readOnly && !facts.readOnlyDisabled) query.push('readonly=true');
  const sets = facts.toolsets.filter((name) => toolsets.includes(name));
  if (sets.join(',') !== facts.defaults.join(',')) query.push(`toolsets=${sets.join(',')}`);
  if (confirm !== facts.confirm) query.push(`confirm=${confirm}`);
  return query.length ? `${facts.base}?${query.join('&')}` : facts.base;
}

/** The names of the tools `tools/list` gives for `url`, sorted. */
async function listedTools(url, headers) {
  const session = await connect(url, headers);
  try {
    return session.tools.map((tool) => tool.name).sort();
  } finally {
    await session.close();
  }
}

/** Checks what the page shows against `url`, and against what the worker lists for it. */
async function assertShows(page, mode, url, what) {
  const now = await shown(page);
  assert.equal(now.url, url, `${what}: the MCP URL`);
  assert.equal(now.count, now.tools.length, `${what}: #tool-count says how many tools are shown`);
  assert.deepEqual(now.emptyGroupsShown, [], `${what}: a toolset's heading is shown with none of its tools`);
  assert.deepEqual(now.tools.map((tool) => tool.name).sort(), await listedTools(url, mode.headers),
    `${what}: the tools shown are those tools/list gives for ${url}`);
  return now;
}

// -------------------------------------------------------------------------------------------
// Snippets

/** Splits a command line as a POSIX shell does, without expanding anything: 'single' and "double" quotes, backslashes. */
function shellWords(line) {
  const words = [];
  let word = null;
  for (let i = 0; i < line.length; i += 1) {
    const character = line[i];
    if (/\s/.test(character)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (character === '\'') {
      const end = line.indexOf('\'', i + 1);
      if (end < 0) throw new Error(`unclosed ' in ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (character === '"') {
      word ??= '';
      for (i += 1; line[i] !== '"'; i += 1) {
        if (i >= line.length) throw new Error(`unclosed " in ${line}`);
        if (line[i] === '\\' && '"\\$`'.includes(line[i + 1])) i += 1;
        word += line[i];
      }
    } else if (character === '\\') {
      word = (word ?? '') + (line[i + 1] ?? '');
      i += 1;
    } else {
      word = (word ?? '') + character;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

describe('the shell splitter', () => {
  it('splits as a shell does', () => {
    assert.deepEqual(shellWords(`a 'b c'  "d \\"e\\" $F" g\\ h 'i'"j"`), ['a', 'b c', 'd "e" $F', 'g h', 'ij']);
    assert.throws(() => shellWords('a \'b'), /unclosed/);
  });
});

/** Every client's snippet text and format, and the install links' addresses. */
function snippets(page) {
  return page.evaluate((clients) => Object.fromEntries(clients.map((id) => {
    const code = document.getElementById(`snippet-${id}`);
    const install = document.getElementById(`install-${id}`);
    return [id, { text: code.textContent, format: code.dataset.format, install: install?.getAttribute('href') ?? null }];
  })), CLIENTS);
}

/**
 * Reads each client's snippet as that client would, asserting its shape; gives for each its URL
 * and the headers it sends as { name: value }, the value as written (a variable or input named).
 */
function readSnippets(all) {
  const read = {};
  for (const [id, { text, format }] of Object.entries(all)) {
    assert.equal(format, id === 'claude-code' ? 'command' : 'json', `${id}: data-format`);
    if (id === 'claude-code') {
      const words = shellWords(text);
      assert.ok(words.length >= 7, `${id}: ${text}`);
      assert.deepEqual(words.slice(0, 6), ['claude', 'mcp', 'add', '--transport', 'http', 'clerk'], `${id}: ${text}`);
      const headers = {};
      const rest = words.slice(7);
      assert.equal(rest.length % 2, 0, `${id}: each --header has a value: ${text}`);
      for (let i = 0; i < rest.length; i += 2) {
        assert.equal(rest[i], '--header', `${id}: ${text}`);
        const [, name, value] = rest[i + 1].match(/^([A-Za-z-]+): (.+)$/) ?? assert.fail(`${id}: a header is "Name: value": ${rest[i + 1]}`);
        headers[name] = value;
      }
      read[id] = { url: words[6], headers };
      continue;
    }
    let json;
    assert.doesNotThrow(() => { json = JSON.parse(text); }, `${id}: the snippet is JSON: ${text}`);
    if (id === 'claude-desktop') {
      const server = json.mcpServers?.clerk;
      assert.deepEqual(Object.keys(json), ['mcpServers']);
      assert.equal(server.command, 'npx');
      assert.deepEqual(server.args.slice(0, 2), ['-y', 'mcp-remote']);
      const headers = {};
      const rest = server.args.slice(3);
      assert.equal(rest.length % 2, 0, `${id}: each --header has a value`);
      for (let i = 0; i < rest.length; i += 2) {
        assert.equal(rest[i], '--header');
        // mcp-remote's header argument: the whole value from one variable of `env`.
        const [, name, variable] = rest[i + 1].match(/^([A-Za-z-]+):\$\{([A-Z_]+)\}$/) ?? assert.fail(`${id}: ${rest[i + 1]}`);
        const placeholder = server.env?.[variable];
        assert.match(placeholder ?? '', /^(Bearer )?<[^<>]+>$/, `${id}: env.${variable} is a placeholder to replace`);
        headers[name] = placeholder;
      }
      assert.deepEqual(Object.keys(server.env ?? {}).sort(), rest.filter((_, i) => i % 2 === 1)
        .map((header) => header.match(/\$\{([A-Z_]+)\}/)[1]).sort(), `${id}: env holds exactly the variables the headers use`);
      read[id] = { url: server.args[2], headers, server };
    } else if (id === 'cursor' || id === 'windsurf') {
      assert.deepEqual(Object.keys(json), ['mcpServers']);
      const server = json.mcpServers?.clerk;
      const urlField = id === 'cursor' ? 'url' : 'serverUrl';
      assert.deepEqual(Object.keys(server).filter((key) => key !== 'headers'), [urlField], `${id}: ${text}`);
      for (const value of Object.values(server.headers ?? {})) assert.match(value, /^(Bearer )?\$\{env:[A-Z_]+\}$/, id);
      read[id] = { url: server[urlField], headers: server.headers ?? {}, server };
    } else if (id === 'vscode') {
      const server = json.servers?.clerk;
      assert.equal(server.type, 'http');
      const references = Object.values(server.headers ?? {}).map((value) => {
        const [, input] = value.match(/^(?:Bearer )?\$\{input:([a-z-]+)\}$/) ?? assert.fail(`${id}: ${value}`);
        return input;
      });
      // Each input a header names is a prompt for a password, and there is no other.
      assert.deepEqual((json.inputs ?? []).map((input) => input.id).sort(), references.sort(), `${id}: inputs`);
      for (const input of json.inputs ?? []) {
        assert.equal(input.type, 'promptString', `${id}: input ${input.id}`);
        assert.equal(input.password, true, `${id}: input ${input.id}`);
      }
      assert.deepEqual(Object.keys(json).sort(), references.length ? ['inputs', 'servers'] : ['servers']);
      read[id] = { url: server.url, headers: server.headers ?? {}, server, inputs: json.inputs };
    }
  }
  return read;
}

/** Checks every snippet and install link against the URL on the page and the mode's headers. */
async function assertSnippets(page, mode, what) {
  const url = (await shown(page)).url;
  const all = await snippets(page);
  const read = readSnippets(all);
  for (const [id, { url: named, headers }] of Object.entries(read)) {
    assert.equal(named, url, `${what}: ${id} names the URL on the page`);
    for (const secret of SECRETS) assert.ok(!all[id].text.includes(secret), `${what}: ${id} holds a secret of the run`);
    assert.doesNotMatch(all[id].text, /sk_(test|live)_/, `${what}: ${id} holds a key`);
    // A header's value names where the secret comes from: a variable, an input or a placeholder.
    const reference = /^(\$[A-Z_]+|\$\{(env|input):[A-Za-z_-]+\}|<[^<>]+>)$/;
    if (mode.name === 'public') {
      assert.deepEqual(Object.keys(headers), ['X-Clerk-Secret-Key'], `${what}: ${id} sends the Clerk key`);
      assert.match(headers['X-Clerk-Secret-Key'], reference, `${what}: ${id} names where the key comes from`);
    } else {
      assert.deepEqual(Object.keys(headers), ['Authorization'], `${what}: ${id} sends an access token`);
      const [, token] = headers.Authorization.match(/^Bearer (.+)$/) ?? assert.fail(`${what}: ${id}: ${headers.Authorization}`);
      assert.match(token, reference, `${what}: ${id} names where the token comes from`);
    }
  }

  const cursor = all.cursor.install;
  const cursorPrefix = 'cursor://anysphere.cursor-deeplink/mcp/install?name=clerk&config=';
  assert.ok(cursor.startsWith(cursorPrefix), cursor);
  assert.deepEqual(JSON.parse(Buffer.from(cursor.slice(cursorPrefix.length), 'base64').toString('utf8')), read.cursor.server,
    `${what}: Cursor's install link holds its configuration`);

  const vscode = all.vscode.install;
  const vscodePrefix = 'vscode:mcp/install?';
  assert.ok(vscode.startsWith(vscodePrefix), vscode);
  const encoded = vscode.slice(vscodePrefix.length);
  const link = JSON.parse(decodeURIComponent(encoded));
  assert.equal(encodeURIComponent(JSON.stringify(link)), encoded, `${what}: VS Code's link is encodeURIComponent of its JSON`);
  const { inputs, ...server } = link;
  assert.deepEqual(server, { name: 'clerk', ...read.vscode.server }, `${what}: VS Code's install link holds its configuration`);
  assert.deepEqual(inputs, read.vscode.inputs, `${what}: VS Code's install link asks for the same inputs`);
}

// -------------------------------------------------------------------------------------------
// The tests

for (const mode of modes()) {
  const origin = new URL(mode.url).origin;
  const home = `${origin}/`;

  describe(`the front door, ${mode.name} mode`, () => {
    it('loads with no console or script error, asks nothing of another origin, and says its mode', async () => {
      const { context, page, seen } = await open(home);
      try {
        // Whatever the browser asks for once the page is in (its icon, say) has time to go.
        await page.waitForLoadState('networkidle');
        assert.deepEqual(seen.consoleErrors, [], 'console errors');
        assert.deepEqual(seen.pageErrors, [], 'script errors');
        assert.ok(seen.requests.length > 0);
        for (const request of seen.requests) assert.equal(new URL(request).origin, origin, `a request to another origin: ${request}`);
        assert.match(await page.textContent('#mode'), new RegExp(`^${mode.name}\\b`));
        assert.equal(await page.textContent('#health'), 'ok');
        assert.match(await page.textContent('#versions'), /2026-07-28/);
        const html = await page.content();
        for (const secret of SECRETS) assert.ok(!html.includes(secret), 'the page holds a secret of the run');
        const facts = await form(page);
        const base = new URL(facts.base);
        assert.equal(base.origin, origin, 'data-base is on the page\'s origin');
        assert.equal(base.pathname, '/mcp');
        assert.equal(base.search, '');
        assert.equal(await page.isVisible('#apply'), false, 'the script hides the submit button');
        assert.equal(await page.locator('button[data-copy]:visible').count(), 1 + CLIENTS.length, 'a copy button for the URL and each client');
      } finally {
        await context.close();
      }
    });

    it('works without JavaScript: the form asks for the page again with the choices', async () => {
      const { context, page, seen } = await open(home, { javaScriptEnabled: false });
      const scripted = await open(home);
      try {
        const facts = await form(page);
        assert.ok(await page.isVisible('#apply'), '#apply is shown without JavaScript');
        assert.equal(await page.locator('button[data-copy]:visible').count(), 0, 'no copy button works without JavaScript');
        for (const choice of [OPT_IN[0], facts.defaults[0]]) {
          await page.click(`input[name=toolset][value=${choice}]`);
          await scripted.page.click(`input[name=toolset][value=${choice}]`);
        }
        await Promise.all([page.waitForURL((url) => url.search !== ''), page.click('#apply')]);
        const toolsets = [...facts.defaults.slice(1), OPT_IN[0]];
        const url = expectedUrl(facts, { toolsets });
        assert.equal(await page.inputValue('#mcp-url'), url, 'the URL for the choices sent');
        assert.equal(await scripted.page.inputValue('#mcp-url'), url, 'the script makes the same URL');
        assert.ok(await page.isChecked(`input[name=toolset][value=${OPT_IN[0]}]`), 'the page keeps the choice ticked');
        assert.equal(await page.isChecked(`input[name=toolset][value=${facts.defaults[0]}]`), false);
        await assertShows(page, mode, url, 'without JavaScript');
        await assertSnippets(page, mode, 'without JavaScript');
        assert.deepEqual([...seen.consoleErrors, ...seen.pageErrors], []);
      } finally {
        await context.close();
        await scripted.context.close();
      }
    });

    it('changes the URL and the tools shown with each control, and back to the bare URL', async () => {
      const { context, page, seen } = await open(home);
      try {
        const facts = await form(page);
        assert.deepEqual(facts.toolsets.filter((name) => !OPT_IN.includes(name)), facts.defaults);
        for (const name of facts.toolsets) {
          assert.equal(await page.isChecked(`input[name=toolset][value=${name}]`), facts.defaults.includes(name), `the ${name} box`);
        }
        let now = await assertShows(page, mode, facts.base, 'the defaults');
        assert.deepEqual(now.hiddenToolsets.sort(), [...OPT_IN].sort(), 'the opt-in toolsets are listed, hidden');

        // Read-only.
        assert.equal(facts.readOnlyDisabled, false, 'this worker offers the write tools');
        await page.click('#readonly');
        now = await assertShows(page, mode, expectedUrl(facts, { readOnly: true }), 'read-only');
        assert.ok(now.tools.length > 0);
        assert.deepEqual(now.tools.filter((tool) => tool.kind !== 'read'), [], 'read-only shows only the tools that read');
        assert.deepEqual(now.prompts, ['audit_organization_admins'], 'read-only offers only the prompt that changes nothing');
        assert.equal(new URL(page.url()).search, '?readonly=true', 'the page\'s own address keeps the choice');
        await page.click('#readonly');
        await assertShows(page, mode, facts.base, 'read-only undone');
        assert.equal(new URL(page.url()).search, '');

        // A default toolset left out.
        const dropped = 'users';
        assert.ok(facts.defaults.includes(dropped));
        await page.click(`input[name=toolset][value=${dropped}]`);
        const others = facts.defaults.filter((name) => name !== dropped);
        now = await assertShows(page, mode, `${facts.base}?toolsets=${others.join(',')}`, `without ${dropped}`);
        assert.deepEqual(now.tools.filter((tool) => tool.toolset === dropped), [], `no ${dropped} tool is shown`);
        await page.click(`input[name=toolset][value=${dropped}]`);
        await assertShows(page, mode, facts.base, `${dropped} back`);

        // Each opt-in toolset.
        for (const extra of OPT_IN) {
          await page.click(`input[name=toolset][value=${extra}]`);
          now = await assertShows(page, mode, expectedUrl(facts, { toolsets: [...facts.defaults, extra] }), `with ${extra}`);
          assert.ok(now.tools.some((tool) => tool.toolset === extra), `the ${extra} tools are shown`);
          await page.click(`input[name=toolset][value=${extra}]`);
        }

        // Confirmation.
        const levels = await page.$$eval('#confirm option', (options) => options.map((option) => option.value));
        assert.equal(await page.inputValue('#confirm'), facts.confirm);
        assert.ok(levels.includes('writes'), `#confirm offers ${levels}`);
        await page.selectOption('#confirm', 'writes');
        await assertShows(page, mode, `${facts.base}?confirm=writes`, 'confirm=writes');

        // All at once, snippets included; then everything back.
        await page.click('#readonly');
        await page.click(`input[name=toolset][value=${dropped}]`);
        await page.click(`input[name=toolset][value=${OPT_IN[1]}]`);
        const all = expectedUrl(facts, { readOnly: true, toolsets: [...others, OPT_IN[1]], confirm: 'writes' });
        now = await assertShows(page, mode, all, 'every control changed');
        assert.deepEqual(now.tools.filter((tool) => tool.kind !== 'read' || tool.toolset === dropped), []);
        await assertSnippets(page, mode, 'every control changed');
        await page.click('#readonly');
        await page.click(`input[name=toolset][value=${dropped}]`);
        await page.click(`input[name=toolset][value=${OPT_IN[1]}]`);
        await page.selectOption('#confirm', facts.confirm);
        await assertShows(page, mode, facts.base, 'the defaults again');
        await assertSnippets(page, mode, 'the defaults again');
        assert.deepEqual([...seen.consoleErrors, ...seen.pageErrors], []);
      } finally {
        await context.close();
      }
    });

    it('gives each client a snippet it reads, naming the URL on the page, and install links that hold the same', async () => {
      const { context, page } = await open(home);
      try {
        await assertSnippets(page, mode, 'the defaults');
        await page.click('#readonly');
        await page.selectOption('#confirm', 'writes');
        await assertSnippets(page, mode, 'read-only, confirm=writes');
      } finally {
        await context.close();
      }
    });

    it('copies exactly what each copy button is for', async () => {
      const { context, page } = await open(home);
      try {
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
        // After a change, so that the texts are the script's.
        await page.click(`input[name=toolset][value=${OPT_IN[0]}]`);
        const buttons = await page.$$eval('button[data-copy]', (all) => all.map((button) => button.dataset.copy));
        assert.deepEqual(buttons.sort(), ['mcp-url', ...CLIENTS.map((id) => `snippet-${id}`)].sort());
        for (const source of buttons) {
          const expected = source === 'mcp-url' ? await page.inputValue('#mcp-url') : await page.textContent(`#${source}`);
          // Something else first, so that a button that copies nothing is caught.
          await page.evaluate(() => navigator.clipboard.writeText('(nothing copied)'));
          await page.evaluate(() => { document.getElementById('copied').textContent = ''; });
          await page.click(`button[data-copy="${source}"]`);
          await page.waitForFunction(() => document.getElementById('copied').textContent !== '');
          assert.match(await page.textContent('#copied'), /^Copied: /, `${source}: the page says it copied`);
          assert.equal(await page.evaluate(() => navigator.clipboard.readText()), expected, `${source}: what the clipboard holds`);
        }
        assert.ok((await page.inputValue('#mcp-url')).includes(OPT_IN[0]));
      } finally {
        await context.close();
      }
    });

    it('lets the Tab key alone reach every control, shows where the focus is, and takes Space and arrow keys', async () => {
      const { context, page } = await open(home);
      try {
        const facts = await form(page);
        const controls = await page.evaluate(() => [
          ...document.querySelectorAll('#narrowing input:not([type=hidden]):not([disabled]), #narrowing select, button[data-copy]:not([hidden]), a.install'),
        ].map((element) => element.id || (element.dataset.copy ? `copy ${element.dataset.copy}` : `${element.name}=${element.value}`)));
        assert.ok(controls.length >= 3 + facts.toolsets.length + CLIENTS.length + 2, `${controls}`);
        // From the top of the page, Tab until the focus comes round again.
        const reached = [];
        for (let press = 0; press < 200; press += 1) {
          await page.keyboard.press('Tab');
          const focused = await page.evaluate(() => {
            const element = document.activeElement;
            if (!element || element === document.body) return null;
            const style = getComputedStyle(element);
            return {
              name: element.id || (element.dataset.copy ? `copy ${element.dataset.copy}` : `${element.name}=${element.value}`),
              outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
            };
          });
          if (focused === null || reached.some((seen) => seen.name === focused.name)) break;
          reached.push(focused);
        }
        const names = reached.map((focused) => focused.name);
        assert.deepEqual(controls.filter((name) => !names.includes(name)), [], `controls Tab never reached (it reached ${names})`);
        assert.deepEqual(reached.filter((focused) => !focused.outline).map((focused) => focused.name), [], 'controls with no focus outline');

        // Space on the focused box ticks it, and the URL follows.
        const box = `input[name=toolset][value=${OPT_IN[0]}]`;
        await page.focus(box);
        await page.keyboard.press('Space');
        assert.ok(await page.isChecked(box));
        assert.equal(await page.inputValue('#mcp-url'), expectedUrl(facts, { toolsets: [...facts.defaults, OPT_IN[0]] }));
        await page.keyboard.press('Space');
        assert.equal(await page.inputValue('#mcp-url'), facts.base);
        // And the arrow keys choose the confirmation.
        await page.focus('#confirm');
        const before = await page.inputValue('#confirm');
        await page.keyboard.press(before === 'writes' ? 'ArrowUp' : 'ArrowDown');
        const chosen = await page.inputValue('#confirm');
        assert.notEqual(chosen, before, 'an arrow key changes #confirm');
        assert.equal(await page.inputValue('#mcp-url'), expectedUrl(facts, { confirm: chosen }));
      } finally {
        await context.close();
      }
    });

    it('is saved as screenshots at desktop and phone widths, and fits both', async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      // Both screenshots are taken before anything is judged, so that a person can see why.
      const problems = {};
      for (const [width, options] of [
        ['desktop', { viewport: DESKTOP }],
        ['phone', { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }],
      ]) {
        const { context, page } = await open(home, options);
        try {
          const path = join(SCREENSHOTS, `${mode.name}-${width}.png`);
          await page.screenshot({ path, fullPage: true });
          console.log(`screenshot: ${relative(process.cwd(), path)}`);
          problems[width] = await page.evaluate(() => {
            // A snippet scrolls inside its own box; nothing else may stick out of the screen.
            const screen = document.documentElement.clientWidth;
            const out = (element) => !element.closest('pre') && element.getBoundingClientRect().right > screen + 0.5;
            const name = (element) => {
              const tool = element.closest('[data-tool]')?.dataset.tool;
              return `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.className ? `.${element.className.split(' ').join('.')}` : ''}${tool ? ` of ${tool}` : ''}`;
            };
            return {
              outsideTheScreen: [...document.body.querySelectorAll('*')]
                .filter((element) => element.tagName !== 'BR' && out(element) && !out(element.parentElement)).map(name),
              toolsOutOfTheirColumn: [...document.querySelectorAll('li[data-tool]:not([hidden])')]
                .filter((item) => item.scrollWidth > item.clientWidth + 1).map((item) => item.dataset.tool),
            };
          });
        } finally {
          await context.close();
        }
      }
      const none = { outsideTheScreen: [], toolsOutOfTheirColumn: [] };
      assert.deepEqual(problems, { desktop: none, phone: none }, 'what does not fit');
    });
  });
}
