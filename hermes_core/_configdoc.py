"""Generate the kernel-settings part of ``docs/configuration.md`` from the config models.

    python -m hermes_core._configdoc --write

The part between the ``BEGIN/END GENERATED`` markers is rewritten; a test checks it is
current, so the reference can never drift from the code.
"""

from __future__ import annotations

import sys
import typing
from pathlib import Path

from pydantic import BaseModel

from .config import HermesConfig

BEGIN = "<!-- BEGIN GENERATED: python -m hermes_core._configdoc --write -->"
END = "<!-- END GENERATED -->"


def _type_name(annotation: object) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Literal:
        return " \\| ".join(repr(a).replace("'", "") for a in args)
    if origin in (list,):
        return f"list of {_type_name(args[0])}" if args else "list"
    if origin in (dict,):
        return "mapping"
    if origin is not None and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return _type_name(rest[0]) + " or null" if len(rest) == 1 else "value"
    return getattr(annotation, "__name__", str(annotation))


def _rows(model: type[BaseModel], prefix: str) -> list[str]:
    rows = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            rows.extend(_rows(annotation, f"{prefix}{name}."))
            continue
        default = field.get_default(call_default_factory=True)
        shown = "null" if default is None else ("[]" if default == [] else ("{}" if default == {} else repr(default).replace("'", "")))
        rows.append(f"| `{prefix}{name}` | {_type_name(annotation)} | `{shown}` | {field.description or ''} |")
    return rows


def _plugin_sections() -> list[str]:
    """Sections declared by the plugins installed with this checkout (a fresh home, so
    nothing but installed packages is loaded)."""
    import tempfile

    from .host import Host

    out: list[str] = []
    with tempfile.TemporaryDirectory() as home:
        host = Host(home, env={"HERMES_HOME": home}, cwd=Path(home)).load()
        sections = sorted(host.config_sections().values(), key=lambda spec: spec.name)
        for spec in sections:
            info = host.plugins.get(spec.plugin or "")
            package = info.distribution if info and info.distribution else spec.plugin
            out.append(f"### `{spec.name}` ({package})\n")
            if spec.description:
                out.append(spec.description[0].upper() + spec.description[1:] + ".\n")
            out.append("| key | type | default | meaning |\n|---|---|---|---|")
            out.extend(_rows(spec.model, f"{spec.name}."))
            out.append("")
    return out


def render() -> str:
    out = [BEGIN, ""]
    for section, field in HermesConfig.model_fields.items():
        model = field.annotation
        assert isinstance(model, type) and issubclass(model, BaseModel)
        doc = (model.__doc__ or "").strip().split("\n")[0]
        out.append(f"### `{section}`\n")
        if doc and not doc.startswith("!!!") and "BaseModel" not in doc:
            out.append(doc + "\n")
        out.append("| key | type | default | meaning |\n|---|---|---|---|")
        out.extend(_rows(model, f"{section}."))
        out.append("")
    out.append("## Plugin settings\n")
    out.append("Declared by the plugins in this repository (each README says more).\n")
    out.extend(_plugin_sections())
    out.append(END)
    return "\n".join(out)


def update(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    new = text[:start] + render() + text[end:]
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False


if __name__ == "__main__":  # pragma: no cover
    target = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"
    if "--write" in sys.argv:
        print("updated" if update(target) else "up to date")
    else:
        print(render())
