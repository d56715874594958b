"""web_fetch against real pages served by http.server on 127.0.0.1."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import hermes_plugin_web
import httpx
import pytest
from hermes_plugin_web.config import WebConfig
from hermes_plugin_web.fetch import describe_error

from hermes_core.testing import Reply, call_tool, run_agent
from hermes_core.testing.conformance import ToolConformance

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Release notes &amp; more</title>
<style>body { color: red }</style><script>document.write("<p>no</p>")</script></head>
<body>
<nav><a href="/">Home</a> | <a href="/blog">Blog</a></nav>
<h1>Version 2.0</h1>
<p>This release adds <a href="/docs/sync">sync</a> and fixes <code>parse()</code>.</p>
<h2>Changes</h2>
<ul><li>Faster start-up</li><li>New <b>export</b> command<ul><li>CSV</li><li>JSON</li></ul></li></ul>
<pre><code>pip install demo==2.0
demo --version</code></pre>
<p>Unicode: naïve café, 東京, emoji 🎉</p>
<footer>© 2024 Demo Inc. <a href="/privacy">Privacy</a></footer>
</body></html>
"""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet
        pass

    def _send(self, status, body, content_type=None, headers=None):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path
        if path == "/page.html":
            self._send(200, PAGE.encode(), "text/html; charset=utf-8")
        elif path == "/data.json":
            self._send(200, b'{"name":"demo","tags":["a","b"],"nested":{"ok":true,"city":"M\\u00fcnchen"}}', "application/json")
        elif path == "/broken.json":
            self._send(200, b'{"name": "demo", ', "application/json")
        elif path == "/notes.txt":
            self._send(200, "Grüße aus Köln\nline two\n".encode("latin-1"), "text/plain; charset=iso-8859-1")
        elif path == "/meta-charset":
            self._send(200, '<html><head><meta charset="iso-8859-1"></head><body><p>Ça va très bien</p></body></html>'.encode("latin-1"), "text/html")
        elif path == "/image.png":
            self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 5000, "image/png")
        elif path == "/unlabelled-html":
            self._send(200, b"<!DOCTYPE html><html><body><h2>Sniffed</h2></body></html>", "application/octet-stream")
        elif path == "/unlabelled-binary":
            self._send(200, b"\x00\x01\x02\x03" * 100)
        elif path.startswith("/hop/"):
            left = int(path.rsplit("/", 1)[1])
            self._send(302, b"", headers={"Location": f"/hop/{left - 1}" if left > 1 else "/page.html"})
        elif path == "/loop":
            self._send(301, b"", headers={"Location": "/loop"})
        elif path == "/to-metadata":
            self._send(302, b"", headers={"Location": "http://169.254.169.254/latest/meta-data/"})
        elif path == "/to-ftp":
            self._send(302, b"", headers={"Location": "ftp://127.0.0.1/file"})
        elif path == "/big.txt":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
            line = b"0123456789" * 10 + b"\n"
            try:
                for _ in range(50 * 1024 * 1024 // len(line)):
                    self.wfile.write(line * 100)
            except (BrokenPipeError, ConnectionResetError):
                return
        elif path == "/long.txt":
            self._send(200, "".join(f"line {n}\n" for n in range(5000)).encode(), "text/plain")
        elif path == "/slow":
            time.sleep(3)
            self._send(200, b"too late", "text/plain")
        elif path == "/missing":
            self._send(404, b"<html><body><h1>Not Found</h1><p>No page at this address.</p></body></html>", "text/html")
        elif path == "/boom":
            self._send(503, b"upstream down", "text/plain")
        elif path == "/gzip.html":
            body = gzip.compress(b"<html><body><p>compressed page</p></body></html>")
            self._send(200, body, "text/html", headers={"Content-Encoding": "gzip"})
        elif path == "/hang-up":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        else:
            self._send(404, b"unknown test path", "text/plain")


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def web(make_host):
    return make_host(plugins={"web": hermes_plugin_web})


def fetch(host, **arguments):
    return call_tool(host, "web_fetch", arguments)


class TestWebConformance(ToolConformance):
    plugin = hermes_plugin_web
    plugin_name = "web"


def test_html_becomes_readable_text(web, site):
    result = fetch(web, url=f"{site}/page.html")
    assert not result.is_error, result.content
    header, body = result.content.split("\n\n", 1)
    assert header == (f"URL: {site}/page.html\nTitle: Release notes & more\n"
                      f"Content-Type: text/html ({len(PAGE.encode()):,} bytes)")
    assert body == (
        "# Version 2.0\n\n"
        f"This release adds [sync]({site}/docs/sync) and fixes `parse()`.\n\n"
        "## Changes\n\n"
        "- Faster start-up\n"
        "- New export command\n"
        "  - CSV\n"
        "  - JSON\n\n"
        "```\npip install demo==2.0\ndemo --version\n```\n\n"
        "Unicode: naïve café, 東京, emoji 🎉"
    )
    assert result.metadata["kind"] == "html"


def test_json_is_pretty_printed(web, site):
    result = fetch(web, url=f"{site}/data.json")
    body = result.content.split("\n\n", 1)[1]
    assert json.loads(body) == {"name": "demo", "tags": ["a", "b"], "nested": {"ok": True, "city": "München"}}
    assert '\n  "tags": [\n    "a",' in body and "München" in body


def test_invalid_json_is_shown_as_it_came(web, site):
    result = fetch(web, url=f"{site}/broken.json")
    assert "Note: not valid JSON" in result.content and result.content.endswith('{"name": "demo",')


def test_declared_and_meta_charsets(web, site):
    assert fetch(web, url=f"{site}/notes.txt").content.endswith("Grüße aus Köln\nline two")
    assert fetch(web, url=f"{site}/meta-charset").content.endswith("Ça va très bien")


def test_compressed_response(web, site):
    assert fetch(web, url=f"{site}/gzip.html").content.endswith("compressed page")


def test_binary_is_refused_without_downloading(web, site):
    result = fetch(web, url=f"{site}/image.png")
    assert result.is_error
    assert f"{site}/image.png is image/png, 5,008 bytes, not text; web_fetch returns text only" in result.content


def test_unlabelled_content_is_sniffed(web, site):
    assert fetch(web, url=f"{site}/unlabelled-html").content.endswith("## Sniffed")
    binary = fetch(web, url=f"{site}/unlabelled-binary")
    assert binary.is_error and "not text" in binary.content


def test_redirects_are_followed_up_to_the_limit(web, site):
    result = fetch(web, url=f"{site}/hop/3")
    assert result.content.startswith(f"URL: {site}/page.html\n(redirected from {site}/hop/3)")
    too_many = fetch(web, url=f"{site}/hop/9")
    assert too_many.is_error and "redirected more than 5 times (web.max_redirects)" in too_many.content
    loop = fetch(web, url=f"{site}/loop")
    assert loop.is_error and "too many redirects" in loop.content


def test_link_local_addresses_are_refused(web, site):
    """Cloud metadata services answer on link-local addresses; a prompt injection must not
    be able to send the model there, directly or through a redirect. (Refused before any
    connection is attempted, so nothing leaves this machine.)"""
    direct = fetch(web, url="http://169.254.169.254/latest/meta-data/iam/")
    assert direct.is_error and "link-local address (169.254.169.254)" in direct.content
    redirected = fetch(web, url=f"{site}/to-metadata")
    assert redirected.is_error and "169.254.169.254" in redirected.content and "web.block_link_local" in redirected.content
    ipv6 = fetch(web, url="http://[fe80::1]/")
    assert ipv6.is_error and "link-local" in ipv6.content


def test_redirect_to_another_scheme(web, site):
    result = fetch(web, url=f"{site}/to-ftp")
    assert result.is_error and "http and https only" in result.content


def test_download_stops_at_the_size_limit(make_host, site):
    host = make_host(plugins={"web": hermes_plugin_web}, config={"web": {"max_bytes": 100_000}})
    start = time.monotonic()
    result = fetch(host, url=f"{site}/big.txt", max_chars=500)
    assert time.monotonic() - start < 5
    assert "(100,000 bytes; the download stopped at the 100,000-byte limit (web.max_bytes))" in result.content
    assert "[Showing the first" in result.content and result.metadata["truncated"]


def test_max_chars_bounds_the_text(web, site):
    result = fetch(web, url=f"{site}/long.txt", max_chars=1000)
    body = result.content.split("\n\n", 1)[1]
    assert body.startswith("line 0\nline 1\n")
    assert "[Showing the first 99" in body and "of 48,889 characters. Call web_fetch again with a larger max_chars" in body
    default = fetch(web, url=f"{site}/long.txt")
    assert len(default.content) < 16_000 and not default.metadata.get("spilled")


def test_time_limit(make_host, site):
    host = make_host(plugins={"web": hermes_plugin_web}, config={"web": {"timeout": 0.5}})
    start = time.monotonic()
    result = fetch(host, url=f"{site}/slow")
    assert time.monotonic() - start < 2.5
    assert result.is_error and ("stopped responding" in result.content or "gave up" in result.content)


def test_http_errors_say_what_happened(web, site):
    missing = fetch(web, url=f"{site}/missing")
    assert missing.is_error
    assert f"HTTP 404 Not Found for {site}/missing: check the URL. The server said: # Not Found No page at this address." in missing.content
    down = fetch(web, url=f"{site}/boom")
    assert "HTTP 503 Service Unavailable" in down.content and "trying again later may help" in down.content
    assert "upstream down" in down.content


def test_connection_refused(web):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = fetch(web, url=f"http://127.0.0.1:{port}/")
    assert result.is_error and f"connection refused by 127.0.0.1:{port}: nothing is listening there" in result.content


def test_server_hanging_up(web, site):
    result = fetch(web, url=f"{site}/hang-up")
    assert result.is_error and "broke off the response" in result.content


def test_dns_failure_wording():
    """A real lookup failure needs a resolver, which would leave 127.0.0.1; this checks the
    wording for the exception chain httpx raises when getaddrinfo fails."""
    error = httpx.ConnectError("[Errno -2] Name or service not known")
    error.__cause__ = socket.gaierror(-2, "Name or service not known")
    message = describe_error(httpx, error, "https://no-such-host.example/x", WebConfig())
    assert message == "could not resolve the host name 'no-such-host.example' (DNS lookup failed): check the spelling of the URL"


@pytest.mark.parametrize(
    "url, message",
    [
        ("ftp://example.com/file", "cannot fetch ftp:// URLs"),
        ("  ", "url is empty"),
        ("http://", "names no host"),
    ],
)
def test_bad_urls(web, url, message):
    result = fetch(web, url=url)
    assert result.is_error and message in result.content


async def test_in_a_conversation(make_host, llm_server, site):
    host = make_host(plugins={"web": hermes_plugin_web})
    llm_server.script(Reply.tool_call("web_fetch", {"url": f"{site}/page.html"}), Reply.text("Version 2.0 adds sync."))
    agent = await run_agent(host, llm_server, "what is new in demo 2.0?")
    assert agent.last_result.text == "Version 2.0 adds sync."
    tool_message = llm_server.chat_requests[1].messages[-1]
    assert tool_message["name"] == "web_fetch" and "# Version 2.0" in tool_message["content"]
    schema = next(t for t in llm_server.chat_requests[0].tools if t["function"]["name"] == "web_fetch")
    assert len(json.dumps(schema, separators=(",", ":"))) <= 700
