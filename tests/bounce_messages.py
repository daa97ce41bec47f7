"""Real-shaped reports for the bounce mailbox: a Postfix DSN (RFC 3464), an ARF complaint
(RFC 5965), a delay notice, an out-of-office reply, a mailed unsubscribe; and a Maildir."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

_count = itertools.count()


def headers_of(raw: bytes) -> str:
    """The header block of a message as received."""
    text = raw.decode("utf-8", "replace").replace("\r\n", "\n")
    return text.split("\n\n", 1)[0] + "\n"


def dsn(original: bytes, recipient: str, action: str = "failed", status: str = "5.1.1",
        diagnostic: str = "550 5.1.1 <{r}>: Recipient address rejected: User unknown",
        final_recipient: str | None = None, to: str = "digest@example.org",
        returned: bool = True) -> bytes:
    """What Postfix sends back: a human part, the delivery status, the returned headers
    (`returned=False`: none, as some servers do)."""
    final = final_recipient or recipient
    n = next(_count)
    headers_part = f"""--B{n}.mx.example.net/1
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

{headers_of(original)}
""" if returned else ""
    return f"""Return-Path: <>
Received: by mx.example.net (Postfix) id 4Xy{n}; Wed,  1 May 2024 10:00:0{n % 10} +0000 (UTC)
Date: Wed,  1 May 2024 10:00:00 +0000 (UTC)
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
Subject: {"Undelivered Mail Returned to Sender" if action == "failed" else
          "Delayed Mail (still being retried)"}
To: {to}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="B{n}.mx.example.net/1"
Message-Id: <dsn{n}.{time.time_ns()}@mx.example.net>

This is a MIME-encapsulated message.

--B{n}.mx.example.net/1
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

--B{n}.mx.example.net/1
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 4Xy{n}
Arrival-Date: Wed,  1 May 2024 09:59:58 +0000 (UTC)

Final-Recipient: rfc822; {final}
Original-Recipient: rfc822;{final}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; {diagnostic.format(r=final)}

{headers_part}--B{n}.mx.example.net/1--
""".replace("\n", "\r\n").encode()


def arf(original: bytes, feedback_type: str = "abuse") -> bytes:
    """A feedback loop's complaint: the report and the whole original message."""
    n = next(_count)
    body = original.decode("utf-8", "replace").replace("\r\n", "\n")
    return f"""Return-Path: <fbl@fbl.example.net>
From: Feedback Loop <fbl@fbl.example.net>
To: digest@example.org
Subject: Email Feedback Report for IP 192.0.2.10
Date: Thu, 2 May 2024 08:00:00 +0000
Message-ID: <arf{n}.{time.time_ns()}@fbl.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="ARF{n}"

--ARF{n}
Content-Type: text/plain; charset="US-ASCII"

This is an email abuse report for an email message received from IP 192.0.2.10.

--ARF{n}
Content-Type: message/feedback-report

Feedback-Type: {feedback_type}
User-Agent: ExampleFBL/1.0
Version: 1
Original-Mail-From: <digest@example.org>
Arrival-Date: Wed, 1 May 2024 09:00:00 +0000
Source-IP: 192.0.2.10
Reported-Domain: example.org

--ARF{n}
Content-Type: message/rfc822
Content-Disposition: inline

{body}
--ARF{n}--
""".replace("\n", "\r\n").encode()


def plain(sender: str, subject: str, text: str, extra: str = "") -> bytes:
    n = next(_count)
    return (f"From: {sender}\r\nTo: digest@example.org\r\nSubject: {subject}\r\n"
            f"Date: Thu, 2 May 2024 08:00:00 +0000\r\n"
            f"Message-ID: <p{n}.{time.time_ns()}@mail.example.com>\r\n{extra}"
            f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
            ).encode()


def out_of_office(sender: str) -> bytes:
    return plain(sender, "Out of office: News for 2024-05-01",
                 "I am away until Monday and will read your message when I return.",
                 extra="Auto-Submitted: auto-replied\r\n")


def make_maildir(path: Path) -> Path:
    for sub in ("new", "cur", "tmp"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    return path


def deliver(maildir: Path, raw: bytes) -> Path:
    """Drop a message in new/ the Maildir way: written in tmp/, then renamed."""
    name = f"{time.time_ns()}.{next(_count)}.test"
    tmp = maildir / "tmp" / name
    tmp.write_bytes(raw)
    target = maildir / "new" / name
    tmp.rename(target)
    return target


def qmail_bounce(original: bytes, recipient: str) -> bytes:
    """qmail's own (non-standard) bounce: plain text, the message copied below a line."""
    n = next(_count)
    copy = original.decode("utf-8", "replace").replace("\r\n", "\n")
    return f"""Return-Path: <>
From: MAILER-DAEMON@mail.example.com
To: digest@example.org
Subject: failure notice
Date: Thu, 2 May 2024 08:00:00 +0000
Message-ID: <qmail{n}.{time.time_ns()}@mail.example.com>

Hi. This is the qmail-send program at mail.example.com.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<{recipient}>:
192.0.2.25 does not like recipient.
Remote host said: 550 5.1.1 No such user
Giving up on 192.0.2.25.

--- Below this line is a copy of the message.

{copy}""".replace("\n", "\r\n").encode()
