"""DKIM: signing each recipient's message (dkimpy), the key file's checks, new key pairs.

The private key stays in its own file (`[dkim] key_file`): never in the config, the state or a
log line. `Signer` reads and checks it once, then `signer.sign(data)` returns the message
bytes with a DKIM-Signature header in front, relaxed/relaxed, covering the headers that RFC
8058 and the bulk-sender rules ask for (List-Unsubscribe and List-Unsubscribe-Post among
them). `new_key_pair` makes an RSA key pair (cryptography) and the DNS TXT record to publish.
"""

from __future__ import annotations

import base64
import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from digest.errors import ConfigError, DigestError
from digest.settings.deliverability import clean_dns_name

log = logging.getLogger("digest")

# Signed headers. From, Subject and the list headers are named twice ("oversigned"): a
# header added on the way (a second From, a forged List-Unsubscribe) then breaks the
# signature; a header named but absent is signed as absent, so it cannot be added either.
SIGNED_HEADERS = (
    "From", "From", "To", "Subject", "Subject", "Date", "Message-ID", "List-Id",
    "List-Unsubscribe", "List-Unsubscribe", "List-Unsubscribe-Post", "List-Unsubscribe-Post",
    "MIME-Version", "Content-Type",
)
CANONICALIZATION = (b"relaxed", b"relaxed")
KEY_BITS = 2048
MAX_KEY_FILE_BYTES = 64_000


class DkimError(DigestError):
    """A message could not be signed (a bad key, a message dkimpy cannot parse)."""


def check_name(value: str, what: str) -> str:
    """A domain or selector as a DNS name, else a ConfigError naming `what`."""
    name = clean_dns_name(value)
    if name is None:
        raise ConfigError(f"{what} must be a DNS name such as 'example.org', got '{value}'")
    return name


def _dkimpy():
    """dkimpy, with our faster steps (dkim_fast) in it: imported when first needed, as it
    brings dnspython (0.14 s of CPU that `digest run` and most commands never need)."""
    import dkim
    import dkim.crypto

    from digest.delivery import dkim_fast  # noqa: F401  (installs the faster steps)

    return dkim


def read_key(path: Path) -> bytes:
    """The private key's PEM bytes, checked: a file, small, parseable; a warning if others
    can read it (it signs mail as your domain)."""
    try:
        info = path.stat()
    except OSError as exc:
        raise ConfigError(f"'dkim.key_file' {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError(f"'dkim.key_file' {path}: not a file")
    if info.st_size > MAX_KEY_FILE_BYTES:
        raise ConfigError(f"'dkim.key_file' {path}: {info.st_size} bytes is not a key file")
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("'dkim.key_file' %s is readable by others (mode %o): chmod 600 it",
                    path, stat.S_IMODE(info.st_mode))
    try:
        pem = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"'dkim.key_file' {path}: {exc.strerror or exc}") from None
    dkim = _dkimpy()
    try:
        dkim.crypto.parse_pem_private_key(pem)
    except dkim.UnparsableKeyError:
        raise ConfigError(f"'dkim.key_file' {path}: not a PEM RSA private key") from None
    return pem


@dataclass
class Signer:
    """Signs message bytes as `domain` with `selector`'s key: `sign(data) -> bytes`."""

    domain: str
    selector: str
    key: bytes  # PEM; repr hides it
    headers: tuple[str, ...] = SIGNED_HEADERS

    def __post_init__(self) -> None:
        from digest.delivery.dkim_fast import use_openssl

        use_openssl(self.key)

    def __repr__(self) -> str:
        return f"Signer(domain={self.domain!r}, selector={self.selector!r})"

    @classmethod
    def from_settings(cls, settings) -> Signer | None:
        """The signer of `[dkim]`, or None when the table is absent."""
        config = getattr(settings, "dkim", None)
        if config is None:
            return None
        return cls(config.domain, config.selector, read_key(config.key_file))

    def sign(self, data: bytes) -> bytes:
        """`data` (CRLF line ends, as `as_bytes()` gives with the SMTP policy) signed."""
        dkim = _dkimpy()
        try:
            header = dkim.sign(data, self.selector.encode(), self.domain.encode(), self.key,
                               canonicalize=CANONICALIZATION,
                               include_headers=[h.encode() for h in self.headers])
        except dkim.DKIMException as exc:
            raise DkimError(f"cannot sign as {self.domain} (selector {self.selector}): "
                            f"{exc}") from None
        return header + data

    def __call__(self, data: bytes) -> bytes:
        return self.sign(data)

    def record_name(self) -> str:
        return f"{self.selector}._domainkey.{self.domain}"

    def public_record(self) -> str:
        """The TXT record's value for this key (what DNS should serve)."""
        return txt_value(public_key_der(self.key))


def public_key_der(pem: bytes) -> bytes:
    """The SubjectPublicKeyInfo (DER) of a PEM private key."""
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(pem, password=None)
    return key.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)


def txt_value(public_der: bytes) -> str:
    return "v=DKIM1; k=rsa; p=" + base64.b64encode(public_der).decode("ascii")


def dns_record(selector: str, domain: str, value: str) -> str:
    """A zone-file line; the value cut into strings of at most 255 characters (one TXT
    string's limit), which DNS joins back together."""
    chunks = [value[i:i + 255] for i in range(0, len(value), 255)]
    quoted = " ".join(f'"{c}"' for c in chunks)
    return f"{selector}._domainkey.{domain}. IN TXT ( {quoted} )"


def new_key_pair(bits: int = KEY_BITS) -> tuple[bytes, bytes]:
    """(private key PEM, public key DER): RSA, as every receiver verifies it."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    pem = key.private_bytes(serialization.Encoding.PEM,
                            serialization.PrivateFormat.TraditionalOpenSSL,
                            serialization.NoEncryption())
    der = key.public_key().public_bytes(serialization.Encoding.DER,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    return pem, der


def write_key(path: Path, pem: bytes) -> None:
    """Write the private key readable by its owner only, atomically; never over a key."""
    if path.exists():
        raise ConfigError(f"{path} exists: not overwriting a key (choose another --key-file)")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(tmp, path)  # fails if the key appeared meanwhile, unlike a rename
    finally:
        tmp.unlink(missing_ok=True)


def verify(data: bytes, public_records: dict[str, str]) -> bool:
    """Whether `data`'s DKIM signature verifies, with DNS answered from `public_records`
    ({"sel._domainkey.example.org": "v=DKIM1; ..."}): offline, for `digest check` and tests."""

    def lookup(name: bytes, timeout: int = 5) -> bytes | None:
        value = public_records.get(name.decode("ascii", "replace").rstrip(".").lower())
        return value.encode("ascii") if value is not None else None

    dkim = _dkimpy()
    try:
        return bool(dkim.verify(data, dnsfunc=lookup))
    except dkim.DKIMException:
        return False


def signed_headers(data: bytes) -> list[str]:
    """The h= list of the message's first DKIM-Signature, lower-cased ([] when unsigned)."""
    import email
    from email import policy

    message = email.message_from_bytes(data, policy=policy.compat32)
    signature = message.get("DKIM-Signature")
    if not signature:
        return []
    tags = dict(part.strip().split("=", 1) for part in
                "".join(signature.split()).split(";") if "=" in part)
    return [h.lower() for h in tags.get("h", "").split(":") if h]
