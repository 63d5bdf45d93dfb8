"""The data of redis-server: strings, lists and keys with expiry, and its RDB snapshot.

Each command is a method ``_<name>`` taking the command's arguments and giving a RESP
reply; arity and unknown commands are answered with redis's own errors.  Expiry is
checked lazily against the simulated clock, as redis checks it on access.  ``save`` and
``load`` keep the data in ``dump.rdb`` of the server's working directory.
"""

from __future__ import annotations

import json
import re

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.process import ProcessContext
from kitlib.sim.runtime.programs.resp import Error, Reply, Status

RDB_MAGIC = b"REDIS0012"
WRONGTYPE = Error("WRONGTYPE Operation against a key holding the wrong kind of value")
NOT_INTEGER = Error("ERR value is not an integer or out of range")
ARITY = {"get": 2, "set": -3, "del": -2, "exists": -2, "incr": 2, "decr": 2, "incrby": 3,
         "decrby": 3, "append": 3, "strlen": 2, "mget": -2, "mset": -3, "keys": 2,
         "expire": 3, "ttl": 2, "persist": 2, "type": 2, "lpush": -3, "rpush": -3,
         "lpop": -2, "rpop": -2, "llen": 2, "lrange": 4, "echo": 2, "ping": -1,
         "dbsize": 1, "flushall": -1, "flushdb": -1, "save": 1, "info": -1, "select": 2,
         "quit": 1, "command": -1, "client": -2, "hello": -1}


def glob_regex(pattern: str) -> re.Pattern[str]:
    out, index = "", 0
    while index < len(pattern):
        char = pattern[index]
        if char == "*":
            out += ".*"
        elif char == "?":
            out += "."
        elif char == "[" and "]" in pattern[index:]:
            end = pattern.index("]", index)
            out += "[" + pattern[index + 1:end].replace("\\", "\\\\") + "]"
            index = end
        else:
            out += re.escape(char)
        index += 1
    return re.compile(out, re.S)


