"""The formatting engine of ``printf`` and the backslash escapes of ``echo -e``.

Implemented directive by directive (no Python ``%`` formatting on user strings): flags,
width and precision (``*`` too), ``d i o u x X c s b q f F e E g G %``, and the
format's reuse while arguments remain.
"""

from __future__ import annotations

_SIMPLE = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r",
           "t": "\t", "v": "\v", "\\": "\\", '"': '"', "'": "'"}
_OCTAL = "01234567"
#: Field widths and precisions stop here (a learner's %99999999999d must not eat memory).
MAX_WIDTH = 1_000_000
_HEX = "0123456789abcdefABCDEF"


def backslash_escapes(text: str, *, echo: bool) -> tuple[str, bool]:
    """``text`` with its escapes interpreted; True when ``\\c`` cut it short.

    ``echo``: echo's and %b's rules (octal is ``\\0nnn``); otherwise printf's format rules
    (octal is ``\\nnn``).
    """
    if "\\" not in text:
        return text, False
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c != "\\" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        e = text[i + 1]
        i += 2
        if e == "c":
            return "".join(out), True
        if e in _SIMPLE and not (echo and e in "\"'"):
            out.append(_SIMPLE[e])
        elif e in _OCTAL and (not echo or e == "0"):
            digits = "" if echo else e
            limit = 3
            while i < n and len(digits) < limit and text[i] in _OCTAL:
                digits += text[i]
                i += 1
            out.append(chr(int(digits or "0", 8) & 0xFF))
        elif e == "x" and i < n and text[i] in _HEX:
            digits = text[i]
            i += 1
            if i < n and text[i] in _HEX:
                digits += text[i]
                i += 1
            out.append(chr(int(digits, 16)))
        elif e in "uU" and i < n and text[i] in _HEX:
            digits = ""
            while i < n and len(digits) < (4 if e == "u" else 8) and text[i] in _HEX:
                digits += text[i]
                i += 1
            out.append(chr(min(int(digits, 16), 0x10FFFF)))
        else:
            out.append("\\" + e)
    return "".join(out), False


def _number(text: str, errors: list[str], *, gnu: bool, shell: str,
            floating: bool = False) -> float | int:
    stripped = text.strip()
    if stripped[:1] in ("'", '"'):
        return ord(stripped[1]) if len(stripped) > 1 else 0
    try:
        if floating:
            return float(stripped) if stripped else 0.0
        if stripped.lower().startswith(("0x", "-0x")):
            return int(stripped, 16)
        if len(stripped.lstrip("+-")) > 1 and stripped.lstrip("+-").startswith("0"):
            return int(stripped, 8)
        return int(stripped) if stripped else 0
    except ValueError:
        if shell == "bash" or gnu:
            errors.append(f"{text}: invalid number")
        elif shell == "dash":
            errors.append(f"{text}: expected numeric value")
        else:
            errors.append(f"invalid number '{text}'")
        return 0


def _pad(body: str, flags: str, width: int, *, numeric: bool) -> str:
    if len(body) >= width:
        return body
    if "-" in flags:
        return body + " " * (width - len(body))
    if "0" in flags and numeric:
        sign = body[0] if body[:1] in "+- " and body[:1] else ""
        return sign + "0" * (width - len(body)) + body[len(sign):]
    return " " * (width - len(body)) + body


def _quote_bash(text: str) -> str:
    if text and all(c.isalnum() or c in "@%+=:,./-_" for c in text):
        return text
    if not text:
        return "''"
    return "".join("\\" + c if not (c.isalnum() or c in "@%+=:,./-_") else c for c in text)


