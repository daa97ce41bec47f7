"""What `digest run` imports at start-up: nothing only some audiences or commands need."""

import subprocess
import sys


def test_the_pipeline_leaves_signing_and_feeds_until_needed():
    script = ("import sys, digest.pipeline\n"
              "print(sorted(m for m in ('dkim', 'dns.resolver', 'feedgen.feed') "
              "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                         text=True).stdout
    assert out.strip() == "[]"
