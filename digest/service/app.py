"""The WSGI application behind `digest serve`: routes, tokens, size caps, nothing on GET.

Routes (under the path of `[service] base_url`, or at the root, whichever the proxy passes):

- `POST /unsubscribe/<token>` with `List-Unsubscribe=One-Click` (RFC 8058): unsubscribes at
  once, no cookie needed, 200 and a page with an undo button. The confirmation page's own
  button sends the same body.
- `GET /unsubscribe/<token>`: the confirmation page; a GET never unsubscribes, so link
  scanners that fetch every link change nothing.
- `POST /resubscribe/<token>`: the undo button (lifts that unsubscribe only, never a
  complaint or a bounce).
- `GET|POST /subscribe/<audience>`: the sign-up form of an audience with `signup = true`; the
  answer is the same whether or not the address was new (nothing is learnt from it).
- `GET|POST /confirm/<token>`: the sign-up's confirmation page and its button.
- `GET /health`: 200 "ok", for the proxy.
- `mounts`: other WSGI applications under a prefix, e.g. the static archive at `/archive/`.

A token that does not verify, for an audience no longer configured, or for an address that
we never mailed gets the same 400 page, and nothing changes.
"""

from __future__ import annotations

import email
import logging
from collections.abc import Callable, Iterable
from email import policy
from urllib.parse import parse_qs

from digest.delivery.recipients import load_recipients
from digest.service.pages import page
from digest.settings import Audience, Settings, is_email
from digest.settings.service import base_path
from digest.state import State
from digest.subscribers import signups, suppression, tokens
from digest.subscribers.links import (
    CONFIRM_PATH,
    RESUBSCRIBE_PATH,
    SUBSCRIBE_PATH,
    UNSUBSCRIBE_PATH,
    confirm_url,
    prepare_audience,
)
from digest.subscribers.secret import link_secret

log = logging.getLogger("digest")

MAX_PATH = 512
HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    # no script, no outside resource, no framing: the pages need none of them
    ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; "
                                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
]
STATUS = {200: "200 OK", 400: "400 Bad Request", 404: "404 Not Found",
          405: "405 Method Not Allowed", 410: "410 Gone", 413: "413 Content Too Large",
          414: "414 URI Too Long", 500: "500 Internal Server Error",
          503: "503 Service Unavailable"}

WsgiApp = Callable[[dict, Callable], Iterable[bytes]]


class TooLarge(Exception):
    pass


