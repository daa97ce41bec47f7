"""Delivery speed: 10,000 personalised messages built, then sent to a local aiosmtpd.

    python bench/send.py [--recipients 10000] [--articles 20] [--security none|starttls]

Prints figures only. The issue is the bundled samples (first N articles); the recipients are a
generated CSV with name and city columns. "built" times the per-recipient work of `digest send`
(fill the compiled issue, build the MIME message, serialise it); "sent" times `digest send`
end to end (ledger writes before and after each transaction, one reused connection) against
aiosmtpd in a child process on 127.0.0.1 (it shares the machine's cores with the sender, and
answers at once: a real server's round trips add to this).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


SERVER = """
import sys, ssl
from aiosmtpd.controller import Controller

class Counting:
    messages = 0
    async def handle_DATA(self, server, session, envelope):
        Counting.messages += len(envelope.rcpt_tos)
        return "250 2.0.0 Ok: queued"

port, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3]
tls = {}
if cert:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    tls = {"tls_context": context, "require_starttls": True}
controller = Controller(Counting(), hostname="127.0.0.1", port=port, **tls)
controller.start()
print("ready", flush=True)
sys.stdin.read()  # until the benchmark closes our stdin
controller.stop()
print(Counting.messages, flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--security", choices=("none", "starttls"), default="none")
    args = parser.parse_args()

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="digest-bench-send-") as folder:
        bench(args, Path(folder))


def bench(args: argparse.Namespace, work: Path) -> None:
    import subprocess

    from digest.delivery import ledger
    from digest.delivery.recipients import load_recipients
    from digest.delivery.sending import send
    from digest.pipeline import run
    from digest.settings import load_settings
    from digest.state import State

    with open(work / "people.csv", "w", encoding="utf-8") as handle:
        handle.write("email,name,city\n")
        for i in range(args.recipients):
            handle.write(f"reader{i:05d}@example.org,Reader {i},City {i % 97}\n")

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
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    samples = ROOT / "samples"
    (work / "digest.toml").write_text(f"""
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
unsubscribe_url = "https://example.org/unsubscribe?email={{email}}"
[smtp]
host = "127.0.0.1"
port = {port}
security = "{args.security}"
{tls_lines}""", encoding="utf-8")
    settings = load_settings(work / "digest.toml")
    start = time.perf_counter()
    run(settings, audiences=["daily"])
    render_s = time.perf_counter() - start
    # the pipeline picks today's date when none is given; find what it stored
    with State(settings.state) as state:
        date = dt.date.fromisoformat(state.db.execute(
            "SELECT issue_date FROM sendable_issues").fetchone()[0])
        issue = ledger.load_issue(state, date, "daily")
    audience = settings.audiences["daily"]
    people = load_recipients(audience)

    from digest.delivery.personalize import message_for, values_for

    start = time.perf_counter()
    for person in people:
        issue.filled(values_for(audience, person))
    fill_s = time.perf_counter() - start

    start = time.perf_counter()
    size = 0
    for person in people:
        size += len(message_for(issue, audience, person).as_bytes())
    build_s = time.perf_counter() - start

    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port), *cert_args],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline().strip() == "ready"
        start = time.perf_counter()
        reports = send(settings, date=date)
        send_s = time.perf_counter() - start
    finally:
        received, _ = server.communicate("", timeout=60)
    assert int(received) == len(people), (received, len(people))
    assert reports[0].counts["sent"] == len(people)

    n = len(people)
    print(f"issue: {args.articles} articles, rendered and MJML-compiled once in {render_s:.2f} s "
          f"(including gathering and summarising)")
    print(f"built: {n} personalised messages in {build_s:.2f} s = {n / build_s:,.0f} messages/s "
          f"(mean {size / n / 1024:.1f} KiB)")
    print(f"       of which filling the recipient's fields: {fill_s / n * 1e6:.0f} us a message; "
          f"the rest is the stdlib email package's MIME building and serialising")
    print(f"sent:  {n} messages to aiosmtpd on 127.0.0.1 ({args.security}) in {send_s:.2f} s = "
          f"{n / send_s:,.0f} messages/s (build + SMTP + ledger)")
    load = os.getloadavg()[0]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {load:.1f}")


if __name__ == "__main__":
    main()
