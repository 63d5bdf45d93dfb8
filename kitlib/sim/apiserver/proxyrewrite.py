"""Keeping a proxied page inside the proxy: the URL rewriting of the API server's proxy
transport (k8s.io/apimachinery/pkg/util/proxy).

A page served at ``/`` by a pod and read at ``/api/v1/namespaces/default/services/web/
proxy/`` would send the browser's next click to ``/style.css`` on the API server, which
has none.  So the proxy prefixes absolute-path links in HTML (``href``, ``src``, ...) and
``Location`` headers of redirects with the part of the request path before the backend's
path, and tells the backend where it was reached (``X-Forwarded-Uri``).  Links to other
hosts and relative links are left alone.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Callable
from urllib.parse import urlsplit, urlunsplit

#: Which attributes of which tags hold URLs (the proxy transport's table).
URL_ATTRIBUTES: dict[str, frozenset[str]] = {
    tag: frozenset(attrs.split()) for tag, attrs in (
        ("a", "href"), ("applet", "codebase"), ("area", "href"), ("audio", "src"),
        ("base", "href"), ("blockquote", "cite"), ("body", "background"),
        ("button", "formaction"), ("command", "icon"), ("del", "cite"), ("embed", "src"),
        ("form", "action"), ("frame", "longdesc src"), ("head", "profile"),
        ("html", "manifest"), ("iframe", "longdesc src"), ("img", "longdesc src usemap"),
        ("input", "src usemap formaction"), ("ins", "cite"), ("link", "href"),
        ("object", "classid codebase data usemap"), ("q", "cite"), ("script", "src"),
        ("source", "src"), ("video", "poster src"))}


def clean(path: str) -> str:
    """Go's path.Clean: one slash between elements, no ``.``, ``..`` resolved."""
    rooted = path.startswith("/")
    parts: list[str] = []
    for element in path.split("/"):
        if element in ("", "."):
            continue
        if element == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(element)
    joined = "/".join(parts)
    return ("/" + joined) if rooted else (joined or ".")


def join(prefix: str, path: str) -> str:
    """path.Join of two elements (empty ones ignored)."""
    items = [p for p in (prefix, path) if p]
    return clean("/".join(items)) if items else ""


class Rewriter:
    """The proxy transport of one request: its path prefix and the hosts it stands for."""

    def __init__(self, *, prefix: str, request_host: str, backend_host: str = "") -> None:
        #: The request path up to ``/proxy``: what the transport prepends (PathPrepend).
        self.prefix = prefix
        self.backend_host = backend_host
        self.request_host = request_host

    def forwarded_uri(self, backend_path: str) -> str:
        uri = join(self.prefix, backend_path)
        return uri + "/" if backend_path.endswith("/") and not uri.endswith("/") else uri

    def rewrite_url(self, target: str) -> str:
        try:
            parts = urlsplit(target)
        except ValueError:
            return target
        different_host = parts.netloc not in ("", self.backend_host, self.request_host)
        if different_host or not parts.path.startswith("/"):
            return target
        scheme, netloc = parts.scheme, parts.netloc
        if netloc != self.request_host:
            scheme, netloc = "", ""             # the transport knows no scheme or host
        path = parts.path
        if not path.startswith(self.prefix):
            joined = join(self.prefix, path)
            path = joined + "/" if path.endswith("/") and not joined.endswith("/") else joined
        return urlunsplit((scheme, netloc, path, parts.query, parts.fragment))


class _HtmlRewriter(HTMLParser):
    def __init__(self, rewrite: Callable[[str], str]) -> None:
        super().__init__(convert_charrefs=False)
        self.rewrite = rewrite
        self.out: list[str] = []

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], closing: str) -> None:
        wanted = URL_ATTRIBUTES.get(tag, frozenset())
        text = "<" + tag
        for key, value in attrs:
            value = value or ""
            if key in wanted:
                value = self.rewrite(value)
            text += f' {key}="{_escape(value)}"'
        self.out.append(text + closing)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, ">")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, "/>")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")


def _escape(value: str) -> str:
    """html.EscapeString of Go's tokenizer output: & ' < > " and CR."""
    return html.escape(value, quote=True).replace("&#x27;", "&#39;") \
        .replace("&quot;", "&#34;").replace("\r", "&#13;")


def rewrite_html(body: bytes, rewrite: Callable[[str], str]) -> bytes:
    """Every tag re-serialized, URL attributes passed through ``rewrite``."""
    parser = _HtmlRewriter(rewrite)
    parser.feed(body.decode("utf-8", "surrogateescape"))
    parser.close()
    if parser.rawdata:                          # an unfinished tag at the end: as it was
        parser.out.append(parser.rawdata)
    return "".join(parser.out).encode("utf-8", "surrogateescape")
