"""The addresses other machines reach this one at, and the base URL students join at.

Connecting a UDP socket sends no packet: it only asks the kernel which of this machine's
addresses it would send from, so the probes below find the address of the route to the LAN
(or the default route) without network traffic.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

ANY_ADDRESS = ("0.0.0.0", "::", "")
# Documentation addresses (no one answers them) stand for the default route; the private
# ranges for a classroom network without one.
PROBES = (
    (socket.AF_INET, "192.0.2.1"),
    (socket.AF_INET, "10.255.255.254"),
    (socket.AF_INET, "172.31.255.254"),
    (socket.AF_INET, "192.168.255.254"),
    (socket.AF_INET6, "2001:db8::1"),
)


def url_host(address: str) -> str:
    """An address as it appears in a URL or a Host header: IPv6 in brackets."""
    try:
        return f"[{address}]" if ipaddress.ip_address(address).version == 6 else address
    except ValueError:
        return address.lower()


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host.lower() == "localhost"


def routed_addresses() -> list[str]:
    """This machine's addresses that routes leave from, the default route's first."""
    found: list[str] = []
    for family, probe in PROBES:
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))
                address = s.getsockname()[0].split("%")[0]
        except OSError:
            continue
        if address not in found and not _loopback(address) and address not in ANY_ADDRESS:
            found.append(address)
    return found


def lan_address() -> str:
    """The address a student's device on this network reaches: the routed IPv4 address, else
    any routed one, else a non-loopback address of this host's name, else the host's name."""
    routed = routed_addresses()
    v4 = [a for a in routed if ":" not in a]
    if v4 or routed:
        return (v4 or routed)[0]
    name = socket.gethostname()
    try:
        for info in socket.getaddrinfo(name, None, socket.AF_INET):
            if not _loopback(info[4][0]):
                return info[4][0]
    except OSError:
        pass
    return name


def join_base(public_url: str | None, host: str, port: int, request_host: str = "") -> str:
    """The base URL of the student pages.

    public_url when set; a server bound to every interface: the address the teacher's browser
    used if it is a LAN one (an IP address other than loopback), else this machine's LAN
    address (never 127.0.0.1); a server bound to one address: that address."""
    if public_url:
        return public_url.rstrip("/")
    if host not in ANY_ADDRESS:
        return f"http://{url_host(host)}:{port}"
    seen = urlsplit(f"//{request_host}")
    try:
        port = seen.port or port  # the port the teacher's browser used (a published one)
    except ValueError:
        pass
    name = seen.hostname or ""
    if name and not _loopback(name):
        try:
            ipaddress.ip_address(name)
            return f"http://{url_host(name)}:{port}"
        except ValueError:
            pass  # a name: what this machine calls itself may not resolve on a phone
    return f"http://{url_host(lan_address())}:{port}"


def public_host(public_url: str | None) -> str | None:
    """The Host header of requests sent to public_url, for the Host check."""
    return url_host(urlsplit(public_url).hostname or "") if public_url else None
