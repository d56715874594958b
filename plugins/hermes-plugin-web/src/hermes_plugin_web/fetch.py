"""``web_fetch``: one bounded GET over httpx, then readable text.

Bounds: the whole fetch (redirects included) has a time limit; the body is streamed and
the download stops at ``web.max_bytes``; at most ``web.max_redirects`` redirects are
followed; binary content types are refused before their body is downloaded.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from hermes_core import MissingDependency, ToolError, ToolResult

from .config import WebConfig, settings
from .content import cut, decode, kind_of, media_type, pretty_json

#: Most characters a call may ask for; beyond the kernel's limit the result spills to a file.
MAX_CHARS = 100_000
_ACCEPT = "text/html,application/xhtml+xml,application/json;q=0.9,text/*;q=0.8,*/*;q=0.5"
_HINTS = {
    401: "the page needs a login",
    403: "the server refuses this request (it may block automated clients)",
    404: "check the URL",
    410: "the page was removed",
    429: "the server is rate-limiting requests; try again later",
}


@dataclass
class _Page:
    url: str
    status: int
    content_type: str | None
    body: bytes
    truncated: bool
    redirects: int


async def web_fetch(args: dict[str, Any], ctx: Any) -> ToolResult:
    """Fetch ``url`` and return its text, at most ``max_chars`` characters of it."""
    try:
        import httpx
    except ImportError:
        raise ToolError(str(MissingDependency("httpx", plugin="web"))) from None
    config = settings(ctx)
    url = _normalise(args["url"])
    kernel_limit = ctx.tool.max_result_chars or ctx.config.tools.max_result_chars
    default = min(config.max_chars, kernel_limit - 600)
    max_chars = min(max(100, int(args.get("max_chars") or default)), MAX_CHARS)
    try:
        async with asyncio.timeout(config.timeout):
            page = await _download(httpx, url, config)
    except TimeoutError:
        raise ToolError(f"gave up on {url} after {config.timeout:g} s (web.timeout limits the whole fetch)") from None
    except httpx.HTTPError as exc:
        raise ToolError(describe_error(httpx, exc, url, config)) from None
    return _render(page, url, max_chars)


def _normalise(raw: str) -> str:
    url = raw.strip()
    if not url:
        raise ToolError("url is empty: give an http:// or https:// address")
    if "://" not in url:
        url = "https://" + url  # a bare host name, as people type it
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ToolError(f"cannot fetch {parts.scheme}:// URLs; web_fetch speaks http and https only")
    if not parts.hostname:
        raise ToolError(f"{raw!r} is not a valid URL: it names no host")
    return url


async def _refuse_link_local(request: Any) -> None:
    """Before each request (redirects included): no link-local destinations, such as the
    169.254.169.254 metadata service that hands cloud credentials to whoever asks."""
    host = request.url.host
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, request.url.port or 443)
    except OSError:
        return  # the request itself reports the lookup failure
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if address.is_link_local or (address.version == 6 and address.ipv4_mapped and address.ipv4_mapped.is_link_local):
            raise ToolError(f"refused {request.url}: {host} is a link-local address ({address}), where cloud metadata "
                            "services live; set web.block_link_local: false to allow it")


async def _download(httpx: Any, url: str, config: WebConfig) -> _Page:
    headers = {"User-Agent": config.user_agent, "Accept": _ACCEPT}
    timeout = httpx.Timeout(config.timeout, connect=min(10.0, config.timeout))
    hooks = {"request": [_refuse_link_local]} if config.block_link_local else {}
    async with httpx.AsyncClient(follow_redirects=True, max_redirects=config.max_redirects, timeout=timeout,
                                 headers=headers, event_hooks=hooks) as client, client.stream("GET", url) as response:
        content_type = response.headers.get("content-type")
        if response.status_code >= 400:
            body, _ = await _read(response, 64 * 1024)
            raise ToolError(_http_error(response, body, content_type))
        declared = kind_of(content_type)
        if declared == "binary":
            raise ToolError(_binary_message(str(response.url), content_type, response.headers.get("content-length")))
        body, truncated = await _read(response, config.max_bytes)
        return _Page(str(response.url), response.status_code, content_type, body, truncated, len(response.history))


async def _read(response: Any, limit: int) -> tuple[bytes, bool]:
    """Up to ``limit`` bytes of the body; stopping early closes the connection."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            return b"".join(chunks)[:limit], True
    return b"".join(chunks), False


