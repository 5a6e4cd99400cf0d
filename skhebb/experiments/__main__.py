"""``python -m skhebb.experiments``: the ``skhebb`` command."""

import sys

from skhebb.experiments._cli import main

if __name__ == "__main__":
    sys.exit(main())
