"""Synthetic but realistic agent conversations for the session store benchmark.

Sessions look like what a coding agent saves: a system prompt, user requests, assistant
answers with prose and code blocks, tool calls with JSON arguments (``terminal``,
``read_file``, ``patch``, ``search_files``, ``web_search``, ``write_file``) and tool
outputs of very different sizes (a one-line exit status, a directory listing, a source
file, a test log, a JSON API response). Word choice is Zipf-like over an English and
technical vocabulary plus a large pool of made-up identifiers, and outputs carry the
hashes, numbers, paths and timestamps that make real full-text indexes large.

Everything is drawn from one seeded ``random.Random``, so a given seed always yields the
same corpus: the one-at-a-time and the bulk runs ingest identical messages.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from hermes_core.types import Message, SessionRecord, ToolCall

_ENGLISH = """
the be to of and a in that have it for not on with he as you do at this but his by from
they we say her she or an will my one all would there their what so up out if about who
get which go me when make can like time no just him know take people into year your good
some could them see other than then now look only come its over think also back after use
two how our work first well way even new want because any these give day most us is are
was were been has had did does said made found used need still again never always often
maybe please thanks sure right wrong better worse fast slow small large old next last
same different another every each few many much more less while until before during
problem issue question answer reason change fix update check test build run start stop
file files folder line lines error errors warning value values result results output
input request response server client user users data table query list item items name
names path paths config setting settings option options version versions step steps
should would could might must shall try tried trying seems looks works working broken
because since although however instead actually probably already almost enough quite
""".split()

_TECH = """
nginx postgres postgresql mysql sqlite redis kafka rabbitmq docker compose kubernetes
kubectl helm terraform ansible systemd journalctl cron crontab bash zsh python pip venv
poetry uv pytest unittest mypy ruff black flake8 django flask fastapi uvicorn gunicorn
celery asyncio threading multiprocessing numpy pandas scipy matplotlib jupyter notebook
react vue svelte nextjs webpack vite typescript javascript node npm yarn pnpm eslint
prettier rust cargo clippy tokio serde golang goroutine java maven gradle spring kotlin
swift xcode git github gitlab rebase merge cherry pick branch commit stash bisect diff
patch ci pipeline workflow actions runner artifact cache deploy deployment staging
production rollback canary migration schema index transaction deadlock replica shard
backup restore snapshot volume mount permission chmod chown sudo ssh scp rsync tls ssl
certificate letsencrypt certbot dns cname proxy reverse upstream loadbalancer ingress
websocket http https grpc protobuf graphql rest endpoint route handler middleware auth
oauth jwt token session cookie cors csrf rate limit timeout retry backoff latency
throughput memory leak cpu profile flamegraph benchmark regression segfault panic
traceback exception stacktrace logging logger metrics prometheus grafana alert pager
s3 bucket lambda ec2 iam vpc subnet gcp azure cloudflare vercel heroku fly render
unicode utf8 encoding json yaml toml csv parquet regex parser lexer tokenizer compiler
linker makefile cmake gcc clang llvm wasm opentelemetry tracing span sentry pagerduty
""".split()

_VERBS = """
add remove rename refactor optimize debug fix explain document implement configure
install upgrade downgrade migrate deploy rollback profile benchmark test validate parse
serialize cache invalidate retry paginate stream batch schedule monitor rotate archive
""".split()

_PROBLEMS = [
    "connection refused", "permission denied", "no such file or directory", "timed out",
    "out of memory", "segmentation fault", "address already in use", "module not found",
    "certificate verify failed", "too many open files", "disk quota exceeded",
    "unexpected keyword argument", "index out of range", "deadlock detected",
    "relation does not exist", "merge conflict", "rate limit exceeded", "broken pipe",
    "invalid syntax", "cannot import name", "killed by signal 9", "504 gateway timeout",
]

_SYLLABLES = """
ar ba be bi bo ca ce ci co da de di do el em en er fa fe fi fo ga ge gi go ha he hi ho
in ka ke ki ko la le li lo ma me mi mo na ne ni no or pa pe pi po ra re ri ro sa se si
so ta te ti to ul un va ve vi vo xa xe za ze zi zo tor ter lex mon ver dex lin nix qua
""".split()

_TOOLS = ["terminal", "read_file", "patch", "search_files", "web_search", "write_file"]


def _identifiers(rng: random.Random, count: int) -> list[str]:
    """A pool of made-up identifiers in the styles code uses."""
    words = _ENGLISH[40:] + _TECH
    pool = []
    for i in range(count):
        style = i % 4
        parts = [rng.choice(words) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.3:
            parts.append("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))))
        if style == 0:
            pool.append("_".join(parts))
        elif style == 1:
            pool.append("".join(p.capitalize() for p in parts))
        elif style == 2:
            pool.append(parts[0] + "".join(p.capitalize() for p in parts[1:]))
        else:
            pool.append("-".join(parts))
    return pool


@dataclass
class CorpusSession:
    """One generated conversation: its record and messages, in order."""

    record: SessionRecord
    messages: list[Message] = field(default_factory=list)


class Corpus:
    """Generates sessions deterministically from ``seed``.

    ``users`` controls scoping realism: most sessions belong to ``local`` (the CLI), the
    rest to gateway users on other platforms.
    """

    def __init__(self, seed: int = 7, *, identifiers: int = 40_000, gateway_share: float = 0.15) -> None:
        self.rng = random.Random(seed)
        self.ids = _identifiers(self.rng, identifiers)
        self.gateway_share = gateway_share
        self.words = _ENGLISH + _TECH
        self._n = 0
        self.clock = time.time() - 400 * 86400
        self.system_base = self._paragraphs(14, 60)

    # -- low-level pieces -----------------------------------------------------------------

    def ident(self) -> str:
        # Zipf-like: a few identifiers are everywhere, most are rare.
        return self.ids[int(len(self.ids) * self.rng.random() ** 3)]

    def word(self) -> str:
        return self.words[int(len(self.words) * self.rng.random() ** 2)]

    def path(self) -> str:
        depth = self.rng.randint(1, 4)
        ext = self.rng.choice([".py", ".py", ".ts", ".rs", ".go", ".yaml", ".md", ".json", ".toml", ".sh"])
        return "/".join(["", "home", "dev", *(self.ident() for _ in range(depth))]) + ext

    def hexid(self, n: int = 12) -> str:
        return "%0*x" % (n, self.rng.getrandbits(4 * n))

    def sentence(self, lo: int = 6, hi: int = 18) -> str:
        rng = self.rng
        out = []
        for _ in range(rng.randint(lo, hi)):
            r = rng.random()
            if r < 0.70:
                out.append(self.word())
            elif r < 0.85:
                out.append(self.ident())
            elif r < 0.92:
                out.append(rng.choice(_TECH))
            elif r < 0.96:
                out.append(f"`{self.ident()}`")
            else:
                out.append(str(rng.randint(0, 5000)))
        out[0] = out[0].capitalize()
        return " ".join(out) + rng.choice([".", ".", ".", "?", ":", "!"])

    def _paragraphs(self, n: int, words: int) -> str:
        return "\n\n".join(" ".join(self.sentence(words // 6, words // 3) for _ in range(3)) for _ in range(n))

    def code_lines(self, n: int) -> list[str]:
        rng = self.rng
        lines = []
        indent = 0
        for _ in range(n):
            kind = rng.random()
            pad = "    " * indent
            if kind < 0.15:
                lines.append(f"def {self.ident().replace('-', '_')}({self.ident().replace('-', '_')}, {self.ident().replace('-', '_')}=None):")
                indent = 1
            elif kind < 0.25:
                lines.append(f"{pad}if {self.ident().replace('-', '_')} is None or len({self.ident().replace('-', '_')}) > {rng.randint(1, 512)}:")
                indent = min(indent + 1, 3)
            elif kind < 0.45:
                lines.append(f"{pad}{self.ident().replace('-', '_')} = {self.ident().replace('-', '_')}.{self.ident().replace('-', '_')}(\"{self.word()}\", {rng.randint(0, 99)})")
            elif kind < 0.55:
                lines.append(f"{pad}return {self.ident().replace('-', '_')}")
                indent = max(indent - 1, 0)
            elif kind < 0.65:
                lines.append(f"{pad}# {self.sentence(4, 10)}")
            elif kind < 0.75:
                lines.append(f"{pad}raise {self.rng.choice(['ValueError', 'RuntimeError', 'KeyError', 'TimeoutError'])}(f\"{self.sentence(3, 7)} {{{self.ident().replace('-', '_')}}}\")")
            elif kind < 0.85:
                lines.append(f"{pad}log.info(\"{self.sentence(3, 8)}\", {self.ident().replace('-', '_')})")
            else:
                lines.append(f"{pad}for {self.ident().replace('-', '_')} in {self.ident().replace('-', '_')}:")
                indent = min(indent + 1, 3)
        return lines

    # -- messages -------------------------------------------------------------------------

    def user_text(self) -> str:
        rng = self.rng
        topic = rng.choice(_TECH)
        opening = rng.choice([
            f"Can you {rng.choice(_VERBS)} the {topic} {self.word()} in {self.path()}?",
            f"I get \"{rng.choice(_PROBLEMS)}\" when I run {rng.choice(_TECH)} {self.ident()}.",
            f"Please {rng.choice(_VERBS)} {self.ident()} so it works with {topic}.",
            f"Why does {self.ident()} fail with {rng.choice(_PROBLEMS)} on {topic}?",
            f"Help me {rng.choice(_VERBS)} our {topic} setup.",
        ])
        extra = " ".join(self.sentence() for _ in range(rng.randint(0, 3)))
        return (opening + " " + extra).strip()

    def assistant_text(self) -> str:
        rng = self.rng
        parts = [" ".join(self.sentence() for _ in range(rng.randint(1, 4)))]
        if rng.random() < 0.4:
            lang = rng.choice(["python", "bash", "yaml", "typescript"])
            parts.append(f"```{lang}\n" + "\n".join(self.code_lines(rng.randint(3, 25))) + "\n```")
        if rng.random() < 0.5:
            parts.append(" ".join(self.sentence() for _ in range(rng.randint(1, 3))))
        return "\n\n".join(parts)

    def tool_call(self, index: int) -> ToolCall:
        rng = self.rng
        name = rng.choices(_TOOLS, weights=[40, 25, 12, 10, 6, 7])[0]
        if name == "terminal":
            cmd = rng.choice([
                f"{rng.choice(_TECH)} {self.ident()} --{self.word()} {self.path()}",
                f"cd {self.path().rsplit('/', 1)[0]} && pytest -q -k {self.ident()}",
                f"git log --oneline -n {rng.randint(3, 30)} -- {self.path()}",
                f"grep -rn \"{self.ident()}\" {self.path().rsplit('/', 1)[0]}",
                f"kubectl -n {self.ident()} rollout restart deployment/{self.ident()}",
                f"docker compose logs --tail {rng.randint(10, 500)} {self.ident()}",
            ])
            args = {"command": cmd}
            if rng.random() < 0.2:
                args["timeout"] = rng.choice([30, 60, 120, 600])
        elif name == "read_file":
            args = {"path": self.path()}
            if rng.random() < 0.3:
                args["offset"] = rng.randint(1, 400)
                args["limit"] = rng.choice([50, 100, 200])
        elif name == "patch":
            old = "\n".join(self.code_lines(rng.randint(1, 6)))
            new = "\n".join(self.code_lines(rng.randint(1, 8)))
            args = {"path": self.path(), "old_string": old, "new_string": new}
        elif name == "search_files":
            args = {"pattern": self.ident(), "path": self.path().rsplit("/", 1)[0], "file_glob": rng.choice(["*.py", "*.ts", "*.md", "*"])}
        elif name == "web_search":
            args = {"query": f"{rng.choice(_TECH)} {rng.choice(_PROBLEMS)} {self.word()}"}
        else:
            args = {"path": self.path(), "content": "\n".join(self.code_lines(rng.randint(5, 40)))}
        arguments = json.dumps(args) if rng.random() < 0.5 else json.dumps(args, separators=(",", ":"))
        return ToolCall(id=f"call_{self.hexid(24)}", name=name, arguments=arguments)

    def tool_output(self, call: ToolCall) -> str:
        rng = self.rng
        # Sizes are heavy-tailed: most outputs are short, a few are many kilobytes.
        target = min(int(rng.lognormvariate(5.6, 1.25)), 24_000)
        kind = call.name
        lines: list[str] = []
        size = 0
        while size < target:
            if kind == "read_file" or kind == "write_file" or kind == "patch":
                if kind != "read_file" and not lines:
                    line = f"{rng.choice(['Wrote', 'Patched', 'Updated'])} {self.path()} ({rng.randint(1, 900)} lines)"
                else:
                    line = rng.choice(self.code_lines(1) * 3 + [f"{len(lines) + 1:>5}| " + self.code_lines(1)[0]])
            elif kind == "search_files":
                line = f"{self.path()}:{rng.randint(1, 2000)}: {' '.join(self.code_lines(1))}"
            elif kind == "web_search":
                line = json.dumps({"title": self.sentence(4, 9), "url": f"https://{self.ident()}.example.org/{self.ident()}", "snippet": self.sentence(10, 25)})
            else:
                r = rng.random()
                if r < 0.35:
                    line = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z {rng.choice(['INFO', 'WARN', 'ERROR', 'DEBUG'])} [{self.ident()}] {self.sentence(4, 12)} id={self.hexid(rng.choice([8, 12, 32]))}"
                elif r < 0.55:
                    line = f"{rng.choice(['-rw-r--r--', 'drwxr-xr-x', '-rwxr-xr-x'])} 1 dev dev {rng.randint(0, 90000):>6} {self.ident()}{rng.choice(['.py', '.json', '', '.log', '.md'])}"
                elif r < 0.7:
                    line = f"{self.path()}::{self.ident().replace('-', '_')} {rng.choice(['PASSED', 'PASSED', 'PASSED', 'FAILED', 'SKIPPED'])} [{rng.randint(0, 100)}%]"
                elif r < 0.8:
                    line = f"{self.hexid(7)} {self.sentence(4, 9)}"
                else:
                    line = self.sentence(5, 15)
            lines.append(line)
            size += len(line) + 1
        if kind == "terminal":
            lines.append(f"[exit code {rng.choice([0, 0, 0, 0, 1, 2, 127])}]")
        return "\n".join(lines)

    def session(self) -> CorpusSession:
        """The next conversation."""
        rng = self.rng
        self._n += 1
        self.clock += rng.uniform(60, 3 * 3600)
        gateway = rng.random() < self.gateway_share
        user = f"tg-{rng.randint(1, 40)}" if gateway else "local"
        record = SessionRecord(
            id=time.strftime("%Y%m%d_%H%M%S", time.gmtime(self.clock)) + f"_{self._n:08x}",
            user_id=user, platform="telegram" if gateway else "cli",
            chat_id=str(rng.randint(10_000, 99_999)) if gateway else None,
            model=rng.choice(["openai:gpt-4o-mini", "openrouter:anthropic/claude-sonnet-4", "ollama:qwen3:14b"]),
            title=self.sentence(3, 7).rstrip(".?:!") if rng.random() < 0.8 else None,
            started_at=self.clock,
        )
        t = self.clock
        system = self.system_base[: rng.randint(1200, len(self.system_base))] + f"\n\nToday is day {self._n}. Memory: {self.sentence()}"
        messages = [Message(role="system", content=system, created_at=t)]
        for _turn in range(max(1, int(rng.expovariate(1 / 2.2)))):
            t += rng.uniform(5, 300)
            messages.append(Message(role="user", content=self.user_text(), created_at=t))
            for _step in range(int(rng.expovariate(1 / 4.0))):
                calls = [self.tool_call(i) for i in range(rng.choice([1, 1, 1, 1, 2, 3]))]
                thought = self.sentence() if rng.random() < 0.4 else None
                t += rng.uniform(1, 20)
                messages.append(Message(role="assistant", content=thought, tool_calls=calls, created_at=t))
                for call in calls:
                    t += rng.uniform(0.1, 30)
                    meta = {"is_error": True} if rng.random() < 0.05 else {}
                    messages.append(Message(role="tool", tool_call_id=call.id, name=call.name, content=self.tool_output(call), meta=meta, created_at=t))
            t += rng.uniform(1, 30)
            messages.append(Message(role="assistant", content=self.assistant_text(), created_at=t))
        self.clock = t
        return CorpusSession(record=record, messages=messages)

    def sessions(self, total_messages: int) -> Iterator[CorpusSession]:
        """Sessions until ``total_messages`` messages were produced (the last one is cut)."""
        made = 0
        while made < total_messages:
            s = self.session()
            s.messages = s.messages[: total_messages - made]
            made += len(s.messages)
            yield s

    def queries(self, n: int) -> list[str]:
        """Search queries of the kinds people and models type: words, identifiers,
        phrases, prefixes, error strings, a few odd ones."""
        rng = self.rng
        out = []
        for i in range(n):
            kind = i % 8
            if kind == 0:
                out.append(rng.choice(_TECH))
            elif kind == 1:
                out.append(f"{rng.choice(_TECH)} {rng.choice(_TECH)}")
            elif kind == 2:
                out.append(self.ident())
            elif kind == 3:
                out.append(f"\"{rng.choice(_PROBLEMS)}\"")
            elif kind == 4:
                out.append(rng.choice(_TECH)[:4] + "*")
            elif kind == 5:
                out.append(f"{rng.choice(_VERBS)} {self.ident()} {rng.choice(_TECH)}")
            elif kind == 6:
                out.append(f"{self.word()} {rng.choice(_PROBLEMS)}")
            else:
                out.append(rng.choice(["kubectl rollout", "pytest -k", "exit code 127", "(parens) AND", "\"unterminated", "docker-compose.yml"]))
        return out


def raw_bytes(message: Message) -> int:
    """The raw size of a message: the UTF-8 bytes of every text it carries (content,
    reasoning, tool call ids, names and arguments, tool_call_id, name)."""
    n = len((message.content or "").encode()) + len((message.reasoning or "").encode())
    for call in message.tool_calls:
        n += len(call.id) + len(call.name.encode()) + len(call.arguments.encode())
    n += len(message.tool_call_id or "") + len((message.name or "").encode())
    return n
