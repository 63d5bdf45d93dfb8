"""The proxy's URL rewriting, and how it reads names and picks containers."""

from __future__ import annotations

import pytest

from kitlib.sim.apiserver import podlocation, proxyrewrite
from kitlib.sim.apiserver.proxy import split_scheme_name_port
from kitlib.sim.machinery import errors

PREFIX = "/api/v1/namespaces/default/services/web:80/proxy"


@pytest.mark.parametrize("path, clean", [
    ("/a//b/./c/../d", "/a/b/d"), ("/../x", "/x"), ("", "."), ("a/../../b", "../b"),
    ("/", "/"),
])
def test_clean_is_go_path_clean(path: str, clean: str) -> None:
    assert proxyrewrite.clean(path) == clean


@pytest.mark.parametrize("target, rewritten", [
    ("/docs/", f"{PREFIX}/docs/"),
    ("/docs?q=1#top", f"{PREFIX}/docs?q=1#top"),
    ("logo.png", "logo.png"),                                  # relative: left alone
    ("http://example.com/x", "http://example.com/x"),          # another host
    ("https://127.0.0.1:6443/y", f"https://127.0.0.1:6443{PREFIX}/y"),   # the API server
    ("http://10.244.1.5:80/z", f"{PREFIX}/z"),                 # the backend itself
    (f"{PREFIX}/already", f"{PREFIX}/already"),
])
def test_rewrite_url(target: str, rewritten: str) -> None:
    rewriter = proxyrewrite.Rewriter(prefix=PREFIX, request_host="127.0.0.1:6443",
                                     backend_host="10.244.1.5:80")
    assert rewriter.rewrite_url(target) == rewritten


def test_forwarded_uri_keeps_the_trailing_slash() -> None:
    rewriter = proxyrewrite.Rewriter(prefix=PREFIX, request_host="h")
    assert rewriter.forwarded_uri("/") == f"{PREFIX}/"
    assert rewriter.forwarded_uri("/a/b") == f"{PREFIX}/a/b"


def test_html_tags_are_reserialized_with_links_rewritten() -> None:
    page = (b"<!DOCTYPE html><HTML><head><link rel=stylesheet href='/s.css'></head>"
            b"<body background=/bg.png><p class=x>caf\xc3\xa9 &amp; co<br/>"
            b"<script>if (a < b) { go('/x') }</script><!-- /note -->"
            b'<a href="/p?a=1&amp;b=2" title="&quot;q&quot;">p</a></body></html>')
    out = proxyrewrite.rewrite_html(page, lambda url: "/P" + url if url.startswith("/") else url)
    assert out == (b'<!DOCTYPE html><html><head><link rel="stylesheet" href="/P/s.css"></head>'
                   b'<body background="/P/bg.png"><p class="x">caf\xc3\xa9 &amp; co<br/>'
                   b"<script>if (a < b) { go('/x') }</script><!-- /note -->"
                   b'<a href="/P/p?a=1&amp;b=2" title="&#34;q&#34;">p</a></body></html>')


@pytest.mark.parametrize("ident, split", [
    ("web", ("", "web", "")), ("web:80", ("", "web", "80")),
    ("https:web:443", ("https", "web", "443")), ("web:http", ("", "web", "http")),
    ("ftp:web:21", None), (":80", None), ("a:b:c:d", None),
])
def test_split_scheme_name_port(ident: str, split: tuple[str, str, str] | None) -> None:
    assert split_scheme_name_port(ident) == split


def pod(*regular: str, init: tuple[str, ...] = ()) -> dict:
    return {"metadata": {"name": "p"}, "spec": {
        "initContainers": [{"name": n} for n in init],
        "containers": [{"name": n} for n in regular]}}


def test_choose_container() -> None:
    assert podlocation.choose_container(pod("only"), "") == "only"
    assert podlocation.choose_container(pod("a", "b", init=("setup",)), "setup") == "setup"
    with pytest.raises(errors.BadRequest) as info:
        podlocation.choose_container(pod("a", "b", init=("setup",)), "")
    assert info.value.message == "a container name must be specified for pod p, choose one " \
                                 "of: [setup a b]"
    with pytest.raises(errors.BadRequest) as info:
        podlocation.choose_container(pod("a"), "z")
    assert info.value.message == "container z is not valid for pod p"
