"""HTML to readable, markdown-ish text, on the standard library's ``html.parser``.

Kept: the title, headings (``#``), paragraphs, lists (``-`` and ``1.``, nested by
indentation), links as ``[text](absolute URL)``, image alt text, code blocks fenced with
three backticks and inline code in backticks, block quotes (``>``), simple tables
(``| a | b |``) and definition lists. Dropped: scripts, styles, navigation, footers,
forms' controls, embedded frames and media, and anything marked hidden.

The parser is forgiving in the way browsers are: unclosed ``<p>`` and ``<li>`` tags,
stray end tags and bad nesting do not lose text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin

#: Elements dropped with everything inside them.
DROPPED = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "nav", "footer", "iframe", "canvas",
    "object", "embed", "audio", "video", "select", "button", "textarea", "dialog",
})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                  "source", "track", "wbr"})
#: Elements that start and end on their own line, with a blank line around them.
PARAGRAPHS = frozenset({"p", "table", "figure", "address", "details", "dl", "fieldset", "form"})
#: Elements that start and end on their own line.
LINES = frozenset({"div", "section", "article", "main", "header", "aside", "summary", "figcaption", "tr",
                   "dt", "dd", "caption", "center", "hgroup", "body"})
HEADINGS = {f"h{n}": n for n in range(1, 7)}
#: Elements whose end tag is often left out: a new one closes an open one of the same
#: group, unless a container (the boundary) opened since.
_IMPLIED_END: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset({"li"}), frozenset({"ul", "ol", "menu"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "tr": (frozenset({"tr"}), frozenset({"table", "thead", "tbody", "tfoot"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "p": (frozenset({"p"}), frozenset({"div", "section", "article", "main", "li", "td", "th", "blockquote",
                                        "header", "aside", "dd", "body", "table", "form"})),
}


def html_to_text(html: str, base_url: str = "") -> tuple[str, str]:
    """``(title, text)`` for an HTML document fetched from ``base_url``."""
    converter = _Converter(base_url)
    converter.feed(html)
    converter.close()
    return converter.title(), converter.text()


def _hidden(attrs: dict[str, str | None]) -> bool:
    if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    style = (attrs.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


class _Converter(HTMLParser):
    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base_url
        self.out: list[str] = []
        self._trailing_newlines = 0
        self._line_start = True
        self._space = False
        self._skip_tag: str | None = None
        self._skip_depth = 0
        self._title: list[str] | None = None
        self._title_text = ""
        self._last_space = False
        self._after_marker = False
        self._pre = 0
        self._quote = 0
        self._lists: list[list[int | str]] = []  # [kind, next number, items so far]
        self._links: list[tuple[str | None, int]] = []  # (href, index in out where its text starts)
        self._cells = 0
        self._open: list[str] = []

    # -- writing --------------------------------------------------------------------------

    def _write(self, text: str) -> None:
        if not text:
            return
        self._after_marker = False
        if self._line_start and self._quote:
            self.out.append("> " * self._quote)
        self.out.append(text)
        stripped = text.rstrip("\n")
        if stripped:
            self._trailing_newlines = len(text) - len(stripped)
        else:
            self._trailing_newlines += len(text)
        self._line_start = text.endswith("\n")
        self._last_space = text.endswith(" ")

    def _marker(self, text: str) -> None:
        """A list or definition marker: the item's first block goes on the same line."""
        self._write(text)
        self._after_marker = True
        self._space = False

    def _newlines(self, count: int) -> None:
        if not self.out or self._after_marker:
            return
        if self._trailing_newlines < count:
            self.out.append("\n" * (count - self._trailing_newlines))
            self._trailing_newlines = count
            self._line_start = True
        self._space = False

    def _trim_newlines(self, count: int) -> None:
        """Drop line breaks beyond ``count`` from the end of the output."""
        while self._trailing_newlines > count and self.out and self.out[-1].endswith("\n"):
            excess = min(self._trailing_newlines - count, len(self.out[-1]) - len(self.out[-1].rstrip("\n")))
            self.out[-1] = self.out[-1][:-excess]
            self._trailing_newlines -= excess
            if not self.out[-1]:
                self.out.pop()

    def _text(self, data: str) -> None:
        if self._pre:
            for piece in re.split(r"(\n)", data):
                if piece == "\n":
                    self.out.append("\n")
                    self._trailing_newlines += 1
                    self._line_start = True
                elif piece:
                    self._write(piece)
            return
        words = data.split()
        if not words:
            self._space = self._space or bool(data)
            return
        lead = (self._space or data[:1].isspace()) and not self._line_start and not self._last_space
        self._write((" " if lead else "") + " ".join(words))
        self._space = data[-1:].isspace()

    # -- parsing --------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth += 1
            return
        attrs = dict(attrs_list)
        if tag == "title" and self._title is None and not self._title_text:
            self._title = []
            return
        if tag == "base" and attrs.get("href"):
            self.base = urljoin(self.base, attrs["href"] or "")
        if (tag in DROPPED or _hidden(attrs)) and tag not in VOID:
            self._skip_tag, self._skip_depth = tag, 1
            return
        self._close_implied(tag)
        if tag not in VOID:
            self._open.append(tag)
        self._start(tag, attrs)

    def _close_implied(self, tag: str) -> None:
        rule = _IMPLIED_END.get(tag)
        if rule is None:
            return
        group, boundary = rule
        for open_tag in reversed(self._open):
            if open_tag in boundary:
                return
            if open_tag in group:
                self.handle_endtag(open_tag)
                return

    def handle_startendtag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        if self._skip_tag is not None:
            return
        attrs = dict(attrs_list)
        if tag in VOID or tag in ("br", "hr", "img"):
            self._start(tag, attrs)

    def _start(self, tag: str, attrs: dict[str, str | None]) -> None:
        if tag in HEADINGS:
            self._newlines(2)
            self._write("#" * HEADINGS[tag] + " ")
        elif tag in PARAGRAPHS:
            self._newlines(2)
        elif tag in LINES:
            self._newlines(1)
            if tag == "tr":
                self._cells = 0
            elif tag == "dd":
                self._marker(": ")
        elif tag in ("ul", "ol", "menu"):
            self._newlines(1 if self._lists else 2)
            start = attrs.get("start") or "1"
            self._lists.append([tag, int(start) if start.isdigit() else 1, 0])
        elif tag == "li":
            if self._lists and self._lists[-1][2]:
                self._trim_newlines(1)  # items stay together even when the last one ended a paragraph
            if self._lists:
                self._lists[-1][2] = int(self._lists[-1][2]) + 1
            self._newlines(1)
            indent = "  " * max(0, len(self._lists) - 1)
            if self._lists and self._lists[-1][0] == "ol":
                number = self._lists[-1][1]
                self._lists[-1][1] = int(number) + 1
                self._marker(f"{indent}{number}. ")
            else:
                self._marker(f"{indent}- ")
        elif tag == "blockquote":
            self._newlines(2)
            self._quote += 1
        elif tag == "pre":
            self._newlines(2)
            self._write("```\n")
            self._pre += 1
        elif tag == "code" and not self._pre:
            if self._space and not self._line_start and not self._last_space:
                self._write(" ")
            self._space = False
            self._write("`")
        elif tag in ("td", "th"):
            self._write("| " if self._cells == 0 else " | ")
            self._cells += 1
        elif tag == "br":
            if self._pre:
                self._text("\n")
            else:
                self._write("\n")
                self._space = False
        elif tag == "hr":
            self._newlines(2)
            self._write("---")
            self._newlines(2)
        elif tag == "img":
            alt = (attrs.get("alt") or "").strip()
            if alt:
                self._text(f" [image: {alt}] ")
        elif tag == "a":
            self._links.append((attrs.get("href"), len(self.out)))

    def handle_endtag(self, tag: str) -> None:
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth -= 1
                if self._skip_depth == 0:
                    self._skip_tag = None
            return
        if tag == "title" and self._title is not None:
            self._title_text = " ".join("".join(self._title).split())
            self._title = None
            return
        if tag not in self._open:
            return  # a stray end tag
        while self._open:
            closed = self._open.pop()
            self._end(closed)
            if closed == tag:
                break

    def _end(self, tag: str) -> None:
        if tag in HEADINGS or tag in PARAGRAPHS:
            self._newlines(2)
        elif tag in LINES:
            if tag == "tr" and self._cells:
                self._write(" |")
            self._newlines(1)
        elif tag in ("ul", "ol", "menu"):
            if self._lists:
                self._lists.pop()
            self._newlines(1 if self._lists else 2)
        elif tag == "li":
            self._newlines(1)
        elif tag == "blockquote":
            self._quote = max(0, self._quote - 1)
            self._newlines(2)
        elif tag == "pre":
            self._pre = max(0, self._pre - 1)
            if not self._line_start:
                self.out.append("\n")
            self._line_start = True
            self._write("```")
            self._newlines(2)
        elif tag == "code" and not self._pre:
            self._write("`")
        elif tag == "a" and self._links:
            self._close_link()

    def _close_link(self) -> None:
        href, start = self._links.pop()
        label = " ".join("".join(self.out[start:]).split())
        if not href or not label:
            return
        href = href.strip()
        if href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            return
        url = urljoin(self.base, href)
        leading = " " if self.out[start:] and self.out[start].startswith(" ") else ""
        del self.out[start:]
        self._write(leading + (f"<{url}>" if label == url else f"[{label}]({url})"))

    def handle_data(self, data: str) -> None:
        if self._skip_tag is not None:
            return
        if self._title is not None:
            self._title.append(data)
            return
        self._text(data)

    # -- result ---------------------------------------------------------------------------

    def title(self) -> str:
        return self._title_text

    def text(self) -> str:
        while self._open:
            self._end(self._open.pop())
        lines = [line.rstrip() for line in "".join(self.out).split("\n")]
        text = "\n".join(lines)
        text = re.sub(r"\n{3,}", "\n\n", text)
        return text.strip("\n")
