"""DKIM signing cost against building the message, and the send rate with and without it.

    python bench/dkim_signing.py [--recipients 200] [--articles 20] [--rounds 3]

Prints figures only. The project, issue and server are bench/send.py's (the bundled samples,
first N articles, rendered once; a CSV of N recipients); each
round builds every recipient's message (`Composer.message`, what `digest send`
does) and signs those bytes with `Signer.sign` (dkimpy, RSA 2048 through OpenSSL), then with
dkimpy's own pure-Python RSA, for comparison; then runs `send` (forced: everyone again) to
aiosmtpd in a child process on 127.0.0.1 unsigned and signed. Rounds interleave them so that
the shared machine's noise hits them alike; the figures are the range over rounds.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import send as send_bench  # noqa: E402  (the same project, issue and server as bench/send.py)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=200)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--server", choices=("aiosmtpd", "sink"), default="aiosmtpd",
                        help="sink: aiosmtpd reading DATA whole (bench/send.py), less of its "
                             "CPU on the sender's cores")
    args = parser.parse_args()
    logging.getLogger("digest").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        bench(args, Path(folder))


def bench(args: argparse.Namespace, work: Path) -> None:
    from digest.delivery import dkim as signing
    from digest.delivery import dkim_fast
    from digest.delivery.compose import Composer
    from digest.delivery.recipients import load_recipients
    from digest.settings import load_settings

    # bench/send.py's project (the samples, a CSV of N recipients, [smtp] on a free port)
    project = argparse.Namespace(recipients=args.recipients, articles=args.articles,
                                 connections=8, security="none", single=0)
    settings = load_settings(send_bench.project(project, work, send_bench.free_port(), ""))
    date, issue = send_bench.rendered(settings, ["daily"])
    audience = settings.audiences["daily"]
    people = load_recipients(audience)
    pem, der = signing.new_key_pair()
    signer = signing.Signer("example.org", "bench", pem)
    modulus = next(n for n, key in dkim_fast._OPENSSL_KEYS.items()
                   if key.private_numbers().d == _private_d(pem))
    n = len(people)
    build, sign, pure, size = [], [], [], 0
    for _ in range(args.rounds):
        start = time.perf_counter()
        composer = Composer(issue, audience)
        messages = [composer.message(p) for p in people]
        build.append((time.perf_counter() - start) / n)
        size = sum(len(m) for m in messages) / n
        start = time.perf_counter()
        signed = [signer.sign(m) for m in messages]
        sign.append((time.perf_counter() - start) / n)
        key = dkim_fast._OPENSSL_KEYS.pop(modulus)  # dkimpy's own RSA for this part
        try:
            start = time.perf_counter()
            for m in messages[: max(1, n // 4)]:
                signer.sign(m)
            pure.append((time.perf_counter() - start) / max(1, n // 4))
        finally:
            dkim_fast._OPENSSL_KEYS[modulus] = key
    records = {signer.record_name(): signing.txt_value(der)}
    assert all(signing.verify(m, records) for m in signed[:5])
    (unsigned_rate, signed_rate), (unsigned_cpu, signed_cpu) = send_rates(
        args, work, settings, date, pem)

    def span(values: list[float]) -> str:
        return f"{min(values) * 1e3:.1f}-{max(values) * 1e3:.1f} ms"

    ratios = [s / b for s, b in zip(sign, build)]
    print(f"issue: {args.articles} articles; {n} recipients; mean message {size / 1024:.1f} KiB; "
          f"{args.rounds} rounds")
    print(f"build a message (Composer.message):         {span(build)} a message")
    print(f"sign it (dkimpy, RSA 2048 via OpenSSL):     {span(sign)} a message")
    print(f"sign it (dkimpy's pure-Python RSA):         {span(pure)} a message")
    print(f"signing / building: {min(ratios):.2f}-{max(ratios):.2f} (1.00 would halve the "
          f"build-and-sign rate)")
    print(f"send to aiosmtpd (build + SMTP + ledger): unsigned {span_rate(unsigned_rate)}, "
          f"signed {span_rate(signed_rate)} messages/s")
    slow = [u / s for u, s in zip(unsigned_rate, signed_rate)]
    print(f"unsigned / signed send rate: {min(slow):.2f}-{max(slow):.2f} (2.00 would be halved)")
    print(f"the sender's CPU a message (what other processes' load does not stretch): unsigned "
          f"{span(unsigned_cpu)}, signed {span(signed_cpu)}")
    heavier = [s / u for u, s in zip(unsigned_cpu, signed_cpu)]
    print(f"signed / unsigned CPU a message: {min(heavier):.2f}-{max(heavier):.2f} "
          "(2.00 would halve a CPU-bound send)")
    load = os.getloadavg()[0]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {load:.1f}")


def span_rate(values: list[float]) -> str:
    return f"{min(values):,.0f}-{max(values):,.0f}"


def send_rates(args, work: Path, settings, date, pem: bytes) -> tuple[list[float], list[float]]:
    """Messages a second of `send` (forced), unsigned and signed, per round."""
    import dataclasses

    from digest.delivery.sending import send
    from digest.settings import Dkim

    key = work / "bench.pem"
    key.write_bytes(pem)
    key.chmod(0o600)
    plain = settings
    signed = dataclasses.replace(plain, dkim=Dkim("example.org", "bench", key))
    servers = send_bench.start_servers(argparse.Namespace(
        latency_ms=0, server_processes=1, server=args.server), settings.smtp.port, ["", ""])
    rates: tuple[list[float], list[float]] = ([], [])
    cpu: tuple[list[float], list[float]] = ([], [])
    try:
        for _ in range(args.rounds):
            for which, chosen in enumerate((plain, signed)):
                start, start_cpu = time.perf_counter(), time.process_time()
                reports = send(chosen, date=date, audiences=["daily"], force=True)
                sent = reports[0].sent_now
                rates[which].append(sent / (time.perf_counter() - start))
                cpu[which].append((time.process_time() - start_cpu) / sent)
    finally:
        send_bench.stop_servers(servers)
    return rates, cpu


def _private_d(pem: bytes) -> int:
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_private_key(pem, password=None).private_numbers().d


if __name__ == "__main__":
    main()
