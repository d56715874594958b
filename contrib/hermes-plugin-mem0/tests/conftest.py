"""Fixtures: the test kit's scripted server playing mem0's LLM and embedding endpoint.

mem0 sends one extraction request per turn (a JSON-mode chat completion whose prompt holds
the new messages under ``## New Messages``) and embeds through ``/v1/embeddings`` (the kit
serves deterministic bag-of-words vectors). The scripted "extractor" answers with each
user line as a fact, the way a real model would restate what the user asked to keep.
Other chat requests (the agent's own) get a plain answer.
"""

from __future__ import annotations

import json
import re

import pytest

from hermes_core.testing import Reply

EMBEDDING_DIMS = 64  # the scripted server's default vector size
_NEW_MESSAGES = re.compile(r"## New Messages\n(.*?)(?:\n\n## |\Z)", re.S)
_PREFIXES = ("please remember this:", "remember:", "remember that")


def extract_facts(prompt: str) -> list[str]:
    """The facts a diligent model would pull out of mem0's extraction prompt."""
    match = _NEW_MESSAGES.search(prompt)
    facts = []
    for line in (match.group(1) if match else "").splitlines():
        if not line.startswith("user: "):
            continue
        fact = line[len("user: "):].strip()
        for prefix in _PREFIXES:
            if fact.lower().startswith(prefix):
                fact = fact[len(prefix):].strip()
        if fact and not fact.endswith("?"):
            facts.append(fact)
    return facts


def answer(request):
    body = request.json or {}
    if body.get("response_format"):
        # The system prompt describes the format (headings included); the data is in the
        # last user message.
        prompt = str(request.messages[-1].get("content", "")) if request.messages else ""
        return Reply.text(json.dumps({"memory": [{"text": fact} for fact in extract_facts(prompt)]}))
    return Reply.text("OK.")


@pytest.fixture
def mem0_reply():
    """The scripted reply that answers like mem0's extractor."""
    return Reply.using(answer)


@pytest.fixture
def mem0_endpoint(llm_server):
    """The scripted server answering as mem0's extractor (and as a terse chat model)."""
    llm_server.default = Reply.using(answer)
    return llm_server


@pytest.fixture
def mem0_settings(mem0_endpoint):
    """``memory.mem0`` settings pointing at the scripted endpoint."""
    return {
        "base_url": mem0_endpoint.base_url,
        "llm_model": "test-model",
        "embedding_model": "test-embedding",
        "embedding_dims": EMBEDDING_DIMS,
    }
