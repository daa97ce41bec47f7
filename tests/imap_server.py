"""A real IMAP server for the tests: Debian's dovecot, configured and started on 127.0.0.1
(IMAPS with a trustme certificate), one passwd-file user, a throw-away mail folder; stopped
by the test that started it."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import trustme
from smtp_server import free_port

USER = "bounces"
PASSWORD = "imap-Pa55-never-logged"
DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists()
                                      else None)


def need_dovecot() -> str:
    if DOVECOT is None:
        if os.environ.get("CI"):
            pytest.fail("dovecot is needed for the IMAP tests (.ci/run installs dovecot-imapd)")
        pytest.skip("dovecot (Debian's dovecot-imapd) is not installed")
    return DOVECOT


class ImapTestServer:
    def __init__(self):
        binary = need_dovecot()
        # under /tmp and world-traversable: dovecot's unprivileged processes read it
        self.dir = Path(tempfile.mkdtemp(prefix="digest-dovecot-"))
        self.dir.chmod(0o755)
        self.port = free_port()
        self.ca = trustme.CA()
        cert = self.ca.issue_cert("127.0.0.1", "localhost")
        self.ca_file = self.dir / "ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_file))
        cert.private_key_pem.write_to_path(str(self.dir / "key.pem"))
        cert.cert_chain_pems[0].write_to_path(str(self.dir / "cert.pem"))
        if os.getuid() == 0:
            # dovecot never gives mail to uid 0: the mail user is nobody
            mail_uid, mail_gid = 65534, 65534
            users = ""
        else:
            me = pwd.getpwuid(os.getuid()).pw_name
            mail_uid, mail_gid = os.getuid(), os.getgid()
            users = f"default_internal_user = {me}\ndefault_login_user = {me}\n"
        home = self.dir / "home"
        home.mkdir()
        os.chown(home, mail_uid, mail_gid)
        (self.dir / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
        self.config = self.dir / "dovecot.conf"
        self.config.write_text(f"""
base_dir = {self.dir}/run
state_dir = {self.dir}/state
log_path = {self.dir}/dovecot.log
{users}protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{self.dir}/cert.pem
ssl_key = <{self.dir}/key.pem
auth_mechanisms = plain
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {self.dir}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={home}/%u
}}
mail_location = maildir:~/Maildir
first_valid_uid = {min(mail_uid, 1000)}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.port}
  }}
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
""")
        self.binary = binary
        self.process: subprocess.Popen | None = None

    def start(self) -> ImapTestServer:
        self.process = subprocess.Popen([self.binary, "-F", "-c", str(self.config)],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot stopped: {self.process.stdout.read().decode()}"
                                   f"{self.log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"dovecot did not listen on {self.port}: {self.log()}")

    def log(self) -> str:
        path = self.dir / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def client(self):
        import imaplib
        import ssl

        context = ssl.create_default_context(cafile=str(self.ca_file))
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=context, timeout=10)
        conn.login(USER, PASSWORD)
        return conn

    def mailbox_config(self, **extra) -> str:
        values = {"host": '"127.0.0.1"', "port": self.port, "security": '"ssl"',
                  "username": f'"{USER}"', "ca_file": f'"{self.ca_file}"', "timeout": 10}
        values.update(extra)
        return "[mailbox]\n" + "".join(f"{k} = {v}\n" for k, v in values.items())
