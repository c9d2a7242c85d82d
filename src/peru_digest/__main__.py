"""The console script, and ``python -m peru_digest``: the program itself is imported only
here, so that Ctrl-C while it is still starting is an interruption like any other, not a
traceback."""

from __future__ import annotations

import sys
from collections.abc import Sequence

EXIT_INTERRUPTED = 130  # as cli's; cli cannot be imported to ask it


def main(argv: Sequence[str] | None = None) -> int:
    try:
        from .cli import main as run  # noqa: PLC0415 - the import Ctrl-C may interrupt

        return run(argv)
    except KeyboardInterrupt:  # before cli.main catches it itself
        print("Interrupted.", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    raise SystemExit(main())
