"""SKILL.md front matter: read it leniently, check it strictly, write it validly.

Three jobs, kept apart because they answer different questions:

* :func:`read_skill_text` reads what real third-party skills contain. Problems become
  warnings; YAML that does not parse is read line by line. Only a missing description
  makes a skill unusable.
* :func:`check_skill_text` applies the agentskills.io specification as the reference
  validator (``skills-ref``) does, so ``hermes skills validate`` and every write agree
  with it.
* :func:`normalise_for_write` turns what the model wrote into front matter hermes can
  stand behind: hermes's own fields moved under ``metadata`` as ``hermes.*`` string
  values, then rendered in plain block-style YAML that the reference validator accepts.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from .model import HERMES_PREFIX, Frontmatter

MAX_NAME = 64
MAX_DESCRIPTION = 1024
MAX_COMPATIBILITY = 500
SPEC_KEYS = ("name", "description", "license", "compatibility", "allowed-tools", "metadata")
#: Top-level keys other agents put in front matter that hermes keeps under ``hermes.*``.
_HERMES_KEYS = {
    "tags": "tags",
    "related_skills": "related-skills",
    "related-skills": "related-skills",
    "requires_tools": "requires-tools",
    "required_tools": "requires-tools",
    "requires-tools": "requires-tools",
    "category": "category",
}


class FrontmatterError(ValueError):
    """The text has no usable front matter; the message says what is wrong."""


# ---------------------------------------------------------------------------------------
# Splitting
# ---------------------------------------------------------------------------------------


def split_document(text: str) -> tuple[str, str]:
    """``(front matter text, body)``. Raises :class:`FrontmatterError` when the text does
    not open with ``---`` or the block is never closed."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise FrontmatterError("SKILL.md must start with a YAML front matter block opened by '---'")
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1 :])
    raise FrontmatterError("the front matter block is not closed by a '---' line")


# ---------------------------------------------------------------------------------------
# Lenient reading
# ---------------------------------------------------------------------------------------