class Store:
    def __init__(self, ctx: ProcessContext) -> None:
        self.ctx = ctx
        self.data: dict[bytes, bytes | list[bytes]] = {}
        self.expires: dict[bytes, float] = {}

    def _live(self, key: bytes) -> bool:
        deadline = self.expires.get(key)
        if deadline is not None and deadline <= self.ctx.clock.time():
            self.data.pop(key, None)
            self.expires.pop(key, None)
        return key in self.data

    def execute(self, words: list[bytes]) -> Reply:
        name = words[0].decode("utf-8", "replace").lower() if words else ""
        args = words[1:]
        arity = ARITY.get(name)
        if arity is None:
            shown = "".join(f"'{a.decode('utf-8', 'replace')}' " for a in args[:10])
            original = words[0].decode("utf-8", "replace") if words else ""
            return Error(f"ERR unknown command '{original}', with args beginning with: {shown}")
        if (arity > 0 and len(words) != arity) or (arity < 0 and len(words) < -arity):
            return Error(f"ERR wrong number of arguments for '{name}' command")
        return getattr(self, f"_{name}")(args)

    # strings
    def _get(self, a: list[bytes]) -> Reply:
        if not self._live(a[0]):
            return None
        value = self.data[a[0]]
        return value if isinstance(value, bytes) else WRONGTYPE

    def _set(self, a: list[bytes]) -> Reply:
        key, value, options = a[0], a[1], [o.decode().upper() for o in a[2:]]
        exists = self._live(key)
        if ("NX" in options and exists) or ("XX" in options and not exists):
            return None
        self.data[key] = value
        self.expires.pop(key, None)
        for unit, scale in (("EX", 1.0), ("PX", 0.001)):
            if unit in options:
                index = options.index(unit)
                try:
                    self.expires[key] = self.ctx.clock.time() + int(options[index + 1]) * scale
                except (IndexError, ValueError):
                    return Error("ERR syntax error")
        return Status("OK")

    def _incrby(self, a: list[bytes]) -> Reply:
        value = self._get(a[:1])
        if isinstance(value, Error):
            return value
        try:
            number = int(value or b"0") + int(a[1])
        except ValueError:
            return NOT_INTEGER
        self.data[a[0]] = str(number).encode()
        return number

    def _incr(self, a: list[bytes]) -> Reply:
        return self._incrby([a[0], b"1"])

    def _decr(self, a: list[bytes]) -> Reply:
        return self._incrby([a[0], b"-1"])

    def _decrby(self, a: list[bytes]) -> Reply:
        return self._incrby([a[0], b"-" + a[1]])

    def _append(self, a: list[bytes]) -> Reply:
        value = self._get(a[:1])
        if isinstance(value, Error):
            return value
        self.data[a[0]] = (value or b"") + a[1]
        return len(self.data[a[0]])

    def _strlen(self, a: list[bytes]) -> Reply:
        value = self._get(a)
        return value if isinstance(value, Error) else len(value or b"")

    def _mget(self, a: list[bytes]) -> Reply:
        return [v if isinstance(v := self._get([k]), bytes) else None for k in a]

    def _mset(self, a: list[bytes]) -> Reply:
        if len(a) % 2:
            return Error("ERR wrong number of arguments for 'mset' command")
        for index in range(0, len(a), 2):
            self._set([a[index], a[index + 1]])
        return Status("OK")

    # keys
    def _del(self, a: list[bytes]) -> Reply:
        gone = [k for k in a if self._live(k)]
        for key in gone:
            self.data.pop(key, None)
            self.expires.pop(key, None)
        return len(gone)

    def _exists(self, a: list[bytes]) -> Reply:
        return sum(1 for k in a if self._live(k))

    def _keys(self, a: list[bytes]) -> Reply:
        pattern = glob_regex(a[0].decode("utf-8", "replace"))
        return [k for k in list(self.data) if self._live(k) and
                pattern.fullmatch(k.decode("utf-8", "replace"))]

    def _expire(self, a: list[bytes]) -> Reply:
        if not self._live(a[0]):
            return 0
        try:
            self.expires[a[0]] = self.ctx.clock.time() + int(a[1])
        except ValueError:
            return NOT_INTEGER
        return 1

    def _ttl(self, a: list[bytes]) -> Reply:
        if not self._live(a[0]):
            return -2
        deadline = self.expires.get(a[0])
        return -1 if deadline is None else max(0, round(deadline - self.ctx.clock.time()))

    def _persist(self, a: list[bytes]) -> Reply:
        return 1 if self._live(a[0]) and self.expires.pop(a[0], None) is not None else 0

    def _type(self, a: list[bytes]) -> Reply:
        if not self._live(a[0]):
            return Status("none")
        return Status("string" if isinstance(self.data[a[0]], bytes) else "list")

    # lists
    def _list(self, key: bytes, create: bool = False) -> list[bytes] | Error | None:
        if not self._live(key):
            if not create:
                return None
            self.data[key] = []
        value = self.data[key]
        return value if isinstance(value, list) else WRONGTYPE

    def _push(self, a: list[bytes], left: bool) -> Reply:
        items = self._list(a[0], create=True)
        if isinstance(items, Error) or items is None:
            return items
        for value in a[1:]:
            items.insert(0, value) if left else items.append(value)
        return len(items)

    def _lpush(self, a: list[bytes]) -> Reply:
        return self._push(a, True)

    def _rpush(self, a: list[bytes]) -> Reply:
        return self._push(a, False)

    def _pop(self, a: list[bytes], left: bool) -> Reply:
        items = self._list(a[0])
        if not isinstance(items, list) or not items:
            return items if isinstance(items, Error) else None
        value = items.pop(0 if left else -1)
        if not items:
            self._del([a[0]])
        return value

    def _lpop(self, a: list[bytes]) -> Reply:
        return self._pop(a, True)

    def _rpop(self, a: list[bytes]) -> Reply:
        return self._pop(a, False)

    def _llen(self, a: list[bytes]) -> Reply:
        items = self._list(a[0])
        return items if isinstance(items, Error) else len(items or [])

    def _lrange(self, a: list[bytes]) -> Reply:
        items = self._list(a[0])
        if isinstance(items, Error):
            return items
        try:
            start, stop = int(a[1]), int(a[2])
        except ValueError:
            return NOT_INTEGER
        items = items or []
        stop = len(items) if stop == -1 else stop + 1 if stop >= 0 else len(items) + stop + 1
        return items[start if start >= 0 else max(0, len(items) + start):stop]

    # the server
    def _ping(self, a: list[bytes]) -> Reply:
        return a[0] if a else Status("PONG")

    def _echo(self, a: list[bytes]) -> Reply:
        return a[0]

    def _dbsize(self, a: list[bytes]) -> Reply:
        return sum(1 for k in list(self.data) if self._live(k))

    def _flushall(self, a: list[bytes]) -> Reply:
        self.data.clear()
        self.expires.clear()
        return Status("OK")

    _flushdb = _flushall

    def _save(self, a: list[bytes]) -> Reply:
        self.save()
        return Status("OK")

    def _info(self, a: list[bytes]) -> Reply:
        return (f"# Server\r\nredis_version:{self.ctx.env.get('REDIS_VERSION', '7.4.1')}\r\n"
                f"redis_mode:standalone\r\nprocess_id:1\r\ntcp_port:6379\r\n\r\n"
                f"# Keyspace\r\ndb0:keys={self._dbsize([])},expires={len(self.expires)}"
                ",avg_ttl=0\r\n").encode()

    def _select(self, a: list[bytes]) -> Reply:
        return Status("OK") if a[0] == b"0" else Error("ERR DB index is out of range")

    def _quit(self, a: list[bytes]) -> Reply:
        return Status("OK")

    def _command(self, a: list[bytes]) -> Reply:
        return []

    def _client(self, a: list[bytes]) -> Reply:
        return Status("OK")

    def _hello(self, a: list[bytes]) -> Reply:
        return Error("NOPROTO unsupported protocol version")

    # persistence
    def _path(self) -> str:
        return f"{self.ctx.cwd.rstrip('/')}/dump.rdb"

    def save(self) -> None:
        now = self.ctx.clock.time()
        entries = {k.decode("latin-1"): (v.decode("latin-1") if isinstance(v, bytes)
                                         else [i.decode("latin-1") for i in v],
                                         self.expires.get(k))
                   for k, v in self.data.items() if self._live(k)}
        payload = json.dumps({"saved": now, "keys": entries}).encode()
        self.ctx.fs.write(self._path(), RDB_MAGIC + payload)

    def load(self) -> bool:
        try:
            content = self.ctx.fs.read(self._path())
        except FsError:
            return False
        if not content.startswith(RDB_MAGIC):
            return False
        try:
            keys = json.loads(content[len(RDB_MAGIC):]).get("keys") or {}
        except ValueError:
            return False
        for key, (value, deadline) in keys.items():
            raw = key.encode("latin-1")
            self.data[raw] = value.encode("latin-1") if isinstance(value, str) else \
                [i.encode("latin-1") for i in value]
            if deadline is not None:
                self.expires[raw] = float(deadline)
        return True
