"""One SMTP connection (stdlib smtplib), reused across messages and reopened when it drops.

smtplib does not pipeline (RFC 2920) and no well-kept client library we could use does; the
round trips are hidden by sending over several connections at once instead (`workers`).

A transaction is MAIL, RCPT and DATA for one recipient; its outcome is classified so that the
caller can record it: sent, temporary (4xx, or the connection went), permanent (5xx for the
recipient or the message). The password is only ever passed to `login` and is scrubbed from
anything this module reports.
"""

from __future__ import annotations

import logging
import smtplib
import socket
import ssl
from dataclasses import dataclass

from digest.errors import ConfigError, DigestError
from digest.settings import Smtp

log = logging.getLogger("digest")

SENT, TEMPORARY, PERMANENT = "sent", "temporary", "permanent"


class SendAborted(DigestError):
    """Sending cannot go on: the server is unreachable, refuses the sender or our TLS check."""


@dataclass(frozen=True)
class Outcome:
    kind: str  # SENT, TEMPORARY or PERMANENT
    reply: str
    sender_refused: bool = False  # a MAIL FROM refusal: every other message would fail too


class Mailer:
    def __init__(self, smtp: Smtp, password: str | None = None):
        self.smtp = smtp
        self._password = password
        self.conn: smtplib.SMTP | None = None
        self.connections = 0

    def scrub(self, text: str) -> str:
        if self._password:
            text = text.replace(self._password, "***")
        return text

    @property
    def where(self) -> str:
        return f"{self.smtp.host}:{self.smtp.port}"

    def tls_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(
            cafile=str(self.smtp.ca_file) if self.smtp.ca_file else None)
        if not self.smtp.verify_certificate:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def connect(self) -> None:
        """Open, secure and log in; raises OSError/SMTPException when the server can't be had,
        ConfigError or SendAborted when trying again would not help."""
        self.close()
        smtp = self.smtp
        try:
            if smtp.security == "ssl":
                conn = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout,
                                        local_hostname=_local_hostname(),
                                        context=self.tls_context())
            else:
                conn = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout,
                                    local_hostname=_local_hostname())
            try:
                _no_delay(conn)
                conn.ehlo()
                if smtp.security == "starttls":
                    if not conn.has_extn("starttls"):
                        # never fall back to sending in clear
                        raise SendAborted(f"{self.where} does not offer STARTTLS (set [smtp] "
                                          "security to match the server)")
                    conn.starttls(context=self.tls_context())
                    conn.ehlo()
                if smtp.username:
                    if not conn.has_extn("auth"):
                        raise ConfigError(f"{self.where} does not offer AUTH, yet [smtp] "
                                          "username is set (does it need security = "
                                          "\"starttls\"?)")
                    conn.login(smtp.username, self._password or "")
            except BaseException:
                conn.close()
                raise
        except ssl.SSLCertVerificationError as exc:
            raise SendAborted(f"TLS certificate of {self.where} not trusted: "
                              f"{exc.verify_message or exc}") from None
        except smtplib.SMTPAuthenticationError as exc:
            raise ConfigError(f"{self.where} refused the login of '{smtp.username}': "
                              f"{self.scrub(_reply(exc.smtp_code, exc.smtp_error))}") from None
        self.conn = conn
        self.connections += 1
        log.info("connected to %s (%s)", self.where, smtp.security)

    def send(self, sender: str, recipient: str, data: bytes, crlf: bool = False) -> Outcome:
        """One transaction on the open connection (`connect` first). `crlf`: the caller
        vouches that every line of `data` ends in CRLF (a Composer's messages do)."""
        assert self.conn is not None
        conn = self.conn
        try:
            code, resp = conn.docmd("mail", f"FROM:{_path(sender)}")
            if code != 250:
                return self._failed(code, resp, sender_refused=code >= 500)
            code, resp = conn.docmd("rcpt", f"TO:{_path(recipient)}")
            if code not in (250, 251):
                return self._failed(code, resp)
            code, resp = _data(conn, data, crlf)
            if code != 250:
                return self._failed(code, resp)
            return Outcome(SENT, self.scrub(_reply(code, resp)))
        except smtplib.SMTPResponseException as exc:
            # data() raises for a 354 it did not get, e.g. a 4xx/5xx to DATA itself
            return self._failed(exc.smtp_code, exc.smtp_error)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self.close(quit=False)
            return Outcome(TEMPORARY, self.scrub(f"connection lost: {_describe(exc)}"))

    def _failed(self, code: int, resp: bytes | str, sender_refused: bool = False) -> Outcome:
        reply = self.scrub(_reply(code, resp))
        if code == 421 or code < 400:
            # 421: the server is closing the connection; anything odd: start afresh
            self.close(quit=False)
        else:
            try:
                self.conn.rset()
            except (smtplib.SMTPException, OSError):
                self.close(quit=False)
        kind = PERMANENT if 500 <= code < 600 else TEMPORARY
        return Outcome(kind, reply, sender_refused=sender_refused)

    def close(self, quit: bool = True) -> None:
        conn, self.conn = self.conn, None
        if conn is None:
            return
        try:
            if quit:
                conn.quit()
        except (smtplib.SMTPException, OSError):
            pass
        finally:
            conn.close()


def _path(address: str) -> str:
    # the addresses were checked (settings.is_email): no <, >, space or line break in them;
    # smtplib's mail()/rcpt() would parse each again with email.utils (~50 us a message)
    return f"<{address}>"


def _data(conn: smtplib.SMTP, data: bytes, crlf: bool = False) -> tuple[int, bytes]:
    """DATA with the message dot-stuffed by bytes.replace: smtplib's data() runs a regex over
    every message (~0.4 ms for 60 KiB, the largest cost of a send). Same bytes on the wire for
    a CRLF-only message; anything else goes through smtplib's own. Checking the line ends
    takes four passes over the message (~0.1 ms for 60 KiB): skipped when the caller vouches
    for them (`crlf`). Whether a line starts with a dot is always looked at (one pass): a
    lone dot not stuffed would end the message early and make the rest SMTP commands."""
    if not crlf and (data.count(b"\n") != data.count(b"\r\n")
                     or data.count(b"\r") != data.count(b"\n")):
        return conn.data(data)
    code, resp = conn.docmd("data")
    if code != 354:
        raise smtplib.SMTPDataError(code, resp)
    stuffed = data
    if b"\n." in data or data.startswith(b"."):
        stuffed = data.replace(b"\r\n.", b"\r\n..")
        if stuffed.startswith(b"."):
            stuffed = b"." + stuffed
    if not stuffed.endswith(b"\r\n"):
        stuffed += b"\r\n"
    conn.send(stuffed + b".\r\n")
    return conn.getreply()


def _no_delay(conn: smtplib.SMTP) -> None:
    """Turn Nagle's algorithm off: each command and message is written whole, and over TLS
    the last short record of a message otherwise waits for the server's delayed ACK (measured:
    46 ms instead of 2.7 ms a 66 KB message to a local server)."""
    try:
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except (OSError, AttributeError):
        pass


def _reply(code: int, resp: bytes | str) -> str:
    text = resp.decode("utf-8", "replace") if isinstance(resp, bytes) else str(resp)
    return f"{code} {' '.join(text.split())}".strip()


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if str(exc) else text


_HOSTNAME: str | None = None


def _local_hostname() -> str:
    # smtplib's default, socket.getfqdn(), may wait on DNS; the plain host name does for EHLO
    global _HOSTNAME
    if _HOSTNAME is None:
        _HOSTNAME = socket.gethostname() or "localhost"
    return _HOSTNAME
