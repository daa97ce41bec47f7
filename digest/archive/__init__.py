"""The public archive: every issue on the web, an index per audience, and an Atom feed.

A static site under `[archive] path` that any web server can publish (or `digest serve`,
through `serve.make_app`): `<audience>/<YYYY-MM-DD>.html` is the issue as stored for sending,
filled for nobody in particular (`page`), `<audience>/index.html` lists the issues newest
first with their top headlines and `index.html` the audiences (`indexes`), and
`<audience>/feed.xml` is an Atom feed of the last issues (`feed`). `store` keeps in the state
what the indexes and the feed show of each issue, `urls` names the files and addresses, and
`site` writes it all, atomically, after each `digest run` or from the state alone
(`digest archive --rebuild`).
"""

from digest.archive.site import Report, publish, rebuild
from digest.archive.urls import page_url

__all__ = ["Report", "page_url", "publish", "rebuild"]
