"""Each recipient's message as bytes: the issue's MIME parts encoded once, the fields spliced in.

Building and serialising a 66 KiB message with the email package takes ~8 ms; a send of
100,000 would spend most of its time there. Here the issue is encoded once per audience and
issue: the text and HTML parts are split into lines (quoted-printable is line-local: a soft
break never crosses a hard one), and every line without a recipient slot is encoded once. A
line with slots (MJML puts the whole HTML body on one 30 KB line) is encoded once too, in
segments between the slots, each ending in a soft line break (`=` CRLF, which decodes to
nothing); per recipient only the values are encoded (binascii's C encoder) and joined in. The
headers that differ per recipient (To, Subject when it has a slot, Message-ID, List-*) are
written directly when they are short ASCII, and folded by the email package otherwise.

Why a field can never break the structure: both parts are quoted-printable, so every body line
is 7-bit ASCII of at most 76 characters and an `=` in a field becomes `=3D`; the boundary
starts with `=_`, which quoted-printable output cannot contain; a CR or LF in a field is a line
break of the part's text (as the email package makes it), and header values are one line with
control characters replaced. `Composer.message` is the one place a recipient's final bytes are
made (a signing step goes there).

What SMTP gets: every line ends in CRLF and none starts with a dot (a quoted-printable line
that would is written with `=2E`; headers start with their names, folded lines with a space),
so the bytes go into DATA as they are (`Mailer.send(..., crlf=True)`): no pass over 60 KiB
to check the line ends and dot-stuff them, per message.
"""

from __future__ import annotations

import binascii
import datetime as dt
import hashlib
import html as html_lib
import re
from collections.abc import Callable, Mapping
from email.headerregistry import Address
from email.policy import SMTP
from email.utils import format_datetime, formataddr

from digest.delivery.personalize import (list_headers, message_id_parts, unsubscribe_url,
                                         values_for)
from digest.delivery.recipients import Recipient
from digest.errors import DigestError
from digest.rendering.issue import RenderedIssue
from digest.rendering.message import header_text
from digest.rendering.slots import Fillable
from digest.settings import Audience
from digest.subscribers.links import envelope_sender

_LINES = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SHORT = 78  # RFC 5322's recommended line length: longer headers are folded
_QP_LINE = 76  # quoted-printable's longest line (RFC 2045 6.7)


def _qp(data: bytes) -> bytes:
    """Quoted-printable of one line's text (no line break in it), soft breaks as CRLF."""
    encoded = binascii.b2a_qp(data, istext=True)
    if encoded.startswith(b".") or b"\n." in encoded:
        encoded = _no_leading_dot(encoded)
    return encoded.replace(b"=\n", b"=\r\n")


def _no_leading_dot(encoded: bytes) -> bytes:
    """No encoded line starts with a dot: it is written `=2E` (the same text once decoded), so
    that the message needs no dot-stuffing on its way through SMTP (RFC 5321 4.5.2) and no
    server can take a line of it for the end of the data. A line made too long by the two
    characters is cut with a soft break, never inside an `=XX`."""
    out = []
    for line in encoded.split(b"\n"):
        while line.startswith(b"."):
            line = b"=2E" + line[1:]
            if len(line) <= _QP_LINE:
                break
            cut = _QP_LINE - 1  # and the soft break's `=`
            if line[cut - 1:cut] == b"=":
                cut -= 1
            elif line[cut - 2:cut - 1] == b"=":
                cut -= 2
            out.append(line[:cut] + b"=")
            line = line[cut:]
        out.append(line)
    return b"\n".join(out)


def _qp_line(data: bytes) -> bytes:
    return _qp(data) + b"\r\n"


def header(name: str, value: str) -> bytes:
    """`Name: value` + CRLF, folded and RFC 2047-encoded by the email package when needed."""
    if _CONTROL.search(value):
        # a header is one line: nothing a field holds may start another header
        value = " ".join(_CONTROL.sub(" ", value).split())
    if value.isascii() and len(name) + 2 + len(value) <= _SHORT:
        return f"{name}: {value}\r\n".encode("ascii")
    if value.isascii() and len(value) < 900 and "  " not in value and value == value.strip():
        return _fold_ascii(name, value)
    try:
        return SMTP.header_factory(name, value).fold(policy=SMTP).encode("ascii")
    except (ValueError, IndexError) as exc:
        raise DigestError(f"cannot write the {name} header '{value[:80]}': {exc}") from None


def _fold_ascii(name: str, value: str) -> bytes:
    """Fold at spaces to lines of 78 where a word allows (RFC 5322 2.2.3): the same value
    when unfolded, without the email package's parser (the slow part of a message)."""
    lines, line = [], f"{name}:"
    for word in value.split(" "):
        if len(line) + 1 + len(word) > _SHORT and line != f"{name}:":
            lines.append(line)
            line = ""
        line = f"{line} {word}"
    lines.append(line)
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