def format_printf(fmt: str, args: list[str], *, gnu: bool, shell: str) -> tuple[str, list[str]]:
    """``printf FORMAT ARGS``: the output and the error messages."""
    out: list[str] = []
    errors: list[str] = []
    index = 0
    while True:
        consumed_before = index
        stop = False
        i = 0
        n = len(fmt)
        while i < n:
            c = fmt[i]
            if c == "\\":
                j = i + 1
                while j < n and j < i + 4 and fmt[j] in _OCTAL:
                    j += 1
                if j == i + 1:
                    j = i + 2
                    if fmt[i + 1:i + 2] == "x":
                        while j < n and j < i + 4 and fmt[j] in _HEX:
                            j += 1
                piece, stop = backslash_escapes(fmt[i:j], echo=False)
                out.append(piece)
                i = j
                if stop:
                    break
                continue
            if c != "%":
                out.append(c)
                i += 1
                continue
            if fmt[i + 1:i + 2] == "%":
                out.append("%")
                i += 2
                continue
            j = i + 1
            flags = ""
            while j < n and fmt[j] in "-+ #0":
                flags += fmt[j]
                j += 1
            width_text = ""
            if j < n and fmt[j] == "*":
                width_text = args[index] if index < len(args) else "0"
                index += 1
                j += 1
            while j < n and fmt[j].isdigit():
                width_text += fmt[j]
                j += 1
            precision: int | None = None
            if j < n and fmt[j] == ".":
                j += 1
                ptext = ""
                if j < n and fmt[j] == "*":
                    ptext = args[index] if index < len(args) else "0"
                    index += 1
                    j += 1
                while j < n and fmt[j].isdigit():
                    ptext += fmt[j]
                    j += 1
                precision = int(ptext) if ptext.lstrip("-").isdigit() else 0
            while j < n and fmt[j] in "hlLqjzt":
                j += 1
            if j >= n:
                errors.append(f"%{fmt[i + 1:]}: invalid conversion specification" if gnu
                              else f"{fmt[i:]}: invalid directive")
                break
            conv = fmt[j]
            i = j + 1
            width = int(width_text) if width_text.lstrip("-").isdigit() else 0
            if width < 0:
                flags += "-"
                width = -width
            width = min(width, MAX_WIDTH)
            if precision is not None:
                precision = min(precision, MAX_WIDTH)
            arg = args[index] if index < len(args) else None
            if conv in "diouxXcsbqfFeEgGaA":
                index += 1
            if conv == "s":
                body = arg or ""
                if precision is not None:
                    body = body[:precision]
                out.append(_pad(body, flags, width, numeric=False))
            elif conv == "b":
                body, stop = backslash_escapes(arg or "", echo=True)
                out.append(_pad(body, flags, width, numeric=False))
                if stop:
                    break
            elif conv == "q":
                out.append(_pad(_quote_bash(arg or ""), flags, width, numeric=False))
            elif conv == "c":
                out.append(_pad((arg or "")[:1], flags, width, numeric=False))
            elif conv in "diouxX":
                value = int(_number(arg or "0", errors, gnu=gnu, shell=shell))
                if conv in "di":
                    body = str(abs(value))
                else:
                    unsigned = value & 0xFFFFFFFFFFFFFFFF
                    body = {"o": format(unsigned, "o"), "u": str(unsigned),
                            "x": format(unsigned, "x"), "X": format(unsigned, "X")}[conv]
                    if "#" in flags and unsigned:
                        body = {"o": "0", "x": "0x", "X": "0X"}.get(conv, "") + body
                if precision is not None:
                    body = body.zfill(precision)
                sign = "-" if conv in "di" and value < 0 else \
                    ("+" if "+" in flags else " " if " " in flags else "") if conv in "di" else ""
                numeric = precision is None
                out.append(_pad(sign + body, flags, width, numeric=numeric))
            elif conv in "fFeEgGaA":
                value = float(_number(arg or "0", errors, gnu=gnu, shell=shell, floating=True))
                prec = 6 if precision is None else precision
                spec = conv if conv not in "aA" else "e"
                body = format(abs(value), f"{'#' if '#' in flags else ''}.{prec}{spec}")
                sign = "-" if value < 0 else ("+" if "+" in flags else " " if " " in flags else "")
                out.append(_pad(sign + body, flags, width, numeric=True))
            else:
                errors.append(f"%{conv}: invalid conversion specification" if gnu or shell == "bash"
                              else f"%{conv}: invalid directive")
                stop = True
                break
        if stop or index >= len(args) or index == consumed_before:
            break
    return "".join(out), errors
