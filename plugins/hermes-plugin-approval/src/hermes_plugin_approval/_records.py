"""Records the analyzer passes around: expanded words, data streams, shell state and
the command invocations rules judge."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

StreamKind = Literal["empty", "text", "remote", "decoded", "unknown", "listing"]


class _Rec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Stream(_Rec):
    """What a command writes to its standard output, as far as we can tell statically.

    ``text``: known bytes (``echo``, ``printf``, a here-document, a decoded literal);
    ``remote``: bytes fetched from the network (``curl``, ``wget``); ``decoded``: the
    output of a decoder whose input we could not see; ``listing``: file names listed by
    ``find`` (``root``, and whether tests narrowed the listing); ``unknown``: anything
    else.
    """

    kind: StreamKind = "unknown"
    data: bytes = b""
    #: The command that produced it, for messages.
    source: str = ""
    root: str | None = None
    filtered: bool = False

    def text(self) -> str:
        """The data as text (invalid UTF-8 replaced)."""
        return self.data.decode("utf-8", "replace")


class Arg(_Rec):
    """One word after expansion. Parts that are only known at run time (an unset
    variable, an unknown command's output) stay as written in ``text`` and make the word
    ``dynamic``; ``bare`` is the word if those parts expand to nothing."""

    text: str
    raw: str = ""
    dynamic: bool = False
    glob: bool = False
    bare: str = ""
    #: The word contains the output of a download (``remote``) or of a decoder whose
    #: input is hidden (``decoded``).
    taint: Literal["remote", "decoded"] | None = None
    #: For a process substitution ``<(...)``: what reading the file yields.
    stream: Stream | None = None


class ShellState(BaseModel):
    """What the analyzer knows about the shell while it walks a script in order."""

    model_config = ConfigDict(extra="forbid")

    #: Variables with a value we know. A variable missing here may still be set in the
    #: user's (persistent) shell: it is unknown, not empty.
    env: dict[str, str] = Field(default_factory=dict)
    #: The working folder when ``cd`` made it known (``~``-based or absolute).
    cwd: str | None = None
    aliases: dict[str, str] = Field(default_factory=dict)
    #: Arrays with known elements (``a=(x y)``); ``@`` holds the positional parameters.
    arrays: dict[str, list[str]] = Field(default_factory=dict)
    #: Functions defined so far, with their bodies (judged again when called).
    functions: dict[str, Any] = Field(default_factory=dict)
    #: Files downloaded earlier in the command (``curl -o``, ``wget``), normalized.
    downloads: set[str] = Field(default_factory=set)
    #: Files written earlier in the command with known content (``cat > x.sh <<EOF``).
    files: dict[str, str] = Field(default_factory=dict)
    #: Nesting of shells-in-strings, decoded payloads and interpreters.
    depth: int = 0

    def child(self, *, positional: list[str | None] | None = None) -> ShellState:
        """The state a nested shell (``bash -c``) or a function call starts with:
        exported variables are not tracked separately, so all known ones are passed on.
        ``positional`` is ``$0``, ``$1``...; None marks one only known at run time."""
        env = dict(self.env)
        arrays = {k: list(v) for k, v in self.arrays.items()}
        if positional is not None:
            for key in [k for k in env if k.isdigit()]:
                del env[key]
            for index, value in enumerate(positional):
                if value is not None:
                    env[str(index)] = value
            if all(value is not None for value in positional[1:]):
                arrays["@"] = [value for value in positional[1:] if value is not None]
            else:
                arrays.pop("@", None)
        return ShellState(env=env, cwd=self.cwd, aliases=dict(self.aliases), arrays=arrays,
                          functions=dict(self.functions), downloads=self.downloads, files=self.files,
                          depth=self.depth + 1)


def initial_state() -> ShellState:
    """The state at the start of a command: the home folder is ``~``, and ``$SHELL``
    and ``$0`` name a shell so that ``$SHELL -c ...`` is recognized."""
    return ShellState(env={
        "HOME": "~",
        "HERMES_HOME": "~/.hermes",
        "SHELL": "/bin/bash",
        "BASH": "/bin/bash",
        "0": "bash",
        "IFS": " \t\n",
    })


class Invocation(_Rec):
    """A command about to run, with its name resolved and its words expanded."""

    name: str
    args: tuple[Arg, ...] = ()
    #: How we got here: the wrappers and interpreters around it ("sudo", "bash -c").
    via: tuple[str, ...] = ()
    #: The source text, for findings' excerpts.
    excerpt: str = ""
    #: Set for commands run by ``find -exec`` (``{}`` is every file found) and by
    #: ``xargs`` fed by ``find``: deleting each file found is a recursive delete.
    per_file: bool = False
    #: Where it runs when that is not this machine (" on host prod"), for messages.
    where: str = ""
