"""wget (busybox's) and curl, over the pod network, with the texts learners see on real
clusters: ``wget: bad address 'x'``, ``curl: (7) Failed to connect to 10.96.0.12 port 80
after 0 ms: Couldn't connect to server``, the progress meter curl draws on stderr."""

from __future__ import annotations

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.network.api import HttpResponse, NetError
from kitlib.sim.runtime.shell.commands.base import Invocation, UsageError, parse_flags
from kitlib.sim.runtime.shell.commands.http import (Url, UrlError, basic_auth, fetch, parse_url,
                                                    reason, resolve)
from kitlib.sim.runtime.shell.commands.registry import command

CURL_VERSION = "8.5.0"
_WGET_ERRORS = {"refused": "Connection refused", "unreachable": "No route to host",
                "timeout": "Connection timed out"}


def _size(n: int) -> str:
    return f"{n:>5}" if n < 100000 else f"{n // 1024:>4}k"


@command("wget")
async def wget(inv: Invocation) -> int:
    flags, urls = parse_flags(inv, "qO:T:SU:cnP:Y:", long={
        "quiet": "q", "output-document=": "O", "timeout=": "T", "server-response": "S",
        "spider": "spider", "user-agent=": "U", "header=": "H", "no-check-certificate": "k",
        "continue": "c", "directory-prefix=": "P"})
    if not urls:
        raise UsageError("missing URL" if inv.flavour.gnu else "")
    quiet = bool(flags.get("q"))
    timeout = float(flags["T"]) if isinstance(flags.get("T"), str) else 900.0
    status = 0
    for text in urls:
        try:
            url = parse_url(text)
        except UrlError:
            await inv.error(f"not an http or ftp url: {text}")
            status = 1
            continue
        response: HttpResponse | None = None
        for _ in range(20):
            try:
                address = resolve(inv.process.net, url.host)
            except NetError:
                await inv.error(f"bad address '{url.host}'")
                return 1
            if not quiet:
                inv.stderr.write(f"Connecting to {url.host_header} ({address}:{url.port})\n"
                                 .encode())
            headers = [("User-Agent", str(flags.get("U") or "Wget"))]
            if url.userinfo:
                headers.append(basic_auth(url.userinfo))
            try:
                response = await fetch(inv.process.net, url, timeout=timeout,
                                       method="HEAD" if flags.get("spider") else "GET",
                                       headers=tuple(headers))
            except NetError as e:
                if e.kind == "timeout":
                    await inv.error("download timed out")
                elif e.kind == "nxdomain":
                    await inv.error(f"bad address '{url.host}'")
                else:
                    await inv.error(f"can't connect to remote host ({address}): "
                                    f"{_WGET_ERRORS.get(e.kind, e.message)}")
                return 1
            inv.process.rested()
            location = dict((k.lower(), v) for k, v in response.headers).get("location")
            if response.status in (301, 302, 303, 307, 308) and location:
                url = url.join(location)
                continue
            break
        assert response is not None
        if flags.get("S") and not quiet:
            inv.stderr.write(f"  HTTP/1.1 {response.status} {reason(response)}\n".encode() +
                             b"".join(f"  {k}: {v}\n".encode() for k, v in response.headers))
        if response.status >= 400:
            await inv.error(f"server returned error: HTTP/1.1 {response.status} {reason(response)}")
            status = 1
            continue
        if flags.get("spider"):
            if not quiet:
                inv.stderr.write(b"remote file exists\n")
            continue
        target = flags.get("O") if isinstance(flags.get("O"), str) else url.filename
        assert isinstance(target, str)
        if isinstance(flags.get("P"), str) and "O" not in flags:
            target = str(flags["P"]).rstrip("/") + "/" + target
        body = response.body
        if target == "-":
            if not quiet:
                inv.stderr.write(b"writing to stdout\n")
            await inv.write(body)
            if not quiet:
                inv.stderr.write(f"-                    100% |{'*' * 32}| {_size(len(body))}  "
                                 "0:00:00 ETA\nwritten to stdout\n".encode())
            continue
        full = inv.path(target)
        if "O" not in flags and inv.fs.exists(full):
            await inv.error(f"can't open '{target}': File exists")
            status = 1
            continue
        if not quiet:
            inv.stderr.write(f"saving to '{target}'\n".encode())
        try:
            inv.fs.write(full, body)
        except FsError as e:
            await inv.error(f"can't open '{target}': {inv.strerror(e)}")
            status = 1
            continue
        if not quiet:
            name = target.rsplit("/", 1)[-1]
            inv.stderr.write(f"{name[:20]:<20} 100% |{'*' * 32}| {_size(len(body))}  "
                             f"0:00:00 ETA\n'{target}' saved\n".encode())
    return status


def _curl_speed(size: int, seconds: float) -> str:
    rate = size / max(seconds, 0.001)
    for unit in ("", "k", "M", "G"):
        if rate < 10000 or unit == "G":
            return f"{int(rate)}{unit}" if unit or rate < 10000 else str(int(rate))
        rate /= 1024
    return str(int(rate))


