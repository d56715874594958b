"""A small JSON-schema checker for tool arguments.

Covers what tool schemas use (types, required, properties, additionalProperties, enum,
const, items, min/max, lengths, anyOf/oneOf) and reports every problem with its path, so
the model can fix its call in one go. The full ``jsonschema`` package would cost ~50 ms of
import for no gain here.
"""

from __future__ import annotations

from typing import Any

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "null": (type(None),),
}


def _is_type(value: Any, name: str) -> bool:
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    if name == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _TYPES.get(name, (object,)))


def validate(value: Any, schema: dict[str, Any], path: str = "") -> list[str]:
    """Problems with ``value`` against ``schema``; empty when it conforms."""
    errors: list[str] = []
    where = path or "arguments"
    if not isinstance(schema, dict) or not schema:
        return errors
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = schema[key]
            passing = sum(1 for option in options if not validate(value, option, path))
            if passing == 0 or (key == "oneOf" and passing > 1):
                errors.append(f"{where}: does not match {'any' if key == 'anyOf' else 'exactly one'} of the allowed forms")
    expected = schema.get("type")
    if expected is not None:
        names = expected if isinstance(expected, list) else [expected]
        if not any(_is_type(value, n) for n in names):
            errors.append(f"{where}: expected {' or '.join(names)}, got {_type_name(value)}")
            return errors
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: must be one of {', '.join(map(repr, schema['enum']))}; got {value!r}")
    if "const" in schema and value != schema["const"]:
        errors.append(f"{where}: must be {schema['const']!r}")
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            errors.append(f"{where}: must be at least {schema['minLength']} characters")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(f"{where}: must be at most {schema['maxLength']} characters")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{where}: must be >= {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{where}: must be <= {schema['maximum']}")
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            errors.append(f"{where}: needs at least {schema['minItems']} item(s)")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errors.append(f"{where}: allows at most {schema['maxItems']} item(s)")
        items = schema.get("items")
        if isinstance(items, dict):
            for index, item in enumerate(value):
                errors.extend(validate(item, items, f"{where}[{index}]"))
    if isinstance(value, dict):
        properties = schema.get("properties", {}) or {}
        for name in schema.get("required", []) or []:
            if name not in value:
                errors.append(f"{_join(path, name)}: required but missing")
        for name, item in value.items():
            if name in properties:
                errors.extend(validate(item, properties[name], _join(path, name)))
            elif schema.get("additionalProperties") is False:
                allowed = ", ".join(properties) or "none"
                errors.append(f"{_join(path, name)}: unknown argument (allowed: {allowed})")
            elif isinstance(schema.get("additionalProperties"), dict):
                errors.extend(validate(item, schema["additionalProperties"], _join(path, name)))
    return errors


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _type_name(value: Any) -> str:
    for name, types in _TYPES.items():
        if _is_type(value, name):
            return name
    return type(value).__name__


def coerce(value: Any, schema: dict[str, Any]) -> Any:
    """Fix the harmless type slips models make (``"5"`` for an integer, ``"true"`` for a
    boolean, a bare value where a list is expected) before validating."""
    if not isinstance(schema, dict):
        return value
    expected = schema.get("type")
    if isinstance(value, dict) and isinstance(schema.get("properties"), dict):
        props = schema["properties"]
        return {k: coerce(v, props[k]) if k in props else v for k, v in value.items()}
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [coerce(v, schema["items"]) for v in value]
    if isinstance(value, str):
        text = value.strip()
        if expected == "integer":
            try:
                return int(text)
            except ValueError:
                return value
        if expected == "number":
            try:
                return float(text) if any(c in text for c in ".eE") else int(text)
            except ValueError:
                return value
        if expected == "boolean" and text.lower() in ("true", "false"):
            return text.lower() == "true"
    if expected == "array" and value is not None and not isinstance(value, list):
        return [coerce(value, schema.get("items") or {})]
    return value
