"""The archive folder as static files: a WSGI app (`make_app`) to mount in `digest serve`, and
the one function under it (`static_response`) that `digest preview` uses too.

Only files under the archive folder are served: the path is split into names, and a name
that is empty, `.` or `..`, starts with a dot (the temporary files of atomic writes) or holds
a backslash or NUL is refused; what is left must resolve (symbolic links followed) inside the
folder. GET and HEAD only; content types from a fixed table, `nosniff`, and a policy that
lets the pages (mail HTML) run no script.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path

# the archive's own kinds; anything else is a download
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/atom+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
CSP = "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; font-src *; " \
      "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
MAX_PATH = 1024


@dataclass
class StaticResponse:
    status: HTTPStatus
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


def static_response(root: Path, path: str, method: str = "GET") -> StaticResponse:
    """The answer to a request for `path` (percent-decoded, relative to the archive root)."""
    if method not in ("GET", "HEAD"):
        return _plain(HTTPStatus.METHOD_NOT_ALLOWED, "only GET and HEAD",
                      [("Allow", "GET, HEAD")])
    names = path.split("/")
    if names and names[0] == "":
        names = names[1:]
    if len(path) > MAX_PATH or any(_bad(name) for name in names[:-1]) or \
            (names and names[-1] and _bad(names[-1])):
        return _plain(HTTPStatus.NOT_FOUND, "not found")
    base = root.resolve()
    target = base.joinpath(*[n for n in names if n])
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError):
        return _plain(HTTPStatus.NOT_FOUND, "not found")
    if resolved != base and not resolved.is_relative_to(base):
        return _plain(HTTPStatus.NOT_FOUND, "not found")
    if resolved.is_dir():
        if names and names[-1]:
            # "general" -> "general/", so that the index's relative links resolve
            return StaticResponse(HTTPStatus.MOVED_PERMANENTLY,
                                  [("Location", names[-1] + "/"), ("Content-Length", "0")])
        resolved = resolved / "index.html"
    try:
        data = resolved.read_bytes()
    except OSError:  # missing, a folder without index.html, unreadable
        return _plain(HTTPStatus.NOT_FOUND, "not found")
    ctype = CONTENT_TYPES.get(resolved.suffix.lower())
    if ctype is None:
        ctype = "application/octet-stream"
        guessed, _ = mimetypes.guess_type(resolved.name)
        if guessed and guessed.startswith("image/") and guessed != "image/svg+xml":
            ctype = guessed
    headers = [("Content-Type", ctype), ("Content-Length", str(len(data))),
               ("X-Content-Type-Options", "nosniff"), ("Content-Security-Policy", CSP),
               ("Referrer-Policy", "no-referrer"), ("Cache-Control", "public, max-age=300")]
    return StaticResponse(HTTPStatus.OK, headers, b"" if method == "HEAD" else data)


def _bad(name: str) -> bool:
    return name in ("", ".", "..") or name.startswith(".") or "\\" in name or "\0" in name


def _plain(status: HTTPStatus, text: str, extra=()) -> StaticResponse:
    body = text.encode("utf-8")
    return StaticResponse(status, [("Content-Type", "text/plain; charset=utf-8"),
                                   ("Content-Length", str(len(body))),
                                   ("X-Content-Type-Options", "nosniff"), *extra], body)


def make_app(root: Path, prefix: str = ""):
    """A WSGI app serving `root`; with `prefix` ("/archive") it answers only the paths
    under it, so that `digest serve` can hand it every request that starts with the prefix."""
    prefix = prefix.rstrip("/")

    def app(environ, start_response):
        # PEP 3333: PATH_INFO holds the percent-decoded bytes as latin-1
        raw = environ.get("PATH_INFO", "") or "/"
        path = raw.encode("latin-1").decode("utf-8", "replace")
        if prefix:
            if path == prefix:
                response = StaticResponse(HTTPStatus.MOVED_PERMANENTLY, [
                    ("Location", prefix.rsplit("/", 1)[-1] + "/"), ("Content-Length", "0")])
                return _answer(start_response, response)
            if not path.startswith(prefix + "/"):
                return _answer(start_response, _plain(HTTPStatus.NOT_FOUND, "not found"))
            path = path[len(prefix):]
        response = static_response(root, path, environ.get("REQUEST_METHOD", "GET"))
        return _answer(start_response, response)

    return app


def _answer(start_response, response: StaticResponse):
    start_response(f"{response.status.value} {response.status.phrase}", response.headers)
    return [response.body]
