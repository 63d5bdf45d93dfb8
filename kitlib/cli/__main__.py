"""``python -m kitlib.cli``: the same as the ``kit`` command (``kit up`` starts it this way)."""

from __future__ import annotations

import sys

from kitlib.cli import main

sys.exit(main())
