"""Rendering: an audience's issue as HTML (MJML) and plain text, rendered once.

Takes the day's date, an `Audience` and its summarised sections and gives a `RenderedIssue`:
the subject, HTML and text with a slot wherever a recipient's own field goes (`slots`), which
delivery fills per recipient. `context` builds what the templates receive, `templates` finds
them (the audience's folder, the user's `templates/`, then the built-in ones), `mjml` compiles
the HTML, `message` makes a mail message of it, `outbox` writes the preview copy (.html,
.txt, .eml) atomically, and `preview` serves the outbox to an editor's browser.
"""

from digest.rendering.context import build_context
from digest.rendering.issue import RenderedIssue, render
from digest.rendering.message import build_message, header_text
from digest.rendering.outbox import write_issue
from digest.rendering.templates import make_environment

__all__ = ["RenderedIssue", "build_context", "build_message", "header_text",
           "make_environment", "render", "write_issue"]
