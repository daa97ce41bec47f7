"""Settings: one loader, one validator, one error type that names the key.

Order of precedence: built-in defaults < config file < command line (the CLI passes its
options, such as `--algorithm`, to the library call, which prefers them). The config file is
found by `--config`, then `$DIGEST_CONFIG`, then `./config/digest.toml`, else the built-in
default shipped with the package. Relative paths resolve against the config file's folder.

`schema` holds the tables and their defaults, `values` the typed reader of one table,
`checks` what addresses, colours, locales and time zones must look like; `sources`,
`topics`, `audiences`, `smtp`, `service`, `mailbox` and `deliverability` (`[dkim]`,
`[check]`) read their tables, `load` finds the file and reads the whole document, and
`choose` picks a run's date and audiences.
"""

from digest.settings.checks import is_email
from digest.settings.choose import select_audiences, time_zone, today
from digest.settings.load import find_config, load_settings, parse_settings
from digest.settings.schema import (
    DEFAULT_MAX_FILE_BYTES,
    IMAP_PASSWORD_VARIABLE,
    MAX_TOPIC_KEYWORDS,
    PASSWORD_VARIABLE,
    SMTP_SECURITY,
    SOURCE_TYPES,
    WINDOWS,
    Audience,
    Branding,
    Check,
    Dkim,
    Fetch,
    Mailbox,
    Service,
    Settings,
    Smtp,
    Source,
)

__all__ = [
    "DEFAULT_MAX_FILE_BYTES",
    "IMAP_PASSWORD_VARIABLE",
    "MAX_TOPIC_KEYWORDS",
    "PASSWORD_VARIABLE",
    "SMTP_SECURITY",
    "SOURCE_TYPES",
    "WINDOWS",
    "Audience",
    "Branding",
    "Check",
    "Dkim",
    "Fetch",
    "Mailbox",
    "Service",
    "Settings",
    "Smtp",
    "Source",
    "find_config",
    "is_email",
    "load_settings",
    "parse_settings",
    "select_audiences",
    "time_zone",
    "today",
]
