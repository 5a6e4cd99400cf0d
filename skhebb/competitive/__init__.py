"""Competitive Hebbian transformers: soft winner-take-all and lateral inhibition."""

import importlib

_EXPORTS = {
    "SoftWTA": "skhebb.competitive._soft_wta",
    "LateralInhibitionSelectors": "skhebb.competitive._lateral_inhibition",
}

__all__ = list(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'skhebb.competitive' has no attribute {name!r}")
