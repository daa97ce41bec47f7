"""The confirmation mail of a double opt-in sign-up: plain text, one signed link, over [smtp].

Its link opens a page whose button confirms (a link scanner that fetches it confirms
nothing). The SMTP password comes from $DIGEST_SMTP_PASSWORD, as for `digest send`.
"""

from __future__ import annotations

import os
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from digest.delivery.mailer import SENT, Mailer
from digest.errors import DigestError
from digest.rendering.message import sender_domain
from digest.service.strings import words
from digest.settings import PASSWORD_VARIABLE, Audience, Settings


class SignupMailError(DigestError):
    """The confirmation mail could not be sent."""


def confirmation_message(audience: Audience, email: str, url: str) -> EmailMessage:
    t = {k: v.replace("{brand}", audience.branding.name) for k, v in
         words(audience.locale).items()}
    msg = EmailMessage()
    msg["Subject"] = t["mail_subject"]
    msg["From"] = audience.sender
    msg["To"] = email
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(domain=sender_domain(audience.sender))
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(t["mail_text"].replace("{url}", url))
    return msg


def send_confirmation(settings: Settings, audience: Audience, email: str, url: str) -> None:
    if settings.smtp is None:
        raise SignupMailError("no [smtp] table: sign-ups need it to send their confirmation")
    password = os.environ.get(PASSWORD_VARIABLE) if settings.smtp.username else None
    mailer = Mailer(settings.smtp, password)
    try:
        mailer.connect()
        message = confirmation_message(audience, email, url)
        outcome = mailer.send(parseaddr(audience.sender)[1], email, message.as_bytes())
    except (smtplib.SMTPException, OSError) as exc:
        raise SignupMailError(f"cannot send the confirmation to the sign-up: {exc}") from None
    finally:
        mailer.close()
    if outcome.kind != SENT:
        raise SignupMailError(f"the confirmation mail was refused: {outcome.reply}")
