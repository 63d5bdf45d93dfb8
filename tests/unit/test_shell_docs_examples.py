"""Every container command of the Kubernetes docs examples, run by the sandboxed shell
against an in-memory FileSystem and a fake pod network: their output, files and exit codes
are what a real cluster shows."""

from __future__ import annotations

import pytest
import yaml

from kitlib.sim.network.api import HttpRequest, HttpResponse
from kitlib.sim.runtime.shell import BUSYBOX, DEBIAN, Flavour, debian
from tests.conftest import EXAMPLES
from tests.unit.shellkit import START, FakeNetwork, MemoryFS, run

ABSENT = f"{EXAMPLES} is absent (../shared is not part of a user's clone)"

# Images whose programs the shell runs (the rest are servers other programs simulate).
FLAVOURS: dict[str, Flavour] = {"busybox": BUSYBOX, "debian": DEBIAN}


def _containers() -> list[tuple[str, str, str, list[str]]]:
    found = []
    for path in sorted(EXAMPLES.rglob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if not doc or doc.get("kind") != "Pod":
                continue
            spec = doc["spec"]
            for c in spec.get("initContainers", []) + spec.get("containers", []):
                argv = list(c.get("command") or []) + list(c.get("args") or [])
                repository = c["image"].split(":")[0].rsplit("/", 1)[-1]
                if argv and repository in FLAVOURS:
                    found.append((str(path.relative_to(EXAMPLES)), c["name"], repository, argv))
    return found


CONTAINERS = _containers()


def _network() -> FakeNetwork:
    net = FakeNetwork(ip="10.244.1.7", hostname="demo",
                      dns={"info.cern.ch": ["188.184.67.127"]})

    async def cern(request: HttpRequest) -> HttpResponse:
        return HttpResponse(200, "OK", (("Content-Type", "text/html"),),
                            b"<html><body><header><title>http://info.cern.ch</title></header>"
                            b"</body></html>\n")
    net.serve("188.184.67.127", 80, cern)
    return net


ENV = {"KUBERNETES_PORT": "tcp://10.96.0.1:443", "MY_NODE_NAME": "kind-worker",
       "MY_POD_NAME": "dapi-envars-fieldref", "MY_POD_NAMESPACE": "default",
       "MY_POD_IP": "10.244.1.7", "MY_POD_SERVICE_ACCOUNT": "default", "HOSTNAME": "demo"}


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason=ABSENT)
def test_the_examples_are_found() -> None:
    names = {(path, name) for path, name, _, _ in CONTAINERS}
    assert ("pods/commands.yaml", "command-demo-container") in names
    assert ("pods/probe/exec-liveness.yaml", "liveness") in names
    assert ("pods/inject/dapi-envars-pod.yaml", "test-container") in names
    assert ("pods/two-container-pod.yaml", "debian-container") in names
    assert ("pods/init-containers.yaml", "install") in names


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason=ABSENT)
@pytest.mark.parametrize("path,name,image,argv", CONTAINERS or [("", "", "", [])],
                         ids=[f"{p}:{n}" for p, n, _, _ in CONTAINERS] or ["none"])
def test_every_example_runs_without_shell_errors(path: str, name: str, image: str,
                                                 argv: list[str]) -> None:
    fs = MemoryFS({"/pod-data/.keep": "", "/work-dir/.keep": ""})
    result = run(argv=argv, command=True, flavour=FLAVOURS[image], fs=fs, net=_network(),
                 env=ENV, kill_after=45)
    assert "not found" not in result.stderr
    assert "syntax error" not in result.stderr.lower()
    assert result.status in (0, 137)


def test_commands_yaml_prints_hostname_and_kubernetes_port() -> None:
    result = run(argv=["printenv", "HOSTNAME", "KUBERNETES_PORT"], command=True,
                 flavour=DEBIAN, env=ENV)
    assert (result.stdout, result.stderr, result.status) == \
        ("demo\ntcp://10.96.0.1:443\n", "", 0)


def test_printenv_of_a_missing_variable_fails_like_coreutils() -> None:
    result = run(argv=["printenv", "HOSTNAME", "NOPE"], command=True, flavour=DEBIAN, env=ENV)
    assert (result.stdout, result.status) == ("demo\n", 1)


def test_dapi_envars_loop_prints_every_ten_simulated_seconds() -> None:
    script = ("while true; do echo -en '\\n'; printenv MY_NODE_NAME MY_POD_NAME "
              "MY_POD_NAMESPACE; printenv MY_POD_IP MY_POD_SERVICE_ACCOUNT; sleep 10; done;")
    result = run(argv=["sh", "-c", script], flavour=BUSYBOX, env=ENV, kill_after=25)
    block = "\nkind-worker\ndapi-envars-fieldref\ndefault\n10.244.1.7\ndefault\n"
    assert result.stdout == block * 3          # at 0 s, 10 s and 20 s
    assert result.status == 137                # it never ends by itself