def _render(page: _Page, asked: str, max_chars: int) -> ToolResult:
    kind = kind_of(page.content_type, page.body)
    if kind == "binary":
        raise ToolError(_binary_message(page.url, page.content_type, str(len(page.body))))
    text = decode(page.body, page.content_type, kind)
    title = ""
    note = None
    if kind == "html":
        from .html_text import html_to_text

        title, text = html_to_text(text, page.url)
    elif kind == "json" and not page.truncated:
        text, note = pretty_json(text)
    header = [f"URL: {page.url}"]
    if page.url != asked:
        header.append(f"(redirected from {asked})")
    if title:
        header.append(f"Title: {title}")
    size = f"{len(page.body):,} bytes"
    if page.truncated:
        size += f"; the download stopped at the {len(page.body):,}-byte limit (web.max_bytes)"
    header.append(f"Content-Type: {media_type(page.content_type) or 'unknown'} ({size})")
    if note:
        header.append(f"Note: {note}")
    body = text.strip() or "(the page has no readable text)"
    shown = cut(body, max_chars)
    footer = ""
    if len(shown) < len(body):
        footer = (f"\n\n[Showing the first {len(shown):,} of {len(body):,} characters. Call web_fetch again with a "
                  f"larger max_chars (up to {MAX_CHARS:,}) to read more.]")
    content = "\n".join(header) + "\n\n" + shown + footer
    return ToolResult(content=content, metadata={"url": page.url, "status": page.status, "kind": kind,
                                                 "truncated": page.truncated or bool(footer)})


def _binary_message(url: str, content_type: str | None, length: str | None) -> str:
    size = f", {int(length):,} bytes" if length and length.isdigit() else ""
    return (f"{url} is {media_type(content_type) or 'binary data'}{size}, not text; web_fetch returns text only. "
            "Download it with the terminal if you need the file.")


def _http_error(response: Any, body: bytes, content_type: str | None) -> str:
    status = response.status_code
    message = f"HTTP {status} {response.reason_phrase or ''}".rstrip() + f" for {response.url}"
    hint = _HINTS.get(status) or ("a server error; trying again later may help" if status >= 500 else "")
    if hint:
        message += f": {hint}"
    kind = kind_of(content_type, body)
    if body and kind != "binary":
        text = decode(body, content_type, kind)
        if kind == "html":
            from .html_text import html_to_text

            text = html_to_text(text, str(response.url))[1]
        snippet = " ".join(text.split())[:300]
        if snippet:
            message += f". The server said: {snippet}"
    return message


def describe_error(httpx: Any, exc: Exception, url: str, config: WebConfig) -> str:
    """A network failure in words the model can act on."""
    parts = urlsplit(url)
    host = parts.hostname or url
    where = f"{host}:{parts.port}" if parts.port else host
    if isinstance(exc, httpx.TooManyRedirects):
        return f"too many redirects: {url} redirected more than {config.max_redirects} times (web.max_redirects)"
    if isinstance(exc, httpx.ConnectTimeout):
        return f"could not connect to {where} within {min(10.0, config.timeout):g} s"
    if isinstance(exc, httpx.TimeoutException):
        return f"{where} stopped responding (nothing for {config.timeout:g} s)"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return f"cannot follow {url}: {exc} (web_fetch speaks http and https only)"
    if isinstance(exc, httpx.ConnectError):
        text = str(exc)
        if _is_dns_failure(exc):
            return f"could not resolve the host name {host!r} (DNS lookup failed): check the spelling of the URL"
        if _in_chain(exc, lambda e: isinstance(e, ConnectionRefusedError) or "refused" in str(e).lower()):
            return f"connection refused by {where}: nothing is listening there"
        if "CERTIFICATE_VERIFY_FAILED" in text or "certificate" in text.lower():
            return f"the TLS certificate of {host} could not be verified: {text}"
        return f"could not connect to {where}: {text or type(exc).__name__}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"{where} broke off the response: {exc}"
    if isinstance(exc, httpx.InvalidURL):
        return f"{url!r} is not a valid URL: {exc}"
    return f"fetching {url} failed: {type(exc).__name__}: {exc}"


_DNS_MARKERS = ("name or service not known", "temporary failure in name resolution", "nodename nor servname",
                "no address associated", "getaddrinfo failed")


def _is_dns_failure(exc: BaseException) -> bool:
    return _in_chain(exc, lambda e: isinstance(e, socket.gaierror) or any(m in str(e).lower() for m in _DNS_MARKERS))


def _in_chain(exc: BaseException, test: Any) -> bool:
    """Whether ``exc`` or an exception it was raised from passes ``test`` (httpx wraps the
    socket error two or three levels down)."""
    seen: BaseException | None = exc
    depth = 0
    while seen is not None and depth < 10:
        if test(seen):
            return True
        seen = seen.__cause__ or seen.__context__
        depth += 1
    return False
