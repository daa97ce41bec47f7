"""The confirmation mail of a double opt-in sign-up: plain text, one signed link, over [smtp].

Its link opens a page whose button confirms (a link scanner that fetches it confirms
nothing). It goes out as `digest send` sends: through `[[smtp.relays]]` when they are listed
(in their order, the next one when a relay cannot be reached, refuses us or answers 4xx;
each relay's rate and daily cap are the ones the sends share), each password from its
variable ($DIGEST_SMTP_PASSWORD, $DIGEST_SMTP_PASSWORD_<NAME>).
"""

from __future__ import annotations

import smtplib
import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from digest.delivery.mailer import PERMANENT, SENT, Mailer
from digest.delivery.rate import limiter_for
from digest.delivery.relays import check_passwords, relays_of
from digest.errors import ConfigError, DigestError
from digest.rendering.message import sender_domain
from digest.service.strings import words
from digest.settings import Audience, Settings

MAX_WAIT = 5.0  # seconds a sign-up's page may wait for a relay's rate limit; else the next


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
    try:
        passwords = check_passwords(settings.smtp)
    except ConfigError as exc:
        raise SignupMailError(str(exc)) from None
    data = confirmation_message(audience, email, url).as_bytes()
    sender = parseaddr(audience.sender)[1]
    problems = []
    for relay in relays_of(settings.smtp):
        where = f"{relay.host}:{relay.port}"
        limiter = limiter_for(relay)
        if limiter is not None:
            wait = limiter.take()
            if wait is None or wait > MAX_WAIT:
                problems.append(f"{where}: " + ("its daily cap is reached" if wait is None
                                                else "its rate limit is reached"))
                continue
            time.sleep(wait)
        mailer = Mailer(relay, passwords.get(relay.name))
        try:
            mailer.connect()
            outcome = mailer.send(sender, email, data)
        except (smtplib.SMTPException, OSError, DigestError) as exc:
            problems.append(f"{where}: {mailer.scrub(str(exc) or type(exc).__name__)}")
            continue
        finally:
            mailer.close()
        if outcome.kind == SENT:
            return
        if outcome.kind == PERMANENT and not outcome.sender_refused:
            # the address itself is refused: another relay would not take it either
            raise SignupMailError(f"the confirmation mail was refused: {outcome.reply}")
        problems.append(f"{where}: {outcome.reply}")
    raise SignupMailError("cannot send the confirmation to the sign-up: " + "; ".join(problems))
