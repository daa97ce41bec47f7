"""Delivery speed: personalised messages built, then sent by `digest send` to a local server.

    python bench/send.py [--recipients 5000] [--connections 32] [--latency-ms 30]
                         [--server aiosmtpd|sink|postfix] [--postfix-queue disk|memory]
                         [--server-processes 1] [--security none|starttls] [--runs 1]

Prints figures only. The issue is the bundled samples (first N articles, ~66 KiB a message);
the recipients are a generated CSV with name and city columns; each message has its own signed
unsubscribe link ({token}), as a real list has.
- "built": the per-recipient work of `digest send` (compose.Composer: the MIME parts encoded
  once, the recipient's fields spliced in), against the email package building and
  serialising the same message (personalize.message_for(...).as_bytes()) in the same run.
- "sent": `digest send` end to end (ledger claims and outcomes, N connections) against
  aiosmtpd in a child process on 127.0.0.1 that waits --latency-ms before each MAIL, RCPT and
  DATA reply (a relay far away); `--server sink` is the same aiosmtpd reading each message's
  DATA in pieces instead of line by line (the same bytes; see WholeData); or against a real
  Postfix (bench/postfix.py: its own configuration and queue on a spare port, discarding
  everything; skipped when absent).
The server shares the machine's two cores with the sender: each run prints the CPU seconds
of both, so that what is the sender's cost and what is the local server's can be told apart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SERVER = r"""
import asyncio, sys, ssl
from aiosmtpd.controller import Controller

latency = float(sys.argv[4])

class Counting:
    messages = 0
    digests = []  # with "record": a hash of each message as the server read it
    async def handle_MAIL(self, server, session, envelope, address, options):
        if latency:
            await asyncio.sleep(latency)
        envelope.mail_from = address
        return "250 OK"
    async def handle_RCPT(self, server, session, envelope, address, options):
        if latency:
            await asyncio.sleep(latency)
        envelope.rcpt_tos.append(address)
        return "250 OK"
    async def handle_DATA(self, server, session, envelope):
        if latency:
            await asyncio.sleep(latency)
        Counting.messages += len(envelope.rcpt_tos)
        if record:
            import hashlib
            Counting.digests.append(hashlib.sha256(envelope.content).hexdigest())
        return "250 2.0.0 Ok: queued"

from aiosmtpd.smtp import MISSING, SMTP

class WholeData(SMTP):
    # --server sink: DATA read in pieces of up to 256 KiB rather than line by line.
    # aiosmtpd's own reader costs 3-4 ms of CPU a 60 KiB message here, more than the sender
    # spends on it, and on the same two cores (a real relay reads mail on cores of its own).
    # It advertises no PIPELINING, so a client sends nothing after the final dot before the
    # reply: the message ends where a read ends with CRLF.CRLF (which cannot occur inside a
    # dot-stuffed message).

    async def smtp_DATA(self, arg):
        if not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        data = bytearray(b"\r\n")  # a CRLF before the first line: its dot is found too
        while not data.endswith(b"\r\n.\r\n"):
            chunk = await self._reader.read(262144)
            if not chunk:
                return
            data += chunk
        content = bytes(data[:-3]).replace(b"\r\n..", b"\r\n.")[2:]
        self.envelope.content = self.envelope.original_content = content
        status = await self._call_handler_hook("DATA")
        self._set_post_data_state()
        await self.push("250 OK" if status is MISSING else status)

port, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3]
whole = sys.argv[5] == "sink"
record = len(sys.argv) > 6 and sys.argv[6] == "record"
tls = {}
if cert:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    tls = {"tls_context": context, "require_starttls": True}
class Shared(Controller):
    # several server processes may listen on one port (--server-processes)
    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, host=self.hostname,
                                       port=self.port, ssl=self.ssl_context, reuse_port=True)

    def factory(self):
        return (WholeData if whole else SMTP)(self.handler, **self.SMTP_kwargs)

    def _trigger_server(self):
        # the start-up check connects to the port, which may land in another process
        self._factory_invoker()

controller = Shared(Counting(), hostname="127.0.0.1", port=port, **tls)
controller.start()
print("ready", flush=True)
sys.stdin.read()  # until the benchmark closes our stdin
controller.stop()
import resource
usage = resource.getrusage(resource.RUSAGE_SELF)
if record:
    print(" ".join(Counting.digests))