def _meter(size: int, seconds: float) -> bytes:
    speed = _curl_speed(size, seconds)
    head = ("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
            "                                 Dload  Upload   Total   Spent    Left  Speed\n")
    zero = "\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0"
    done = (f"\r100 {size:>5}  100 {size:>5}    0     0  {speed:>5}      0 --:--:-- --:--:-- "
            f"--:--:-- {speed:>5}\n")
    return (head + zero + done).encode()


def _curl_options(inv: Invocation) -> tuple[dict[str, object], list[str]]:
    """curl's options: repeated -H and -d accumulate."""
    with_value = {"-o": "output", "-X": "method", "-H": "header", "-d": "data", "-w": "write",
                  "-m": "max", "-A": "agent", "-u": "user", "-e": "referer", "-b": "cookie",
                  "--output": "output", "--request": "method", "--header": "header",
                  "--data": "data", "--data-raw": "data", "--data-binary": "data",
                  "--data-urlencode": "data", "--write-out": "write", "--max-time": "max",
                  "--connect-timeout": "connect", "--user-agent": "agent", "--user": "user",
                  "--retry": "retry", "--resolve": "resolve", "--cacert": "cacert",
                  "--url": "url"}
    switches = {"s": "silent", "S": "show", "v": "verbose", "i": "include", "I": "head",
                "L": "location", "f": "fail", "k": "insecure", "O": "remote", "4": "v4",
                "6": "v6", "N": "nobuffer", "g": "noglob", "G": "get"}
    long_switches = {"--silent": "silent", "--show-error": "show", "--verbose": "verbose",
                     "--include": "include", "--head": "head", "--location": "location",
                     "--fail": "fail", "--insecure": "insecure", "--remote-name": "remote",
                     "--http1.1": "http11", "--compressed": "compressed", "--no-buffer": "nobuffer"}
    options: dict[str, object] = {"header": [], "data": []}
    urls: list[str] = []
    args = inv.args
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        name, eq, inline = arg.partition("=")
        if arg in with_value or (arg.startswith("--") and name in with_value and eq):
            key = with_value[name if eq else arg]
            if eq:
                value = inline
            elif i < len(args):
                value = args[i]
                i += 1
            else:
                raise UsageError(f"option {arg}: requires parameter\n{inv.name}: try 'curl "
                                 "--help' or 'curl --manual' for more information", status=2)
            if key in ("header", "data"):
                options[key].append(value)                          # type: ignore[union-attr]
            elif key == "url":
                urls.append(value)
            else:
                options[key] = value
            continue
        if arg in long_switches:
            options[long_switches[arg]] = True
            continue
        if arg.startswith("-") and not arg.startswith("--") and len(arg) > 1:
            j = 1
            while j < len(arg):
                letter = arg[j]
                if "-" + letter in with_value:
                    key = with_value["-" + letter]
                    value = arg[j + 1:] or (args[i] if i < len(args) else "")
                    if not arg[j + 1:]:
                        i += 1
                    if key in ("header", "data"):
                        options[key].append(value)                  # type: ignore[union-attr]
                    else:
                        options[key] = value
                    break
                if letter not in switches:
                    raise UsageError(f"option -{letter}: is unknown\n{inv.name}: try 'curl "
                                     "--help' or 'curl --manual' for more information", status=2)
                options[switches[letter]] = True
                j += 1
            continue
        if arg.startswith("--"):
            raise UsageError(f"option {arg}: is unknown\n{inv.name}: try 'curl --help' or "
                             "'curl --manual' for more information", status=2)
        urls.append(arg)
    return options, urls


@command("curl")
async def curl(inv: Invocation) -> int:
    options, urls = _curl_options(inv)
    silent = bool(options.get("silent"))
    show_errors = not silent or bool(options.get("show"))
    verbose = bool(options.get("verbose"))

    async def fail(code: int, text: str) -> int:
        if show_errors:
            await inv.error(f"({code}) {text}")
        return code

    if not urls:
        await inv.error("no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for "
                        "more information")
        return 2
    status = 0
    for text in urls:
        try:
            url = parse_url(text)
        except UrlError as e:
            if "://" in text and str(e) not in ("host", "port"):
                status = await fail(1, f'Protocol "{str(e)}" not supported')
            else:
                status = await fail(3, "URL rejected: Malformed input to a URL function")
            continue
        status = await _curl_one(inv, url, options, fail=fail, verbose=verbose, silent=silent)
    return status


