"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1 with STARTTLS and AUTH, and faults.

The certificate is made by trustme for a test CA that only these tests trust; the client
verifies it as it would any other (the CA file goes into the config as `ca_file`).
"""

from __future__ import annotations

import asyncio
import email
import socket
import threading
import time
from collections import Counter, defaultdict
from email import policy
from pathlib import Path

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

USER = "digest"
PASSWORD = "s3cret-Pa55word-never-logged"


class FaultyHandler:
    """Stores every accepted message per recipient; injects faults on demand.

    - drop_after: abort a connection when it tries a message after this many accepted
    - refuse: addresses refused at RCPT with 550
    - temporary: address -> list of replies to give at RCPT before accepting (e.g. 451, 421)
    - delay: seconds to wait before accepting DATA (to kill a client mid-list)
    - latency: seconds to wait before each MAIL, RCPT and DATA reply (a relay far away)
    - temporary_every: a 451 at RCPT for every n-th transaction the server sees
    - max_connections: connections refused (421 at the greeting) beyond this many at once
    """

    def __init__(self):
        self.mailbox: dict[str, list[bytes]] = defaultdict(list)
        self.drop_after: int | None = None
        self.refuse: set[str] = set()
        self.temporary: dict[str, list[str]] = {}
        self.delay = 0.0
        self.latency = 0.0
        self.refuse_sender = False  # 553 to every MAIL FROM
        self.temporary_every: int | None = None
        self.transactions = 0
        self.max_connections: int | None = None
        self.connections = 0
        self.open_connections = 0
        self.most_at_once = 0
        self.arrivals: list[float] = []  # when each message was accepted (time.monotonic)
        self.drops = 0
        self.auth_logins: list[str] = []
        self._accepted: Counter = Counter()
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.latency:
            await asyncio.sleep(self.latency)
        if self.refuse_sender:
            return "553 5.7.1 Sender address rejected: not owned by you"
        if self.drop_after is not None and self._accepted[id(session)] >= self.drop_after:
            self.drops += 1
            server.transport.abort()  # no reply at all: as a crashed or cut connection
            return "421 4.3.0 gone"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.latency:
            await asyncio.sleep(self.latency)
        with self.lock:
            self.transactions += 1
            number = self.transactions
        if address in self.refuse:
            # an unknown mailbox is refused whatever the load: before the 451 of every n-th
            # (with N connections which transaction is n-th depends on the timing)
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if self.temporary_every and number % self.temporary_every == 0:
            return "451 4.3.0 Try again later (every %dth)" % self.temporary_every
        queue = self.temporary.get(address)
        if queue:
            reply = queue.pop(0)
            if reply.startswith("421"):
                # 421: the server closes the connection after saying so
                asyncio.get_running_loop().call_later(0.05, server.transport.close)
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay or self.latency:
            await asyncio.sleep(self.delay + self.latency)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.mailbox[rcpt.lower()].append(envelope.original_content)
            self.arrivals.append(time.monotonic())
        self._accepted[id(session)] += 1
        return "250 2.0.0 Ok: queued"

    def messages(self, address: str) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(raw, policy=policy.default)
                for raw in self.mailbox.get(address.lower(), [])]

    def copies(self) -> Counter:
        with self.lock:
            return Counter({k: len(v) for k, v in self.mailbox.items()})


class CountingSMTP(SMTP):
    """Counts connections open at once; beyond `max_connections` greets with 421 and closes."""

    def connection_made(self, transport):
        first = self._original_transport is None and self.transport is None
        super().connection_made(transport)
        if not first:
            return  # STARTTLS calls this again for the same connection
        handler = self.event_handler
        with handler.lock:
            handler.open_connections += 1
            handler.most_at_once = max(handler.most_at_once, handler.open_connections)
            over = (handler.max_connections is not None
                    and handler.open_connections > handler.max_connections)
        self._counted = True
        if over:
            transport.write(b"421 4.7.0 Too many connections from you\r\n")
            transport.close()

    def connection_lost(self, error):
        if getattr(self, "_counted", False):
            self._counted = False
            with self.event_handler.lock:
                self.event_handler.open_connections -= 1
        super().connection_lost(error)


class CountingController(Controller):
    def factory(self):
        return CountingSMTP(self.handler, **self.SMTP_kwargs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpTestServer:
    """aiosmtpd in a thread: STARTTLS required before AUTH, AUTH required before MAIL.

    mode "ssl": TLS from the first byte instead; "plain": no TLS offered at all.
    """

    def __init__(self, folder: Path, mode: str = "starttls"):
        self.mode = mode
        self.ca = trustme.CA()
        cert = self.ca.issue_cert("127.0.0.1", "localhost")
        self.ca_file = folder / "test-ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_file))
        import ssl

        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)
        self.handler = FaultyHandler()
        self.port = free_port()
        if mode == "starttls":
            tls = {"tls_context": context, "require_starttls": True, "auth_require_tls": True}
        elif mode == "ssl":
            tls = {"ssl_context": context, "auth_require_tls": False}
        else:
            tls = {"auth_require_tls": False}
        self.controller = CountingController(
            self.handler, hostname="127.0.0.1", port=self.port,
            authenticator=self._authenticate, auth_required=True, **tls,
        )

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode()
              and auth_data.password == PASSWORD.encode())
        if ok:
            self.handler.auth_logins.append(auth_data.login.decode())
        # handled=False: aiosmtpd then sends the 535 reply itself
        return AuthResult(success=ok, handled=False)

    def start(self) -> SmtpTestServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def smtp_config(self, **extra) -> str:
        values = {
            "host": '"127.0.0.1"',
            "port": self.port,
            "security": f'"{"none" if self.mode == "plain" else self.mode}"',
            "username": f'"{USER}"',
            "ca_file": f'"{self.ca_file}"',
            "retry_delay": 0.01,
            "timeout": 10,
        }
        values.update(extra)
        return "[smtp]\n" + "".join(f"{key} = {value}\n" for key, value in values.items())