class App:
    def __init__(self, settings: Settings, state_path, mounts: dict[str, WsgiApp] | None = None,
                 send_confirmation: Callable | None = None):
        self.settings = settings
        self.state_path = state_path
        self.prefix = base_path(settings.service)
        self.base = settings.service.base_url or ""
        # prefix -> WSGI app, longest first; digest serve puts the archive here (see server.py)
        self.mounts = dict(sorted((mounts or {}).items(), key=lambda kv: -len(kv[0])))
        with State(state_path) as state:
            self.secret = link_secret(state)
        if send_confirmation is None:
            from digest.service.signup_mail import send_confirmation
        self.send_confirmation = send_confirmation

    # --- WSGI ---------------------------------------------------------------------------

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "") or "/"
        if self.prefix and (path == self.prefix or path.startswith(self.prefix + "/")):
            path = path[len(self.prefix):] or "/"
        for prefix, mounted in self.mounts.items():
            if path.startswith(prefix) or path == prefix.rstrip("/"):
                environ = dict(environ, SCRIPT_NAME=environ.get("SCRIPT_NAME", "") + self.prefix
                               + prefix.rstrip("/"), PATH_INFO=path[len(prefix.rstrip("/")):])
                return mounted(environ, start_response)
        try:
            code, body = self.route(environ.get("REQUEST_METHOD", "GET"), path, environ)
        except TooLarge:
            code, body = 413, page(None, "too_large_title")
        except Exception:
            log.exception("digest serve: error on %s", path[:100])
            code, body = 500, page(None, "error_title", "error_text")
        data = body.encode("utf-8")
        headers = [*HEADERS, ("Content-Length", str(len(data)))]
        if code == 405:
            headers.append(("Allow", "GET, POST"))
        if code == 200 and path == "/health":
            headers[0] = ("Content-Type", "text/plain; charset=utf-8")
        start_response(STATUS[code], headers)
        # HEAD: the headers GET would give, and no body (the connection may carry on)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [data]

    def route(self, method: str, path: str, environ: dict) -> tuple[int, str]:
        if len(path) > MAX_PATH:
            return 414, page(None, "invalid_title", "invalid_text")
        if method not in ("GET", "HEAD", "POST"):
            return 405, page(None, "not_found_title")
        get = method in ("GET", "HEAD")
        if path == "/health":
            return (200, "ok\n") if get else (405, "")
        for prefix, handler in ((UNSUBSCRIBE_PATH, self.unsubscribe),
                                (RESUBSCRIBE_PATH, self.resubscribe),
                                (SUBSCRIBE_PATH, self.subscribe),
                                (CONFIRM_PATH, self.confirm)):
            if path.startswith(prefix) and "/" not in path[len(prefix):]:
                form = None if get else self.form(environ)
                return handler(path[len(prefix):], form)
        return 404, page(None, "not_found_title", "not_found_text")

    def form(self, environ: dict) -> dict[str, str]:
        """The POSTed fields (urlencoded or multipart), read up to the size cap."""
        cap = self.settings.service.max_body_bytes
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > cap:
            raise TooLarge
        body = environ["wsgi.input"].read(min(length, cap) if length else 0)
        ctype = environ.get("CONTENT_TYPE", "")
        if ctype.lower().startswith("multipart/form-data"):
            msg = email.message_from_bytes(f"Content-Type: {ctype}\r\n\r\n".encode("latin-1")
                                           + body, policy=policy.HTTP)
            fields = {}
            for part in msg.iter_parts() if msg.is_multipart() else []:
                name = part.get_param("name", header="content-disposition")
                if name and not part.get_filename():
                    fields[str(name)] = str(part.get_content())[:1000]
            return fields
        parsed = parse_qs(body.decode("utf-8", "replace"), max_num_fields=20)
        return {k: v[0][:1000] for k, v in parsed.items()}

    # --- the pages ----------------------------------------------------------------------

    def _audience(self, name: str) -> Audience | None:
        audience = self.settings.audiences.get(name)
        return prepare_audience(audience, self.secret) if audience else None

    def _read(self, raw: str, purpose: str) -> tuple[Audience, str] | None:
        token = tokens.verify(self.secret, raw, purpose)
        audience = self._audience(token.audience) if token else None
        if audience is None:
            return None
        with State(self.state_path) as state:
            address = tokens.address_of(state, token)
        return (audience, address) if address else None

    def _invalid(self) -> tuple[int, str]:
        return 400, page(None, "invalid_title", "invalid_text")

    def unsubscribe(self, raw: str, form: dict | None) -> tuple[int, str]:
        found = self._read(raw, tokens.UNSUBSCRIBE)
        if found is None:
            return self._invalid()
        audience, address = found
        action = f"{self.prefix}{UNSUBSCRIBE_PATH}{raw}"
        if form is None:
            return 200, page(audience, "unsubscribe_title", "unsubscribe_ask", form="one-click",
                             action=action, button="unsubscribe_button")
        if form.get("List-Unsubscribe") != "One-Click":
            return 400, page(audience, "invalid_title", "invalid_text")
        with State(self.state_path) as state:
            suppression.suppress(state, address, suppression.UNSUBSCRIBED,
                                 audience=audience.name, detail="one-click unsubscribe")
        return 200, page(audience, "unsubscribed_title", "unsubscribed_text", form="button",
                         action=f"{self.prefix}{RESUBSCRIBE_PATH}{raw}", button="undo_button")

    def resubscribe(self, raw: str, form: dict | None) -> tuple[int, str]:
        found = self._read(raw, tokens.UNSUBSCRIBE)
        if found is None:
            return self._invalid()
        audience, address = found
        if form is None:
            return 405, page(audience, "not_found_title")
        with State(self.state_path) as state:
            suppression.unsuppress(state, address, "undo on the unsubscribe page",
                                   audience=audience.name, only_reason=suppression.UNSUBSCRIBED)
        return 200, page(audience, "resubscribed_title", "resubscribed_text")

    def subscribe(self, name: str, form: dict | None) -> tuple[int, str]:
        audience = self._audience(name)
        if audience is None or not audience.signup:
            return 404, page(None, "not_found_title", "not_found_text")
        action = f"{self.prefix}{SUBSCRIBE_PATH}{name}"
        if form is None:
            return 200, page(audience, "subscribe_title", "subscribe_text", form="subscribe",
                             action=action, button="subscribe_button")
        address = " ".join(form.get("email", "").split())
        if len(address) > 254 or not is_email(address):
            return 400, page(audience, "subscribe_title", "subscribe_text", form="subscribe",
                             action=action, button="subscribe_button", error="bad_email")
        with State(self.state_path) as state:
            listed = address.lower() in {p.key for p in load_recipients(audience)}
            mail_now = signups.request(state, audience.name, address,
                                       " ".join(form.get("name", "").split())[:100],
                                       listed=listed)
            if mail_now:
                tokens.remember(state, self.secret, [address])
        if mail_now:
            try:
                self.send_confirmation(self.settings, audience, address,
                                       confirm_url(audience, self.base, address))
            except Exception as exc:
                log.warning("digest serve: %s", exc)
                return 503, page(audience, "error_title", "error_text")
        # the same page whether the address was new, pending or already subscribed
        return 200, page(audience, "check_title", "check_text")

    def confirm(self, raw: str, form: dict | None) -> tuple[int, str]:
        found = self._read(raw, tokens.CONFIRM)
        if found is None:
            return self._invalid()
        audience, address = found
        if form is None:
            return 200, page(audience, "confirm_title", "confirm_ask", form="button",
                             action=f"{self.prefix}{CONFIRM_PATH}{raw}",
                             button="confirm_button")
        with State(self.state_path) as state:
            ok = signups.confirm(state, audience.name, address,
                                 self.settings.service.signup_days)
        if not ok:
            return 410, page(audience, "expired_title", "expired_text")
        return 200, page(audience, "confirmed_title", "confirmed_text")
