"""End-to-end checks with the official Python MCP client (mcp 2.3.0).

In its default mode the client probes `server/discover` at protocol 2026-07-28 and, when the
server answers it, speaks that era natively; a client pinned to the handshake eras speaks
2025-11-25. Each asserts the version it used, so a silent fallback fails. Then, in public
mode (key in X-Clerk-Secret-Key) and hosted mode (no key; the second of its access tokens as
Authorization: Bearer), it lists the default set's tools and the prompts, and calls
clerk_list_users and clerk_get_user. In public mode, a 2026-07-28 client that can show forms
asks clerk_get_organization for a slug that names no organization: the user is asked which
organization was meant, and the call ends with the one chosen, or with Clerk's 404 when the
user declines. On the worker in its default configuration, the same client is asked yes or no
before clerk_ban_user: no leaves the user as they were, yes bans them.

Reads MCP_URL_PUBLIC, MCP_URL_PUBLIC_CONFIRM, MCP_URL_HOSTED, MCP_TOKENS_HOSTED, FAKE_CLERK_URL and CLERK_KEY_PUBLIC,
which run.mjs sets. Prints one line per check, then `N passed, M failed`; exits non-zero on any failure.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import traceback
import urllib.request
from typing import Any

import anyio
import httpx2
from mcp import Client, types
from mcp.client.streamable_http import streamable_http_client

TIME_LIMIT_SECONDS = 60
MISSING_USER = "user_2NoSuchUserInThisInstance00"
# The tools of the default set: the test runner passes the suite's list (support.mjs).
TOOL_NAMES = set(os.environ["MCP_DEFAULT_TOOL_NAMES"].split(","))


class Checks:
    """Counts named checks and prints each outcome as it happens."""

    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def check(self, name: str, condition: bool, detail: Any = "") -> bool:
        if condition:
            self.passed += 1
            print(f"ok   {name}")
        else:
            self.failed += 1
            print(f"FAIL {name}{f': {detail}' if detail != '' else ''}")
        return condition


def seeded_users(fake_clerk_url: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{fake_clerk_url}/__users", timeout=10) as response:
        return json.load(response)


# The client's modes, and the protocol version each must end up speaking.
CLIENT_MODES = [("auto", "2026-07-28"), ("legacy", "2025-11-25")]


async def check_mode(
    checks: Checks, mode: str, url: str, headers: dict[str, str], users: list[dict[str, Any]], client_mode: str, version: str
) -> None:
    newest = users[-1]
    mode = f"{mode}, {client_mode}"
    timeout = httpx2.Timeout(20.0)
    async with httpx2.AsyncClient(headers=headers, timeout=timeout) as http:
        transport = streamable_http_client(url, http_client=http)
        async with Client(transport, mode=client_mode, read_timeout_seconds=20) as client:
            checks.check(f"{mode}: speaks {version}", client.protocol_version == version, client.protocol_version)

            prompts = (await client.list_prompts()).prompts
            checks.check(f"{mode}: prompts/list has prompts", len(prompts) > 0, prompts)

            tools = {tool.name: tool for tool in (await client.list_tools()).tools}
            checks.check(
                f"{mode}: tools/list has the default set's {len(TOOL_NAMES)} tools, each with an output schema",
                set(tools) == TOOL_NAMES and all(tool.output_schema for tool in tools.values()),
                sorted(tools),
            )

            listed = await client.call_tool("clerk_list_users", {"limit": 3})
            page = listed.structured_content or {}
            checks.check(
                f"{mode}: clerk_list_users shows the 3 newest users and the total",
                not listed.is_error
                and [user.get("id") for user in page.get("users", [])] == [u["id"] for u in reversed(users[-3:])]
                and page.get("totalCount") == len(users)
                and page.get("hasMore") is True
                and page.get("nextOffset") == 3,
                listed.content,
            )

            fetched = await client.call_tool("clerk_get_user", {"userId": newest["id"]})
            user = fetched.structured_content or {}
            checks.check(
                f"{mode}: clerk_get_user shows the user, with camelCase names and ISO times",
                not fetched.is_error
                and user.get("id") == newest["id"]
                and user.get("firstName") == newest["first_name"]
                and iso_to_ms(user.get("createdAt")) == newest["created_at"],
                fetched.content,
            )

            missing = await client.call_tool("clerk_get_user", {"userId": MISSING_USER})
            text = missing.content[0].text if missing.content and missing.content[0].type == "text" else ""
            checks.check(
                f"{mode}: clerk_get_user reports an unknown user as a tool error with Clerk's 404",
                missing.is_error and "404" in text and "resource_not_found" in text,
                text,
            )


async def check_question(checks: Checks, url: str, headers: dict[str, str]) -> None:
    """clerk_get_organization with slug "acme" asks which organization was meant."""
    for action in ("accept", "decline"):
        asked: list[types.ElicitRequestParams] = []

        async def on_elicit(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
            asked.append(params)
            if action == "accept":
                return types.ElicitResult(action="accept", content={"slug": "acme-corporation"})
            return types.ElicitResult(action="decline")

        async with httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(20.0)) as http:
            transport = streamable_http_client(url, http_client=http)
            async with Client(transport, mode="2026-07-28", elicitation_callback=on_elicit, read_timeout_seconds=20) as client:
                result = await client.call_tool("clerk_get_organization", {"slug": "acme"})
        schema = asked[0].requested_schema if asked else {}
        offered = [choice.get("const") for choice in schema.get("properties", {}).get("slug", {}).get("oneOf", [])]
        checks.check(
            f"public, 2026-07-28, {action}: the user is asked once which organization 'acme' meant",
            len(asked) == 1 and "acme" in asked[0].message and "acme-corporation" in offered,
            asked,
        )
        text = result.content[0].text if result.content and result.content[0].type == "text" else ""
        if action == "accept":
            content = result.structured_content or {}
            checks.check(
                "public, 2026-07-28, accept: the call ends with the organization chosen",
                not result.is_error and content.get("slug") == "acme-corporation" and content.get("name") == "Acme Corporation",
                result.content,
            )
        else:
            checks.check(
                "public, 2026-07-28, decline: the call ends with Clerk's 404",
                result.is_error and "404" in text and "resource_not_found" in text,
                text,
            )


async def check_confirmation(checks: Checks, url: str, headers: dict[str, str]) -> None:
    """clerk_ban_user waits for the user's yes, asked through the elicitation callback."""
    async with httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(20.0)) as http:
        async with Client(streamable_http_client(url, http_client=http), mode="2026-07-28", read_timeout_seconds=20) as client:
            created = await client.call_tool(
                "clerk_create_user", {"emailAddress": ["python-confirm@example.com"], "skipPasswordRequirement": True}
            )
    user_id = (created.structured_content or {}).get("id", "")
    for action in ("decline", "accept"):
        asked: list[types.ElicitRequestParams] = []

        async def on_elicit(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
            asked.append(params)
            if action == "accept":
                return types.ElicitResult(action="accept", content={"confirm": True})
            return types.ElicitResult(action="decline")

        async with httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(20.0)) as http:
            transport = streamable_http_client(url, http_client=http)
            async with Client(transport, mode="2026-07-28", elicitation_callback=on_elicit, read_timeout_seconds=20) as client:
                result = await client.call_tool("clerk_ban_user", {"userId": user_id})
        schema = asked[0].requested_schema if asked else {}
        checks.check(
            f"default configuration, 2026-07-28, {action}: the user is asked once, yes or no, what the ban does",
            len(asked) == 1
            and asked[0].message.startswith("Ban user <python-confirm@example.com>")
            and schema.get("properties", {}).get("confirm", {}).get("type") == "boolean",
            asked,
        )
        text = result.content[0].text if result.content and result.content[0].type == "text" else ""
        if action == "accept":
            checks.check(
                "default configuration, accept: the user is banned",
                not result.is_error and (result.structured_content or {}).get("banned") is True,
                result.content,
            )
        else:
            checks.check(
                "default configuration, decline: nothing was changed",
                result.is_error and text.startswith("Nothing was changed"),
                text,
            )


