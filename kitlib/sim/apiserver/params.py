"""Query parameters as the apiserver reads them (Go's strconv.ParseBool for booleans)."""

from __future__ import annotations

from aiohttp import web

from kitlib.sim.machinery import errors

_TRUE = ("1", "t", "T", "TRUE", "true", "True")
_FALSE = ("0", "f", "F", "FALSE", "false", "False")


def flag(request: web.Request, name: str) -> bool:
    """A boolean parameter; absent or empty is false, as the apiserver's conversion has it."""
    value = request.query.get(name, "")
    if value == "" or value in _FALSE:
        return False
    if value in _TRUE:
        return True
    raise errors.BadRequest(f'strconv.ParseBool: parsing "{value}": invalid syntax')
