"""The SpamAssassin score of the message, local tests only, when `spamassassin` is installed.

`spamassassin -L` never asks the network (no DNS blocklists, no Razor/Pyzor); Bayes is off
and nothing is learned, so the score depends on the message alone. The rules of the
structural families (HTML, MIME, missing or malformed headers, URL shapes) are what a
template causes; the others (MILLION_USD on a story about money) are the news itself.
"""

from __future__ import annotations

import email
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from email import policy

from digest.check.result import Result, failed, passed, warning

# Rule-name families that come from how a message is built, not what its news says.
# HTML_MESSAGE (0.001, "HTML included in message") is every HTML mail: not a fault.
STRUCTURAL = re.compile(
    r"^(?:T_)?(?:HTML_|MIME_|MPART_ALT_DIFF|MISSING_|INVALID_|MSGID_|DATE_IN_|HEADER_|"
    r"MALFORMED_|TVD_|FROM_EXCESS|TO_NO_BRKTS|SUBJ_ILLEGAL|GB_CUSTOM_HTM_URI|URI_|"
    r"BAD_ENC_HEADER|CTYPE_|UNPARSEABLE|EMPTY_MESSAGE)")
NOT_FAULTS = frozenset({"HTML_MESSAGE"})
TIMEOUT = 120  # seconds; a first run compiles nothing but reads every rule file


class SpamAssassinMissing(Exception):
    """No `spamassassin` on PATH."""


@dataclass(frozen=True)
class Score:
    score: float
    rules: dict[str, float]  # every rule that fired, with its points

    @property
    def structural(self) -> dict[str, float]:
        return {name: points for name, points in self.rules.items()
                if STRUCTURAL.match(name) and name not in NOT_FAULTS}


def spamassassin_path() -> str | None:
    return shutil.which("spamassassin")


def score(data: bytes, binary: str | None = None) -> Score:
    """Run `spamassassin -L` on the message bytes; SpamAssassinMissing when it is absent."""
    binary = binary or spamassassin_path()
    if binary is None:
        raise SpamAssassinMissing("spamassassin is not installed")
    with tempfile.TemporaryDirectory(prefix="digest-sa-") as home:
        # its own HOME: no user_prefs or Bayes files written into the user's
        env = {**os.environ, "HOME": home}
        completed = subprocess.run(
            [binary, "-L", "-x", "--cf", "use_bayes 0", "--cf", "report_safe 0",
             "--cf", "add_header all Tests _TESTSSCORES(,)_",
             "--cf", "add_header all Score _SCORE_"],
            input=data, capture_output=True, timeout=TIMEOUT, env=env, check=False)
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"spamassassin exited {completed.returncode}: "
                           f"{completed.stderr.decode('utf-8', 'replace').strip()[:200]}")
    return parse(completed.stdout)


def parse(output: bytes) -> Score:
    """The X-Spam-Score and X-Spam-Tests headers that `score` asks for."""
    message = email.message_from_bytes(output, policy=policy.compat32)
    value = " ".join(str(message.get("X-Spam-Score", "")).split())
    tests = "".join(str(message.get("X-Spam-Tests", "")).split())
    if not value:
        raise RuntimeError("spamassassin gave no score")
    rules = {}
    for item in filter(None, tests.split(",")):
        name, _, points = item.partition("=")
        if name and name != "none":
            rules[name] = float(points or 0)
    return Score(float(value), rules)


def spam_score(data: bytes, threshold: float) -> Result:
    try:
        result = score(data)
    except SpamAssassinMissing:
        return warning("spamassassin", "skipped: spamassassin is not installed "
                       "(Debian: apt install spamassassin)")
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        return warning("spamassassin", f"skipped: {exc}")
    fired = ", ".join(f"{name} {points:g}" for name, points in
                      sorted(result.rules.items(), key=lambda r: -r[1])) or "none"
    data = {"score": result.score, "threshold": threshold, "rules": result.rules,
            "structural": sorted(result.structural)}
    if result.score >= threshold:
        return failed("spamassassin", f"score {result.score:g}, at or over the threshold "
                      f"{threshold:g}: {fired}", **data)
    if result.structural:
        return warning("spamassassin", f"score {result.score:g} (threshold {threshold:g}); "
                       f"rules the template causes: {', '.join(sorted(result.structural))}",
                       **data)
    return passed("spamassassin", f"score {result.score:g} (threshold {threshold:g}): {fired}",
                  **data)
