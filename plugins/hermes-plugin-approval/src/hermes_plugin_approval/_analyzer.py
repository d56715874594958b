"""The analyzer: walks a parsed script in order, as the shell would run it.

It keeps what it learns along the way (variables, aliases, functions, the working
folder), expands each command's words, feeds pipelines' output forward (so ``echo ... |
sh`` and ``curl ... | bash`` are read for what reaches the shell), unwraps commands that
run other commands (wrappers, shells given ``-c`` strings, ``eval``, interpreters,
``xargs``, ``find -exec``) and hands every command that actually runs to the rules.
Nested text (a ``bash -c`` string, a decoded payload, a here-document fed to a shell) is
parsed and walked the same way, to a fixed depth.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import MappingProxyType

from . import _builtins, _handlers, _runners
from ._context import Findings, RuleContext
from ._forkbomb import fork_bomb_in_text, fork_bomb_message, self_calls
from ._interp import LANGUAGE_OF
from ._model import ForLoop, FunctionDef, Group, Pipeline, Redirect, SimpleCommand
from ._parse import parse
from ._records import Arg, Invocation, ShellState, Stream
from ._ruleset import KNOWN_COMMANDS, RULE_FUNCTIONS, SHELLS
from ._rules_system import history_variable
from ._static import stdout_of
from ._words import expand_heredoc, expand_joined, expand_word
from ._wrappers import WRAPPERS

MAX_DEPTH = 8
MAX_PARSES = 2000
MAX_LOOP_VALUES = 8

_VERSIONED = re.compile(r"^(python|pypy|pip|perl|ruby|php|lua|node|bash|zsh|ksh)[\d.]*$")
_CANONICAL_BASE = {"python": "python", "pypy": "pypy", "pip": "pip", "perl": "perl", "ruby": "ruby", "php": "php",
                   "lua": "lua", "node": "node", "bash": "bash", "zsh": "zsh", "ksh": "ksh"}
#: Variables holding a command that something else runs later.
COMMAND_VARIABLES = frozenset({
    "PROMPT_COMMAND", "GIT_SSH_COMMAND", "GIT_SSH", "GIT_EDITOR", "GIT_SEQUENCE_EDITOR", "GIT_PAGER",
    "GIT_EXTERNAL_DIFF", "GIT_ASKPASS", "SSH_ASKPASS", "SUDO_ASKPASS", "PAGER", "MANPAGER", "EDITOR", "VISUAL",
    "LESSOPEN", "LESSCLOSE", "FCEDIT", "BROWSER",
})
_PLAIN_WORD = re.compile(r"^[A-Za-z0-9_./:=@%+,-]+$")
_UNKNOWN = Stream(kind="unknown")
_EMPTY = Stream(kind="empty")
_SAFETY_NET = (
    (re.compile(r"\brm\s+(?:-\S+\s+)*-[a-zA-Z]*[rR][a-zA-Z]*\s+(?:-\S+\s+)*(?:/|~|\$HOME|\$\{HOME\})(?:\s|$|/\*|;)"),
     "a recursive delete of / or of the home folder"),
    (re.compile(r"\bmkfs(?:\.\w+)?\s"), "formatting a disk"),
    (re.compile(r"\bdd\b[^|;&\n]*\bof=/dev/(?:sd|nvme|vd|xvd|hd|mmcblk|disk)"), "a write onto a disk"),
    (re.compile(r">\s*/dev/(?:sd|nvme|vd|xvd|hd|mmcblk)"), "a write onto a disk"),
    (re.compile(r"(?:^|[;&|(`]\s*)(?:sudo\s+)?(?:shutdown|reboot|halt|poweroff)\b"), "a shutdown"),
)


def canonical(name: str) -> str:
    """The name rules are registered under: ``python3.11`` -> ``python``, ``mkfs.ext4``
    -> ``mkfs``, ``RM`` -> ``rm`` (case-insensitive file systems run it)."""
    if name in KNOWN_COMMANDS:
        return name
    m = _VERSIONED.match(name)
    if m:
        return _CANONICAL_BASE[m.group(1)]
    if name.startswith(("mkfs.", "mkfs_")):
        return "mkfs"
    lower = name.lower()
    if lower in KNOWN_COMMANDS:
        return lower
    return name


class _Substituter:
    """Runs ``$(...)``/``<(...)`` bodies through the analyzer for the word expander."""

    def __init__(self, analyzer: Analyzer, state: ShellState, via: tuple[str, ...], where: str) -> None:
        self.analyzer, self.state, self.via, self.where = analyzer, state, via, where

    def substitute(self, source: str) -> Stream:
        """Judge ``$(source)`` in a subshell and return what it prints."""
        return self.analyzer.run_text(source, self.state.child(), via=(*self.via, "$()"), where=self.where)

    def process(self, source: str) -> Stream:
        """Judge ``<(source)`` in a subshell and return what it prints."""
        return self.analyzer.run_text(source, self.state.child(), via=(*self.via, "<()"), where=self.where)


class Analyzer:
    """One scan's walk; findings go to ``findings``."""

    def __init__(self, findings: Findings) -> None:
        self.findings = findings
        self.parses = 0
        self._calling: set[str] = set()
        self._handlers: MappingProxyType[str, Callable[..., Stream]] = MappingProxyType({
            **{name: self._bind(_runners.wrapper) for name in WRAPPERS},
            **{name: self._bind(_runners.shell) for name in SHELLS},
            **{name: self._bind(_runners.interpreter) for name in LANGUAGE_OF},
            "env": self._bind(_runners.env), "eval": self._bind(_runners.eval_),
            "source": self._bind(_runners.source), ".": self._bind(_runners.source),
            "at": self._bind(_runners.at), "batch": self._bind(_runners.at),
            "xargs": self._bind(_handlers.xargs), "find": self._bind(_handlers.find),
            **{name: self._bind(_handlers.container_exec) for name in ("docker", "podman", "nerdctl", "kubectl", "oc")},
            **{name: self._bind(_handlers.multiplexer) for name in ("tmux", "screen", "parallel")},
            "git": self._bind(_handlers.git_commands),
            **{name: self._bind(_builtins.builtin) for name in _builtins.BUILTINS},
        })

    def _bind(self, handler: Callable[..., Stream]) -> Callable[[Invocation, ShellState, Stream | None], Stream]:
        return lambda inv, state, stdin: handler(self, inv, state, stdin)

    # -- text and structure ----------------------------------------------------------------

    def run_text(self, text: str, state: ShellState, *, via: tuple[str, ...] = (), where: str = "",
                 stdin: Stream | None = None) -> Stream:
        """Parse and walk ``text``; return what it prints."""
        if state.depth > MAX_DEPTH:
            self.findings.add("obfuscated-command", "nests commands inside strings too deeply to be read to the end",
                              text)
            return _UNKNOWN
        if self.parses >= MAX_PARSES:
            self.findings.add("obfuscated-command", f"holds more than {MAX_PARSES} nested commands; the rest could "
                                                    f"not be read", text)
            return _UNKNOWN
        self.parses += 1
        bomb = fork_bomb_in_text(text)
        if bomb is not None:
            self.findings.add("fork-bomb", fork_bomb_message(bomb), text)
        script = parse(text)
        if not script.exact:
            self._safety_net(text)
        return self.run_pipelines(script.pipelines, state, via, where, stdin)

    def _safety_net(self, text: str) -> None:
        flat = re.sub(r"[\"'\\]", "", text)
        for pattern, what in _SAFETY_NET:
            if pattern.search(flat):
                self.findings.add("obfuscated-command", f"could not be parsed exactly (unbalanced quotes or "
                                                        f"brackets) and looks like {what}", text)

    def run_pipelines(self, pipelines: tuple[Pipeline, ...], state: ShellState, via: tuple[str, ...], where: str,
                      stdin: Stream | None = None) -> Stream:
        """Walk pipelines in order; return their combined output."""
        outputs = [self.run_pipeline(p, state, via, where, stdin if k == 0 else None)
                   for k, p in enumerate(pipelines)]
        return concat(outputs)

    def run_pipeline(self, pipeline: Pipeline, state: ShellState, via: tuple[str, ...], where: str,
                     stdin: Stream | None) -> Stream:
        """Walk one pipeline, each stage reading what the one before wrote."""
        stream = stdin
        for stage in pipeline.stages:
            stream = self.run_stage(stage, state, via, where, stream)
        return stream or _EMPTY

    def run_stage(self, stage: SimpleCommand | Group | ForLoop | FunctionDef, state: ShellState,
                  via: tuple[str, ...], where: str, stdin: Stream | None) -> Stream:
        """Walk one stage: a simple command, a group, a loop or a function definition."""
        if isinstance(stage, SimpleCommand):
            return self.run_simple(stage, state, via, where, stdin)
        if isinstance(stage, Group):
            sub = _Substituter(self, state, via, where)
            redirected = self._stdin_from(stage.redirects, state, sub)
            out = self.run_pipelines(stage.body, state, via, where, redirected or stdin)
            self._check_writes(stage.redirects, state, sub, where, "")
            return out
        if isinstance(stage, ForLoop):
            return self._for(stage, state, via, where)
        self._function(stage, state, via, where)
        return _EMPTY

    def _for(self, loop: ForLoop, state: ShellState, via: tuple[str, ...], where: str) -> Stream:
        sub = _Substituter(self, state, via, where)
        values: list[Arg] | None = None
        if loop.items is not None:
            values = []
            for raw in loop.items:
                values.extend(expand_word(raw, state, sub))
        if not loop.var or values is None or not values:
            if loop.var:
                state.env.pop(loop.var, None)
            out = self.run_pipelines(loop.body, state, via, where)
        else:
            outputs = []
            for value in values[:MAX_LOOP_VALUES]:
                if value.dynamic:
                    state.env.pop(loop.var, None)
                else:
                    state.env[loop.var] = value.text
                outputs.append(self.run_pipelines(loop.body, state, via, where))
            if len(values) > MAX_LOOP_VALUES:
                state.env.pop(loop.var, None)
                outputs.append(self.run_pipelines(loop.body, state, via, where))
            out = concat(outputs)
        self._check_writes(loop.redirects, state, sub, where, "")
        return out

    def _function(self, func: FunctionDef, state: ShellState, via: tuple[str, ...], where: str) -> None:
        state.functions[func.name] = func.body
        calls, background = self_calls(func.name, func.body)
        if calls >= 2 and background:
            self.findings.add("fork-bomb", fork_bomb_message(func.name), f"{func.name}() {{ ... }}")
        # The body is judged once, where it is defined, as if it ran.
        body_state = state.child()
        body_state.depth = state.depth
        self.run_pipelines(func.body, body_state, (*via, f"{func.name}()"), where)

    # -- one command ------------------------------------------------------------------------

    def run_simple(self, cmd: SimpleCommand, state: ShellState, via: tuple[str, ...], where: str,
                   stdin: Stream | None) -> Stream:
        """Expand, redirect, unwrap and judge one simple command; return what it prints."""
        if self._inert(cmd, state):
            return _UNKNOWN
        sub = _Substituter(self, state, via, where)
        for assignment in cmd.assignments:
            self._assign(assignment, state, sub, where, cmd.text, apply=not cmd.words)
        args: list[Arg] = []
        for word in cmd.words:
            args.extend(expand_word(word, state, sub))
        stdin = self._stdin_from(cmd.redirects, state, sub) or stdin
        self._check_writes(cmd.redirects, state, sub, where, cmd.text)
        if not args:
            return _EMPTY
        if cmd.words and cmd.words[0] in state.aliases and args[0].raw == cmd.words[0]:
            alias = state.aliases[cmd.words[0]]
            child = state.child()
            child.depth = state.depth
            child.aliases.pop(cmd.words[0], None)
            return self.run_text(" ".join([alias, *cmd.words[1:]]), child, via=(*via, "alias"), where=where,
                                 stdin=stdin)
        if args[0].text in ("[[", "((") or args[0].text.startswith("(("):
            return _EMPTY
        out = self.invoke(args, state, via, where, cmd.text, stdin)
        return self._remember_output(cmd.redirects, out, state, sub)

    @staticmethod
    def _remember_output(redirects: tuple[Redirect, ...], out: Stream, state: ShellState,
                         sub: _Substituter) -> Stream:
        """Keep the content of files a command writes with known text (``cat > x.sh
        <<EOF``), so running them later in the same command is judged too."""
        from ._paths import normalize

        for r in redirects:
            if r.op not in (">", ">|", ">>", "&>") or r.fd not in (None, 1):
                continue
            targets = expand_word(r.target, state, sub)
            if len(targets) != 1 or targets[0].dynamic:
                continue
            path = normalize(targets[0].text, state.cwd)
            if out.kind == "text":
                previous = state.files.get(path, "") if r.op == ">>" else ""
                state.files[path] = previous + out.text()
            else:
                state.files.pop(path, None)
            return _EMPTY
        return out

    @staticmethod
    def _inert(cmd: SimpleCommand, state: ShellState) -> bool:
        """A command with nothing to expand, no redirections, and a name no rule knows:
        it cannot be judged, so skip the work (this keeps megabyte inputs fast)."""
        if cmd.assignments or cmd.redirects or not cmd.words:
            return False
        first = cmd.words[0]
        if not _PLAIN_WORD.match(first) or first in state.aliases or first in state.functions:
            return False
        if "/" in first and (state.downloads or state.files):
            return False
        if canonical(first.rsplit("/", 1)[-1]) in KNOWN_COMMANDS:
            return False
        return all(_PLAIN_WORD.match(word) for word in cmd.words)

    def _assign(self, assignment: str, state: ShellState, sub: _Substituter, where: str, excerpt: str, *,
                apply: bool) -> None:
        name, _, raw = assignment.partition("=")
        append = name.endswith("+")
        name = name.rstrip("+").split("[", 1)[0]
        if raw.startswith("(") and raw.endswith(")"):
            self._assign_array(name, raw[1:-1], state, sub, append=append, apply=apply)
            return
        value = expand_joined(raw, state, sub)
        ctx = RuleContext(self.findings, state, Invocation(name="assignment", where=where, excerpt=excerpt))
        history_variable(name, value.text, ctx)
        self.command_variable(name, value, state, where, excerpt)
        if not apply:
            return
        if value.dynamic:
            state.env.pop(name, None)
        else:
            state.env[name] = (state.env.get(name, "") if append else "") + value.text

    def _assign_array(self, name: str, body: str, state: ShellState, sub: _Substituter, *, append: bool,
                      apply: bool) -> None:
        from ._lexer import Lexer

        elements: list[Arg] = []
        for token in Lexer(body).run().tokens:
            if token.kind == "word":
                elements.extend(expand_word(token.text, state, sub))
            elif token.kind == "line":
                for word in token.text.split():
                    elements.extend(expand_word(word, state, sub))
        if not apply:
            return
        if any(e.dynamic for e in elements):
            state.arrays.pop(name, None)
            state.env.pop(name, None)
            return
        values = (state.arrays.get(name, []) if append else []) + [e.text for e in elements]
        state.arrays[name] = values
        if values:
            state.env[name] = values[0]

    def command_variable(self, name: str, value: Arg, state: ShellState, where: str, excerpt: str) -> None:
        """Variables whose value is a command something else will run (the prompt,
        git, a pager, an editor): judge that command now."""
        if name not in COMMAND_VARIABLES or not value.text.strip():
            return
        if value.taint:
            self.tainted(value.taint, f"through {name}", excerpt, where)
        self.run_text(value.text, state.child(), via=(name,), where=where)

    def _stdin_from(self, redirects: tuple[Redirect, ...], state: ShellState, sub: _Substituter) -> Stream | None:
        stream = None
        for r in redirects:
            if r.op == "<<<":
                arg = expand_joined(r.target, state, sub)
                stream = Stream(kind=arg.taint or "text", data=(arg.text + "\n").encode("utf-8", "surrogatepass"),
                                source="here-string")
            elif r.op in ("<<", "<<-"):
                body = r.heredoc or ""
                if not r.literal:
                    body, _ = expand_heredoc(body, state, sub)
                stream = Stream(kind="text", data=body.encode("utf-8", "surrogatepass"), source="here-document")
            elif r.op == "<" and r.fd in (None, 0):
                targets = expand_word(r.target, state, sub)
                if targets and targets[0].stream is not None:
                    stream = targets[0].stream
                else:
                    stream = self.open_file(targets[0], state) if targets else None
                    stream = stream or Stream(kind="unknown", source=f"< {r.target}")
        return stream

    def _check_writes(self, redirects: tuple[Redirect, ...], state: ShellState, sub: _Substituter, where: str,
                      excerpt: str) -> None:
        for r in redirects:
            if r.op in (">", ">|", "&>"):
                mode = "overwrite"
            elif r.op in (">>", "&>>"):
                mode = "append"
            elif r.op == "<>":
                mode = "edit"
            elif r.op == ">&" and not (r.target.isdigit() or r.target == "-"):
                mode = "overwrite"
            else:
                continue
            ctx = RuleContext(self.findings, state, Invocation(name="redirect", where=where, excerpt=excerpt))
            for arg in expand_word(r.target, state, sub):
                if arg.stream is None:
                    ctx.write(arg, mode)  # type: ignore[arg-type]

    # -- dispatch ---------------------------------------------------------------------------

    def invoke(self, args: list[Arg], state: ShellState, via: tuple[str, ...], where: str, excerpt: str,
               stdin: Stream | None, *, per_file: bool = False) -> Stream:
        """Run the command ``args`` (already expanded)."""
        head, rest = args[0], tuple(args[1:])
        if head.taint:
            self.tainted(head.taint, "as a command name", excerpt, where)
        if head.dynamic:
            return self._dynamic(head, rest, state, via, where, excerpt, stdin)
        name = head.text.rstrip("/").rsplit("/", 1)[-1] if "/" in head.text.rstrip("/") else head.text
        if not name:
            return _UNKNOWN
        if head.glob:
            import fnmatch

            names = RULE_FUNCTIONS.keys() | self._handlers.keys()
            candidates = sorted(c for c in names if fnmatch.fnmatchcase(c, name))
            if not candidates:
                return _UNKNOWN
            if len(candidates) > 4:
                return self._dynamic(head, rest, state, via, where, excerpt, stdin)
            for candidate in candidates:
                self.dispatch(Invocation(name=candidate, args=rest, via=via, excerpt=excerpt, per_file=per_file,
                                         where=where), state, stdin)
            return _UNKNOWN
        inv = Invocation(name=name, args=rest, via=via, excerpt=excerpt, per_file=per_file, where=where)
        if "/" in head.text and (state.downloads or state.files):
            self.check_script_file(head, inv, state)
        return self.dispatch(inv, state, stdin)

    @staticmethod
    def open_file(arg: Arg, state: ShellState) -> Stream | None:
        """What reading ``arg`` yields, when this command wrote or downloaded it."""
        from ._paths import normalize

        if arg.dynamic:
            return None
        path = normalize(arg.text, state.cwd)
        if path in state.files:
            return Stream(kind="text", data=state.files[path].encode("utf-8", "surrogatepass"), source=arg.text)
        if path in state.downloads:
            return Stream(kind="remote", source=f"the download {arg.text}")
        return None

    def check_script_file(self, script: Arg, inv: Invocation, state: ShellState,
                          language: str | None = None) -> Stream:
        """A script file run by this command: if the same command downloaded it (``curl
        -o x.sh URL && bash x.sh``) it is remote code; if it wrote it with known content
        (``cat > x.sh <<EOF ... EOF; bash x.sh``) that content is judged."""
        from ._paths import display, normalize

        path = normalize(script.text, state.cwd)
        if path in state.downloads:
            self.findings.add("remote-code-exec", f"runs {display(path)}, downloaded earlier in the same command"
                                                  f"{inv.where}", inv.excerpt)
        content = state.files.get(path)
        if content is None:
            return _UNKNOWN
        if language is None:
            return self.run_text(content, state.child(), via=(*inv.via, display(path)), where=inv.where)
        _runners.run_code(self, content, language, inv, state)
        return _UNKNOWN

    def dispatch(self, inv: Invocation, state: ShellState, stdin: Stream | None) -> Stream:
        """Judge a resolved command: its rules, then its handler (or its static output)."""
        if inv.name in state.functions:
            return self._call_function(inv, state, stdin)
        name = canonical(inv.name)
        if name != inv.name:
            inv = inv.model_copy(update={"name": name})
        rules = RULE_FUNCTIONS.get(name, ())
        if rules:
            ctx = RuleContext(self.findings, state, inv, stdin)
            for rule in rules:
                rule(inv, ctx)
        handler = self._handlers.get(name)
        if handler is not None:
            return handler(inv, state, stdin)
        return stdout_of(inv, stdin, lambda arg: self.open_file(arg, state))

    def _call_function(self, inv: Invocation, state: ShellState, stdin: Stream | None) -> Stream:
        """A call of a function defined earlier: its body is judged again with the
        call's arguments as ``$1``, ``$2``... (``f() { rm -rf "$1"; }; f /``)."""
        if inv.name in self._calling:
            return _UNKNOWN  # recursion: the body is being judged already
        self._calling.add(inv.name)
        try:
            positional = [state.env.get("0", "bash"), *(None if a.dynamic else a.text for a in inv.args)]
            return self.run_pipelines(state.functions[inv.name], state.child(positional=positional),
                                      (*inv.via, f"{inv.name}()"), inv.where, stdin)
        finally:
            self._calling.discard(inv.name)

    def _dynamic(self, head: Arg, rest: tuple[Arg, ...], state: ShellState, via: tuple[str, ...], where: str,
                 excerpt: str, stdin: Stream | None) -> Stream:
        """A command whose name is only known at run time: judge its arguments as if it
        were each of the commands that would make them dangerous."""
        probe = Findings()
        candidates = ["rm", "chmod", "chown", "dd", "shred", "mkfs"]
        bare = canonical(head.bare.rsplit("/", 1)[-1]) if head.bare else ""
        if bare in RULE_FUNCTIONS and bare not in candidates:
            candidates.insert(0, bare)
        for candidate in candidates:
            inv = Invocation(name=candidate, args=rest, via=via, excerpt=excerpt, where=where)
            ctx = RuleContext(probe, state, inv, stdin)
            for rule in RULE_FUNCTIONS[candidate]:
                rule(inv, ctx)
        if probe.items:
            worst = max(probe.items, key=lambda f: f.verdict.rank)
            shown = head.text if len(head.text) <= 60 else head.text[:59] + "…"
            self.findings.add("obfuscated-command", f"runs a command named only at run time ({shown}) with "
                                                    f"arguments that would mean: {worst.message}", excerpt)
        return _UNKNOWN

    def tainted(self, taint: str, how: str, excerpt: str, where: str) -> None:
        """Report a command built from a download (``remote``) or a hidden decoded payload."""
        if taint == "remote":
            self.findings.add("remote-code-exec", f"runs code downloaded at run time ({how}){where}", excerpt)
        else:
            self.findings.add("obfuscated-command", f"runs a decoded payload whose content is hidden ({how}){where}",
                              excerpt)

    def run_stream(self, stream: Stream, inv: Invocation, state: ShellState, runner: str) -> Stream:
        """A shell reads ``stream`` as its script."""
        if stream.kind == "text":
            return self.run_text(stream.text(), state.child(), via=(*inv.via, runner), where=inv.where)
        if stream.kind == "remote":
            self.findings.add("remote-code-exec", f"runs code downloaded by {stream.source} in {runner}{inv.where}",
                              inv.excerpt)
        elif stream.kind == "decoded":
            self.findings.add("obfuscated-command", f"runs a decoded payload ({stream.source}) in {runner} whose "
                                                    f"content could not be read{inv.where}", inv.excerpt)
        return _UNKNOWN

    # -- handlers ---------------------------------------------------------------------------

def concat(streams: list[Stream]) -> Stream:
    """The output of commands run one after the other."""
    real = [s for s in streams if s.kind != "empty"]
    if not real:
        return _EMPTY
    if all(s.kind == "text" for s in real):
        return Stream(kind="text", data=b"".join(s.data for s in real), source=real[0].source)
    for kind in ("remote", "decoded", "listing"):
        hit = next((s for s in real if s.kind == kind), None)
        if hit is not None:
            return hit
    return _UNKNOWN