def _yaml_mapping(block: str) -> dict[str, Any]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(block, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 2}: " if mark is not None else ""  # +1 for 0-based, +1 for '---'
        raise FrontmatterError(f"{where}{getattr(exc, 'problem', None) or exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontmatterError(f"front matter must be a mapping of keys, not {type(data).__name__}")
    return {str(k): v for k, v in data.items()}


_LINE_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:\s?(.*)$")


def _line_mapping(block: str) -> dict[str, Any]:
    """Top-level ``key: value`` lines, for front matter YAML rejects (an unquoted colon in a
    description is the usual culprit). Indented lines continue the previous value."""
    data: dict[str, Any] = {}
    key: str | None = None
    for raw in block.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        match = _LINE_KEY.match(raw)
        if match and not raw[0].isspace():
            key, value = match.group(1), match.group(2).strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            data[key] = "" if value in ("|", "|-", ">", ">-") else value
        elif key is not None and isinstance(data.get(key), str):
            data[key] = (data[key] + " " + raw.strip()).strip()
    return data


def _text(value: Any, sep: str = " ") -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return sep.join(str(v) for v in value)
    return str(value)


def flatten_metadata(value: Any, prefix: str = "") -> dict[str, str]:
    """Nested metadata flattened to ``a.b`` keys with string values (lists comma-joined)."""
    out: dict[str, str] = {}
    if not isinstance(value, dict):
        return out
    for key, item in value.items():
        name = f"{prefix}{key}"
        if isinstance(item, dict):
            out.update(flatten_metadata(item, name + "."))
        elif isinstance(item, list):
            out[name] = ", ".join(str(v) for v in item)
        elif item is None:
            out[name] = ""
        elif isinstance(item, bool):
            out[name] = "true" if item else "false"
        else:
            out[name] = str(item)
    return out


def read_frontmatter(block: str) -> tuple[Frontmatter, list[str]]:
    """Front matter from its YAML text, leniently: ``(front matter, warnings)``."""
    warnings: list[str] = []
    try:
        data = _yaml_mapping(block)
    except FrontmatterError as exc:
        warnings.append(f"front matter is not valid YAML ({exc}); read it line by line")
        data = _line_mapping(block)
    extra = [k for k in data if k not in SPEC_KEYS]
    if extra:
        warnings.append(f"front matter keys outside the specification: {', '.join(sorted(extra))}")
    metadata_raw = data.get("metadata")
    if metadata_raw is not None and not isinstance(metadata_raw, dict):
        warnings.append("'metadata' is not a mapping; ignored")
    metadata = flatten_metadata(metadata_raw)
    if isinstance(metadata_raw, dict) and any(isinstance(v, (dict, list)) for v in metadata_raw.values()):
        warnings.append("'metadata' values should be strings; nested values were flattened")
    for key in extra:
        mapped = _HERMES_KEYS.get(key)
        if mapped and data.get(key) is not None:
            metadata.setdefault(HERMES_PREFIX + mapped, _text(data[key], ", ") or "")
    allowed = data.get("allowed-tools")
    if isinstance(allowed, list):
        warnings.append("'allowed-tools' should be a space-separated string, not a list")
    front = Frontmatter(
        name=_text(data.get("name")),
        description=_text(data.get("description")),
        license=_text(data.get("license")),
        compatibility=_text(data.get("compatibility")),
        allowed_tools=_text(allowed),
        metadata=metadata,
        extra_keys=extra,
    )
    return front, warnings


def read_skill_text(text: str) -> tuple[Frontmatter, str, list[str]]:
    """``(front matter, body, warnings)`` from a whole SKILL.md, leniently.

    Raises :class:`FrontmatterError` only when there is no front matter block at all.
    """
    block, body = split_document(text)
    front, warnings = read_frontmatter(block)
    if front.description and len(front.description) > MAX_DESCRIPTION:
        warnings.append(f"description is {len(front.description)} characters (the limit is {MAX_DESCRIPTION})")
    return front, body, warnings


# ---------------------------------------------------------------------------------------
# Strict checking (the specification, as skills-ref applies it)
# ---------------------------------------------------------------------------------------


def check_name(name: Any, dir_name: str | None = None) -> list[str]:
    """Problems with a skill name (empty list when valid)."""
    if not isinstance(name, str) or not name.strip():
        return ["'name' must be a non-empty string"]
    name = unicodedata.normalize("NFKC", name.strip())
    errors = []
    if len(name) > MAX_NAME:
        errors.append(f"name '{name}' is {len(name)} characters (the limit is {MAX_NAME})")
    if name != name.lower():
        errors.append(f"name '{name}' must be lower-case")
    if name.startswith("-") or name.endswith("-"):
        errors.append(f"name '{name}' must not start or end with '-'")
    if "--" in name:
        errors.append(f"name '{name}' must not contain '--'")
    if not all(c.isalnum() or c == "-" for c in name):
        errors.append(f"name '{name}' may hold only letters, digits and '-'")
    if dir_name is not None and unicodedata.normalize("NFKC", dir_name) != name:
        errors.append(f"name '{name}' must match its folder name '{dir_name}'")
    return errors


def check_skill_text(text: str, dir_name: str | None = None) -> list[str]:
    """Every way ``text`` breaks the agentskills.io specification (empty when valid)."""
    try:
        block, body = split_document(text)
    except FrontmatterError as exc:
        return [str(exc)]
    if "---" in block:
        # The reference validator splits the file on the first two '---' it finds.
        return ["the front matter must not contain '---' (the reference validator splits on it)"]
    try:
        data = _yaml_mapping(block)
    except FrontmatterError as exc:
        return [f"front matter is not valid YAML: {exc}"]
    errors: list[str] = []
    extra = sorted(set(data) - set(SPEC_KEYS))
    if extra:
        errors.append(f"unexpected front matter keys: {', '.join(extra)} (allowed: {', '.join(SPEC_KEYS)}; "
                      "put anything else under 'metadata')")
    if "name" not in data:
        errors.append("missing required key 'name'")
    else:
        errors.extend(check_name(data["name"], dir_name))
    description = data.get("description")
    if "description" not in data:
        errors.append("missing required key 'description'")
    elif not isinstance(description, str) or not description.strip():
        errors.append("'description' must be a non-empty string")
    elif len(description) > MAX_DESCRIPTION:
        errors.append(f"description is {len(description)} characters (the limit is {MAX_DESCRIPTION})")
    if "compatibility" in data:
        compat = data["compatibility"]
        if not isinstance(compat, str):
            errors.append("'compatibility' must be a string")
        elif len(compat) > MAX_COMPATIBILITY:
            errors.append(f"compatibility is {len(compat)} characters (the limit is {MAX_COMPATIBILITY})")
    for key in ("license", "allowed-tools"):
        if key in data and not isinstance(data[key], str):
            errors.append(f"'{key}' must be a string")
    if "metadata" in data:
        meta = data["metadata"]
        if not isinstance(meta, dict):
            errors.append("'metadata' must be a mapping of strings")
        elif any(not isinstance(v, str) for v in meta.values()):
            errors.append("'metadata' values must be strings (nested maps and lists are not allowed)")
    for number, line in enumerate(block.splitlines(), start=2):
        value = line.split(":", 1)[1].strip() if ":" in line else line.strip()
        if value.startswith(("[", "{")):
            errors.append(f"line {number}: flow-style YAML ([...] or {{...}}) is not accepted by the reference "
                          "validator; write plain 'key: value' strings")
            break
    if not body.strip():
        errors.append("the body (the instructions after the front matter) is empty")
    return errors


# ---------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------

_PLAIN_UNSAFE_START = tuple("-?:,[]{}#&*!|>'\"%@`")


def _scalar(value: str) -> str:
    """``value`` as a YAML scalar both PyYAML and the reference validator read back as
    the same string: plain when that is unambiguous, else double-quoted."""
    plain = (
        value
        and value == value.strip()
        and not value.startswith(_PLAIN_UNSAFE_START)
        and "\n" not in value
        and "\t" not in value
        and ": " not in value
        and " #" not in value
        and not value.endswith(":")
        and "---" not in value
    )
    if plain:
        import yaml

        try:
            plain = yaml.safe_load(f"k: {value}") == {"k": value}
        except yaml.YAMLError:
            plain = False
    return value if plain else json.dumps(value, ensure_ascii=False)


def render_frontmatter(front: Frontmatter) -> str:
    """The front matter block (with its ``---`` lines) in spec order, block style."""
    lines = ["---", f"name: {_scalar(front.name or '')}", f"description: {_scalar(front.description or '')}"]
    for key, value in (("license", front.license), ("compatibility", front.compatibility),
                       ("allowed-tools", front.allowed_tools)):
        if value:
            lines.append(f"{key}: {_scalar(value)}")
    if front.metadata:
        lines.append("metadata:")
        for key in sorted(front.metadata):
            lines.append(f"  {_scalar(key)}: {_scalar(front.metadata[key])}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def render_skill(front: Frontmatter, body: str) -> str:
    """A whole SKILL.md: rendered front matter, a blank line, the body."""
    body = body.strip("\n")
    return render_frontmatter(front) + "\n" + body + "\n"


def normalise_for_write(text: str, name: str, *, metadata: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """What the model wrote, made into a valid SKILL.md for skill ``name``.

    Returns ``(text, notes)``; ``notes`` say what was moved or filled in. Raises
    :class:`FrontmatterError` with every remaining problem when it cannot be made valid.
    """
    notes: list[str] = []
    try:
        front, body, _ = read_skill_text(text)
    except FrontmatterError as exc:
        raise FrontmatterError(
            f"{exc}. Start the content with:\n---\nname: {name}\ndescription: <what it does and when to use it>\n---"
        ) from None
    if not front.name:
        front = front.model_copy(update={"name": name})
        notes.append(f"filled in name '{name}'")
    if front.extra_keys:
        notes.append(f"moved {', '.join(front.extra_keys)} under metadata")
        moved = dict(front.metadata)
        block, _ = split_document(text)
        try:
            data = _yaml_mapping(block)
        except FrontmatterError:
            data = _line_mapping(block)
        for key in front.extra_keys:
            if key in _HERMES_KEYS:
                continue  # already moved to hermes.* by read_frontmatter
            value = data.get(key)
            if value is not None:
                moved.setdefault(key, _text(value, ", ") or "")
        front = front.model_copy(update={"metadata": moved})
    if metadata:
        front = front.model_copy(update={"metadata": {**front.metadata, **metadata}})
    rendered = render_skill(front, body)
    errors = check_skill_text(rendered, dir_name=name)
    if errors:
        raise FrontmatterError("; ".join(errors))
    return rendered, notes
