"""The bounce mailbox: a Maildir or an IMAP folder (stdlib `imaplib`).

Both give each message with a stable key and mark a processed one without deleting it: a
Maildir message (one file each, read as it is) moves to `cur/` with the Seen flag, an IMAP
message gets `\\Seen` and the keyword `$DigestProcessed` (and is then left out of the
search). A message over the size cap
is skipped with a warning naming it.
"""

from __future__ import annotations

import imaplib
import logging
import os
import re
import ssl
from collections.abc import Iterator
from dataclasses import dataclass

from digest.errors import ConfigError, DigestError
from digest.settings import IMAP_PASSWORD_VARIABLE, Mailbox

log = logging.getLogger("digest")

KEYWORD = "$DigestProcessed"


class MailboxError(DigestError):
    """The mailbox cannot be reached or read."""


@dataclass
class Item:
    key: str  # stable across runs: what `mailbox_seen` remembers
    name: str  # for warnings
    raw: bytes


class MaildirBox:
    """A Maildir: messages in new/ and cur/, one file each, named `<unique>[:2,<flags>]`."""

    def __init__(self, settings: Mailbox):
        path = settings.maildir
        if path is None or not (path / "new").is_dir() or not (path / "cur").is_dir():
            raise MailboxError(f"[mailbox] maildir {path} is not a Maildir (no new/ and cur/)")
        self.path = path
        self.max_bytes = settings.max_message_bytes
        self.files: dict[str, str] = {}

    def items(self) -> Iterator[Item]:
        for sub in ("new", "cur"):
            for name in sorted(os.listdir(self.path / sub)):
                if name.startswith("."):
                    continue
                file = self.path / sub / name
                unique = name.split(":", 1)[0]
                try:
                    size = file.stat().st_size
                    if size > self.max_bytes:
                        log.warning("%s: %d bytes, over [mailbox] max_message_bytes; skipped",
                                    file, size)
                        continue
                    raw = file.read_bytes()
                except OSError as exc:
                    log.warning("%s: cannot read: %s; skipped", file, exc.strerror or exc)
                    continue
                self.files[unique] = f"{sub}/{name}"
                yield Item(f"maildir:{unique}", str(file), raw)

    def mark(self, item: Item) -> None:
        """Move it to cur/ with the Seen flag (the Maildir spec's `:2,` info), unchanged."""
        unique = item.key.removeprefix("maildir:")
        where = self.files[unique]
        name = where.split("/", 1)[1]
        flags = name.split(":2,", 1)[1] if ":2," in name else ""
        flags = "".join(sorted(set(flags) | {"S"}))
        os.replace(self.path / where, self.path / "cur" / f"{unique}:2,{flags}")

    def close(self) -> None:
        pass


class ImapBox:
    def __init__(self, settings: Mailbox):
        password = os.environ.get(IMAP_PASSWORD_VARIABLE)
        if not password:
            raise ConfigError(f"[mailbox] host is set but ${IMAP_PASSWORD_VARIABLE} is empty")
        self.where = f"{settings.host}:{settings.port}"
        self.max_bytes = settings.max_message_bytes
        self.folder = settings.folder
        context = ssl.create_default_context(cafile=str(settings.ca_file)
                                             if settings.ca_file else None)
        if not settings.verify_certificate:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        try:
            if settings.security == "ssl":
                self.conn = imaplib.IMAP4_SSL(settings.host, settings.port, ssl_context=context,
                                              timeout=settings.timeout)
            else:
                self.conn = imaplib.IMAP4(settings.host, settings.port, timeout=settings.timeout)
                if settings.security == "starttls":
                    self.conn.starttls(ssl_context=context)
            self.conn.login(settings.username, password)
            status, data = self.conn.select(_quote(self.folder))
            if status != "OK":
                raise MailboxError(f"IMAP {self.where}: cannot open folder '{self.folder}': "
                                   f"{_text(data)}")
            self.validity = _text(self.conn.response("UIDVALIDITY")[1]) or "0"
        except (imaplib.IMAP4.error, OSError, ssl.SSLError) as exc:
            raise MailboxError(f"IMAP {self.where}: {str(exc).replace(password, '***')}") \
                from None

    def items(self) -> Iterator[Item]:
        status, data = self.conn.uid("SEARCH", None, "UNKEYWORD", KEYWORD)
        if status != "OK":
            raise MailboxError(f"IMAP {self.where}: SEARCH failed: {_text(data)}")
        for uid in _text(data).split():
            name = f"IMAP {self.where} {self.folder} UID {uid}"
            status, data = self.conn.uid("FETCH", uid, "(RFC822.SIZE)")
            size = re.search(rb"RFC822\.SIZE (\d+)", data[0] or b"") if data else None
            if size and int(size.group(1)) > self.max_bytes:
                log.warning("%s: %s bytes, over [mailbox] max_message_bytes; skipped", name,
                            size.group(1).decode())
                continue
            # BODY.PEEK: reading a message we leave alone must not mark it read
            status, data = self.conn.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((part[1] for part in data or [] if isinstance(part, tuple)), None)
            if status != "OK" or raw is None:
                log.warning("%s: cannot fetch it; skipped", name)
                continue
            yield Item(f"imap:{self.folder}:{self.validity}:{uid}", name, raw)

    def mark(self, item: Item) -> None:
        uid = item.key.rsplit(":", 1)[1]
        self.conn.uid("STORE", uid, "+FLAGS", f"(\\Seen {KEYWORD})")

    def close(self) -> None:
        try:
            self.conn.close()
            self.conn.logout()
        except (imaplib.IMAP4.error, OSError):
            pass


def open_mailbox(settings: Mailbox) -> MaildirBox | ImapBox:
    return MaildirBox(settings) if settings.maildir is not None else ImapBox(settings)


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(data) -> str:
    parts = data if isinstance(data, list) else [data]
    return " ".join(p.decode("utf-8", "replace") if isinstance(p, bytes) else str(p)
                    for p in parts if p is not None)
