"""redis-server: a key-value store on port 6379, speaking RESP, logging as redis logs.

Strings (SET with EX/PX/NX/XX, GET, INCR, APPEND, ...), lists (LPUSH, RPOP, LRANGE, ...),
keys (DEL, EXISTS, KEYS with glob patterns, EXPIRE, TTL), and the server's own commands
(PING, ECHO, DBSIZE, FLUSHALL, SAVE, INFO).  Expiry runs on the simulated clock.  On a
clean shutdown (SIGTERM) it saves ``dump.rdb`` in its working directory (``/data``) and
loads it when it starts again, so data survives a container restart when /data is a
volume, and does not when it is the container's own layer.
"""

from __future__ import annotations

from datetime import datetime, timezone

from kitlib.sim.network.api import Connection, NetError
from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.launch import Installed
from kitlib.sim.runtime.process import ProcessContext, Program
from kitlib.sim.runtime.programs.base import flag_value, say
from kitlib.sim.runtime.programs.rediscli import redis_cli
from kitlib.sim.runtime.programs.redisstore import Store
from kitlib.sim.runtime.programs.resp import encode, parse_command

__all__ = ["redis_server", "redis_cli"]


def redis_server(installed: Installed) -> Program:
    version = installed.version or "7.4.1"

    async def run(ctx: ProcessContext) -> int:
        def log(role: str, mark: str, text: str) -> None:
            now = ctx.clock.time()
            stamp = datetime.fromtimestamp(now, timezone.utc)
            millis = int((now % 1) * 1000)
            say(ctx, f"1:{role} {stamp:%d %b %Y %H:%M:%S}.{millis:03d} {mark} {text}")

        argv = ctx.argv[1:]
        port = int(flag_value(argv, "port", default="6379") or 6379)
        log("C", "#", "WARNING Memory overcommit must be enabled! Without it, a background "
                      "save or replication may fail under low memory condition. Being "
                      "disabled, it can also cause failures without low memory condition, see "
                      "https://github.com/jemalloc/jemalloc/issues/1328. To fix this issue add "
                      "'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run "
                      "the command 'sysctl vm.overcommit_memory=1' for this to take effect.")
        log("C", "*", "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo")
        log("C", "*", f"Redis version={version}, bits=64, commit=00000000, modified=0, pid=1, "
                      "just started")
        if not argv or argv[0].startswith("-"):
            log("C", "#", "Warning: no config file specified, using the default config. In "
                          "order to specify a config file use redis-server "
                          "/path/to/redis.conf")
        else:
            log("C", "*", "Configuration loaded")
        store = Store(ctx)

        async def serve(connection: Connection) -> None:
            buffer = bytearray()
            while True:
                chunk = await connection.read()
                if not chunk:
                    break
                buffer.extend(chunk)
                while (words := parse_command(buffer)) is not None:
                    if not words:
                        continue
                    connection.write(encode(store.execute(words)))
                    if words[0].lower() == b"quit":
                        await connection.drain()
                        connection.close()
                        return
                await connection.drain()
            connection.close()

        log("M", "*", "monotonic clock: POSIX clock_gettime")
        try:
            listener = ctx.net.listen(port, stream=serve, owner=f"redis:{port}")
        except NetError:
            log("M", "#", f"Warning: Could not create server TCP listening socket *:{port}: "
                          "bind: Address already in use")
            log("M", "#", f"Failed listening on port {port} (tcp), aborting.")
            return 1
        log("M", "*", f"Running mode=standalone, port={port}.")
        log("M", "*", "Server initialized")
        if store.load():
            log("M", "*", f"Loading RDB produced by version {version}")
            log("M", "*", "Done loading RDB, keys loaded: "
                          f"{len(store.data)}, keys expired: 0.")
            log("M", "*", "DB loaded from disk: 0.000 seconds")
        log("M", "*", "Ready to accept connections tcp")
        await ctx.terminated.wait()
        say(ctx, f"1:signal-handler ({int(ctx.clock.time())}) Received SIGTERM scheduling "
                 "shutdown...")
        listener.close()
        log("M", "*", "User requested shutdown...")
        log("M", "*", "Saving the final RDB snapshot before exiting.")
        try:
            store.save()
            log("M", "*", "DB saved on disk")
        except FsError as exc:
            log("M", "#", f"Failed opening the temp RDB file temp-1.rdb (in server root dir "
                          f"{ctx.cwd}) for saving: {exc.strerror_text}")
        log("M", "#", "Redis is now ready to exit, bye bye...")
        return 0
    return run
