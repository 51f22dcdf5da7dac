"""Finding this computer's address in the home network, with the standard library only.

Connecting a UDP socket to a private address sends no packet: it only asks the kernel which
local address it would route from. Only a private (RFC 1918 / unique-local) answer is accepted.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket

# Probe targets in each private range; nothing is ever sent to them.
PROBES = ("192.168.0.1", "10.0.0.1", "172.16.0.1")


def is_home_address(address: str) -> bool:
    """A private, non-loopback unicast address (where a home network lives)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.is_private and not (
        ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified
    )


def route_source(target: str) -> str | None:
    """The local address the kernel would use to reach ``target`` (no packet leaves)."""
    family = socket.AF_INET6 if ":" in target else socket.AF_INET
    with contextlib.closing(socket.socket(family, socket.SOCK_DGRAM)) as sock:
        try:
            sock.connect((target, 9))
            return str(sock.getsockname()[0])
        except OSError:
            return None


def home_address(probes: tuple[str, ...] = PROBES) -> str | None:
    """This computer's address in the home network, or None when it is on none."""
    for target in probes:
        found = route_source(target)
        if found and is_home_address(found):
            return found
    return None


def hostname() -> str:
    return socket.gethostname()
