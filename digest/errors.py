"""One error tree for the library; the CLI turns it into a one-line `Error:` message.

Exit codes follow the architecture: 2 for usage and configuration, 1 for a job that failed.
"""


class DigestError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code = 1


class UsageError(DigestError):
    """A bad option or argument: unknown algorithm, unknown audience, unreadable input."""

    exit_code = 2


class ConfigError(UsageError):
    """The configuration is missing, unreadable or invalid; the message names the key."""


class SourceError(DigestError):
    """An input could not be read or parsed; the message names the file or source."""


class TemplateError(DigestError):
    """A template failed to load, compile or render; the message names template and line."""
