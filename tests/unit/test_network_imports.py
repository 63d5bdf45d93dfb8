"""The simulated network never touches the host's: no sockets, processes, files or eval."""

from __future__ import annotations

import ast
from pathlib import Path

import kitlib.sim.network

PACKAGE = Path(kitlib.sim.network.__file__).parent
FORBIDDEN_MODULES = {"socket", "ssl", "selectors", "subprocess", "os", "shutil", "pathlib",
                     "multiprocessing", "pickle", "marshal", "ctypes", "http.client",
                     "http.server", "urllib.request", "aiohttp", "requests", "asyncio.streams",
                     "asyncio.subprocess"}
FORBIDDEN_CALLS = {"open", "eval", "exec", "compile", "__import__"}
FORBIDDEN_ATTRIBUTES = {"open_connection", "start_server", "open_unix_connection",
                        "start_unix_server", "create_connection", "create_server",
                        "create_datagram_endpoint", "create_subprocess_exec",
                        "create_subprocess_shell", "sock_connect", "getaddrinfo", "system"}


def problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
        else:
            names = []
        for name in names:
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN_MODULES):
                found.append(f"{path.name}:{node.lineno} imports {name}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id in FORBIDDEN_CALLS:
            found.append(f"{path.name}:{node.lineno} calls {node.func.id}()")
        if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
            found.append(f"{path.name}:{node.lineno} uses .{node.attr}")
    return found


def test_the_network_package_imports_nothing_that_reaches_the_host() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) >= 8
    assert [p for f in files for p in problems(f)] == []


def test_the_check_catches_what_it_is_for(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import socket\nfrom asyncio import open_connection\nimport asyncio\n"
                   "asyncio.open_connection('h', 1)\nfrom subprocess import run\neval('1')\n")
    found = problems(bad)
    assert len(found) == 5, found
