"""The phone listener's own authority: name-constrained, and its certificate renewed in time."""

from __future__ import annotations

import ipaddress
import plistlib
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from innerpace.phone.authority import (
    Names,
    covers,
    der,
    fingerprint,
    issue_leaf,
    make_authority,
    mobileconfig,
    needs_renewal,
    served_names,
)
from innerpace.phone.keys import credentials_for, own_certificate

NOW = datetime(2026, 11, 29, 14, 0, tzinfo=UTC)
NAMES = Names(("192.168.1.23",), ("kitchen.local",))


@pytest.fixture(scope="module")
def authority():
    return make_authority(NAMES, NOW, label="kitchen")


def test_the_authority_is_a_ca_limited_to_the_served_names(authority):
    cert = authority.certificate
    basic = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert basic.critical and basic.value.ca and basic.value.path_length == 0
    constraints = cert.extensions.get_extension_for_class(x509.NameConstraints)
    assert constraints.critical
    permitted = {str(t.value) for t in constraints.value.permitted_subtrees}
    assert permitted == {"192.168.1.23/32", "kitchen.local"}
    assert covers(authority.cert_pem, NAMES)
    assert not covers(authority.cert_pem, Names(("192.168.1.24",), ("kitchen.local",)))


def test_the_leaf_is_ecdsa_p256_for_90_days_and_verifies_for_its_names(authority):
    leaf = issue_leaf(authority, NAMES, NOW)
    cert = leaf.certificate
    assert cert.public_key().curve.name == "secp256r1"
    assert cert.not_valid_after_utc - NOW == timedelta(days=90)
    verifier = (
        PolicyBuilder()
        .store(Store([authority.certificate]))
        .time(NOW)
        .build_server_verifier(x509.IPAddress(ipaddress.ip_address("192.168.1.23")))
    )
    verifier.verify(cert, [])
    by_name = (
        PolicyBuilder()
        .store(Store([authority.certificate]))
        .time(NOW)
        .build_server_verifier(x509.DNSName("kitchen.local"))
    )
    by_name.verify(cert, [])


def test_a_leaf_for_a_name_outside_the_constraints_is_rejected(authority):
    outside = Names(("192.168.1.23",), ("bank.example",))
    leaf = issue_leaf(authority, outside, NOW)  # the key can sign it; no verifier accepts it
    verifier = (
        PolicyBuilder()
        .store(Store([authority.certificate]))
        .time(NOW)
        .build_server_verifier(x509.DNSName("bank.example"))
    )
    with pytest.raises(VerificationError):
        verifier.verify(leaf.certificate, [])
    other_ip = issue_leaf(authority, Names(("10.0.0.9",)), NOW)
    verifier_ip = (
        PolicyBuilder()
        .store(Store([authority.certificate]))
        .time(NOW)
        .build_server_verifier(x509.IPAddress(ipaddress.ip_address("10.0.0.9")))
    )
    with pytest.raises(VerificationError):
        verifier_ip.verify(other_ip.certificate, [])


def test_renewal_when_thirty_days_remain_or_the_names_change(authority):
    leaf = issue_leaf(authority, NAMES, NOW)
    assert not needs_renewal(leaf.cert_pem, authority.cert_pem, NAMES, NOW + timedelta(days=59))
    assert needs_renewal(leaf.cert_pem, authority.cert_pem, NAMES, NOW + timedelta(days=61))
    moved = Names(("192.168.1.40",), ("kitchen.local",))
    assert needs_renewal(leaf.cert_pem, authority.cert_pem, moved, NOW)
    other = make_authority(NAMES, NOW)
    assert needs_renewal(leaf.cert_pem, other.cert_pem, NAMES, NOW)


def test_the_ios_profile_carries_the_authority_as_a_root_payload(authority):
    profile = plistlib.loads(mobileconfig(authority.cert_pem, label="kitchen"))
    assert profile["PayloadType"] == "Configuration"
    (payload,) = profile["PayloadContent"]
    assert payload["PayloadType"] == "com.apple.security.root"
    assert payload["PayloadContent"] == der(authority.cert_pem)
    assert mobileconfig(authority.cert_pem, label="kitchen") == mobileconfig(
        authority.cert_pem, label="kitchen"
    )


def test_fingerprint_is_sha256_in_pairs(authority):
    text = fingerprint(authority.cert_pem)
    assert len(text.split(":")) == 32
    assert text == text.upper()


def test_served_names_use_hostname_dot_local():
    assert served_names(["192.168.1.2"], "Kitchen-PC.lan").dns == ("kitchen-pc.local",)
    assert served_names(["192.168.1.2"], "bad name!").dns == ()
    with pytest.raises(ValueError):
        Names(("not-an-ip",))


def test_credentials_are_made_once_and_kept_in_the_journal(journal):
    records = journal.store.phone
    first = credentials_for(records, NAMES, NOW)
    assert first.made_new_authority
    again = credentials_for(records, NAMES, NOW + timedelta(days=10))
    assert not again.made_new_authority
    assert again.authority.cert_pem == first.authority.cert_pem
    assert again.leaf.cert_pem == first.leaf.cert_pem
    later = credentials_for(records, NAMES, NOW + timedelta(days=70))
    assert later.authority.cert_pem == first.authority.cert_pem
    assert later.leaf.cert_pem != first.leaf.cert_pem
    moved = credentials_for(records, Names(("192.168.1.99",)), NOW)
    assert moved.made_new_authority
    assert moved.authority_fingerprint != first.authority_fingerprint


def test_an_own_certificate_is_used_as_it_is(authority):
    leaf = issue_leaf(authority, NAMES, NOW)
    own = own_certificate(leaf.cert_pem, leaf.key_pem)
    assert own.authority is None and own.authority_fingerprint is None
    with pytest.raises(ValueError):
        own_certificate(b"not a certificate", b"")


def test_a_locked_journal_keeps_the_authority_key_encrypted(data_dir):
    from innerpace.services import Journal

    with Journal.open(data_dir) as journal:
        first = credentials_for(journal.store.phone, NAMES, NOW)
        journal.lock("a long enough passphrase for tests")
    kept = b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())
    assert b"PRIVATE KEY" not in kept and first.authority.key_pem not in kept
    with Journal.open(data_dir, passphrase="a long enough passphrase for tests") as journal:
        again = credentials_for(journal.store.phone, NAMES, NOW)
    assert again.authority_fingerprint == first.authority_fingerprint
