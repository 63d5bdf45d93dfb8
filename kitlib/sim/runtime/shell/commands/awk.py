"""awk: records and fields, patterns and actions, on the shell's own regular expressions.

Values are strings or floats, converted as awk converts them (``"3x" + 1`` is 4, numbers
print as integers when they are whole).  printf directives are rebuilt from validated
parts before Python formats them, and widths are capped.
"""

from __future__ import annotations

import math
import re

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.shell.commands.awkparse import AwkError, Parser, unescape
from kitlib.sim.runtime.shell.commands.base import Invocation, UsageError
from kitlib.sim.runtime.shell.commands.registry import command
from kitlib.sim.runtime.shell.regex import Regex, RegexError

_NUMERIC = re.compile(r"\s*[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?)\s*$")
_PREFIX = re.compile(r"\s*[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?)")
_DIRECTIVE = re.compile(r"%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([a-zA-Z%])")


class _Next(Exception):
    pass


class _Exit(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


def num(value: object) -> float:
    if isinstance(value, float):
        return value
    m = _PREFIX.match(str(value))
    return float(m.group()) if m else 0.0


def text(value: object) -> str:
    if isinstance(value, float):
        if value == int(value) and abs(value) < 1e16:
            return str(int(value))
        return f"{value:.6g}"
    return str(value)


def _looks_numeric(value: object) -> bool:
    return isinstance(value, float) or bool(_NUMERIC.match(str(value))) and str(value) != ""


class Awk:
    def __init__(self, inv: Invocation, program: list[tuple], variables: dict[str, str]) -> None:
        self.inv = inv
        self.program = program
        self.vars: dict[str, object] = {"FS": " ", "OFS": " ", "ORS": "\n", "NR": 0.0,
                                        "NF": 0.0, "FNR": 0.0, "FILENAME": "", "SUBSEP": "\x1c",
                                        "RSTART": 0.0, "RLENGTH": -1.0}
        self.vars.update(variables)
        self.arrays: dict[str, dict[str, object]] = {}
        self.fields: list[str] = [""]
        self.out: list[str] = []
        self.regexes: dict[str, Regex] = {}
        self.random = inv.process.clock.random
        self.opened: set[str] = set()            # files "print > f" truncated already

    # --- records ----------------------------------------------------------------------

    def set_record(self, record: str) -> None:
        fs = text(self.vars["FS"])
        if fs == " ":
            parts = record.split()
        elif len(fs) == 1 and fs != "\\":
            parts = record.split(fs) if record else []
        else:
            parts = self._split_regex(record, fs)
        self.fields = [record] + parts
        self.vars["NF"] = float(len(parts))

    def _split_regex(self, record: str, fs: str) -> list[str]:
        if not record:
            return []
        regex = self.regex(fs)
        parts: list[str] = []
        pos = 0
        start = 0
        while pos <= len(record):
            found = regex.search(record, pos)
            if found is None or found[0] is None or found[0][1] == found[0][0]:
                break
            a, b = found[0]
            parts.append(record[start:a])
            start = pos = b
        parts.append(record[start:])
        return parts

    def get_field(self, index: int) -> str:
        if index < 0:
            raise AwkError(f"trying to access out of range field {index}")
        return self.fields[index] if index < len(self.fields) else ""

    def set_field(self, index: int, value: str) -> None:
        if index == 0:
            self.set_record(value)
            return
        while len(self.fields) <= index:
            self.fields.append("")
        self.fields[index] = value
        self.vars["NF"] = float(len(self.fields) - 1)
        self.fields[0] = text(self.vars["OFS"]).join(self.fields[1:])

    def regex(self, source: str) -> Regex:
        found = self.regexes.get(source)
        if found is None:
            try:
                found = self.regexes[source] = Regex(source, extended=True)
            except RegexError as e:
                raise AwkError(f"regular expression error: {e}") from None
        return found

    # --- statements -------------------------------------------------------------------

    async def block(self, body: list[tuple]) -> None:
        for statement in body:
            await self.statement(statement)

    async def statement(self, s: tuple) -> None:
        kind = s[0]
        if kind == "expr":
            self.eval(s[1])
        elif kind == "print":
            values = [text(self.eval(a)) for a in s[1]] if s[1] else [self.fields[0]]
            self.emit(text(self.vars["OFS"]).join(values) + text(self.vars["ORS"]), s[2])
        elif kind == "printf":
            if not s[1]:
                raise AwkError("printf: no format")
            values = [self.eval(a) for a in s[1]]
            self.emit(self.sprintf(text(values[0]), values[1:]), s[2])
        elif kind == "block":
            await self.block(s[1])
        elif kind == "if":
            if self.truth(self.eval(s[1])):
                await self.statement(s[2])
            elif s[3] is not None:
                await self.statement(s[3])
        elif kind in ("while", "do", "for"):
            await self.loop(s)
        elif kind == "forin":
            for key in list(self.arrays.get(s[2], {})):
                await self.inv.step()
                self.vars[s[1]] = key
                try:
                    await self.statement(s[3])
                except _Break:
                    break
                except _Continue:
                    continue
        elif kind == "next":
            raise _Next()
        elif kind == "exit":
            raise _Exit(int(num(self.eval(s[1]))) if s[1] is not None else 0)
        elif kind == "break":
            raise _Break()
        elif kind == "continue":
            raise _Continue()
        elif kind == "delete":
            if s[2] is None:
                self.arrays.pop(s[1], None)
            else:
                self.arrays.get(s[1], {}).pop(self.key(s[2]), None)

    async def loop(self, s: tuple) -> None:
        kind = s[0]
        if kind == "for" and s[1] is not None:
            self.eval(s[1])
        first = True
        while True:
            await self.inv.step()
            if kind == "while" and not self.truth(self.eval(s[1])):
                return
            if kind == "for" and s[2] is not None and not self.truth(self.eval(s[2])):
                return
            if kind == "do" and not first and not self.truth(self.eval(s[2])):
                return
            first = False
            try:
                await self.statement(s[1] if kind == "do" else s[-1])
            except _Break:
                return
            except _Continue:
                pass
            if kind == "for" and s[3] is not None:
                self.eval(s[3])

    def emit(self, data: str, target: tuple | None) -> None:
        if target is None:
            self.out.append(data)
            return
        mode, where = target
        path = self.inv.path(text(self.eval(where)))
        opened = self.opened
        try:
            self.inv.fs.write(path, data.encode("utf-8", "surrogateescape"),
                              append=mode == ">>" or path in opened)
        except FsError as e:
            raise AwkError(f"can't redirect to {path}: {self.inv.strerror(e)}") from None
        opened.add(path)

    # --- expressions ------------------------------------------------------------------

    def truth(self, value: object) -> bool:
        if isinstance(value, float):
            return value != 0
        return value != "" if not _looks_numeric(value) else num(value) != 0

    def key(self, index: list[tuple]) -> str:
        return text(self.vars["SUBSEP"]).join(text(self.eval(i)) for i in index)

    def lvalue_get(self, node: tuple) -> object:
        if node[0] == "var":
            return self.vars.get(node[1], "")
        if node[0] == "field":
            return self.get_field(int(num(self.eval(node[1]))))
        return self.arrays.setdefault(node[1], {}).get(self.key(node[2]), "")

    def lvalue_set(self, node: tuple, value: object) -> object:
        if node[0] == "var":
            self.vars[node[1]] = value
            if node[1] == "NF":
                count = int(num(value))
                self.fields = (self.fields + [""] * count)[:count + 1]
                self.fields[0] = text(self.vars["OFS"]).join(self.fields[1:])
        elif node[0] == "field":
            self.set_field(int(num(self.eval(node[1]))), text(value))
        else:
            self.arrays.setdefault(node[1], {})[self.key(node[2])] = value
        return value

    def eval(self, e: tuple) -> object:
        kind = e[0]
        if kind == "num":
            return e[1]
        if kind == "str":
            return e[1]
        if kind in ("var", "field", "index"):
            value = self.lvalue_get(e)
            if kind == "var" and e[1] in ("NR", "NF", "FNR", "RSTART", "RLENGTH"):
                return num(value)
            return value
        if kind == "paren":
            return self.eval(e[1])
        if kind == "match_record":
            return float(self.regex(e[1]).search(self.fields[0]) is not None)
        if kind == "assign":
            op, target, value = e[1], e[2], self.eval(e[3])
            if op != "=":
                value = self.arith(op[0], self.lvalue_get(target), value)
            return self.lvalue_set(target, value)
        if kind == "cond":
            return self.eval(e[2]) if self.truth(self.eval(e[1])) else self.eval(e[3])
        if kind == "unary":
            value = self.eval(e[2])
            return float(not self.truth(value)) if e[1] == "!" else \
                -num(value) if e[1] == "-" else num(value)
        if kind in ("pre", "post"):
            old = num(self.lvalue_get(e[2]))
            new = old + (1 if e[1] == "++" else -1)
            self.lvalue_set(e[2], new)
            return new if kind == "pre" else old
        if kind == "concat":
            return text(self.eval(e[1])) + text(self.eval(e[2]))
        if kind == "in":
            index = e[1][1] if e[1][0] == "group" else [e[1]]
            return float(self.key(index) in self.arrays.get(e[2], {}))
        if kind == "call":
            return self.call(e[1], e[2])
        if kind == "bin":
            return self.binary(e[1], e[2], e[3])
        raise AwkError(f"cannot evaluate {kind}")

    def binary(self, op: str, left: tuple, right: tuple) -> object:
        if op == "&&":
            return float(self.truth(self.eval(left)) and self.truth(self.eval(right)))
        if op == "||":
            return float(self.truth(self.eval(left)) or self.truth(self.eval(right)))
        a = self.eval(left)
        if op in ("~", "!~"):
            source = right[1] if right[0] == "match_record" else text(self.eval(right))
            hit = self.regex(source).search(text(a)) is not None
            return float(hit if op == "~" else not hit)
        b = self.eval(right)
        if op in ("<", "<=", ">", ">=", "==", "!="):
            if _looks_numeric(a) and _looks_numeric(b):
                x: object = num(a)
                y: object = num(b)
            else:
                x, y = text(a), text(b)
            result = {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y,   # type: ignore[operator]
                      "==": x == y, "!=": x != y}[op]
            return float(result)
        return self.arith(op, a, b)

    def arith(self, op: str, a: object, b: object) -> float:
        x, y = num(a), num(b)
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        if op in ("/", "%"):
            if y == 0:
                raise AwkError("division by zero" if op == "/" else "division by zero in %")
            return x / y if op == "/" else math.fmod(x, y)
        if op == "^":
            try:
                return float(x ** y) if abs(y) < 1024 else float("inf")
            except (OverflowError, ZeroDivisionError):
                return float("inf")
        raise AwkError(f"unknown operator {op}")

    # --- builtins ---------------------------------------------------------------------

    def call(self, name: str, args: list[tuple]) -> object:
        values = [self.eval(a) for a in args] if name not in ("split", "sub", "gsub") else []
        if name == "length":
            if args and args[0][0] == "var" and args[0][1] in self.arrays:
                return float(len(self.arrays[args[0][1]]))
            return float(len(text(values[0]) if values else self.fields[0]))
        if name == "substr":
            s = text(values[0])
            start = int(round(num(values[1]))) if len(values) > 1 else 1
            length = int(round(num(values[2]))) if len(values) > 2 else len(s)
            begin = max(start, 1)
            end = start + length
            return s[begin - 1:max(end - 1, begin - 1)]
        if name == "index":
            return float(text(values[0]).find(text(values[1])) + 1)
        if name == "split":
            return self.split(args)
        if name in ("sub", "gsub"):
            return self.substitute(name == "gsub", args)
        if name == "match":
            found = self.regex(text(values[1]) if args[1][0] != "match_record" else
                               args[1][1]).search(text(values[0]))
            span = found[0] if found else None
            self.vars["RSTART"] = float(span[0] + 1) if span else 0.0
            self.vars["RLENGTH"] = float(span[1] - span[0]) if span else -1.0
            return self.vars["RSTART"]
        if name == "sprintf":
            return self.sprintf(text(values[0]), values[1:]) if values else ""
        if name == "tolower":
            return text(values[0]).lower()
        if name == "toupper":
            return text(values[0]).upper()
        if name == "int":
            return float(int(num(values[0])))
        if name == "rand":
            return self.random.random()
        if name == "srand":
            return 0.0
        if name == "system":
            raise AwkError("system() is not supported by this awk")
        maths = {"sqrt": math.sqrt, "exp": math.exp, "log": math.log, "sin": math.sin,
                 "cos": math.cos}
        if name in maths:
            try:
                return float(maths[name](num(values[0])))
            except (ValueError, OverflowError):
                return float("nan")
        if name == "atan2":
            return math.atan2(num(values[0]), num(values[1]))
        raise AwkError(f"calling undefined function {name}")

    def split(self, args: list[tuple]) -> float:
        source = text(self.eval(args[0]))
        name = args[1][1]
        saved_fs, saved_fields, saved_nf = self.vars["FS"], self.fields, self.vars["NF"]
        if len(args) > 2:
            separator = args[2]
            self.vars["FS"] = separator[1] if separator[0] == "match_record" else \
                text(self.eval(separator))
        self.set_record(source)
        parts = self.fields[1:]
        self.vars["FS"], self.fields, self.vars["NF"] = saved_fs, saved_fields, saved_nf
        self.arrays[name] = {str(i): p for i, p in enumerate(parts, 1)}
        return float(len(parts))

    def substitute(self, every: bool, args: list[tuple]) -> float:
        pattern = args[0][1] if args[0][0] == "match_record" else text(self.eval(args[0]))
        replacement = text(self.eval(args[1]))
        target = args[2] if len(args) > 2 else ("field", ("num", 0.0))
        subject = text(self.lvalue_get(target))
        regex = self.regex(pattern)
        out: list[str] = []
        pos = count = 0
        while pos <= len(subject):
            found = regex.search(subject, pos)
            if found is None or found[0] is None:
                break
            a, b = found[0]
            out.append(subject[pos:a])
            matched = subject[a:b]
            out.append(re.sub(r"\\&|&", lambda m: "&" if m.group() == "\\&" else matched,
                              replacement))
            count += 1
            if b == a:
                if a < len(subject):
                    out.append(subject[a])
                pos = a + 1
            else:
                pos = b
            if not every:
                break
        if count:
            out.append(subject[pos:])
            self.lvalue_set(target, "".join(out))
        return float(count)

    def sprintf(self, fmt: str, values: list[object]) -> str:
        out: list[str] = []
        index = 0
        pos = 0
        for m in _DIRECTIVE.finditer(fmt):
            out.append(fmt[pos:m.start()])
            pos = m.end()
            flags, width, precision, conv = m.groups()
            if conv == "%":
                out.append("%")
                continue
            if width == "*":
                width = str(int(num(values[index]))) if index < len(values) else "0"
                index += 1
            if precision == "*":
                precision = str(int(num(values[index]))) if index < len(values) else "0"
                index += 1
            value = values[index] if index < len(values) else ""
            index += 1
            width = str(min(int(width or 0), 1_000_000)) if width else ""
            spec = "%" + flags + width + (f".{min(int(precision), 1_000_000)}" if precision
                                          else "")
            if conv in "di":
                out.append((spec + "d") % int(num(value)))
            elif conv in "ouxXeEfFgG":
                out.append((spec + conv) % (int(num(value)) if conv in "ouxX" else num(value)))
            elif conv == "c":
                char = chr(int(num(value))) if isinstance(value, float) else text(value)[:1]
                out.append((spec + "s") % char)
            elif conv == "s":
                out.append((spec + "s") % text(value))
            else:
                out.append(m.group())
        out.append(fmt[pos:])
        return "".join(out)


@command("awk")
async def awk(inv: Invocation) -> int:
    args = inv.args
    variables: dict[str, str] = {}
    source: str | None = None
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "-":
        arg = args[i]
        i += 1
        if arg == "--":
            break
        if arg.startswith("-F"):
            value = arg[2:] or (args[i] if i < len(args) else "")
            if not arg[2:]:
                i += 1
            variables["FS"] = "\t" if value == "t" else unescape(value)
        elif arg.startswith("-v"):
            assignment = arg[2:] or (args[i] if i < len(args) else "")
            if not arg[2:]:
                i += 1
            name, _, value = assignment.partition("=")
            variables[name] = unescape(value)
        elif arg == "-f":
            path = args[i] if i < len(args) else ""
            i += 1
            source = inv.decode(inv.fs.read(inv.path(path)))
        else:
            raise UsageError(f"unknown option {arg} ignored" if not inv.gnu else
                             f"invalid option -- '{arg[1:2]}'", status=2)
    if source is None:
        if i >= len(args):
            raise UsageError("usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]",
                             status=2)
        source = args[i]
        i += 1
    try:
        program = Parser(source).program()
    except AwkError as e:
        await inv.error(str(e))
        return 2
    machine = Awk(inv, program, variables)
    operands = args[i:]
    status = 0
    try:
        try:
            for kind, _, body in program:
                if kind == "BEGIN":
                    await machine.block(body)
            if any(kind == "main" or kind == "END" for kind, _, _ in program):
                status = await _records(inv, machine, program, operands)
        except _Exit as e:
            status = e.status
        try:
            for kind, _, body in program:
                if kind == "END":
                    await machine.block(body)
        except _Exit as e:
            status = e.status
    except AwkError as e:
        await inv.write("".join(machine.out))
        await inv.error(str(e))
        return 2
    await inv.write("".join(machine.out))
    return status


async def _records(inv: Invocation, machine: Awk, program: list[tuple],
                   operands: list[str]) -> int:
    status = 0
    files = [op for op in operands if "=" not in op or op.startswith(("/", "."))] or ["-"]
    for name, _, value in (op.partition("=") for op in operands if op not in files):
        machine.vars[name] = unescape(value)
    for path in files:
        try:
            data = inv.decode(await inv.read_input(path))
        except FsError as e:
            await inv.error(f"cannot open \"{path}\" ({inv.strerror(e)})" if inv.gnu
                            else f"cannot open '{path}': {inv.strerror(e)}")
            status = 2
            continue
        machine.vars["FILENAME"] = "" if path == "-" else path
        machine.vars["FNR"] = 0.0
        records = data.split("\n")
        if records and records[-1] == "":
            records.pop()
        for record in records:
            machine.vars["NR"] = num(machine.vars["NR"]) + 1
            machine.vars["FNR"] = num(machine.vars["FNR"]) + 1
            machine.set_record(record)
            await inv.step()
            try:
                for kind, pattern, body in program:
                    if kind != "main" or not _selected(machine, pattern):
                        continue
                    await machine.block(body)
            except _Next:
                continue
            if len(machine.out) > 256:
                await inv.write("".join(machine.out))
                machine.out.clear()
    return status


def _selected(machine: Awk, pattern: tuple | None) -> bool:
    if pattern is None:
        return True
    if pattern[0] == "range":
        state = pattern[3]
        if not state[0]:
            if machine.truth(machine.eval(pattern[1])):
                state[0] = not machine.truth(machine.eval(pattern[2]))
                return True
            return False
        if machine.truth(machine.eval(pattern[2])):
            state[0] = False
        return True
    return machine.truth(machine.eval(pattern))
