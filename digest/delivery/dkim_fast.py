"""Faster equivalents of four dkimpy steps, installed when `digest.delivery.dkim` loads.

dkimpy does the DKIM work (canonicalisation, header selection, the signature header). Four
of its steps cost as much as building the message does (bench/dkim_signing.py), so they are
swapped for equivalents that give the same bytes (tests compare them with dkimpy's own):
- the key is parsed again for every message (pure-Python ASN.1): parsed once per key;
- RSA is pure Python, ~15 ms a message: for the keys a Signer loaded it goes to OpenSSL
  (cryptography), the same PKCS#1 v1.5 signature of the same digest, ~1 ms; any other key
  still goes through dkimpy's code;
- the relaxed body canonicalisation runs two regular expressions over the whole body;
- the message is cut into lines by a regular expression before headers and body part.
"""

from __future__ import annotations

import re
from functools import lru_cache

import dkim
import dkim.canonicalization
import dkim.crypto

_OPENSSL_KEYS: dict[int, object] = {}
_PURE_RSA_SIGN = dkim.crypto.RSASSA_PKCS1_v1_5_sign


def _rsa_sign(hash, private_key):
    key = _OPENSSL_KEYS.get(private_key["modulus"])
    if key is None:
        return _PURE_RSA_SIGN(hash, private_key)
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, utils

    algorithm = {"sha256": hashes.SHA256(), "sha1": hashes.SHA1()}[hash.name.lower()]
    return key.sign(hash.digest(), padding.PKCS1v15(), utils.Prehashed(algorithm))


dkim.RSASSA_PKCS1_v1_5_sign = _rsa_sign
_PURE_PARSE_PEM = dkim.parse_pem_private_key


@lru_cache(maxsize=8)
def _parse_pem_private_key(data: bytes):
    """dkimpy parses the key (ASN.1 in pure Python, ~0.25 ms) for every message it signs; the
    same key gives the same fields, which signing only reads."""
    return _PURE_PARSE_PEM(data)


dkim.parse_pem_private_key = _parse_pem_private_key


_RUNS = re.compile(rb"  +")  # a literal prefix: the regex engine skips to each run


class _Relaxed(dkim.canonicalization.Relaxed):
    """dkimpy's relaxed canonicalisation (RFC 6376 3.4.4), the body done in three passes
    instead of dkimpy's two character-class regular expressions (~2 ms of ~4 for a 66 KB
    message): tabs become spaces, runs of spaces one space (found by their literal prefix:
    a loop of replace("  ", " ") needed a pass per halving, ~0.6 ms), and none is left at the
    end of a line."""

    @staticmethod
    def canonicalize_body(body: bytes) -> bytes:
        if b"\t" in body:
            body = body.replace(b"\t", b" ")
        if b"  " in body:
            body = _RUNS.sub(b" ", body)
        body = body.replace(b" \r\n", b"\r\n")
        canon = dkim.canonicalization
        return canon.correct_empty_body(canon.strip_trailing_lines(body))


dkim.canonicalization.ALGORITHMS[b"relaxed"] = _Relaxed
_PURE_RFC822_PARSE = dkim.rfc822_parse


def _rfc822_parse(message: bytes):
    """dkimpy's rfc822_parse: the headers read line by line as it does, the body given back
    with every line ending as CRLF, split with bytes methods instead of re.split."""
    normal = message.replace(b"\r\n", b"\n")
    end = normal.find(b"\n\n")
    head, body = normal[:end], normal[end + 2:]
    if end <= 0 or normal.startswith(b"\n") or b"\r" in head:
        # no headers, no body, a bare CR among the headers: the rare cases, as dkimpy does
        return _PURE_RFC822_PARSE(message)
    headers, _ = _PURE_RFC822_PARSE(head + b"\n\n")
    return headers, body.replace(b"\n", b"\r\n")


dkim.rfc822_parse = _rfc822_parse


def use_openssl(pem: bytes) -> None:
    """Sign with this key through OpenSSL from now on."""
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(pem, password=None)
    _OPENSSL_KEYS[key.private_numbers().public_numbers.n] = key
