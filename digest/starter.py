"""`digest init`: a starter config, copies of the default templates and an example article."""

from __future__ import annotations

import shutil
from pathlib import Path

from digest.errors import UsageError
from digest.resources import default_dir

STARTER_CONFIG = """\
# digest configuration. Relative paths resolve against this file's folder.
# Every key is described in docs/configuration.md.

window = "day"                 # the articles published on the issue's date
# timezone = "Europe/London"   # which day "today" is; default: this machine's time zone
outbox = "../outbox"
templates = "../templates"     # your copies of the templates; edit them freely

[summary]
algorithm = "news"
sentences = 3

[[sources]]
name = "My articles"
type = "folder"
path = "../articles"

[audiences.general]
subject = "{{ brand.name }} for {{ date }}: {{ top_headline }}"
from = "Digest <digest@example.org>"
recipients = ["reader@example.org"]
summary_sentences = 3
# max_articles = 20
# locale = "en"
# template_dir = "../templates/general"   # this audience's own overrides

[audiences.general.branding]
name = "Daily digest"
# color = "#1f3a5f"
# accent_color = "#0b5cad"
# logo_url = "https://example.org/logo.png"
footer = "You receive this digest because you subscribed to it."
"""


def init_project(folder: str | Path) -> list[Path]:
    """Write the starter files into `folder`; refuse if any of them exists already."""
    root = Path(folder)
    templates = default_dir("templates")
    example = default_dir("samples") / "blog" / "xi-jinping-visits-moscow.txt"
    plan: dict[Path, Path | str] = {root / "config" / "digest.toml": STARTER_CONFIG}
    for template in sorted(templates.iterdir()):
        if template.is_file():
            plan[root / "templates" / template.name] = template
    plan[root / "articles" / example.name] = example
    existing = [str(p) for p in plan if p.exists()]
    if existing:
        raise UsageError(f"refusing to overwrite existing files: {', '.join(existing)}")
    for target, content in plan.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_text(content, encoding="utf-8")
    (root / "outbox").mkdir(exist_ok=True)
    return list(plan)
