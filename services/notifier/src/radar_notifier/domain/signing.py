"""Standard Webhooks signatures: ``v1,`` + base64(HMAC-SHA256(key, "id.timestamp.body"))."""

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"  # noqa: S105 - the spec's prefix, not a secret
SECRET_BYTES = 32
MIN_SECRET_BYTES = 24  # the Standard Webhooks spec: secrets of 24 to 64 bytes
SECRET_RULE = (
    f"a webhook secret must be whsec_ followed by the base64 of at least {MIN_SECRET_BYTES} "
    "bytes, random (leave --secret out to have one made)"
)


class SecretError(ValueError):
    """A webhook secret that is not ``whsec_`` + base64."""


def new_secret() -> str:
    """A fresh random ``whsec_…`` secret (32 random bytes)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key inside a ``whsec_…`` secret."""
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded, validate=True)
    except ValueError as exc:
        raise SecretError("webhook secret must be whsec_ followed by base64") from exc
    if not key:
        raise SecretError("webhook secret must not be empty")
    return key


def check_secret(secret: str) -> bytes:
    """The key of a secret fit to be stored: ``whsec_`` + base64 of at least
    ``MIN_SECRET_BYTES`` bytes. SecretError says what is wrong, never echoing the secret."""
    if not secret.startswith(SECRET_PREFIX):
        raise SecretError(f"{SECRET_RULE}; this one lacks the whsec_ prefix")
    try:
        key = base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except ValueError:
        raise SecretError(f"{SECRET_RULE}; this one is not valid base64") from None
    if len(key) < MIN_SECRET_BYTES:
        raise SecretError(f"{SECRET_RULE}; this one decodes to {len(key)} bytes")
    return key


def sign(secrets_: list[str], msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header: one ``v1,`` signature per secret, space-separated
    (several while a secret is being rotated)."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    signatures = []
    for secret in secrets_:
        digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
        signatures.append("v1," + base64.b64encode(digest).decode())
    return " ".join(signatures)
