"""Chat benchmark against the test kit's scripted OpenAI-compatible server.

1. End-to-end wall time and peak memory of ``hermes chat -q hello`` (a real process, the
   model on 127.0.0.1 answering at once), in two environments: hermes with the built-in
   plugins (a venv in .venv-bench, as users install it) and the development .venv, which
   adds the contrib packages and their SDKs.
2. The same with one ``terminal`` tool call (``echo hi``) before the answer.
3. Kernel overhead per tool call: a conversation of 100 tool calls in one process, timing
   the gap between receiving a model response and sending the next request, minus the
   time spent inside the tool. p50/p95.
4. Bytes of the default request: system prompt plus tool schemas, as sent.

Targets: ``chat -q`` <= 350 ms median; with one tool call <= 500 ms; overhead <= 2 ms p95;
default request <= 12 KB. For scale, Hermes Agent 0.19.0 takes about 2.8 s and 4.0 s for
the first two and sends 54 KB per request.

    .venv/bin/python bench/chat/run.py [--runs 15]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import (  # noqa: E402
    VENV_BIN,
    builtins_venv,
    compare,
    ensure_bytecode,
    load_previous,
    machine,
    median,
    percentile,
    run_with_rusage,
    save,
)

from hermes_core.testing import Reply, ScriptedLLMServer  # noqa: E402



def _answer_after_tool(request):
    """Call the terminal once, then answer: works for any number of repeated runs."""
    messages = request.messages
    if messages and messages[-1].get("role") == "tool":
        return Reply.text("It printed hi.")
    return Reply.tool_call("terminal", {"command": "echo hi"})


def measure_cli(hermes: str, env: dict[str, str], runs: int, label: str) -> dict[str, float] | None:
    times, peaks = [], []
    for number in range(runs + 2):
        wall, peak, code, out, err = run_with_rusage([hermes, "chat", "-q", "hello"], env)
        if code != 0:
            print(f"  {label}: hermes failed: {err.decode()[-400:]}")
            return None
        if number >= 2:  # two warm-up runs
            times.append(wall * 1000)
            peaks.append(peak)
    return {"median_ms": median(times), "min_ms": min(times), "peak_mb": max(peaks)}


class _TimedProvider:
    """An in-process provider that answers instantly and records when it is asked."""

    def __init__(self, calls: int) -> None:
        self.remaining = calls
        self.requested: list[float] = []
        self.answered: list[float] = []

    async def complete(self, request, on_event=None):
        from hermes_core import LLMResponse, Message, ToolCall, Usage

        self.requested.append(time.perf_counter())
        if self.remaining > 0:
            self.remaining -= 1
            message = Message(role="assistant", tool_calls=[ToolCall(id=f"c{self.remaining}", name="bench_noop",
                                                                     arguments='{"n": 1}')])
        else:
            message = Message(role="assistant", content="done")
        response = LLMResponse(message=message, usage=Usage(prompt_tokens=10, completion_tokens=5, requests=1))
        self.answered.append(time.perf_counter())
        return response

    def context_window(self, model):
        return 128_000

    async def aclose(self):
        return None


async def kernel_overhead(home: Path, calls: int = 100) -> dict[str, float]:
    from hermes_core import Host, ProviderSettings, ToolSpec, hookimpl
    from hermes_core.agent.loop import Agent

    tool_times: list[float] = []

    def noop(args, ctx):
        start = time.perf_counter()
        result = "ok"
        tool_times.append(time.perf_counter() - start)
        return result

    class Bench:
        @hookimpl
        def hermes_tools(self):
            yield ToolSpec(name="bench_noop", description="No-op.", handler=noop,
                           parameters={"type": "object", "properties": {"n": {"type": "integer"}}})

    env = {k: v for k, v in os.environ.items() if not k.startswith(("HERMES_", "OPENAI_"))}
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.yaml").write_text(f"agent:\n  max_iterations: {calls + 10}\n")  # the default budget is 90
    host = Host(home, env={**env, "HERMES_HOME": str(home)}).load()
    host.register(Bench(), name="bench")
    provider = _TimedProvider(calls)
    settings = ProviderSettings(provider="bench", model="bench-model")
    agent = await Agent.open(host, provider=provider, settings=settings)
    await agent.run_turn("go")
    await agent.close()
    await host.aclose()
    gaps = []
    for index in range(calls):
        gap = provider.requested[index + 1] - provider.answered[index] - tool_times[index]
        gaps.append(gap * 1000)
    return {"p50_ms": percentile(gaps, 50), "p95_ms": percentile(gaps, 95), "max_ms": max(gaps),
            "calls": calls, "plugins_loaded": sum(1 for p in host.plugins.values() if p.loaded)}


def request_bytes(server: ScriptedLLMServer) -> dict[str, int]:
    """Bytes of the system message and the tool schemas as they appear in the body sent
    (compact JSON, as the providers encode it)."""
    request = server.chat_requests[0]
    body = request.json

    def size(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    system = size(body["messages"][0])
    tools = size(body.get("tools", []))
    assert system in request.body.decode() and tools in request.body.decode(), "the body is not compact JSON"
    return {"system_prompt": len(system.encode()), "tools": len(tools.encode()), "tool_count": len(body.get("tools", [])),
            "body": len(request.body), "system_plus_tools": len(system.encode()) + len(tools.encode())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    ensure_bytecode()
    previous = load_previous("chat")
    results: dict[str, object] = {"machine": machine()}
    environments = {"built-ins": str(builtins_venv() / "hermes"), "with contrib": str(VENV_BIN / "hermes")}
    with tempfile.TemporaryDirectory(prefix="hermes-bench-chat-") as tmp, ScriptedLLMServer() as server:
        home = Path(tmp) / "home"
        home.mkdir()
        base = {k: v for k, v in os.environ.items() if not k.startswith(("HERMES_", "OPENAI_"))}
        env = {**base, "HERMES_HOME": str(home), "OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "sk-bench",
               "HERMES_MODEL__NAME": "test-model"}
        for label, hermes in environments.items():
            server.reset()
            server.default = Reply.text("Hello! How can I help?")
            results[label] = {"chat_q": measure_cli(hermes, env, args.runs, f"{label}: chat -q hello")}
            if label == "built-ins":
                server.reset()
                run_with_rusage([hermes, "chat", "-q", "hello"], env)
                results["request"] = request_bytes(server)
            server.reset()
            server.default = Reply.using(_answer_after_tool)
            tools = json.loads(run_with_rusage([hermes, "tools", "list", "--json"], env)[3] or b"[]")
            if any(t["name"] == "terminal" and t["available"] for t in tools):
                results[label]["chat_q_tool"] = measure_cli(hermes, env, args.runs, f"{label}: chat -q with a terminal call")
                tool_messages = [r.messages[-1] for r in server.chat_requests if r.messages[-1].get("role") == "tool"]
                results[label]["tool_output_ok"] = bool(tool_messages) and "hi" in tool_messages[-1]["content"]
            else:
                results[label]["chat_q_tool"] = None
                print(f"  ({label}: no terminal tool installed; the tool-call measurement is skipped)")
        results["overhead"] = asyncio.run(kernel_overhead(Path(tmp) / "overhead-home"))

    prev = previous
    overhead, request = results["overhead"], results["request"]
    print(f"hermes chat benchmark ({machine()['cpus']} CPUs, load {machine()['load']:.2f}), median of {args.runs} runs")
    for label in environments:
        chat_q, chat_tool = results[label]["chat_q"], results[label].get("chat_q_tool")
        before = prev.get(label) or {}
        if chat_q:
            print(f"  [{label:<12}] chat -q hello:               {chat_q['median_ms']:7.1f} ms  peak {chat_q['peak_mb']:5.1f} MB   "
                  f"target <= 350 ms {'ok' if chat_q['median_ms'] <= 350 else 'MISSED'} "
                  f"{compare(chat_q['median_ms'], (before.get('chat_q') or {}).get('median_ms'))}")
        if chat_tool:
            print(f"  [{label:<12}] chat -q + one terminal call: {chat_tool['median_ms']:7.1f} ms  peak {chat_tool['peak_mb']:5.1f} MB   "
                  f"target <= 500 ms {'ok' if chat_tool['median_ms'] <= 500 else 'MISSED'} "
                  f"{compare(chat_tool['median_ms'], (before.get('chat_q_tool') or {}).get('median_ms'))}")
    print(f"  kernel overhead per tool call: p50 {overhead['p50_ms']:.3f} ms, p95 {overhead['p95_ms']:.3f} ms "
          f"(max {overhead['max_ms']:.2f}) over {overhead['calls']} calls, {overhead['plugins_loaded']} plugins loaded   "
          f"target p95 <= 2 ms {'ok' if overhead['p95_ms'] <= 2 else 'MISSED'} "
          f"{compare(overhead['p95_ms'], (prev.get('overhead') or {}).get('p95_ms'))}")
    print(f"  default request: system prompt {request['system_prompt']:,} B + {request['tool_count']} tool schemas "
          f"{request['tools']:,} B = {request['system_plus_tools']:,} B (whole body {request['body']:,} B)   "
          f"target <= 12 KB {'ok' if request['system_plus_tools'] <= 12 * 1024 else 'MISSED'} "
          f"{compare(request['system_plus_tools'], (prev.get('request') or {}).get('system_plus_tools'), unit=' B')}")
    print("  for scale, Hermes Agent 0.19.0: ~2800 ms, ~4000 ms, 54 KB per request")
    path = save("chat", results)
    print(f"saved {path}")


if __name__ == "__main__":
    main()
