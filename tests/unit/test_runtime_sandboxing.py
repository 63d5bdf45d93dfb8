"""Nothing a container runs can reach the host: no module of the simulated runtime or the
simulated network imports the host's filesystem, processes or sockets, and none opens a
file, evaluates text or executes code it was given (docs/RUNTIME.md, "Rules")."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import kitlib.sim.network
import kitlib.sim.runtime

PACKAGES = [Path(kitlib.sim.runtime.__file__).parent, Path(kitlib.sim.network.__file__).parent]
FORBIDDEN_MODULES = frozenset("""
    os subprocess socket pathlib shutil ctypes multiprocessing pickle marshal shelve tempfile
    glob pty signal resource fcntl select selectors ssl mmap ftplib telnetlib smtplib
    webbrowser code codeop runpy importlib asyncio.subprocess urllib.request http.client
    http.server socketserver xmlrpc
""".split())
#: importlib.resources reads the package's own data files (images.yaml), nothing else.
ALLOWED_MODULES = frozenset({"importlib.resources"})
FORBIDDEN_CALLS = frozenset({"open", "eval", "exec", "compile", "__import__", "breakpoint",
                             "input", "globals", "locals", "vars"})
FORBIDDEN_METHODS = frozenset({"create_subprocess_exec", "create_subprocess_shell",
                               "open_connection", "open_unix_connection", "start_server",
                               "create_connection", "create_server", "getaddrinfo",
                               "import_module", "system", "popen", "load_module"})


def sources() -> list[Path]:
    return sorted(path for package in PACKAGES for path in package.rglob("*.py"))


def _forbidden(name: str) -> bool:
    if name in ALLOWED_MODULES:
        return False
    parts = name.split(".")
    return any(".".join(parts[:cut]) in FORBIDDEN_MODULES for cut in range(1, len(parts) + 1))


def findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if _forbidden(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" for a in node.names]
            allowed = node.module in ALLOWED_MODULES or all(n in ALLOWED_MODULES for n in names)
            if not allowed and (_forbidden(node.module) or any(map(_forbidden, names))):
                found.append(f"from {node.module} import ...")
        elif isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Name) and function.id in FORBIDDEN_CALLS:
                found.append(f"{function.id}(...) at line {node.lineno}")
            elif isinstance(function, ast.Attribute) and function.attr in FORBIDDEN_METHODS:
                found.append(f".{function.attr}(...) at line {node.lineno}")
            elif isinstance(function, ast.Attribute) and function.attr == "load" and \
                    isinstance(function.value, ast.Name) and function.value.id == "yaml":
                found.append(f"yaml.load(...) at line {node.lineno}")
    return found


def test_there_is_something_to_check() -> None:
    names = {path.name for path in sources()}
    assert {"simulated.py", "memory.py", "nginx.py", "api.py"} <= names


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(PACKAGES[0].parent)))
def test_no_host_access(path: Path) -> None:
    assert findings(path) == []


def test_the_scan_catches_what_it_should(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom subprocess import run\nimport importlib\n"
                   "from importlib.resources import files\nopen('x')\neval('1')\n"
                   "exec('x')\nloop.create_subprocess_exec('ls')\nyaml.load(t)\n"
                   "runtime.exec(cid, argv)\n")
    assert findings(bad) == ["import os", "from subprocess import ...", "import importlib",
                             "open(...) at line 5", "eval(...) at line 6",
                             "exec(...) at line 7", ".create_subprocess_exec(...) at line 8",
                             "yaml.load(...) at line 9"]
