"""Sparse and Hebbian neural-network classifiers."""

from skhebb.neural_network._hebbset import PAPER_CONFIGS, HebbSETClassifier
from skhebb.neural_network._supervised_hebb import SupervisedHebbClassifier

__all__ = ["HebbSETClassifier", "PAPER_CONFIGS", "SupervisedHebbClassifier"]
