"""The programs simulated images run, by the name their executables carry.

An executable in an image's filesystem names one of these (``images.yaml``: ``programs``);
``launch.py`` finds the file, this table the code.  Each entry makes a Program for one
installed image (it knows its version, its ports, how it stops).
"""

from __future__ import annotations

from kitlib.sim.runtime.launch import ProgramFactory
from kitlib.sim.runtime.programs import (agnhost, generic, httpecho, nginx, redis, samples,
                                         shells, whoami, wrappers)

PROGRAMS: dict[str, ProgramFactory] = {
    "busybox": shells.busybox, "bash": shells.bash, "dash": shells.dash,
    "command": shells.command, "predicted": shells.predicted,
    "nginx": nginx.nginx, "nginx-entrypoint": wrappers.nginx_entrypoint,
    "exec-wrapper": wrappers.exec_wrapper, "redis-entrypoint": wrappers.redis_entrypoint,
    "redis-server": redis.redis_server, "redis-cli": redis.redis_cli,
    "whoami": whoami.whoami, "http-echo": httpecho.http_echo,
    "agnhost": agnhost.agnhost, "liveness": agnhost.liveness_server,
    "hello-app": samples.hello_app, "echo-server": samples.echo_server,
    "echoserver": samples.echoserver,
    "server": generic.server, "pause": generic.pause, "stress": generic.stress,
}

__all__ = ["PROGRAMS"]