print(Counting.messages, usage.ru_utime + usage.ru_stime, flush=True)
"""

# what the sink must read as aiosmtpd does: dots to unstuff, a lone dot, empty lines, no body
EDGES = [b"", b".", b"..\r\n.\r\nx", b"Subject: x\r\n\r\n.hello\r\n..\r\nend.\r\n.",
         b"a.\r\n" * 60_000 + b".\r\n.x", b"\r\n\r\n.\r\n", b"x" * 900 + b"\r\n." * 300]


def check_sink(message: bytes) -> int:
    """Send the same messages to aiosmtpd and to the sink: both must read the same bytes."""
    import smtplib

    seen = []
    for kind in ("aiosmtpd", "sink"):
        port = free_port()
        server = subprocess.Popen([sys.executable, "-c", SERVER, str(port), "", "", "0", kind,
                                   "record"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True)
        assert server.stdout.readline().strip() == "ready"
        with smtplib.SMTP("127.0.0.1", port) as client:
            for data in [*EDGES, message]:
                client.sendmail("a@example.org", ["b@example.org"], data)
        seen.append(server.communicate("", timeout=60)[0].splitlines()[0])
    if seen[0] != seen[1]:
        raise SystemExit("the sink read the messages differently from aiosmtpd")
    return len(EDGES) + 1


def start_servers(args, port: int, cert_args: list[str]) -> list[subprocess.Popen]:
    servers = []
    for _ in range(getattr(args, "server_processes", 1)):
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(port), *cert_args, str(args.latency_ms / 1000),
             getattr(args, "server", "aiosmtpd")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert server.stdout.readline().strip() == "ready"
        servers.append(server)
    return servers


def stop_servers(servers: list[subprocess.Popen]) -> tuple[int, float]:
    """(messages received, CPU seconds) over all the server processes."""
    received, cpu = 0, 0.0
    for server in servers:
        out = server.communicate("", timeout=120)[0].splitlines()[-1].split()
        received, cpu = received + int(out[0]), cpu + float(out[1])
    return received, cpu


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=5_000)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--server", choices=("aiosmtpd", "sink", "postfix"), default="aiosmtpd",
                        help="sink: aiosmtpd reading DATA in pieces, not line by line")
    parser.add_argument("--security", choices=("none", "starttls"), default="none")
    parser.add_argument("--postfix-queue", choices=("disk", "memory"), default="disk",
                        help="where the Postfix of --server postfix keeps its queue")
    parser.add_argument("--runs", type=int, default=1, help="sends, for a range of figures")
    parser.add_argument("--server-processes", type=int, default=1,
                        help="aiosmtpd processes sharing the port (a relay has cores of its own)")
    parser.add_argument("--baseline", type=int, default=300,
                        help="messages built by the email package for the ratio")
    parser.add_argument("--single", type=int, default=0,
                        help="also send this many over one connection, for the ratio")
    args = parser.parse_args()

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="digest-bench-send-") as folder:
        bench(args, Path(folder))


def project(args: argparse.Namespace, work: Path, port: int, tls_lines: str) -> Path:
    with open(work / "people.csv", "w", encoding="utf-8") as handle:
        handle.write("email,name,city\n")
        for i in range(args.recipients):
            handle.write(f"reader{i:06d}@example.org,Reader {i},City {i % 97}\n")
    with open(work / "single.csv", "w", encoding="utf-8") as handle:
        handle.write("email,name,city\n")
        for i in range(getattr(args, "single", 0)):
            handle.write(f"single{i:06d}@example.org,Single {i},City {i % 97}\n")
    samples = ROOT / "samples"
    config = work / "digest.toml"
    config.write_text(f"""
