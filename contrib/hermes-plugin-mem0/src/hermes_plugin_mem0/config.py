"""The ``memory.mem0`` config section and how it becomes a mem0 configuration."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from hermes_core.config import read_dotenv


class Mem0Settings(BaseModel):
    """Settings of the mem0 provider (``memory.mem0`` in ``config.yaml``).

    The defaults run everything on this machine: Ollama's OpenAI-compatible endpoint for
    the LLM and the embeddings, and Qdrant embedded in-process, stored under
    ``$HERMES_HOME/data/mem0``.
    """

    model_config = ConfigDict(extra="forbid")

    base_url: str = Field(
        "http://127.0.0.1:11434/v1", description="OpenAI-compatible endpoint for the LLM and the embeddings"
    )
    api_key_env: str | None = Field(None, description="environment variable holding the endpoint's API key")
    llm_model: str = Field("llama3.1", description="model that extracts facts from conversations")
    embedding_model: str = Field("nomic-embed-text", description="embedding model")
    embedding_dims: int = Field(768, ge=8, le=16_384, description="size of the embedding model's vectors")
    send_dimensions: bool = Field(
        False, description="pass embedding_dims to the endpoint (only models that can shorten vectors accept it)"
    )
    path: str | None = Field(None, description="where the vector store and history live (default $HERMES_HOME/data/mem0)")
    collection: str = Field("hermes", pattern=r"^[A-Za-z0-9_-]+$", description="vector store collection name")
    infer: bool = Field(True, description="extract facts with the LLM; false stores each message as it is")
    recall_threshold: float = Field(0.1, ge=0.0, le=1.0, description="lowest relevance score recall returns")
    snapshot_limit: int = Field(
        0, ge=0, le=100, description="memories listed in the system prompt at session start (0: none, recall only)"
    )

    def data_dir(self, home: Path) -> Path:
        return Path(self.path).expanduser() if self.path else Path(home) / "data" / "mem0"

    def api_key(self, home: Path) -> str:
        """The endpoint key from the environment or ``$HERMES_HOME/.env``; local servers need none."""
        if self.api_key_env:
            value = os.environ.get(self.api_key_env) or read_dotenv(Path(home) / ".env").get(self.api_key_env)
            if value:
                return value
        # A placeholder keeps the OpenAI client from reading OPENAI_API_KEY (or another
        # provider's key) from the environment and sending it to this endpoint.
        return "not-needed"

    def mem0_config(self, home: Path) -> dict[str, Any]:
        """The ``Memory.from_config`` dict: embedded Qdrant, LLM and embeddings at ``base_url``."""
        data = self.data_dir(home)
        key = self.api_key(home)
        embedder: dict[str, Any] = {"model": self.embedding_model, "openai_base_url": self.base_url, "api_key": key}
        if self.send_dimensions:
            embedder["embedding_dims"] = self.embedding_dims
        return {
            "vector_store": {
                "provider": "qdrant",
                "config": {
                    "path": str(data / "qdrant"),
                    "on_disk": True,
                    "collection_name": self.collection,
                    "embedding_model_dims": self.embedding_dims,
                },
            },
            # mem0's "vllm" LLM is a plain OpenAI-compatible client. Its "openai" one would
            # switch to OpenRouter whenever OPENROUTER_API_KEY is set, whatever the base URL.
            "llm": {
                "provider": "vllm",
                "config": {"model": self.llm_model, "vllm_base_url": self.base_url, "api_key": key},
            },
            "embedder": {"provider": "openai", "config": embedder},
            "history_db_path": str(data / "history.db"),
        }
