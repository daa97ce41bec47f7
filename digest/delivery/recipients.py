"""Who gets an audience's issue: the addresses in the config, or a CSV file read at send time.

The CSV has a header line with an `email` column, optionally `name`, and any other columns;
all of them reach the templates as `recipient.<column>`. A row without a usable address is
skipped with a warning naming the file and line; a repeated address is sent once.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from digest.errors import ConfigError
from digest.settings import Audience, is_email

log = logging.getLogger("digest")

_COLUMN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    fields: dict[str, str] = field(default_factory=dict)  # every column, email and name too
    line: int = field(default=0, compare=False)  # where in the list: the first of a repeat wins

    @property
    def key(self) -> str:
        """The ledger's key: one delivery per address, whatever its case."""
        return self.email.lower()


def load_recipients(audience: Audience) -> list[Recipient]:
    """The audience's recipients in list order, each address once."""
    seen: set[str] = set()
    unique = []
    for person in iter_recipients(audience):
        if person.key in seen:
            log.warning("audience '%s': %s is listed more than once; it gets one copy",
                        audience.name, person.email)
            continue
        seen.add(person.key)
        unique.append(person)
    return unique


def iter_recipients(audience: Audience, warn: bool = True) -> Iterator[Recipient]:
    """The recipients one by one as listed, repeats included (`line` tells them apart): a
    list of any size is read without holding it in memory."""
    if audience.recipients_file is None:
        for i, a in enumerate(audience.recipients, start=1):
            yield Recipient(email=a, fields={"email": a, "name": ""}, line=i)
    else:
        yield from read_csv(audience.recipients_file, warn)


def columns(audience: Audience) -> list[str]:
    """The recipient fields the templates may use for this audience."""
    if audience.recipients_file is None:
        return ["email", "name"]
    with _open(audience.recipients_file) as handle:
        header = next(csv.reader(handle), [])
    names = _check_header(audience.recipients_file, header)
    # templates may always use recipient.name
    return names if "name" in names else names + ["name"]


def read_csv(path: Path, warn: bool = True) -> Iterator[Recipient]:
    """The usable rows; `warn` once per send (the list is read twice), not on each pass."""
    with _open(path) as handle:
        reader = csv.reader(handle)
        header = _check_header(path, next(reader, []))
        try:
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                line = reader.line_num
                if len(row) != len(header):
                    if warn:
                        log.warning("%s, line %d: %d columns where the header has %d; "
                                    "skipped", path, line, len(row), len(header))
                    continue
                values = {name: " ".join(cell.split()) for name, cell in zip(header, row)}
                email = values["email"]
                if not is_email(email):
                    if warn:
                        log.warning("%s, line %d: not a usable e-mail address: '%s'; skipped",
                                    path, line, email)
                    continue
                values.setdefault("name", "")
                yield Recipient(email=email, name=values["name"], fields=values, line=line)
        except csv.Error as exc:
            raise ConfigError(f"{path}, line {reader.line_num}: invalid CSV: {exc}") from None
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: not UTF-8 text") from None


def _open(path: Path):
    try:
        # utf-8-sig: spreadsheets often start their CSV with a byte-order mark
        return open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ConfigError(f"cannot read recipients file {path}: {exc.strerror or exc}") from None


def _check_header(path: Path, header: list[str]) -> list[str]:
    names = [h.strip().lower() for h in header]
    if "email" not in names:
        raise ConfigError(f"{path}: the first line must name the columns, one of them 'email'")
    for name in names:
        if not _COLUMN.fullmatch(name):
            raise ConfigError(f"{path}: column name '{name}' is not usable in templates "
                              "(letters, digits and _)")
    if len(set(names)) != len(names):
        raise ConfigError(f"{path}: a column name is repeated")
    return names
