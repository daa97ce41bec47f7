"""`digest check`: the preflight of an issue before anyone gets it.

Builds an audience's issue as it would be sent to a sample recipient (signed when `[dkim]`
is set) and checks those bytes: `structure` (size under Gmail's clip, a text part,
Message-ID and Date, images and alt text, link schemes), `authentication` (List-Unsubscribe
and one-click, DKIM verified offline and aligned with From, the Gmail/Yahoo bulk-sender
rules), `links` (with `--links`: every link answers), `spam` (SpamAssassin, local tests
only). `preflight` runs them; `result` is one check's pass / warning / fail and why.
Sits above delivery: it builds messages the way `digest send` does.
"""

from digest.check.preflight import CheckFailed, check, check_issue, check_message, refuse_failing
from digest.check.result import FAIL, PASS, WARNING, AudienceCheck, Result

__all__ = ["FAIL", "PASS", "WARNING", "AudienceCheck", "CheckFailed", "Result", "check",
           "check_issue", "check_message", "refuse_failing"]
