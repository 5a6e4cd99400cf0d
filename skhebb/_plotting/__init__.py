"""The figures behind :mod:`skhebb.plotting`, which holds the public names."""
