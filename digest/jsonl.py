"""Reading JSONL input (batches and evaluation sets): one place for the line-level errors."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from digest.errors import UsageError


def rows(lines: Iterable[str] | str, name: str) -> Iterator[tuple[str, dict]]:
    """(where, object) for each non-blank line; `where` is "NAME, line N" for messages.

    A line that is not JSON, or not a JSON object, is a UsageError naming the line.
    """
    if isinstance(lines, str):
        lines = lines.splitlines()
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}, line {lineno}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{where}: invalid JSON: {exc.msg}") from None
        if not isinstance(row, dict):
            raise UsageError(f"{where}: expected a JSON object")
        yield where, row
