"""MJML to HTML, with mjml-python (the Rust compiler, no Node.js)."""

from __future__ import annotations

from digest.errors import TemplateError

HTML_TEMPLATE = "newsletter.mjml"


def mjml_to_html(source: str, name: str = HTML_TEMPLATE) -> str:
    from mjml import mjml2html

    try:
        return mjml2html(source)
    except Exception as exc:  # mjml-python raises ValueError with the parser's message
        raise TemplateError(f"template {name}: MJML error: {exc}") from None
