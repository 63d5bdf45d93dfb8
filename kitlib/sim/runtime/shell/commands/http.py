"""What wget and curl share: URLs, name resolution through the pod's DNS, and the
request itself over the pod network (never a real socket)."""

from __future__ import annotations

import base64
import ipaddress
from dataclasses import dataclass

from kitlib.sim.network.api import HttpRequest, HttpResponse, NetError, PodNetwork


@dataclass(frozen=True)
class Url:
    scheme: str
    host: str
    port: int
    target: str            # path and query
    userinfo: str = ""

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        return self.host if self.port == default else f"{self.host}:{self.port}"

    @property
    def filename(self) -> str:
        path = self.target.split("?", 1)[0]
        return path.rstrip("/").rsplit("/", 1)[-1] if path.strip("/") else "index.html"

    def join(self, location: str) -> Url:
        """Where a redirect's Location points."""
        if "://" in location:
            return parse_url(location)
        if location.startswith("/"):
            return Url(self.scheme, self.host, self.port, location, self.userinfo)
        base = self.target.split("?", 1)[0].rsplit("/", 1)[0]
        return Url(self.scheme, self.host, self.port, base + "/" + location, self.userinfo)


class UrlError(ValueError):
    pass


def parse_url(text: str, *, default_scheme: str = "http") -> Url:
    scheme = default_scheme
    rest = text
    if "://" in text:
        scheme, rest = text.split("://", 1)
        scheme = scheme.lower()
    if scheme not in ("http", "https"):
        raise UrlError(scheme)
    authority, slash, path = rest.partition("/")
    query = ""
    if "?" in authority:
        authority, _, query = authority.partition("?")
        path = ""
    userinfo = ""
    if "@" in authority:
        userinfo, _, authority = authority.rpartition("@")
    host, port_text = authority, ""
    if authority.startswith("["):
        end = authority.find("]")
        host, port_text = authority[1:end], authority[end + 2:]
    elif ":" in authority:
        host, _, port_text = authority.partition(":")
    if not host:
        raise UrlError("host")
    if port_text and not port_text.isdigit():
        raise UrlError("port")
    port = int(port_text) if port_text else (443 if scheme == "https" else 80)
    target = "/" + path if slash else "/"
    if query:
        target += "?" + query
    return Url(scheme, host, port, target, userinfo)


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def resolve(net: PodNetwork, host: str) -> str:
    """The address ``host`` resolves to (raises NetError nxdomain)."""
    if is_ip(host):
        return host
    if host == "localhost":
        return "127.0.0.1"
    addresses = net.resolve(host)
    if not addresses:
        raise NetError("nxdomain", f"lookup {host}: no such host")
    return addresses[0]


def basic_auth(userinfo: str) -> tuple[str, str]:
    return ("Authorization", "Basic " + base64.b64encode(userinfo.encode()).decode())


async def fetch(net: PodNetwork, url: Url, *, method: str = "GET",
                headers: tuple[tuple[str, str], ...] = (), body: bytes = b"",
                timeout: float = 10.0) -> HttpResponse:
    request = HttpRequest(method=method, target=url.target, headers=headers, body=body,
                          host=url.host_header, client_ip=getattr(net, "ip", ""))
    return await net.http(url.host, url.port, request, timeout=timeout)


REASONS = {200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently",
           302: "Found", 304: "Not Modified", 307: "Temporary Redirect",
           308: "Permanent Redirect", 400: "Bad Request", 401: "Unauthorized",
           403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
           500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
           504: "Gateway Timeout"}


def reason(response: HttpResponse) -> str:
    return response.reason or REASONS.get(response.status, "")
