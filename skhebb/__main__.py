"""``python -m skhebb``: the ``skhebb`` command (see ``skhebb --help``)."""

import sys

from skhebb.experiments._cli import main

if __name__ == "__main__":
    sys.exit(main())
