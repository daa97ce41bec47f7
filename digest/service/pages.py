"""The pages of `digest serve`: one small template, the audience's branding and language.

Jinja with autoescaping on: every value (brand name, footer, the words) is escaped; the
colours were checked as `#rrggbb` when the settings were read. No script, no outside
resource: a form's button is all a page needs, so it works in any browser and under a
Content-Security-Policy that allows nothing else.
"""

from __future__ import annotations

from jinja2 import Environment

from digest.service.strings import words
from digest.settings import Audience, Branding

_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)

_PAGE = _ENV.from_string("""<!doctype html>
<html lang="{{ lang }}" dir="{{ dir }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{ title }} · {{ brand.name }}</title>
<style>
body { margin: 0; background: {{ brand.background_color }}; color: #1b1f24;
       font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
header { background: {{ brand.color }}; color: #fff; padding: 16px 24px; font-weight: 600; }
main { max-width: 32rem; margin: 32px auto; background: #fff; padding: 24px;
       border-radius: 6px; }
h1 { font-size: 1.4rem; margin-top: 0; color: {{ brand.color }}; }
button { background: {{ brand.accent_color }}; color: #fff; border: 0; border-radius: 4px;
         padding: 10px 18px; font-size: 1rem; cursor: pointer; }
input[type=email], input[type=text] { width: 100%; padding: 8px; font-size: 1rem;
         box-sizing: border-box; margin: 4px 0 12px; }
.error { color: #a40e26; }
footer { max-width: 32rem; margin: 0 auto 32px; font-size: .85rem; color: #57606a; }
</style>
</head>
<body>
<header>{{ brand.name }}</header>
<main>
<h1>{{ title }}</h1>
{% if text %}<p>{{ text }}</p>{% endif %}
{% if error %}<p class="error">{{ error }}</p>{% endif %}
{% if form == "one-click" %}
<form method="post" action="{{ action }}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit" id="confirm">{{ button }}</button>
</form>
{% elif form == "button" %}
<form method="post" action="{{ action }}">
<button type="submit" id="confirm">{{ button }}</button>
</form>
{% elif form == "subscribe" %}
<form method="post" action="{{ action }}">
<label for="email">{{ t.email_label }}</label>
<input type="email" id="email" name="email" required maxlength="254" autocomplete="email">
<label for="name">{{ t.name_label }}</label>
<input type="text" id="name" name="name" maxlength="100" autocomplete="name">
<button type="submit" id="confirm">{{ button }}</button>
</form>
{% endif %}
</main>
{% if brand.footer %}<footer>{{ brand.footer }}</footer>{% endif %}
</body>
</html>
""")

RTL = ("ar", "fa", "he", "ur", "yi", "ps")


def page(audience: Audience | None, title: str, text: str = "", form: str = "",
         action: str = "", button: str = "", error: str = "") -> str:
    """A whole page; `title`, `text` and `button` are word keys, `{brand}` filled in."""
    brand = audience.branding if audience else Branding(name="digest")
    locale = audience.locale if audience else "en"
    t = {k: v.replace("{brand}", brand.name) for k, v in words(locale).items()}
    lang = locale.replace("_", "-").split("-", 1)[0].lower()
    return _PAGE.render(
        lang=lang, dir="rtl" if lang in RTL else "ltr", brand=brand, t=t,
        title=t.get(title, title), text=t.get(text, text) if text else "",
        form=form, action=action, button=t.get(button, button) if button else "",
        error=t.get(error, error) if error else "",
    )
