"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1 with STARTTLS and AUTH, and faults.

The certificate is made by trustme for a test CA that only these tests trust; the client
verifies it as it would any other (the CA file goes into the config as `ca_file`).
"""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from collections import Counter, defaultdict
from email import policy
from pathlib import Path

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "digest"
PASSWORD = "s3cret-Pa55word-never-logged"


class FaultyHandler:
    """Stores every accepted message per recipient; injects faults on demand.

    - drop_after: abort a connection when it tries a message after this many accepted
    - refuse: addresses refused at RCPT with 550
    - temporary: address -> list of replies to give at RCPT before accepting (e.g. 451, 421)
    - delay: seconds to wait before accepting DATA (to kill a client mid-list)
    """

    def __init__(self):
        self.mailbox: dict[str, list[bytes]] = defaultdict(list)
        self.drop_after: int | None = None
        self.refuse: set[str] = set()
        self.temporary: dict[str, list[str]] = {}
        self.delay = 0.0
        self.connections = 0
        self.drops = 0
        self.auth_logins: list[str] = []
        self._accepted: Counter = Counter()
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.drop_after is not None and self._accepted[id(session)] >= self.drop_after:
            self.drops += 1
            server.transport.abort()  # no reply at all: as a crashed or cut connection
            return "421 4.3.0 gone"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
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
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.mailbox[rcpt.lower()].append(envelope.original_content)
        self._accepted[id(session)] += 1
        return "250 2.0.0 Ok: queued"

    def messages(self, address: str) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(raw, policy=policy.default)
                for raw in self.mailbox.get(address.lower(), [])]

    def copies(self) -> Counter:
        with self.lock:
            return Counter({k: len(v) for k, v in self.mailbox.items()})


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
        self.controller = Controller(
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
