"""Where the phone listener's authority and certificate live: inside the journal itself.

The authority's private key is a row of the journal (``phone_credentials``), so it is encrypted
at rest exactly when the journal is (SQLCipher), is never in an export, and goes with a backup.
The journal file is 0600 in its 0700 data folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from innerpace.phone.authority import (
    Credential,
    Names,
    covers,
    fingerprint,
    issue_leaf,
    make_authority,
    needs_renewal,
)
from innerpace.store.phone_queries import PhoneRecords

AUTHORITY = "authority"
LEAF = "leaf"


@dataclass(frozen=True, slots=True)
class ListenerCredentials:
    """What the listener presents (``leaf``), and the authority a phone installs (or None when
    the person brought their own certificate)."""

    leaf: Credential
    authority: Credential | None
    made_new_authority: bool = False

    @property
    def authority_fingerprint(self) -> str | None:
        return None if self.authority is None else fingerprint(self.authority.cert_pem)

    @property
    def leaf_fingerprint(self) -> str:
        return fingerprint(self.leaf.cert_pem)


def authority_for(
    records: PhoneRecords, names: Names, now: datetime, label: str
) -> tuple[Credential, bool]:
    """The journal's authority for ``names``; a new one when none exists or the served names
    changed (a phone must then install the new one). Returns it and whether it is new."""
    kept = records.credential(AUTHORITY)
    if kept is not None and covers(kept[0], names):
        return Credential(*kept), False
    authority = make_authority(names, now, label=label)
    with records.transaction():
        records.keep_credential(AUTHORITY, authority.cert_pem, authority.key_pem, now)
        records.forget_credential(LEAF)
    return authority, True


def credentials_for(
    records: PhoneRecords, names: Names, now: datetime, *, label: str = "this computer"
) -> ListenerCredentials:
    """The authority and a current leaf certificate for ``names``, renewing what needs it."""
    authority, new = authority_for(records, names, now, label)
    kept = records.credential(LEAF)
    if kept is not None and not needs_renewal(kept[0], authority.cert_pem, names, now):
        return ListenerCredentials(Credential(*kept), authority, new)
    leaf = issue_leaf(authority, names, now)
    records.keep_credential(LEAF, leaf.cert_pem, leaf.key_pem, now)
    return ListenerCredentials(leaf, authority, new)


def own_certificate(cert_pem: bytes, key_pem: bytes) -> ListenerCredentials:
    """A certificate the person brings (mkcert, a tailnet): used as it is, no authority offered."""
    credential = Credential(cert_pem, key_pem)
    credential.certificate  # noqa: B018 - refuses what is not a certificate
    return ListenerCredentials(credential, None)
