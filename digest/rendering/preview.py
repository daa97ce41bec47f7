"""`digest preview`: a local web page to look at every issue before it is sent.

The server listens on 127.0.0.1 only. It lists the issues of the outbox by date and audience,
plus the live issues of the preview date, which are rebuilt whenever the config or a template
changes (the page polls `/version` and reloads). Each newsletter is shown at desktop and
phone widths beside its text part. The preview page may run scripts; the email HTML is served
in a sandboxed frame with a policy that forbids them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2

from digest.errors import DigestError
from digest.models import Issue
from digest.resources import default_dir

log = logging.getLogger("digest")

_DATE = r"\d{4}-\d{2}-\d{2}"
_NAME = r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}"
_ISSUE_PAGE = re.compile(rf"^/issue/({_DATE})/({_NAME})$")
_RAW = re.compile(rf"^/raw/({_DATE})/({_NAME})\.(html|txt)$")
# the email's HTML never runs scripts, even in the preview
_EMAIL_CSP = "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; font-src *"

_PAGE = jinja2.Environment(autoescape=True, loader=jinja2.DictLoader({"page": """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }} · digest preview</title>
<style>
 body{font-family:system-ui,sans-serif;margin:0;background:#eef1f4;color:#1f2328}
 header{background:#1f3a5f;color:#fff;padding:10px 20px}
 header a{color:#fff}
 main{padding:16px 20px}
 .error{background:#ffebe9;border:1px solid #cf222e;padding:8px 12px;white-space:pre-wrap}
 .views{display:flex;gap:20px;align-items:flex-start;flex-wrap:wrap}
 .views figure{margin:0}
 iframe{border:1px solid #c8ced5;background:#fff;height:900px}
 iframe.desktop{width:680px} iframe.phone{width:375px}
 pre.text{background:#fff;border:1px solid #c8ced5;padding:12px;width:72ch;height:876px;
   overflow:auto;margin:0;font-size:13px}
 table{border-collapse:collapse} td,th{padding:4px 12px;text-align:left}
</style></head>
<body><header><a href="/">digest preview</a> · {{ title }}
{%- if archive %} · <a id="archive" href="/archive/">archive</a>{% endif %}</header><main>
<div id="error" class="error" {% if not error %}hidden{% endif %}>{{ error }}</div>
{% if issues is defined %}
<table id="issues"><tr><th>date</th><th>audience</th><th>subject</th><th></th></tr>
{% for row in issues %}
<tr class="issue"><td>{{ row.date }}</td><td class="audience">{{ row.audience }}</td>
<td>{{ row.subject }}</td><td><a href="/issue/{{ row.date }}/{{ row.audience }}">view</a>
{% if row.live %}(live){% endif %}</td></tr>
{% endfor %}
</table>
{% else %}
<p id="subject">{{ subject }}</p>
<div class="views">
 <figure><figcaption>Desktop</figcaption>
  <iframe class="desktop" sandbox="allow-popups" src="/raw/{{ date }}/{{ audience }}.html"></iframe></figure>
 <figure><figcaption>Phone</figcaption>
  <iframe class="phone" sandbox="allow-popups" src="/raw/{{ date }}/{{ audience }}.html"></iframe></figure>
 <figure><figcaption>Text part</figcaption><pre class="text" id="text">{{ text }}</pre></figure>
</div>
{% endif %}
</main>
<script>
// reload when the issues are rebuilt (a template or the config changed)
let seen = {{ version }};
async function poll() {
  try {
    const r = await fetch("/version", {cache: "no-store"});
    const v = await r.json();
    const box = document.getElementById("error");
    box.hidden = !v.error; box.textContent = v.error || "";
    if (v.version !== seen) { location.reload(); return; }
  } catch (e) {}
  setTimeout(poll, 700);
}
setTimeout(poll, 700);
</script>
</body></html>
"""}))


class Preview:
    """The live issues of one date, rebuilt when the config or a template changes."""

    def __init__(self, config_path: str | None, date: dt.date | None,
                 build: Callable[..., list[Issue]], archive: Callable | None = None):
        """`build(settings, date=..., write=False)` makes the issues: `digest.pipeline.run`,
        given by the caller so that rendering never imports the pipeline above it;
        `archive(root, path, method)`, when given, serves the public archive under /archive/
        (`digest.archive.serve.static_response`, a stage after this one)."""
        self.config_path = config_path
        self.date = date
        self.build = build
        self.archive = archive
        self.version = 0
        self.error = ""
        self.issues: list[Issue] = []
        self.settings = None
        self._fingerprint: tuple | None = None
        self._lock = threading.Lock()
        self.refresh()

    def _watched(self) -> list[Path]:
        from digest.settings import find_config

        config, _ = find_config(self.config_path)
        files = [config]
        folders = [default_dir("templates")]
        if self.settings is not None:
            folders.append(self.settings.templates)
            folders += [a.template_dir for a in self.settings.audiences.values()]
        for folder in folders:
            if folder is not None and folder.is_dir():
                files += sorted(p for p in folder.rglob("*") if p.is_file())
        return files

    def fingerprint(self) -> tuple:
        stamps = []
        for path in self._watched():
            try:
                stat = path.stat()
                stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
            except OSError:
                stamps.append((str(path), None, None))
        return tuple(stamps)

    def refresh(self) -> None:
        """Rebuild the live issues if anything they depend on changed."""
        from digest.settings import load_settings

        with self._lock:
            try:
                current = self.fingerprint()
            except DigestError as exc:
                current = ("error", str(exc))
            if current == self._fingerprint:
                return
            self._fingerprint = current
            try:
                self.settings = load_settings(self.config_path)
                self.issues = self.build(self.settings, date=self.date, write=False)
                self.error = ""
                # templates named by a config that just changed are watched from now on
                self._fingerprint = self.fingerprint()
            except DigestError as exc:
                self.error = str(exc)
                log.warning("preview: %s", exc)
            self.version += 1

    def live(self, date: str, audience: str) -> Issue | None:
        for issue in self.issues:
            if issue.date.isoformat() == date and issue.audience == audience:
                return issue
        return None

    def listing(self) -> list[dict]:
        rows = {
            (i.date.isoformat(), i.audience): {"date": i.date.isoformat(), "audience": i.audience,
                                               "subject": i.subject, "live": True}
            for i in self.issues
        }
        outbox = self.settings.outbox if self.settings else None
        if outbox is not None and outbox.is_dir():
            for day in outbox.iterdir():
                if not re.fullmatch(_DATE, day.name):
                    continue
                for html in day.glob("*.html"):
                    key = (day.name, html.stem)
                    if re.fullmatch(_NAME, html.stem) and key not in rows:
                        rows[key] = {"date": day.name, "audience": html.stem, "subject": "",
                                     "live": False}
        return sorted(rows.values(), key=lambda r: (r["date"], r["audience"]), reverse=True)

    def archive_root(self) -> Path | None:
        """The archive folder, when the preview can show it (some audience is archived)."""
        settings = self.settings
        if self.archive is None or settings is None or settings.archive is None:
            return None
        if not any(a.archive for a in settings.audiences.values()):
            return None
        return settings.archive.path

    def content(self, date: str, audience: str, kind: str) -> str | None:
        """HTML or text of an issue: the live one, else the outbox's file."""
        issue = self.live(date, audience)
        if issue is not None:
            return issue.html if kind == "html" else issue.text
        if self.settings is None:
            return None
        path = self.settings.outbox / date / f"{audience}.{kind}"
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None


def make_server(preview: Preview, port: int = 8765) -> ThreadingHTTPServer:
    """A server on 127.0.0.1 (port 0: any free port); call serve_forever() on it."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "digest-preview"

        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            log.debug("preview: " + format, *args)

        def do_GET(self):  # noqa: N802 - http.server's naming
            path = unquote(urlsplit(self.path).path)
            if path == "/version":
                preview.refresh()
                self._send(json.dumps({"version": preview.version, "error": preview.error}),
                           "application/json")
            elif path == "/":
                preview.refresh()
                self._page(title="issues", issues=preview.listing())
            elif m := _ISSUE_PAGE.match(path):
                preview.refresh()
                date, audience = m.groups()
                text = preview.content(date, audience, "txt")
                if text is None:
                    return self._send("no such issue", "text/plain", HTTPStatus.NOT_FOUND)
                issue = preview.live(date, audience)
                self._page(title=f"{date} · {audience}", date=date, audience=audience,
                           text=text, subject=issue.subject if issue else "")
            elif path == "/archive" or path.startswith("/archive/"):
                self._archive(path[len("/archive"):])
            elif m := _RAW.match(path):
                date, audience, kind = m.groups()
                body = preview.content(date, audience, kind)
                if body is None:
                    return self._send("no such issue", "text/plain", HTTPStatus.NOT_FOUND)
                ctype = "text/html" if kind == "html" else "text/plain"
                self._send(body, ctype, csp=_EMAIL_CSP)
            else:
                self._send("not found", "text/plain", HTTPStatus.NOT_FOUND)

        def _archive(self, path: str):
            """The archive as `digest serve` would publish it (as last written by a run)."""
            root = preview.archive_root()
            if root is None:
                return self._send("no archived audience", "text/plain", HTTPStatus.NOT_FOUND)
            if not path:
                path = "/archive/"  # the indexes' links are relative to the folder
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", path)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            answer = preview.archive(root, path, "GET")
            self.send_response(answer.status)
            for name, value in answer.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(answer.body)

        def _page(self, **context):
            html = _PAGE.get_template("page").render(version=preview.version,
                                                     error=preview.error,
                                                     archive=preview.archive_root() is not None,
                                                     **context)
            self._send(html, "text/html")

        def _send(self, body: str, ctype: str, status=HTTPStatus.OK, csp: str | None = None):
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", f"{ctype}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            if csp:
                self.send_header("Content-Security-Policy", csp)
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    return server
