"""``python -m figures``: see :mod:`figures.cli`."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

from figures.cli import main  # noqa: E402

raise SystemExit(main())
