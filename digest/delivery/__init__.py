"""Delivery: each rendered issue to each recipient, exactly once, over SMTP.

Takes the issues stored by `digest run` and the audiences' recipient lists and gives sent
messages and a ledger of deliveries in the state. `recipients` reads the lists, `personalize`
fills each recipient's fields, `mailer` speaks SMTP, `ledger` records every attempt so a
restarted send never mails anyone twice, `sending` runs it all, `status` reports it.
"""

from digest.delivery.sending import Report, running_send, send
from digest.delivery.status import rates, status

__all__ = ["Report", "rates", "running_send", "send", "status"]
