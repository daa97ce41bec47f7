"""Kinds of value: one TOML table read key by key, each key checked for its kind.

A `Table` hands out typed values (strings, integers that are not booleans, choices, counts,
positive numbers, paths resolved against the config file's folder, lists of strings) and
raises a `ConfigError` that names the file and the full key (`audiences.general.quotes`).
What is left over when a table is `done()` is reported as an unknown setting, so a typo
never passes silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from digest.errors import ConfigError

_KIND_NAMES = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "a table",
}


def type_name(value: Any) -> str:
    """What a TOML value is, in the words of an error message."""
    return {
        bool: "a boolean",
        str: "a string",
        int: "an integer",
        float: "a number",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


class Table:
    """Reads typed keys from one TOML table and reports the leftovers as unknown."""

    def __init__(self, data: Any, where: str, origin: Path):
        self.where = where
        self.origin = origin
        if not isinstance(data, dict):
            raise self.error(where, f"must be a table, got {type_name(data)}")
        self.data = dict(data)

    def error(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{self.origin}: '{key}' {message}")

    def key(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name

    def get(self, name: str, kind: type | tuple, default: Any = None, required: bool = False):
        if name not in self.data:
            if required:
                raise self.error(self.key(name), "is required")
            return default
        value = self.data.pop(name)
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # bool is an int in Python, never in a config file
        if isinstance(value, bool) and bool not in kinds:
            ok = False
        else:
            ok = isinstance(value, kinds)
        if not ok:
            wanted = " or ".join(_KIND_NAMES.get(k, k.__name__) for k in kinds)
            raise self.error(self.key(name), f"must be {wanted}, got {type_name(value)}")
        return value

    def choice(self, name: str, choices: tuple[str, ...], default: str | None = None) -> str:
        value = self.get(name, str, default)
        if value is not None and value not in choices:
            raise self.error(
                self.key(name), f"must be one of {', '.join(choices)}, got '{value}'"
            )
        return value

    def count(self, name: str, default: int) -> int:
        """A whole number, zero allowed ("how many")."""
        value = self.get(name, int, default)
        if value < 0:
            raise self.error(self.key(name), f"must be 0 or a positive integer, got {value}")
        return value

    def positive(self, name: str, default: int | None = None) -> int | None:
        value = self.get(name, int, default)
        if value is not None and value < 1:
            raise self.error(self.key(name), f"must be a positive integer, got {value}")
        return value

    def positive_number(self, name: str, default: float, allow_zero: bool = False) -> float:
        """Seconds and the like: an integer or a float, given back as a float."""
        value = self.get(name, (int, float), default)
        if value < 0 or (value == 0 and not allow_zero):
            raise self.error(self.key(name), f"must be a positive number, got {value}")
        return float(value)

    def path(self, name: str, default: str | None = None, required: bool = False):
        value = self.get(name, str, default, required=required)
        if value is None:
            return None
        return (self.origin.parent / Path(value).expanduser()).resolve()

    def strings(self, name: str) -> tuple[str, ...]:
        value = self.get(name, list, [])
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise self.error(f"{self.key(name)}[{i}]",
                                 f"must be a string, got {type_name(item)}")
        return tuple(value)

    def sub(self, name: str) -> Table:
        return Table(self.data.pop(name, {}), self.key(name), self.origin)

    def done(self) -> None:
        for name in self.data:
            raise self.error(self.key(name), "is not a known setting")
