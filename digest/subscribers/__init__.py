"""Subscribers' own choices: signed links, the suppression list, sign-ups, bounces read.

- `secret.py`: the key that signs every personal link, made once and kept in the state
  database (or taken from $DIGEST_SECRET); `tokens.py` the tokens themselves (an opaque
  reference to the address plus an HMAC, never the address); `links.py` the unsubscribe
  URL and mailto built from them, for `digest.delivery.personalize`.
- `suppression.py`: who must not be mailed any more, per audience or for all, and why.
- `signups.py`: double opt-in sign-ups (pending until confirmed, then expired).
- `roster.py`: an audience's recipients as `digest send` mails them: the configured list or
  CSV plus confirmed sign-ups, minus the suppressed.
- `reports.py` reads one message (a DSN, an ARF complaint, a mailed unsubscribe, or none of
  these); `mailboxes.py` reads a Maildir or an IMAP folder; `bounces.py` runs them together.

- `manage.py`: what `digest subscribers` does (list, add, remove, import, export, unsuppress).

Nothing here sends mail or serves HTTP: `digest.service` and `digest.delivery` do, over this.
This `__init__` imports nothing, so that `digest.delivery` can import the modules it needs
while `manage.py` reads the recipient lists through `digest.delivery.recipients`.
"""
