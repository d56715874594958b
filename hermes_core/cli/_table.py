"""Plain column output for listings that can run to hundreds of rows.

rich's tables measure every cell repeatedly (~1 ms per row); these listings only need
aligned columns, optionally coloured, so they are formatted here in a single pass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import click

CellStyle = Callable[[int, str], "dict[str, object] | None"]


def render(rows: Sequence[Sequence[str]], headers: Sequence[str] | None = None,
           cell_style: CellStyle | None = None, max_last: int = 100) -> str:
    """Aligned columns. ``cell_style(column, value)`` may return click.style keywords.

    The last column is not padded and is cut at ``max_last`` characters.
    """
    table = [[str(cell) for cell in row] for row in rows]
    if headers:
        table.insert(0, list(headers))
    if not table:
        return ""
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    lines = []
    for index, row in enumerate(table):
        cells = []
        for column, cell in enumerate(row):
            if column == len(row) - 1:
                text, pad = (cell[: max_last - 1] + "…" if len(cell) > max_last else cell), ""
            else:
                text, pad = cell, " " * (widths[column] - len(cell))
            if headers and index == 0:
                style: dict[str, object] | None = {"bold": True}
            else:
                style = cell_style(column, cell) if cell_style else None
            cells.append((click.style(text, **style) if style and text else text) + pad)  # type: ignore[arg-type]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