class _Line:
    """A line with slots: its fixed text encoded once, in segments that each start a new
    encoded line (a soft break `=` CRLF decodes to nothing, so the text is the same), and the
    recipient's values encoded between them."""

    def __init__(self, line: str, token: str, escape: bool):
        parts = Fillable(line, token, escape).parts
        self.fixed = [_qp(part.encode("utf-8")) for part in parts[0::2]]
        self.names = parts[1::2]
        self.escape = html_lib.escape if escape else str

    def write(self, out: list[bytes], values: Mapping[str, str], last: bool) -> None:
        lines: list[list[bytes]] = [[]]  # a CR or LF in a value starts a new line
        fixed, escape = self.fixed, self.escape
        for i, name in enumerate(self.names):
            if fixed[i]:
                lines[-1].append(fixed[i])
            for j, sub in enumerate(_LINES.split(escape(values.get(name, "")))):
                if j:
                    lines.append([])
                if sub:
                    lines[-1].append(_qp(sub.encode("utf-8")))
        if fixed[-1]:
            lines[-1].append(fixed[-1])
        if last and not lines[-1]:
            lines.pop()  # the part's text ends with this line break: no empty line after it
        for segments in lines:
            out.append(b"=\r\n".join(segments) + b"\r\n")


class _Part:
    """A text or HTML part: its headers and its lines, encoded once where no slot is."""

    def __init__(self, subtype: str, rendered: str, token: str, escape: bool):
        self.head = (f"Content-Type: text/{subtype}; charset=\"utf-8\"\r\n"
                     "Content-Transfer-Encoding: quoted-printable\r\n\r\n").encode("ascii")
        lines = _LINES.split(rendered)
        # the text's last line break ends its last line; it does not start an empty one
        self._open_end = not (len(lines) > 1 and lines[-1] == "")
        if not self._open_end:
            lines.pop()
        marker = f"~dg{token}~"
        self.pieces: list[bytes | _Line] = []
        fixed: list[bytes] = []
        for line in lines:
            if marker in line:
                if fixed:
                    self.pieces.append(b"".join(fixed))
                    fixed = []
                self.pieces.append(_Line(line, token, escape))
            else:
                fixed.append(_qp_line(line.encode("utf-8")))
        if fixed:
            self.pieces.append(b"".join(fixed))

    def write(self, out: list[bytes], values: Mapping[str, str]) -> None:
        out.append(self.head)
        start, last = len(out), len(self.pieces) - 1
        for i, piece in enumerate(self.pieces):
            if isinstance(piece, bytes):
                out.append(piece)
            else:
                piece.write(out, values, last=self._open_end and i == last)
        if not any(out[start:]):
            out.append(b"\r\n")  # an empty text is one empty line, as the email package has it


class Composer:
    """An audience's issue ready to be filled: `message(recipient)` gives that one's bytes."""

    def __init__(self, issue: RenderedIssue, audience: Audience,
                 now: dt.datetime | None = None, sign: Callable[[bytes], bytes] | None = None):
        self.issue = issue
        self.audience = audience
        self.sign = sign  # DKIM (delivery/dkim.py): the last step, on the final bytes
        token = issue.token
        self._subject = Fillable(issue.subject, token, escape=False)
        self._fixed_subject = (None if self._subject.fields
                               else header("Subject", header_text(issue.subject)))
        seed = "\0".join([issue.date.isoformat(), issue.audience, token, issue.subject])
        self.boundary = f"=_digest_{hashlib.sha256(seed.encode('utf-8')).hexdigest()[:24]}"
        self._from = header("From", issue.sender)
        self._date = header("Date", format_datetime(now or dt.datetime.now(dt.timezone.utc)))
        self._mime = b"MIME-Version: 1.0\r\n" + header(
            "Content-Type", f'multipart/alternative; boundary="{self.boundary}"') + b"\r\n"
        self._parts = (_Part("plain", issue.text, token, escape=False),
                       _Part("html", issue.html, token, escape=True))
        self._id_seed, self._id_head, self._id_tail = message_id_parts(
            issue.date, issue.audience, issue.sender)
        self._open = f"--{self.boundary}\r\n".encode("ascii")
        self._between = f"\r\n--{self.boundary}\r\n".encode("ascii")
        self._close = f"\r\n--{self.boundary}--\r\n".encode("ascii")

    def message_id(self, recipient: Recipient) -> str:
        """personalize.message_id, the shared parts made once: it is asked for twice a
        message (the claim and the header)."""
        key = hashlib.sha256(self._id_seed + recipient.email.lower().encode()).hexdigest()
        return f"{self._id_head}{key[:24]}{self._id_tail}"

    def message(self, recipient: Recipient) -> bytes:
        """The bytes `recipient` receives: the one place a recipient's final message is made."""
        issue = self.issue
        url = unsubscribe_url(self.audience, recipient.email)  # once: a URL and a header
        values = values_for(self.audience, recipient, url)
        out = [self._fixed_subject
               or header("Subject", header_text(self._subject.fill(values))), self._from]
        name = header_text(recipient.name)
        if not name:
            to = recipient.email
        elif name.isascii():
            to = formataddr((name, recipient.email))  # quotes a name with specials
        else:
            to = str(Address(display_name=name, addr_spec=recipient.email))
        out.append(header("To", to))
        out.append(self._date)
        out.append(header("Message-ID", self.message_id(recipient)))
        for key, value in list_headers(self.audience, recipient.email, issue.sender, url):
            out.append(header(key, value))
        out.append(self._mime)
        out.append(self._open)
        text, html = self._parts
        text.write(out, values)
        out.append(self._between)
        html.write(out, values)
        out.append(self._close)
        data = b"".join(out)
        return self.sign(data) if self.sign else data

    def envelope(self, recipient: Recipient, default: str) -> str:
        """The envelope sender (MAIL FROM) for `recipient`: a VERP address that names them
        when [mailbox] return_path is set, else `default`."""
        return envelope_sender(self.audience, recipient.email, default)
