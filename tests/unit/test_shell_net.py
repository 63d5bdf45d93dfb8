"""wget, curl, nslookup, nc and redis-cli over a fake pod network, with the texts real
clusters print."""

from __future__ import annotations

from kitlib.sim.network.api import Connection, HttpRequest, HttpResponse, NetError
from kitlib.sim.runtime.shell import BUSYBOX, DEBIAN, debian
from tests.unit.shellkit import FakeNetwork, run

CURL = debian(extra=("curl",))
RESOLV = {"/etc/resolv.conf": "search default.svc.cluster.local svc.cluster.local "
                              "cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"}


def network() -> FakeNetwork:
    net = FakeNetwork(dns={"web": ["10.96.0.12"], "web.default.svc.cluster.local": ["10.96.0.12"],
                           "down": ["10.96.0.13"],
                           "kube-dns.kube-system.svc.cluster.local": ["10.96.0.10"]})

    async def web(request: HttpRequest) -> HttpResponse:
        if request.target == "/old":
            return HttpResponse(301, "Moved Permanently", (("Location", "/new"),))
        if request.target == "/missing":
            return HttpResponse(404, "Not Found", (("Content-Type", "text/plain"),),
                                b"404 page not found\n")
        body = f"{request.method} {request.target} from web-1 {request.body.decode()}\n"
        headers = dict(request.headers)
        if "X-Token" in headers:
            body += f"token={headers['X-Token']}\n"
        return HttpResponse(200, "OK", (("Server", "nginx/1.27.0"),
                                        ("Content-Type", "text/plain")), body.encode())
    net.serve("10.96.0.12", 80, web)
    return net


def curl(script: str, **options):  # type: ignore[no-untyped-def]
    return run(script, flavour=CURL, net=network(), **options)


def test_curl_prints_the_body_and_a_progress_meter_when_not_on_a_terminal() -> None:
    result = curl("curl http://web/")
    assert result.stdout == "GET / from web-1 \n"
    assert result.stderr.startswith("  % Total    % Received % Xferd  Average Speed")
    assert "100    18  100    18" in result.stderr
    assert result.status == 0


def test_curl_silent() -> None:
    result = curl("curl -s web/hello")
    assert (result.stdout, result.stderr) == ("GET /hello from web-1 \n", "")


def test_curl_connection_refused() -> None:
    result = curl("curl -s 10.96.0.12:81; echo $?; curl -sS 10.96.0.12:81")
    assert result.stdout == "7\n"
    assert result.stderr == ("curl: (7) Failed to connect to 10.96.0.12 port 81 after 0 ms: "
                             "Couldn't connect to server\n")


def test_curl_unknown_host() -> None:
    result = curl("curl nope")
    assert (result.stderr, result.status) == ("curl: (6) Could not resolve host: nope\n", 6)


def test_curl_timeout() -> None:
    net = network()
    net.errors[("10.96.0.13", 80)] = NetError("timeout", "i/o timeout")
    result = run("curl -sS -m 5 http://down/", flavour=CURL, net=net)
    assert result.status == 28
    assert result.stderr.startswith("curl: (28) Operation timed out after ")


def test_curl_options() -> None:
    result = curl("curl -s -X POST -d 'a=1' -H 'X-Token: abc' web/api; "
                  "curl -s -o /tmp/page web/page && cat /tmp/page; "
                  "curl -s -w '%{http_code}\\n' -o /dev/null web/missing; "
                  "curl -sf web/missing; echo $?; curl -sL web/old")
    assert result.stdout == ("POST /api from web-1 a=1\ntoken=abc\n"
                             "GET /page from web-1 \n"
                             "404\n"
                             "22\n"
                             "GET /new from web-1 \n")


def test_curl_include_and_head() -> None:
    result = curl("curl -si web/x; curl -sI web/x")
    head = "HTTP/1.1 200 OK\r\nServer: nginx/1.27.0\r\nContent-Type: text/plain\r\n\r\n"
    assert result.stdout == head + "GET /x from web-1 \n" + head


def test_curl_verbose() -> None:
    result = curl("curl -sv web/")
    assert result.stderr.splitlines() == [
        "*   Trying 10.96.0.12:80...", "* Connected to web (10.96.0.12) port 80",
        "> GET / HTTP/1.1", "> Host: web", "> User-Agent: curl/8.5.0", "> Accept: */*", "> ",
        "< HTTP/1.1 200 OK", "< Server: nginx/1.27.0", "< Content-Type: text/plain", "< ",
        "* Connection #0 to host web left intact"]


