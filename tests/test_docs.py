"""docs/templates.md lists exactly the names the templates receive."""

import datetime as dt
import re
from pathlib import Path

from digest.models import Article
from digest.rendering.context import build_context
from digest.rendering.slots import context_fields
from digest.settings import Audience

DOC = Path(__file__).resolve().parent.parent / "docs" / "templates.md"


def flatten(context: dict) -> set[str]:
    names = set()
    for key, value in context.items():
        names.add(key)
        if isinstance(value, dict):
            names |= {f"{key}.{k}" for k in value}
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            names |= {f"{key}[].{k}" for k in value[0]}
    return names


def test_documented_context_is_the_real_context():
    article = Article(title="T", text="Body.", source="S", url="https://example.org",
                      published=dt.date(2024, 5, 1), summary=["Body."])
    context = build_context(dt.date(2024, 5, 1), Audience(name="general"), [article])
    context["subject"] = "added by the pipeline before rendering"
    context.update(context_fields("token", Audience(name="general")))  # per recipient
    section = DOC.read_text(encoding="utf-8").split("## Context", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([^`]+)` \|", section, re.M))
    assert documented == flatten(context)
