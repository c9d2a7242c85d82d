"""Build the site: ``python build.py`` is ``peru-digest build`` (arguments pass through)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "src"))

from peru_digest.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["build", *sys.argv[1:]]))
