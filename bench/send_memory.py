"""Peak memory of `digest send` against the size of the list: flat, not growing with it.

    python bench/send_memory.py [--sizes 1000,10000,100000] [--connections 8]

For each size: a fresh project (the bundled samples, a generated CSV of that many recipients),
`digest run`, then `digest send` in its own process against aiosmtpd (a child process on
127.0.0.1, answering at once, counting what it gets); prints that process's peak resident
memory (ru_maxrss from wait4) and its rate. The recipients are streamed from the CSV and the
ledger, so the peak should stay within a few MB whatever the size. Figures only.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import send as send_bench  # noqa: E402  (the same project and server as bench/send.py)


def measure(size: int, connections: int, work: Path) -> tuple[float, float]:
    args = argparse.Namespace(recipients=size, articles=20, connections=connections,
                              security="none", latency_ms=0.0, server_processes=1)
    port = send_bench.free_port()
    config = send_bench.project(args, work, port, "")
    subprocess.run([sys.executable, "-m", "digest", "run", "--config", str(config),
                    "--audience", "daily"], check=True, cwd=work, capture_output=True)
    servers = send_bench.start_servers(args, port, ["", ""])
    try:
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "digest", "send", "--audience", "daily",
                                  "--config", str(config)], cwd=work,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        if status != 0:
            raise SystemExit(f"digest send failed: {child.stderr.read().decode()[-500:]}")
    finally:
        received = send_bench.stop_servers(servers)[0]
    assert received == size, (received, size)
    return usage.ru_maxrss / 1024, size / seconds  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    peaks = {}
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="digest-bench-memory-") as folder:
            peak, rate = measure(size, args.connections, Path(folder))
        peaks[size] = peak
        print(f"{size:>7} recipients: peak RSS of `digest send` {peak:6.1f} MB, "
              f"{rate:,.0f} messages/s over {args.connections} connections", flush=True)
    if len(sizes) > 1:
        first, last = sizes[0], sizes[-1]
        print(f"peak at {last:,} minus peak at {first:,}: {peaks[last] - peaks[first]:+.1f} MB")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
