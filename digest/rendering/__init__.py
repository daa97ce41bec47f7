"""Rendering: an audience's issue as HTML (MJML) and plain text, and its outbox copy.

Takes the day's date, an `Audience` and its summarised sections and gives the rendered issue
with a slot wherever a recipient's own field goes (filled at delivery). Templates are looked up
in the audience's folder, the user's `templates/`, then the built-in ones. `outbox` writes the
preview copy (.html, .txt, .eml) atomically; `preview` serves it to an editor's browser.
"""

from digest.rendering.outbox import build_message, write_issue
from digest.rendering.templates import build_context, make_environment, render_issue, render_subject

__all__ = ["build_context", "build_message", "make_environment", "render_issue",
           "render_subject", "write_issue"]
