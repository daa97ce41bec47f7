"""A throw-away Postfix for bench/send.py: Debian's binaries, our own configuration and queue.

The instance listens on 127.0.0.1:<port> only, accepts mail for any address from 127.0.0.1,
and hands every message to Postfix's `discard` transport (so nothing leaves the machine); it
still does what a relay does per message (smtpd, cleanup writing the queue file, qmgr). Its
config directory and log live in a temporary folder, its queue there too or, with
`queue="memory"`, in /dev/shm (no disk under the queue files: what is left is Postfix's own
work and the sender's). `stop()` stops it, counts the messages its log says were discarded,
and sums the CPU time of its processes. Needs root (Postfix's master) and the `postfix` user.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

POSTFIX = "/usr/sbin/postfix"
DAEMONS = "/usr/lib/postfix/sbin"

MAIN_CF = """\
compatibility_level = 3.6
config_directory = {etc}
queue_directory = {queue}
data_directory = {data}
daemon_directory = {daemons}
command_directory = /usr/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = bench.localhost
mydomain = localhost
myorigin = $myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
smtpd_recipient_restrictions = permit_mynetworks, reject
default_transport = discard:bench
relay_transport = discard:bench
local_transport = discard:bench
virtual_transport = discard:bench
maillog_file = {log}
maillog_file_prefixes = {folder}
smtpd_client_connection_count_limit = 0
smtpd_client_connection_rate_limit = 0
smtpd_client_message_rate_limit = 0
in_flow_delay = 0
default_process_limit = 200
message_size_limit = 10240000
# a relay's own work per message, not a fresh process per hundred messages, no look-ups
# that mean nothing here (no maps, no milters, no header checks)
max_use = 100000
receive_override_options = no_address_mappings, no_header_body_checks, no_milters, no_unknown_recipient_checks
smtpd_reject_unlisted_recipient = no
local_recipient_maps =
alias_maps =
alias_database =
biff = no
"""

MASTER_CF = """\
127.0.0.1:{port} inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""


def available() -> bool:
    return Path(POSTFIX).exists() and Path(DAEMONS, "master").exists() and os.geteuid() == 0


class Postfix:
    def __init__(self, folder: Path, port: int, queue: str = "disk"):
        self.folder = folder
        self.port = port
        self.queue = folder / "queue"
        self._shm = None
        if queue == "memory":
            import tempfile

            self._shm = tempfile.TemporaryDirectory(prefix="digest-bench-postfix-",
                                                    dir="/dev/shm")
            self.queue = Path(self._shm.name) / "queue"
        self.where = "the queue in memory (/dev/shm)" if self._shm else "the queue on disk"
        self.etc = folder / "etc"
        self.log = folder / "maillog"
        self.counted = 0
        out = subprocess.run(["/usr/sbin/postconf", "-d", "-h", "mail_version"],
                             capture_output=True, text=True)
        self.version = out.stdout.strip() or "(unknown version)"

    def _write(self) -> None:
        for sub in ("etc", "data"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        self.queue.mkdir(parents=True, exist_ok=True)
        # the postfix user must reach its data directory (temporary folders are 0700)
        for folder in (self.folder.parent, self.folder, self.queue.parent):
            folder.chmod(0o755)
        shutil.chown(self.folder / "data", "postfix", "postfix")
        (self.etc / "main.cf").write_text(MAIN_CF.format(
            etc=self.etc, queue=self.queue, data=self.folder / "data",
            daemons=DAEMONS, log=self.log, folder=self.folder))
        (self.etc / "master.cf").write_text(MASTER_CF.format(port=self.port))

    def _postfix(self, *args: str) -> None:
        result = subprocess.run([POSTFIX, "-c", str(self.etc), *args], capture_output=True,
                                text=True)
        if result.returncode != 0:
            raise RuntimeError(f"postfix {' '.join(args)}: {result.stderr.strip()}")

    def start(self) -> None:
        self._write()
        self._postfix("check")
        self._postfix("start")
        import socket

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    if sock.recv(100).startswith(b"220"):
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"postfix did not answer on 127.0.0.1:{self.port}")

    def discarded(self) -> int:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return 0
        return len(re.findall(r" relay=none, .*status=sent \(bench\)", text))

    def cpu(self) -> float:
        """CPU seconds (user + system) of the master and its processes so far (those still
        running: the bench stops Postfix while its smtpd, cleanup, qmgr and discard live)."""
        try:
            master = int((self.queue / "pid" / "master.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return 0.0
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid, ppid = int(stat.parent.name), int(fields[1])
            if pid == master or ppid == master:
                total += int(fields[11]) + int(fields[12])  # utime, stime
            if pid == master:  # and the children it has reaped (a daemon past max_use)
                total += int(fields[13]) + int(fields[14])
        return total / ticks

    def stop(self, expect: int | None = None, wait: float = 120.0) -> tuple[int, float]:
        """(messages discarded since start, CPU seconds of Postfix's processes)."""
        deadline = time.monotonic() + wait
        before = self.counted
        while expect is not None and self.discarded() - before < expect and \
                time.monotonic() < deadline:
            time.sleep(0.2)
        cpu = self.cpu()
        self._postfix("stop")
        total = self.discarded()
        self.counted = total
        return total - before, cpu

    def close(self) -> None:
        if self._shm is not None:
            self._shm.cleanup()
