"""The fuzzers' cluster, client and settings.

Each fuzz module gets a simulated cluster of its own (in this process, so its log records
can be caught with their tracebacks) on a state file, with one valid object of every kind
in the namespace ``fuzz``.  Runs are deterministic (``derandomize``) and short by default;
``KIT_FUZZ_SCALE=N`` multiplies every test's example count for a long run.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
import requests
from hypothesis import HealthCheck, settings

from kitlib.sim.cluster import SimConfig, ThreadedCluster
from tests.conftest import write_kubeconfig
from tests.fuzz.manifests import (NAMESPACE, RESOURCES, collection_path, fixture_name,
                                  item_path, manifest)
from tests.fuzz.known import seen
from tests.fuzz.oracle import Sent, ServerLog, check, check_dropped, check_response

SCALE = float(os.environ.get("KIT_FUZZ_SCALE", "1"))
SENT = [0]      # fuzzed requests in this session, for the summary


def fuzz_settings(examples: int) -> settings:
    """Deterministic settings with ``examples`` (times KIT_FUZZ_SCALE) examples."""
    return settings(max_examples=max(1, int(examples * SCALE)), derandomize=True,
                    database=None, deadline=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture,
                                           HealthCheck.filter_too_much])


class Fuzzer:
    """Sends a request, checks the answer with the oracle, and keeps the server sane."""

    def __init__(self, cluster: ThreadedCluster, ca_path: Path, log: ServerLog) -> None:
        self.cluster = cluster
        self.url = cluster.url
        self.log = log
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {cluster.token}"
        self.session.verify = str(ca_path)
        self.session.trust_env = False
        self.sent = 0

    def send(self, sent: Sent, *, strict: bool = False, counted: bool = True) -> Any:
        """Send ``sent`` and check the answer (``strict``: known bugs are not excused;
        ``counted``: a fuzzed request, not one of the harness's own checks)."""
        headers = dict(sent.headers)
        headers.setdefault("Authorization", self.session.headers["Authorization"])
        request = requests.Request(sent.method, self.url + sent.path, params=sent.params,
                                   headers=headers, data=sent.body)
        prepared = self.session.prepare_request(request)
        if counted:
            self.sent += 1
            SENT[0] += 1
        try:
            response = self.session.send(prepared, timeout=30)
        except requests.RequestException as error:   # dropped, garbled or hung
            time.sleep(0.05)        # let the server log why
            check_dropped(sent, self.log, error, strict=strict)
            return None
        check_response(response, sent, self.log, strict=strict)
        return response

    def raw(self, method: str, path: str, **kwargs: Any) -> Any:
        """A request of the harness itself (set-up, health checks): not fuzzed."""
        return self.session.request(method, self.url + path, timeout=30, **kwargs)

    def ensure_fixtures(self, resources: Any = RESOURCES) -> None:
        """Make sure the namespace and one valid object of each kind exist."""
        deadline = time.monotonic() + 120     # its pods end their grace periods first
        while True:
            found = self.raw("GET", f"/api/v1/namespaces/{NAMESPACE}")
            if found.status_code == 404:
                made = self.raw("POST", "/api/v1/namespaces",
                                json={"metadata": {"name": NAMESPACE}})
                assert made.status_code == 201, made.text
                break
            if not found.json()["metadata"].get("deletionTimestamp"):
                break
            assert time.monotonic() < deadline, f"namespace {NAMESPACE} stuck: {found.text}"
            time.sleep(0.05)        # a fuzzed DELETE hit it: wait for it to go
        for res in resources:
            name = fixture_name(res)
            if self.raw("GET", item_path(res, name)).status_code == 200:
                continue
            made = self.raw("POST", collection_path(res), json=manifest(res, name))
            assert made.status_code == 201, f"{res.key}: {made.text}"

    def assert_healthy(self) -> None:
        """The server answers, writes, lists every kind (as Tables too) and watches; what
        fails only through a known bug (a stored object that breaks a printer) is excused."""
        assert self.raw("GET", "/readyz").text == "ok"
        assert self.raw("GET", "/version").status_code == 200
        table = {"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"}
        for res in RESOURCES:
            path = collection_path(res, None)
            for headers in ({}, table):
                self._expect_ok(Sent("GET", path, None, headers))
            self._expect_ok(Sent("GET", path, [("watch", "1"), ("timeoutSeconds", "0")]))
        made = self.raw("POST", "/api/v1/namespaces/default/configmaps",
                        json={"metadata": {"generateName": "health-"}})
        assert made.status_code == 201, made.text
        name = made.json()["metadata"]["name"]
        assert self.raw("DELETE", f"/api/v1/namespaces/default/configmaps/{name}"
                        ).status_code == 200
        # What the components logged meanwhile must be nothing, or known.
        check(Sent("GET", "(the server's log after the test)"), 200, "", "", self.log)

    def _expect_ok(self, sent: Sent) -> None:
        before = seen()
        response = self.send(sent, counted=False)
        if response is not None and response.status_code != 200 and seen() == before:
            raise AssertionError(f"{sent}: HTTP {response.status_code}: {response.text[:500]}")


@pytest.fixture(scope="module")
def fuzz_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("fuzz")
    log = ServerLog()
    log.install()
    config = SimConfig(seed=3, state=folder / "state.db")
    try:
        with ThreadedCluster(config) as cluster:
            write_kubeconfig(cluster, folder / "config")
            ca_path = folder / "ca.crt"
            ca_path.write_bytes(cluster.ca_pem)
            fuzzer = Fuzzer(cluster, ca_path, log)
            fuzzer.ensure_fixtures()
            assert not log.take()
            yield fuzzer
    finally:
        log.remove()


@pytest.fixture
def fuzzer(fuzz_cluster: Fuzzer) -> Iterator[Fuzzer]:
    """The module's fuzzer; after the test, the server must still be healthy."""
    yield fuzz_cluster
    fuzz_cluster.assert_healthy()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if SENT[0]:
        from tests.fuzz.known import seen

        hits = ", ".join(f"{k} ×{v}" for k, v in sorted(seen().items())) or "none"
        terminalreporter.write_line(f"fuzz: {SENT[0]} requests (KIT_FUZZ_SCALE={SCALE:g}); "
                                    f"known bugs met: {hits}")
