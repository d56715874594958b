"""hermes ``web_fetch`` tool: fetch a URL and return it as readable text.

This entry module imports only ``hermes_core``; httpx and the HTML converter load on the
first fetch.
"""

from __future__ import annotations

from typing import Any

from hermes_core import ConfigSectionSpec, ToolsetSpec, ToolSpec, hookimpl

DESCRIPTION = (
    "Fetch a web page or a text/JSON URL and return readable text: HTML becomes markdown-like "
    "text with title, headings, lists, links and code; JSON is pretty-printed. Binary content is refused."
)

PARAMETERS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "url": {"type": "string", "description": "http(s) URL"},
        "max_chars": {"type": "integer", "minimum": 100, "description": "Most characters returned (default 15000)"},
    },
    "required": ["url"],
}


async def _web_fetch(args: dict[str, Any], ctx: Any) -> Any:
    from .fetch import web_fetch

    return await web_fetch(args, ctx)


@hookimpl
def hermes_tools():
    """``web_fetch``, in the ``web`` toolset."""
    yield ToolSpec(name="web_fetch", description=DESCRIPTION, parameters=PARAMETERS, handler=_web_fetch,
                   toolset="web", parallel_safe=True, progress_arg="url")


@hookimpl
def hermes_toolsets():
    yield ToolsetSpec(name="web", description="fetch web pages")


@hookimpl
def hermes_config_sections():
    from .config import SECTION, WebConfig

    yield ConfigSectionSpec(name=SECTION, model=WebConfig, description="web_fetch: size, time and redirect limits")