def test_exec_liveness_file_comes_and_goes_on_the_clock() -> None:
    fs = MemoryFS()
    seen: list[tuple[float, bool]] = []

    async def probe(ctx) -> None:              # type: ignore[no-untyped-def]
        for at in (1, 29, 31):
            await ctx.clock.sleep(at - (ctx.clock.time() - START.timestamp()))
            seen.append((at, ctx.fs.exists("/tmp/healthy")))

    result = run(argv=["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; "
                       "sleep 600"], flavour=BUSYBOX, fs=fs, during=probe, kill_after=40)
    assert seen == [(1, True), (29, True), (31, False)]
    assert result.status == 137


def test_liveness_probe_command_fails_with_busybox_message() -> None:
    result = run(argv=["cat", "/tmp/healthy"], command=True, flavour=BUSYBOX)
    assert result.status == 1
    assert result.stderr == "cat: can't open '/tmp/healthy': No such file or directory\n"


def test_debian_container_writes_the_shared_volume() -> None:
    fs = MemoryFS({"/pod-data/.keep": ""})
    result = run(argv=["/bin/sh", "-c", "echo Hello from the debian container > "
                       "/pod-data/index.html"], flavour=DEBIAN, fs=fs)
    assert result.status == 0
    assert fs.read("/pod-data/index.html") == b"Hello from the debian container\n"


def test_init_container_wget_saves_the_page() -> None:
    fs = MemoryFS({"/work-dir/.keep": ""})
    result = run(argv=["wget", "-O", "/work-dir/index.html", "http://info.cern.ch"],
                 command=True, flavour=BUSYBOX, fs=fs, net=_network())
    assert result.status == 0
    assert fs.read("/work-dir/index.html").startswith(b"<html>")
    assert result.stderr.splitlines() == [
        "Connecting to info.cern.ch (188.184.67.127:80)",
        "saving to '/work-dir/index.html'",
        "index.html           100% |********************************|    78  0:00:00 ETA",
        "'/work-dir/index.html' saved"]


# --- other scripts from the Kubernetes docs ---------------------------------------------


def test_counter_pod_counts_with_dates() -> None:
    script = 'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done'
    result = run(argv=["/bin/sh", "-c", script], kill_after=2.5)
    assert result.stdout.splitlines() == ["0: Thu Nov 26 16:00:00 UTC 2026",
                                          "1: Thu Nov 26 16:00:01 UTC 2026",
                                          "2: Thu Nov 26 16:00:02 UTC 2026"]


def test_logging_sidecar_pair_shares_a_volume() -> None:
    fs = MemoryFS()
    writer = ('i=0; while true; do echo "$i: $(date)" >> /var/log/1.log; '
              'echo "$(date) INFO $i" >> /var/log/2.log; i=$((i+1)); sleep 1; done')
    run(argv=["/bin/sh", "-c", writer], fs=fs, kill_after=2.5)
    tail = run(argv=["/bin/sh", "-c", "tail -n+1 -F /var/log/2.log"], fs=fs, kill_after=0.5)
    assert tail.stdout == ("Thu Nov 26 16:00:00 UTC 2026 INFO 0\n"
                           "Thu Nov 26 16:00:01 UTC 2026 INFO 1\n"
                           "Thu Nov 26 16:00:02 UTC 2026 INFO 2\n")


def test_init_container_waits_for_its_service_with_nslookup() -> None:
    net = FakeNetwork(dns={})
    fs = MemoryFS({"/var/run/secrets/kubernetes.io/serviceaccount/namespace": "default",
                   "/etc/resolv.conf": "search default.svc.cluster.local svc.cluster.local "
                                       "cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"})
    script = ("until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/"
              "namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done")

    async def create_service(ctx) -> None:     # type: ignore[no-untyped-def]
        await ctx.clock.sleep(5)
        net.dns["myservice.default.svc.cluster.local"] = ["10.96.0.42"]

    result = run(argv=["sh", "-c", script], fs=fs, net=net, during=create_service)
    assert result.status == 0
    assert result.stdout.count("waiting for myservice") == 3
    assert result.stdout.endswith("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
                                  "Name:\tmyservice.default.svc.cluster.local\n"
                                  "Address: 10.96.0.42\n\n")


def test_echo_and_sleep_pattern_of_the_pod_lifecycle_docs() -> None:
    result = run(argv=["sh", "-c", 'echo "Hello, Kubernetes!" && sleep 3600'], kill_after=60)
    assert result.stdout == "Hello, Kubernetes!\n"
    assert result.status == 137


def test_job_with_a_for_loop() -> None:
    result = run(argv=["sh", "-c", "for i in 1 2 3; do echo \"Processing item $i\"; sleep 1; "
                       "done; echo done"])
    assert result.stdout == ("Processing item 1\nProcessing item 2\nProcessing item 3\n"
                             "done\n")
    assert result.clock.time() - START.timestamp() == pytest.approx(3)


def test_poststart_hook_writes_a_message() -> None:
    fs = MemoryFS({"/usr/share/.keep": ""})
    result = run(argv=["/bin/sh", "-c", "echo Hello from the postStart handler > "
                       "/usr/share/message"], flavour=debian(), fs=fs)
    assert result.status == 0
    assert fs.read("/usr/share/message") == b"Hello from the postStart handler\n"
