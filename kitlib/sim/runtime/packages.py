"""The distributions' package mirrors, as data: what ``apt-get`` and ``apk`` in the
simulated images can install (``packages.yaml``).

Read here, beside the images' own data (``images.yaml``), because the sandboxed shell
that implements those commands may not read anything outside the container it runs in.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@lru_cache(maxsize=1)
def package_catalogue() -> dict[str, Any]:
    """``{"apt": {...}, "apk": {...}}`` as packages.yaml describes them."""
    text = resources.files("kitlib.sim.runtime").joinpath("packages.yaml").read_text()
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data