async def _curl_one(inv: Invocation, url: Url, options: dict[str, object], *,
                    fail, verbose: bool, silent: bool) -> int:  # type: ignore[no-untyped-def]
    data = "&".join(options["data"]) if options["data"] else None    # type: ignore[arg-type]
    method = str(options.get("method") or ("HEAD" if options.get("head") else
                                           "POST" if data is not None else "GET"))
    headers: list[tuple[str, str]] = [("Host", url.host_header),
                                      ("User-Agent", str(options.get("agent") or
                                                         f"curl/{CURL_VERSION}")),
                                      ("Accept", "*/*")]
    for header in options["header"]:                                  # type: ignore[union-attr]
        name, _, value = str(header).partition(":")
        headers = [(k, v) for k, v in headers if k.lower() != name.strip().lower()]
        if value.strip() or not header.endswith(";"):
            headers.append((name.strip(), value.strip()))
    user = options.get("user") or url.userinfo
    if user:
        headers.append(basic_auth(str(user)))
    body = (data or "").encode("utf-8", "surrogateescape")
    if data is not None:
        headers.append(("Content-Length", str(len(body))))
        if not any(k.lower() == "content-type" for k, _ in headers):
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    max_time = float(str(options["max"])) if options.get("max") else None
    connect = float(str(options["connect"])) if options.get("connect") else None
    timeout = min(t for t in (max_time, connect, 300.0) if t is not None)
    clock = inv.process.clock
    err = inv.stderr
    for _ in range(50):
        try:
            address = resolve(inv.process.net, url.host)
        except NetError:
            return await fail(6, f"Could not resolve host: {url.host}")
        if verbose:
            err.write(f"*   Trying {address}:{url.port}...\n".encode())
        started = clock.time()
        try:
            response = await fetch(inv.process.net, url, method=method,
                                   headers=tuple(h for h in headers if h[0] != "Host"),
                                   body=body, timeout=timeout)
        except NetError as e:
            elapsed = int((clock.time() - started) * 1000)
            if e.kind == "timeout":
                if max_time is not None and (connect is None or max_time <= connect):
                    return await fail(28, f"Operation timed out after {elapsed} milliseconds "
                                          "with 0 bytes received")
                return await fail(28, f"Failed to connect to {url.host} port {url.port} after "
                                      f"{elapsed} ms: Timeout was reached")
            if e.kind == "nxdomain":
                return await fail(6, f"Could not resolve host: {url.host}")
            why = "Couldn't connect to server" if e.kind == "refused" else "No route to host" \
                if e.kind == "unreachable" else "Couldn't connect to server"
            return await fail(7, f"Failed to connect to {url.host} port {url.port} after "
                                 f"{elapsed} ms: {why}")
        inv.process.rested()
        elapsed_s = clock.time() - started
        status_line = f"HTTP/1.1 {response.status} {reason(response)}"
        if verbose:
            err.write(f"* Connected to {url.host} ({address}) port {url.port}\n".encode())
            err.write(f"> {method} {url.target} HTTP/1.1\n".encode())
            err.write(b"".join(f"> {k}: {v}\n".encode() for k, v in headers))
            err.write(b"> \n")
            err.write(f"< {status_line}\n".encode())
            err.write(b"".join(f"< {k}: {v}\n".encode() for k, v in response.headers))
            err.write(b"< \n")
        location = dict((k.lower(), v) for k, v in response.headers).get("location")
        if options.get("location") and response.status in (301, 302, 303, 307, 308) and location:
            url = url.join(location)
            if response.status == 303:
                method = "GET"
            continue
        break
    if options.get("fail") and response.status >= 400:
        return await fail(22, f"The requested URL returned error: {response.status}")
    head = (status_line + "\r\n" + "".join(f"{k}: {v}\r\n" for k, v in response.headers)
            + "\r\n").encode()
    payload = head if options.get("head") else \
        (head if options.get("include") else b"") + response.body
    output = options.get("output") or (url.filename if options.get("remote") else None)
    if output and output != "-":
        try:
            inv.fs.write(inv.path(str(output)), payload)
        except FsError as e:
            return await fail(23, f"Failure writing output to destination, passed "
                                  f"{len(payload)} returned 0" if e.errno_name != "ENOENT" else
                              f"Failed to open the file {output}: No such file or directory")
    meter = not silent and (bool(output and output != "-") or not inv.stdout.isatty)
    if meter:
        err.write(_meter(len(response.body), elapsed_s))
    if not (output and output != "-"):
        await inv.write(payload)
    if verbose:
        err.write(f"* Connection #0 to host {url.host} left intact\n".encode())
    if options.get("write"):
        await inv.write(_write_out(str(options["write"]), response, url, elapsed_s))
    return 0


def _write_out(fmt: str, response: HttpResponse, url: Url, seconds: float) -> str:
    values = {"http_code": f"{response.status:03d}", "response_code": f"{response.status:03d}",
              "size_download": str(len(response.body)), "time_total": f"{seconds:.6f}",
              "url_effective": f"{url.scheme}://{url.host_header}{url.target}",
              "remote_port": str(url.port), "content_type": dict(
                  (k.lower(), v) for k, v in response.headers).get("content-type", "")}
    out: list[str] = []
    i = 0
    while i < len(fmt):
        if fmt.startswith("%{", i):
            end = fmt.find("}", i)
            if end > 0:
                out.append(values.get(fmt[i + 2:end], ""))
                i = end + 1
                continue
        if fmt[i] == "\\" and i + 1 < len(fmt):
            out.append({"n": "\n", "t": "\t", "r": "\r"}.get(fmt[i + 1], fmt[i + 1]))
            i += 2
            continue
        out.append(fmt[i])
        i += 1
    return "".join(out)
