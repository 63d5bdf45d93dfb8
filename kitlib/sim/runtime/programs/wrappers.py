"""Entrypoint scripts that prepare, then ``exec "$@"``: nginx's, redis's, and the rest.

The image's ``docker-entrypoint.sh`` is a script learners can ``cat``; what running it
does is here: nginx's prints the start-up lines its configuration scripts print (they
are the first lines of every nginx pod's log), redis's puts ``redis-server`` in front of
bare options; then the command given replaces the script, in the same process.
"""

from __future__ import annotations

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.launch import Installed
from kitlib.sim.runtime.process import ProcessContext, Program
from kitlib.sim.runtime.programs.base import say

DEFAULT_CONF = "/etc/nginx/conf.d/default.conf"
IPV6_STEP = "10-listen-on-ipv6-by-default.sh"


async def exec_argv(ctx: ProcessContext, argv: list[str], *, line: int = 0) -> int:
    """``exec "$@"`` from a /bin/sh script: the command takes over the process."""
    if not argv:
        return 0
    assert ctx.find_program is not None
    try:
        program, new_argv = ctx.find_program(argv, ctx)
    except FsError:
        script = ctx.argv[0] if ctx.argv else "sh"
        ctx.stderr.write(f"{script}: {line}: exec: {argv[0]}: not found\n".encode())
        return 127
    ctx.argv = new_argv
    return await program(ctx)


def exec_wrapper(installed: Installed) -> Program:
    async def run(ctx: ProcessContext) -> int:
        return await exec_argv(ctx, ctx.argv[1:], line=2)
    return run


def redis_entrypoint(installed: Installed) -> Program:
    async def run(ctx: ProcessContext) -> int:
        args = ctx.argv[1:]
        if args and (args[0].startswith("-") or args[0].endswith(".conf")):
            args = ["redis-server", *args]
        return await exec_argv(ctx, args, line=36)
    return run


def nginx_entrypoint(installed: Installed) -> Program:
    async def run(ctx: ProcessContext) -> int:
        me, args = (ctx.argv[0] if ctx.argv else "/docker-entrypoint.sh"), ctx.argv[1:]
        if args and args[0] in ("nginx", "nginx-debug") and \
                not ctx.env.get("NGINX_ENTRYPOINT_QUIET_LOGS"):
            _configure(ctx, me, installed)
        return await exec_argv(ctx, args, line=47)
    return run


def _configure(ctx: ProcessContext, me: str, installed: Installed) -> None:
    fs = ctx.fs
    try:
        steps = [name for name in fs.listdir("/docker-entrypoint.d")
                 if fs.stat(f"/docker-entrypoint.d/{name}").kind == "file"]
    except FsError:
        steps = []
    if not steps:
        say(ctx, f"{me}: No files found in /docker-entrypoint.d/, skipping configuration")
        return
    say(ctx, f"{me}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration")
    say(ctx, f"{me}: Looking for shell scripts in /docker-entrypoint.d/")
    for name in sorted(steps):
        path = f"/docker-entrypoint.d/{name}"
        if name.endswith(".envsh"):
            say(ctx, f"{me}: Sourcing {path}")
        elif name.endswith(".sh"):
            say(ctx, f"{me}: Launching {path}")
            if name == IPV6_STEP:
                _listen_on_ipv6(ctx, installed)
        else:
            say(ctx, f"{me}: Ignoring {path}")
    say(ctx, f"{me}: Configuration complete; ready for start up")


def _listen_on_ipv6(ctx: ProcessContext, installed: Installed) -> None:
    fs, step = ctx.fs, IPV6_STEP
    try:
        current = fs.read(DEFAULT_CONF)
    except FsError:
        say(ctx, f"{step}: info: {DEFAULT_CONF} is not a file or does not exist")
        return
    writable = getattr(fs, "writable", None)
    if writable is not None and not writable(DEFAULT_CONF):
        say(ctx, f"{step}: info: can not modify {DEFAULT_CONF} (read-only file system?)")
        return
    say(ctx, f"{step}: info: Getting the checksum of {DEFAULT_CONF}")
    packaged = installed.root.original(DEFAULT_CONF)
    if packaged is not None and current != packaged:
        say(ctx, f"{step}: info: {DEFAULT_CONF} differs from the packaged version")
        return
    say(ctx, f"{step}: info: Enabled listen on IPv6 in {DEFAULT_CONF}")
