"""Reading and writing config files without pydantic: YAML, ``.env``, environment
overrides, dotted paths. Kept apart from :mod:`hermes_core.config` (the models) so that
start-up paths that only need the raw file stay cheap."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .errors import ConfigError


@dataclass(frozen=True)
class ConfigIssue:
    """One problem found in config, with enough context to fix it."""

    key: str
    message: str
    source: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return f"{self.source}: key '{self.key}': {self.message}"


def read_yaml(path: Path) -> dict[str, Any]:
    """The mapping in a YAML file ({} if the file is missing or empty).

    Raises :class:`ConfigError` naming the file and line for malformed YAML.
    """
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=path) from None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"invalid YAML at {where}{problem}", path=path) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"the top level must be a mapping of sections, not {type(data).__name__}", path=path)
    return data


_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")


def read_dotenv(path: Path) -> dict[str, str]:
    """``KEY=VALUE`` pairs from a ``.env`` file: comments, ``export``, quotes understood.

    Malformed lines are skipped (the file holds secrets, so they are never echoed).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        return {}
    values: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _ENV_LINE.match(line)
        if not match:
            continue
        key, raw = match.groups()
        raw = raw.strip()
        if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
            value = raw[1:-1]
            if raw[0] == '"':
                value = value.replace("\\n", "\n").replace('\\"', '"')
        else:
            value = re.split(r"\s+#", raw, maxsplit=1)[0].strip()
        values[key] = value
    return values


def parse_scalar(text: str) -> Any:
    """A command-line or environment value parsed as a YAML scalar or flow collection."""
    import yaml

    try:
        return yaml.safe_load(text) if text.strip() else ""
    except yaml.YAMLError:
        return text


def env_overrides(env: Mapping[str, str]) -> dict[str, Any]:
    """Config values from ``HERMES_<SECTION>__<KEY>`` environment variables, nested."""
    out: dict[str, Any] = {}
    for name, value in env.items():
        if not name.startswith("HERMES_") or "__" not in name:
            continue
        parts = [p.lower() for p in name[len("HERMES_"):].split("__") if p]
        if len(parts) < 2:
            continue
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                break
        else:
            node[parts[-1]] = parse_scalar(value)
    return out


def deep_merge(base: dict[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``base`` with ``top`` merged in (mappings merge, everything else replaces)."""
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def get_path(data: Mapping[str, Any], dotted: str) -> Any:
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise KeyError(dotted)
        node = node[part]
    return node


def write_yaml_atomic(path: Path, data: Mapping[str, Any]) -> None:
    """Write YAML atomically (see :func:`hermes_core.files.atomic_write_text`), keeping
    the file's permissions: a crash never leaves half a config."""
    import yaml

    from .files import atomic_write_text

    atomic_write_text(path, yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True, default_flow_style=False))


def set_path(data: dict[str, Any], dotted: str, value: Any) -> None:
    node = data
    parts = dotted.split(".")
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[parts[-1]] = value


def unset_path(data: dict[str, Any], dotted: str) -> bool:
    node: Any = data
    parts = dotted.split(".")
    trail = []
    for part in parts[:-1]:
        if not isinstance(node, dict) or part not in node:
            return False
        trail.append((node, part))
        node = node[part]
    if not isinstance(node, dict) or parts[-1] not in node:
        return False
    del node[parts[-1]]
    # drop sections left empty by the removal
    for parent, part in reversed(trail):
        if parent[part] == {}:
            del parent[part]
    return True


SECRET_KEY_RE = re.compile(r"(api[_-]?key|token|secret|password|passwd|credential)", re.IGNORECASE)


def mask_secrets(data: Any, *, _key: str = "") -> Any:
    """A copy of config data with values under secret-looking keys masked."""
    if isinstance(data, Mapping):
        return {k: mask_secrets(v, _key=str(k)) for k, v in data.items()}
    if isinstance(data, list):
        return [mask_secrets(v, _key=_key) for v in data]
    if isinstance(data, str) and SECRET_KEY_RE.search(_key) and not _key.endswith("_env") and data:
        return "****" + data[-4:] if len(data) > 12 else "****"
    return data
