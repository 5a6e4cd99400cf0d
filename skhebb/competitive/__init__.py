"""Competitive Hebbian transformers: soft winner-take-all and lateral inhibition."""

from skhebb.competitive._lateral_inhibition import LateralInhibitionSelectors
from skhebb.competitive._soft_wta import SoftWTA

__all__ = ["SoftWTA", "LateralInhibitionSelectors"]
