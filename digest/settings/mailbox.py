"""Where bounces and complaints arrive: the `[mailbox]` table, IMAP or a Maildir.

The IMAP password is never read from the file: it comes from $DIGEST_IMAP_PASSWORD.
"""

from __future__ import annotations

from digest.settings.checks import is_email
from digest.settings.schema import IMAP_PASSWORD_VARIABLE, SMTP_SECURITY, Mailbox
from digest.settings.values import Table


def parse_mailbox(table: Table) -> Mailbox:
    if "password" in table.data:
        # a password in a file ends up in backups and version control
        raise table.error(table.key("password"),
                          f"is not allowed in the file: set ${IMAP_PASSWORD_VARIABLE} instead")
    maildir = table.path("maildir")
    host = table.get("host", str)
    if (maildir is None) == (host is None):
        raise table.error(table.where, "needs either 'maildir' (a folder) or 'host' (an IMAP "
                                       "server), not both")
    if host is not None and (not host.strip() or any(c.isspace() for c in host)):
        raise table.error(table.key("host"), f"must be a host name, got '{host}'")
    security = table.choice("security", SMTP_SECURITY, "ssl")
    port = table.positive("port", 993 if security == "ssl" else 143)
    if port > 65535:
        raise table.error(table.key("port"), f"must be at most 65535, got {port}")
    username = table.get("username", str)
    if host is not None and not username:
        raise table.error(table.key("username"), "is needed to log in to the IMAP server")
    ca_file = table.path("ca_file")
    if ca_file is not None and not ca_file.is_file():
        raise table.error(table.key("ca_file"), f"is not a file: {ca_file}")
    return_path = table.get("return_path", str)
    if return_path is not None and (not is_email(return_path) or "+" in return_path):
        raise table.error(table.key("return_path"),
                          f"must be an e-mail address without '+', got '{return_path}'")
    mailbox = Mailbox(
        maildir=maildir, host=host, port=port, security=security, username=username,
        folder=table.get("folder", str, Mailbox.folder),
        timeout=table.positive_number("timeout", Mailbox.timeout),
        ca_file=ca_file,
        verify_certificate=table.get("verify_certificate", bool, True),
        soft_bounce_limit=table.positive("soft_bounce_limit", Mailbox.soft_bounce_limit),
        soft_bounce_days=table.positive("soft_bounce_days", Mailbox.soft_bounce_days),
        max_message_bytes=table.positive("max_message_bytes", Mailbox.max_message_bytes),
        return_path=return_path,
    )
    table.done()
    return mailbox
