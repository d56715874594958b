"""The argument schemas and descriptions the model sees.

Argument names follow Hermes Agent's file tools so models tuned on it call these
unchanged. Every schema is sent with every request, so the wording is terse.
"""

from __future__ import annotations

from typing import Any

_PATH = {"type": "string", "description": "File path (relative, absolute or ~/...)"}
_SHORT_PATH = {"type": "string", "description": "File path"}

READ_FILE_DESCRIPTION = (
    "Read a text file as numbered lines ('LINE|text'); use instead of cat/head/tail. Long files are "
    "paged and the output says how to continue. Refuses binary files; suggests names when missing."
)

READ_FILE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "path": _PATH,
        "offset": {"type": "integer", "minimum": 1, "description": "First line, 1-based (default 1)"},
        "limit": {"type": "integer", "minimum": 1, "description": "Lines to read (default 500, max 2000)"},
    },
    "required": ["path"],
}

WRITE_FILE_DESCRIPTION = (
    "Write a whole file, replacing its content; creates parent folders. Use patch for targeted edits."
)

WRITE_FILE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "path": _PATH,
        "content": {"type": "string", "description": "The complete new content"},
    },
    "required": ["path", "content"],
}

PATCH_DESCRIPTION = (
    "Replace old_string with new_string in a file; returns a diff. old_string must be unique "
    "(add context lines) unless replace_all; whitespace-insensitive fallback."
)

PATCH: dict[str, Any] = {
    "type": "object",
    "properties": {
        "path": _SHORT_PATH,
        "old_string": {"type": "string", "description": "Text to replace"},
        "new_string": {"type": "string", "description": "Replacement"},
        "replace_all": {"type": "boolean", "description": "Replace every match"},
        "edits": {
            "type": "array",
            "description": "Several edits; all or nothing",
            "items": {
                "type": "object",
                "properties": {"old_string": {"type": "string"}, "new_string": {"type": "string"},
                               "replace_all": {"type": "boolean"}},
                "required": ["old_string", "new_string"],
            },
        },
    },
    "required": ["path"],
}

SEARCH_FILES_DESCRIPTION = (
    "Regex search in file contents, or find files by name glob (target='files'). Use instead of "
    "grep/find/ls. Skips .git, gitignored and binary files."
)

SEARCH_FILES: dict[str, Any] = {
    "type": "object",
    "properties": {
        "pattern": {"type": "string", "description": "Regex; a glob for target=files"},
        "target": {"type": "string", "enum": ["content", "files"]},
        "path": {"type": "string", "description": "Folder or file"},
        "file_glob": {"type": "string", "description": "Filter files, e.g. '*.py'"},
        "limit": {"type": "integer", "description": "Default 50"},
        "offset": {"type": "integer"},
        "output_mode": {"type": "string", "enum": ["content", "files_only", "count"]},
        "context": {"type": "integer", "description": "Context lines"},
    },
    "required": ["pattern"],
}
