"""Receipts: an RFC 3161 time-stamp from a third party over each announcement.

A receipt is the announcement record (site, policy, version, announcement day, the path and
SHA-256 of every language file) and a time-stamping authority's signed token over the
SHA-256 of that record's canonical JSON. It proves that those exact texts existed no later
than the time in the token; it does not prove that anybody read them, nor that the site was
reachable (the ledger's day says when the deploy that published them ran).

Requests and verification use rfc3161-client (Trail of Bits, used by sigstore-python): no
hand-written ASN.1 here. Network access is this module's own (the library does none).
"""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .findings import CannotRun, Finding
from .ledger import Receipt, download

RECORD_VERSION = 1


def record(
    site_url: str, policy: str, effective: date, day: date, files: Mapping[str, Mapping[str, str]]
) -> dict[str, Any]:
    """The announcement record a receipt stamps. `files`: language -> {path, sha256}."""
    return {
        "redline_receipt": RECORD_VERSION,
        "site_url": site_url,
        "policy": policy,
        "effective": effective.isoformat(),
        "announced": day.isoformat(),
        "files": {
            lang: {"path": f["path"], "sha256": f["sha256"]} for lang, f in sorted(files.items())
        },
    }


def canonical(data: Mapping[str, Any]) -> bytes:
    """The bytes stamped: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def receipt_path(
    policy: str, effective: date, day: date, files: Mapping[str, Mapping[str, str]]
) -> str:
    """Where the receipt is published: one file per announcement of a version."""
    digest = hashlib.sha256(
        "".join(f["sha256"] for _, f in sorted(files.items())).encode()
    ).hexdigest()
    return f"receipts/{policy}/{effective.isoformat()}/{day.isoformat()}-{digest[:12]}.json"


def _stop(url: str, message: str) -> CannotRun:
    return CannotRun(
        Finding(
            "receipt",
            url,
            message,
            "check `extra.redline.timestamping.url` and the network; nothing is published "
            "without its receipt, and the next run tries again",
        )
    )


def request_token(url: str, data: bytes) -> tuple[bytes, str]:
    """Ask the authority at `url` to time-stamp `data`: its response (DER) and the time."""
    from rfc3161_client import (
        HashAlgorithm,
        PKIStatus,
        TimestampRequestBuilder,
        decode_timestamp_response,
    )

    query = TimestampRequestBuilder().data(data).hash_algorithm(HashAlgorithm.SHA256).build()
    post = urllib.request.Request(
        url,
        data=query.as_bytes(),
        headers={"Content-Type": "application/timestamp-query", "User-Agent": "redline"},
    )
    try:
        raw = download(post)
    except OSError as exc:
        raise _stop(url, f"the time-stamping authority did not answer: {exc}") from None
    try:
        response = decode_timestamp_response(raw)
    except ValueError as exc:
        raise _stop(
            url, f"the time-stamping authority's answer is not a time-stamp ({exc})"
        ) from None
    if PKIStatus(response.status) not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        raise _stop(url, f"the time-stamping authority refused: {response.status_string}")
    if response.tst_info.message_imprint.message != hashlib.sha256(data).digest():
        raise _stop(url, "the time-stamp covers other data than was sent")
    return raw, response.tst_info.gen_time.isoformat()


def obtain(url: str, stamped: Mapping[str, Any], path: str, ca: Path | None = None) -> Receipt:
    """A receipt for the record; with the authority's root `ca`, one that `redline verify`
    will accept: a deploy publishing a token that does not verify (an impostor answering at
    an http:// address) would publish no proof while counting notice from it."""
    raw, when = request_token(url, canonical(stamped))
    token = base64.b64encode(raw).decode()
    if ca is not None:
        try:
            verify({"record": dict(stamped), "token": token}, load_roots(ca))
        except (OSError, ValueError) as exc:
            raise _stop(
                url, f"the time-stamping authority's token does not verify: {exc}"
            ) from None
    return Receipt(path, url, when, token, dict(stamped))


def receipt_file(receipt: Mapping[str, Any]) -> str:
    """The published receipt: the record and the authority's token over it."""
    keys = ("record", "authority", "time", "token")
    return (
        json.dumps({k: receipt[k] for k in keys}, ensure_ascii=False, sort_keys=True, indent=2)
        + "\n"
    )


# --- verification ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """One receipt, verified."""

    record: Mapping[str, Any]
    time: str  # the token's time (UTC)
    authority: str  # the signer's subject


def load_roots(path: Path) -> list:
    from cryptography import x509

    pem = path.read_bytes()
    try:
        return x509.load_pem_x509_certificates(pem)
    except ValueError:
        return [x509.load_der_x509_certificate(pem)]


def verify(document: Mapping[str, Any], roots: list) -> Checked:
    """Check a receipt: the token is signed by a chain to `roots`, and it covers exactly the
    record. Raises ValueError saying what is wrong."""
    from rfc3161_client import VerificationError, VerifierBuilder, decode_timestamp_response

    try:
        response = decode_timestamp_response(base64.b64decode(document["token"], validate=True))
    except (KeyError, ValueError, TypeError) as exc:
        raise ValueError(f"the token is not a time-stamp ({exc})") from None
    stamped = document.get("record")
    if not isinstance(stamped, Mapping):
        raise ValueError("the receipt holds no announcement record")
    builder = VerifierBuilder()
    for root in roots:
        builder = builder.add_root_certificate(root)
    try:
        builder.build().verify_message(response, canonical(stamped))
    except VerificationError as exc:
        raise ValueError(f"the token does not verify: {exc}") from None
    signer = response.signed_data.certificates
    name = _subject(signer) or "the time-stamping authority"
    return Checked(stamped, response.tst_info.gen_time.isoformat(), name)


def _subject(certificates: Any) -> str:
    from cryptography import x509

    for der in certificates or []:
        cert = x509.load_der_x509_certificate(der)
        usage = _extended_usage(cert)
        if usage and x509.oid.ExtendedKeyUsageOID.TIME_STAMPING in usage:
            return cert.subject.rfc4514_string()
    return ""


def _extended_usage(cert: Any) -> Any:
    from cryptography import x509

    try:
        return cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return None