def test_curl_is_not_in_a_plain_debian_image() -> None:
    result = run("curl web", flavour=DEBIAN, net=network())
    assert (result.stderr, result.status) == ("sh: 1: curl: not found\n", 127)


def test_wget_to_stdout() -> None:
    result = run("wget -qO- http://web/page", net=network())
    assert (result.stdout, result.stderr, result.status) == ("GET /page from web-1 \n", "", 0)
    loud = run("wget -O - web", net=network())
    assert loud.stderr.splitlines()[:2] == ["Connecting to web (10.96.0.12:80)",
                                            "writing to stdout"]


def test_wget_errors() -> None:
    result = run("wget -q nope; echo $?; wget -q web:81; wget -q web/missing", net=network())
    assert result.stdout == "1\n"
    assert result.stderr == ("wget: bad address 'nope'\n"
                             "wget: can't connect to remote host (10.96.0.12): Connection refused\n"
                             "wget: server returned error: HTTP/1.1 404 Not Found\n")


def test_wget_follows_redirects_and_saves_by_name() -> None:
    result = run("cd /tmp && wget -q web/old && cat new", net=network())
    assert result.stdout == "GET /new from web-1 \n"


def test_nslookup_busybox_format() -> None:
    result = run("nslookup web", net=network(), files=RESOLV)
    assert result.stdout == ("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
                             "Name:\tweb.default.svc.cluster.local\nAddress: 10.96.0.12\n\n")
    missing = run("nslookup nope", net=network(), files=RESOLV)
    assert missing.status == 1
    assert missing.stdout.endswith("** server can't find nope: NXDOMAIN\n\n")


def test_nslookup_of_busybox_1_28() -> None:
    from dataclasses import replace
    old = replace(BUSYBOX, legacy_nslookup=True)
    result = run("nslookup web", net=network(), files=RESOLV, flavour=old)
    assert result.stdout == ("Server:    10.96.0.10\n"
                             "Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n"
                             "Name:      web\n"
                             "Address 1: 10.96.0.12 web.default.svc.cluster.local\n")


def test_ping_is_politely_refused() -> None:
    result = run("ping -c 1 web", net=network())
    assert result.status == 2
    assert "ICMP is not simulated" in result.stderr


async def _echo_server(conn: Connection) -> None:
    data = await conn.read()                   # one request, one answer, like HTTP/1.0
    conn.write(b"echo:" + data)
    conn.close()


def test_nc_port_check_and_conversation() -> None:
    net = network()
    net.stream_handlers[("10.96.0.12", 7)] = _echo_server
    result = run("nc -zv web 7; nc -zv web 8; echo $?; echo hello | nc web 7", net=net)
    assert result.stdout == "1\necho:hello\n"
    assert result.stderr == ("web (10.96.0.12:7) open\n"
                             "nc: web (10.96.0.12:8): Connection refused\n")


async def _redis(conn: Connection) -> None:
    store: dict[str, str] = {}
    buffer = b""
    while True:
        data = await conn.read()
        if not data:
            return
        buffer += data
        while buffer.startswith(b"*") and buffer.count(b"\r\n") >= 1:
            count = int(buffer[1:buffer.index(b"\r\n")])
            parts = buffer.split(b"\r\n")
            if len(parts) < 1 + 2 * count:
                break
            words = [parts[2 + 2 * i].decode() for i in range(count)]
            buffer = b"\r\n".join(parts[1 + 2 * count:])
            name = words[0].upper()
            if name == "PING":
                conn.write(b"+PONG\r\n")
            elif name == "SET":
                store[words[1]] = words[2]
                conn.write(b"+OK\r\n")
            elif name == "GET":
                value = store.get(words[1])
                conn.write(b"$-1\r\n" if value is None else
                           f"${len(value)}\r\n{value}\r\n".encode())
            else:
                conn.write(b"-ERR unknown command\r\n")


def test_redis_cli() -> None:
    net = network()
    net.dns["redis"] = ["10.96.0.20"]
    net.stream_handlers[("10.96.0.20", 6379)] = _redis
    flavour = debian(extra=("redis-cli",))
    result = run("redis-cli -h redis ping; printf 'set k v\\nget k\\nget nope\\n' | "
                 "redis-cli -h redis; redis-cli -h nowhere ping", net=net, flavour=flavour)
    assert result.stdout == ("PONG\nOK\n\"v\"\n(nil)\n"
                             "Could not connect to Redis at nowhere:6379: Name or service not "
                             "known\n")
