"""`digest serve`: the public pages behind the signed links, as a small WSGI application.

- `app.py`: the routes (one-click unsubscribe, its confirmation page, undo, double opt-in
  sign-up and its confirmation, a health check), size caps and the mount table where other
  WSGI applications (the static archive) are served under a prefix.
- `pages.py`: the pages, in the audience's branding and language, escaped by Jinja.
- `strings.py`: the pages' words per language.
- `signup_mail.py`: the confirmation mail of a sign-up, over `[smtp]`.
- `server.py`: the app on waitress, the production WSGI server, meant to sit behind the
  user's reverse proxy (see docs/subscribers.md).

The rules of a public endpoint hold throughout: signed tokens, no address in a URL, no
change of state on GET, every value escaped, every request capped in size.
"""
