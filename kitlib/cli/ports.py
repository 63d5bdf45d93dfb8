"""Is the port free?  Asked before the slow start of a simulator, to fail in milliseconds.

The answer is advisory (something may take the port a moment later); the simulator's own
bind is the final word, and its EADDRINUSE gets the same message.
"""

from __future__ import annotations

import errno
import socket

from kitlib.cli.console import KitError


def port_taken(host: str, port: int) -> KitError:
    return KitError(f"port {port} on {host} is already in use; choose another with --port, "
                    "or stop what is using it")


def bind_error(host: str, port: int, exc: OSError) -> KitError:
    """The one-line error for a failed listen on ``host:port``."""
    if exc.errno == errno.EADDRINUSE:
        return port_taken(host, port)
    if exc.errno == errno.EACCES:
        return KitError(f"not allowed to listen on port {port} on {host}; "
                        "choose a port above 1023 with --port")
    if exc.errno == errno.EADDRNOTAVAIL:
        return KitError(f"cannot listen on {host}: it is not an address of this machine; "
                        "choose another with --host")
    return KitError(f"cannot listen on {host}:{port}: {exc.strerror or exc}")


def check_free(host: str, port: int) -> None:
    """Raise the one-line error if ``host:port`` cannot be listened on now (0: any port)."""
    if port == 0:
        return
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise KitError(f"cannot listen on {host}: {exc.strerror}; choose another with --host"
                       ) from None
    for family, kind, proto, _, address in infos:
        with socket.socket(family, kind, proto) as sock:
            # As the server will: a port lingering in TIME_WAIT counts as free.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(address)
            except OSError as exc:
                raise bind_error(host, port, exc) from None