def iso_to_ms(value: Any) -> int | None:
    """Milliseconds since the epoch of an ISO 8601 UTC string, or None if it is not one."""
    if not isinstance(value, str) or not value.endswith("Z"):
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return round(parsed.timestamp() * 1000)


async def run(checks: Checks) -> None:
    users = seeded_users(os.environ["FAKE_CLERK_URL"])
    hosted_token = os.environ["MCP_TOKENS_HOSTED"].split(",")[-1]
    modes = [
        ("public", os.environ["MCP_URL_PUBLIC"], {"X-Clerk-Secret-Key": os.environ["CLERK_KEY_PUBLIC"]}),
        ("hosted", os.environ["MCP_URL_HOSTED"], {"Authorization": f"Bearer {hosted_token}"}),
    ]
    for mode, url, headers in modes:
        for client_mode, version in CLIENT_MODES:
            try:
                await check_mode(checks, mode, url, headers, users, client_mode, version)
            except Exception as error:  # a failed connection or call is a failed check, not a crash
                traceback.print_exc()
                checks.check(f"{mode}, {client_mode}: the session completes", False, repr(error))
    try:
        await check_question(checks, modes[0][1], modes[0][2])
    except Exception as error:
        traceback.print_exc()
        checks.check("public, 2026-07-28: the question's sessions complete", False, repr(error))
    try:
        await check_confirmation(checks, os.environ["MCP_URL_PUBLIC_CONFIRM"], modes[0][2])
    except Exception as error:
        traceback.print_exc()
        checks.check("default configuration, 2026-07-28: the confirmation's sessions complete", False, repr(error))


def main() -> int:
    missing = [name for name in ("MCP_URL_PUBLIC", "MCP_URL_PUBLIC_CONFIRM", "MCP_URL_HOSTED", "MCP_TOKENS_HOSTED", "FAKE_CLERK_URL", "CLERK_KEY_PUBLIC") if not os.environ.get(name)]
    if missing:
        print(f"{', '.join(missing)} not set: run the suite with `node tests/e2e/run.mjs`", file=sys.stderr)
        return 2
    checks = Checks()

    async def bounded() -> None:
        with anyio.fail_after(TIME_LIMIT_SECONDS):
            await run(checks)

    try:
        anyio.run(bounded)
    except TimeoutError:
        checks.check(f"all checks finish within {TIME_LIMIT_SECONDS} s", False)
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 0 if checks.failed == 0 and checks.passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
