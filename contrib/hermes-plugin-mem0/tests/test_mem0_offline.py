"""Acceptance: the mem0 plugin stores and recalls a fact offline, and nothing leaves the machine.

A hermes conversation runs in a child process whose ``sitecustomize`` installs an audit
hook: any socket connect or name lookup for a non-loopback address is recorded and
refused. The child saves a fact in one session and recalls it in the next through the real
mem0 code and the scripted endpoint on 127.0.0.1. The record must stay empty. A control
run imports mem0 with its telemetry on and shows the hook does catch what it would send.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from hermes_core.testing import clean_environment

SITECUSTOMIZE = '''
import atexit, json, os, sys

_LOG = os.environ["HERMES_TEST_NETLOG"]
_attempts = []


def _loopback(host):
    if isinstance(host, bytes):
        host = host.decode()
    host = str(host)
    return host in ("localhost", "::1", "") or host.startswith("127.")


def _hook(event, args):
    if event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple) and not _loopback(address[0]):
            _attempts.append(f"connect {address[0]}:{address[1]}")
            raise ConnectionRefusedError(f"test: blocked connection to {address[0]}")
    elif event == "socket.getaddrinfo":
        if args[0] is not None and not _loopback(args[0]):
            _attempts.append(f"resolve {args[0]!r}")
            raise OSError(f"test: blocked name lookup of {args[0]!r}")


def _write():
    with open(_LOG, "w") as handle:
        json.dump(_attempts, handle)


# Registered first, so it runs last: after the libraries' own exit handlers (flushes).
atexit.register(_write)
sys.addaudithook(_hook)
'''

CONVERSATION = '''
import asyncio, json, sys, types
from pathlib import Path
from hermes_core.host import Host
from hermes_core.testing import run_agent
import hermes_plugin_mem0

home, base_url = Path(sys.argv[1]), sys.argv[2]
server = types.SimpleNamespace(base_url=base_url, api_key=None)
settings = {"base_url": base_url, "llm_model": "test-model", "embedding_model": "test-embedding",
            "embedding_dims": 64}


async def main():
    host = Host(home, autoload=False).load()
    host.register(hermes_plugin_mem0, name="mem0")
    host._raw_config["memory"] = {"providers": ["mem0"], "mem0": settings, "recall_timeout": 20}
    await run_agent(host, server, "Remember: the release train leaves every second Tuesday.")
    agent = await run_agent(host, server, "When does the release train leave?")
    await host.aclose()
    print(json.dumps({"reply": agent.last_result.text}))


asyncio.run(main())
'''

TELEMETRY_ON = '''
import os, sys, time
os.environ["MEM0_TELEMETRY"] = "True"
os.environ["MEM0_DIR"] = sys.argv[1]
import sitecustomize
from mem0.memory import telemetry  # with telemetry on, the import starts PostHog's client
telemetry.client_telemetry.capture_event("hermes.test", {"probe": True})
deadline = time.monotonic() + 20
while not sitecustomize._attempts and time.monotonic() < deadline:
    time.sleep(0.05)
# Seen what we came for: skip PostHog's retries with backoff at exit.
sitecustomize._write()
os._exit(0)
'''


def run_child(tmp_path: Path, script: str, *args: str) -> tuple[subprocess.CompletedProcess[str], list[str], Path]:
    hooks = tmp_path / "hooks"
    hooks.mkdir(exist_ok=True)
    (hooks / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    fake_user_home = tmp_path / "user-home"
    fake_user_home.mkdir(exist_ok=True)
    netlog = tmp_path / "netlog.json"
    env = clean_environment(tmp_path / "hermes-home")
    for name in list(env):
        if name.lower().endswith("_proxy") or name.startswith("MEM0_"):
            del env[name]
    env.update({
        "PYTHONPATH": os.pathsep.join([str(hooks), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        "HERMES_TEST_NETLOG": str(netlog),
        "HOME": str(fake_user_home),
        "NO_PROXY": "*",
    })
    completed = subprocess.run([sys.executable, "-c", textwrap.dedent(script), *args], env=env,
                               capture_output=True, text=True, timeout=180)
    attempts = json.loads(netlog.read_text()) if netlog.exists() else ["(the hook never wrote its log)"]
    return completed, attempts, fake_user_home


def test_store_and_recall_offline_with_nothing_leaving(tmp_path, mem0_endpoint):
    home = tmp_path / "hermes-home"
    completed, attempts, user_home = run_child(tmp_path, CONVERSATION, str(home), mem0_endpoint.base_url)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert attempts == [], f"non-loopback network use: {attempts}"

    turns = [r for r in mem0_endpoint.chat_requests if not (r.json or {}).get("response_format")]
    assert len(turns) == 2
    assert "Recalled from memory" not in turns[0].last_user_text
    assert "Recalled from memory" in turns[1].last_user_text and "second Tuesday" in turns[1].last_user_text
    # mem0's files live under $HERMES_HOME, none under the user's home folder.
    assert (home / "data" / "mem0" / "qdrant").is_dir()
    assert not (user_home / ".mem0").exists()


def test_the_hook_catches_telemetry(tmp_path):
    completed, attempts, _ = run_child(tmp_path, TELEMETRY_ON, str(tmp_path / "mem0-dir"))
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert attempts, "the audit hook saw nothing: the offline test above would prove nothing"
    assert any("posthog" in attempt for attempt in attempts), attempts
    print("\ncaught with telemetry on:", attempts)
