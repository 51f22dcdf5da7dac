"""innerpace's own small certificate authority for the phone listener.

Made once per journal, it may sign only for the addresses and the ``HOSTNAME.local`` name that
innerpace serves (X.509 Name Constraints, marked critical), so a phone that trusts it trusts
nothing else. The listener's certificate is an ECDSA P-256 leaf issued from it for 90 days and
renewed when fewer than 30 remain. Pure functions over PEM bytes; where they are kept is
:mod:`innerpace.phone.keys`.
"""

from __future__ import annotations

import hashlib
import ipaddress
import plistlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

AUTHORITY_DAYS = 5 * 365
LEAF_DAYS = 90
RENEW_WITHIN = timedelta(days=30)
CLOCK_SKEW = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Names:
    """What the listener answers to: IP addresses and DNS names (``host.local``)."""

    addresses: tuple[str, ...]
    dns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        addresses = tuple(str(ipaddress.ip_address(a)) for a in self.addresses)
        dns = tuple(d.lower().rstrip(".") for d in self.dns if d)
        if not addresses and not dns:
            raise ValueError("a certificate needs at least one address or name")
        object.__setattr__(self, "addresses", addresses)
        object.__setattr__(self, "dns", dns)

    def general_names(self) -> list[x509.GeneralName]:
        names: list[x509.GeneralName] = [x509.DNSName(d) for d in self.dns]
        names += [x509.IPAddress(ipaddress.ip_address(a)) for a in self.addresses]
        return names

    def subtrees(self) -> list[x509.GeneralName]:
        """The permitted subtrees: each address alone (/32 or /128) and each name."""
        trees: list[x509.GeneralName] = [x509.DNSName(d) for d in self.dns]
        for address in self.addresses:
            ip = ipaddress.ip_address(address)
            trees.append(x509.IPAddress(ipaddress.ip_network(f"{ip}/{ip.max_prefixlen}")))
        return trees


@dataclass(frozen=True, slots=True)
class Credential:
    """A certificate and its private key, both PEM."""

    cert_pem: bytes
    key_pem: bytes = b""

    @property
    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.cert_pem)

    def private_key(self) -> ec.EllipticCurvePrivateKey:
        key = serialization.load_pem_private_key(self.key_pem, password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("the key is not an elliptic-curve key")
        return key


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "innerpace"),
            x509.NameAttribute(NameOID.COMMON_NAME, common[:64]),
        ]
    )


def make_authority(names: Names, now: datetime, *, label: str = "this computer") -> Credential:
    """A new certificate authority, name-constrained to ``names``, valid for five years."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(f"innerpace on {label}")
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(now + timedelta(days=AUTHORITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.NameConstraints(permitted_subtrees=names.subtrees(), excluded_subtrees=None),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Credential(cert.public_bytes(serialization.Encoding.PEM), _pem_key(key))


def issue_leaf(authority: Credential, names: Names, now: datetime) -> Credential:
    """The listener's own ECDSA P-256 certificate for ``names``, valid for 90 days."""
    ca_cert = authority.certificate
    ca_key = authority.private_key()
    key = ec.generate_private_key(ec.SECP256R1())
    first = names.dns[0] if names.dns else names.addresses[0]
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(first))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(now + timedelta(days=LEAF_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(names.general_names()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return Credential(cert.public_bytes(serialization.Encoding.PEM), _pem_key(key))


def constraints_of(cert_pem: bytes) -> set[str]:
    """The permitted subtrees of an authority, as text (``192.168.1.5/32``, ``host.local``)."""
    cert = x509.load_pem_x509_certificate(cert_pem)
    try:
        ext = cert.extensions.get_extension_for_class(x509.NameConstraints)
    except x509.ExtensionNotFound:
        return set()
    return {str(tree.value) for tree in ext.value.permitted_subtrees or ()}


def covers(authority_pem: bytes, names: Names) -> bool:
    """The authority may sign for every one of ``names`` (and for nothing it should not)."""
    wanted = {str(tree.value) for tree in names.subtrees()}
    return constraints_of(authority_pem) == wanted


def names_of(cert_pem: bytes) -> set[str]:
    """The addresses and names a leaf certificate is for."""
    cert = x509.load_pem_x509_certificate(cert_pem)
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return set()
    return {str(name.value) for name in san}


def needs_renewal(leaf_pem: bytes, authority_pem: bytes, names: Names, now: datetime) -> bool:
    """True when the leaf has fewer than 30 days left, names other places, or another issuer."""
    leaf = x509.load_pem_x509_certificate(leaf_pem)
    ca = x509.load_pem_x509_certificate(authority_pem)
    if leaf.issuer != ca.subject:
        return True
    try:
        leaf.verify_directly_issued_by(ca)
    except (ValueError, TypeError, Exception):  # noqa: BLE001 - any failure means: issue anew
        return True
    if leaf.not_valid_after_utc - now < RENEW_WITHIN or leaf.not_valid_before_utc > now:
        return True
    return names_of(leaf_pem) != {str(n.value) for n in names.general_names()}


def fingerprint(cert_pem: bytes) -> str:
    """SHA-256 of the certificate (DER), as the colon-separated pairs phones and browsers show."""
    digest = hashlib.sha256(der(cert_pem)).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def der(cert_pem: bytes) -> bytes:
    return x509.load_pem_x509_certificate(cert_pem).public_bytes(serialization.Encoding.DER)


def mobileconfig(authority_pem: bytes, *, label: str = "this computer") -> bytes:
    """An iOS configuration profile holding the authority (one ``com.apple.security.root``
    payload). Its identifiers are derived from the certificate, so the same authority always
    gives the same profile."""
    body = der(authority_pem)
    seed = hashlib.sha256(body).hexdigest()
    outer = str(uuid.UUID(seed[:32]))
    inner = str(uuid.UUID(seed[32:64]))
    profile = {
        "PayloadType": "Configuration",
        "PayloadVersion": 1,
        "PayloadIdentifier": f"innerpace.authority.{seed[:16]}",
        "PayloadUUID": outer,
        "PayloadDisplayName": f"innerpace on {label}",
        "PayloadDescription": (
            "Lets this phone open innerpace on your own computer without a warning. "
            "It can vouch only for the addresses innerpace serves."
        ),
        "PayloadRemovalDisallowed": False,
        "PayloadContent": [
            {
                "PayloadType": "com.apple.security.root",
                "PayloadVersion": 1,
                "PayloadIdentifier": f"innerpace.authority.{seed[:16]}.root",
                "PayloadUUID": inner,
                "PayloadDisplayName": f"innerpace on {label}",
                "PayloadCertificateFileName": "innerpace-authority.cer",
                "PayloadContent": body,
            }
        ],
    }
    return plistlib.dumps(profile, fmt=plistlib.FMT_XML)


def served_names(addresses: Iterable[str], hostname: str | None) -> Names:
    """The names for one listener: its addresses and ``hostname.local`` when there is one."""
    dns: tuple[str, ...] = ()
    if hostname:
        short = hostname.split(".")[0].lower()
        if short and all(c.isalnum() or c == "-" for c in short):
            dns = (f"{short}.local",)
    return Names(tuple(addresses), dns)