window = "all"
outbox = "out"
state = "state.sqlite3"
[[sources]]
name = "Wikinews"
type = "folder"
path = "{samples / 'articles'}"
[audiences.daily]
from = "Daily Digest <digest@example.org>"
recipients = "people.csv"
max_articles = {args.articles}
unsubscribe_url = "https://example.org/unsubscribe/{{token}}"
[audiences.single]
from = "Daily Digest <digest@example.org>"
recipients = "single.csv"
max_articles = {args.articles}
unsubscribe_url = "https://example.org/unsubscribe/{{token}}"
[smtp]
host = "127.0.0.1"
port = {port}
security = "{args.security}"
connections = {args.connections}
retry_delay = 0.2
{tls_lines}""", encoding="utf-8")
    return config


def rendered(settings, audiences: list[str]):
    """`digest run` for these audiences: (the day, the first audience's issue as kept for
    `digest send`)."""
    from digest.delivery import ledger
    from digest.pipeline import run
    from digest.state import State

    run(settings, audiences=audiences)
    with State(settings.state) as state:
        date = dt.date.fromisoformat(state.db.execute(
            "SELECT issue_date FROM sendable_issues").fetchone()[0])
        return date, ledger.load_issue(state, date, audiences[0])


def bench(args: argparse.Namespace, work: Path) -> None:
    from digest.delivery.compose import Composer
    from digest.delivery.personalize import message_for
    from digest.delivery.recipients import load_recipients
    from digest.delivery.sending import send
    from digest.settings import load_settings

    tls_lines, cert_args = "", ["", ""]
    if args.security == "starttls":
        import trustme

        ca = trustme.CA()
        ca.cert_pem.write_to_path(str(work / "ca.pem"))
        cert = ca.issue_cert("127.0.0.1")
        cert.cert_chain_pems[0].write_to_path(str(work / "cert.pem"))
        cert.private_key_pem.write_to_path(str(work / "key.pem"))
        cert_args = [str(work / "cert.pem"), str(work / "key.pem")]
        tls_lines = f'ca_file = "{work / "ca.pem"}"\n'
    postfix = None
    if args.server == "postfix":
        import postfix as postfix_bench

        if not postfix_bench.available():
            print("postfix: not installed (Debian's postfix package); skipped")
            return
        if args.security != "none":
            print("postfix: this bench runs it without TLS; use --security none")
            return
        postfix = postfix_bench.Postfix(work / "postfix", free_port(), args.postfix_queue)
    port = postfix.port if postfix else free_port()
    config = project(args, work, port, tls_lines)
    settings = load_settings(config)
    start = time.perf_counter()
    date, issue = rendered(settings, ["daily", "single"] if args.single else ["daily"])
    render_s = time.perf_counter() - start
    audience = settings.audiences["daily"]
    people = load_recipients(audience)
    n = len(people)

    start = time.perf_counter()
    composer = Composer(issue, audience)
    size = 0
    for person in people:
        size += len(composer.message(person))
    build_s = time.perf_counter() - start
    sample = people[: args.baseline]
    start = time.perf_counter()
    for person in sample:
        message_for(issue, audience, person).as_bytes()
    baseline_s = time.perf_counter() - start

    print(f"issue: {args.articles} articles, rendered and MJML-compiled once in {render_s:.2f} s")
    print(f"built: {n} personalised messages in {build_s:.2f} s = {n / build_s:,.0f} messages/s "
          f"(mean {size / n / 1024:.1f} KiB; includes encoding the issue once)")
    print(f"       the email package, same messages: {len(sample) / baseline_s:,.0f} messages/s "
          f"-> {baseline_s / len(sample) / (build_s / n):,.0f}x faster")
    if args.server == "sink":
        checked = check_sink(composer.message(people[0]))
        print(f"sink:  {checked} messages (edge cases and one of ours) read byte for byte as "
              "aiosmtpd's own reader reads them")
    where = (f"Postfix {postfix.version} on 127.0.0.1 (discarding, {postfix.where})" if postfix
             else f"aiosmtpd{' (DATA read whole)' if args.server == 'sink' else ''} on 127.0.0.1 "
                  f"({args.server_processes} process(es)), "
                  f"{args.latency_ms:g} ms before each MAIL, RCPT and DATA reply")
    rates = []
    for number in range(args.runs):
        if postfix:
            postfix.start()
        else:
            servers = start_servers(args, port, cert_args)
        server_cpu = None
        try:
            start, times = time.perf_counter(), os.times()
            reports = send(settings, date=date, audiences=["daily"], force=number > 0)
            send_s, after = time.perf_counter() - start, os.times()
            user, system = after.user - times.user, after.system - times.system
            cpu = user + system
        finally:
            if postfix:
                received, server_cpu = postfix.stop(expect=n)
            else:
                received, server_cpu = stop_servers(servers)
        assert reports[0].sent_now == n, (reports[0].counts, n)
        if received is not None:
            assert received == n, (received, n)
        rates.append(n / send_s)
        print(f"sent:  run {number + 1}: {n} messages in {send_s:.2f} s = {n / send_s:,.0f} "
              f"messages/s over {args.connections} connections ({args.security}); CPU: "
              f"sender {cpu:.1f} s ({system:.1f} s in the kernel), server " + (f"{server_cpu:.1f} s" if server_cpu else "n/a"))
    spread = f"{min(rates):,.0f}-{max(rates):,.0f}" if len(rates) > 1 else f"{rates[0]:,.0f}"
    print(f"       to {where}: {spread} messages/s (build + SMTP + ledger)")
    if args.single:
        single_rate = send_single(args, settings, date, postfix, port, cert_args)
        print(f"       one connection, same run: {single_rate:,.1f} messages/s -> "
              f"{args.connections} connections are {min(rates) / single_rate:.1f}-"
              f"{max(rates) / single_rate:.1f}x faster")
    if postfix:
        postfix.close()
    load = os.getloadavg()[0]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {load:.1f}")


def send_single(args, settings, date, postfix, port, cert_args) -> float:
    """The `single` audience over one connection: the baseline of the same run."""
    from dataclasses import replace

    from digest.delivery.sending import send

    one = replace(settings, smtp=replace(settings.smtp, connections=1))
    if postfix:
        postfix.start()
    else:
        servers = start_servers(args, port, cert_args)
    try:
        start = time.perf_counter()
        (report,) = send(one, date=date, audiences=["single"])
        seconds = time.perf_counter() - start
    finally:
        if postfix:
            postfix.stop(expect=args.single)
        else:
            stop_servers(servers)
    assert report.sent_now == args.single, report.counts
    return args.single / seconds


if __name__ == "__main__":
    main()
