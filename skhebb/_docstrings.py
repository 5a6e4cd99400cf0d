"""Docstring text written once: a line ``%(name)s`` stands for a shared entry.

Parameters that several public functions or estimators share (``data_home``,
``n_jobs``, ``return_X_y``, ...) are described in one dict of entries per
family; a docstring holds the line ``%(name)s`` where the entry ``name`` goes,
and :func:`fill` replaces it, indented as the placeholder line. Estimators get
:data:`skhebb._base.DOC_ENTRIES` through :class:`skhebb._base.BaseHebbian`;
functions are decorated with :func:`filled_from`.
"""

import re
import textwrap

__all__ = ["fill", "filled_from"]

_PLACEHOLDER = re.compile(r"^([ \t]*)%\((\w+)\)s[ \t]*$", re.MULTILINE)


def fill(doc, entries):
    """``doc`` with every line ``%(name)s`` replaced by ``entries[name]``, indented alike."""
    return _PLACEHOLDER.sub(lambda m: textwrap.indent(entries[m[2]], m[1]), doc)


def filled_from(entries):
    """Decorator: fill the ``%(name)s`` lines of a function's docstring from ``entries``."""

    def decorate(func):
        if func.__doc__:
            func.__doc__ = fill(func.__doc__, entries)
        return func

    return decorate
