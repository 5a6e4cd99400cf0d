"""
Sample efficiency: Hebbian features with few labels
===================================================

The Hebbian transformers learn without labels, so they can use every sample, while the
classifier on top learns only from the labelled ones. This example marks all but 1, 5, 10 or
100 % of the training labels as unknown (``y == -1``, scikit-learn's semi-supervised
convention), fits :class:`~skhebb.SoftWTA` features on *all* training rows and a
:class:`~sklearn.linear_model.LogisticRegression` read-out on the labelled rows only, and
compares with the same read-out on the raw pixels.

The read-out ignores the unlabelled rows because it is wrapped in
:class:`~sklearn.semi_supervised.SelfTrainingClassifier` with ``max_iter=0``: no
self-training, only the supervised fit on the rows whose label is not -1. The data are
scikit-learn's 8×8 digits.
"""

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.semi_supervised import SelfTrainingClassifier

from skhebb import SoftWTA

X, y = load_digits(return_X_y=True)
X, n_units = X / 16.0, 128
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y,
                                                    random_state=0)

# %%
# Hide labels
# -----------
# For each fraction, a stratified random subset keeps its labels; every other training label
# becomes -1. At least one label per class is kept.
def hide_labels(y, fraction, seed=0):
    rng = np.random.RandomState(seed)
    y_partial = np.full_like(y, -1)
    for label in np.unique(y):
        rows = np.flatnonzero(y == label)
        n_keep = max(1, int(round(fraction * len(rows))))
        y_partial[rng.choice(rows, size=n_keep, replace=False)] = label
    return y_partial


# With every label known (100 %) the wrapper warns that there is nothing unlabelled.
warnings.filterwarnings("ignore", message="y contains no unlabeled samples")


def read_out():
    return SelfTrainingClassifier(LogisticRegression(max_iter=500), max_iter=0)


# %%
# The features are fitted once per fraction inside the pipeline; ``SoftWTA.fit`` ignores
# ``y`` and sees every training row.
fractions = [0.01, 0.05, 0.10, 1.0]
scores = {"SoftWTA + logistic": [], "pixels + logistic": []}
for fraction in fractions:
    y_partial = hide_labels(y_train, fraction)
    hebbian = make_pipeline(
        SoftWTA(n_components=n_units, temperature=0.3, max_iter=10, random_state=0),
        read_out(),
    )
    scores["SoftWTA + logistic"].append(hebbian.fit(X_train, y_partial).score(X_test, y_test))
    scores["pixels + logistic"].append(read_out().fit(X_train, y_partial).score(X_test, y_test))
    print(f"{fraction:6.0%} labels ({np.sum(y_partial != -1):4d} rows):",
          {name: round(s[-1], 3) for name, s in scores.items()})

# %%
# Accuracy against the fraction of labels
# ---------------------------------------
fig, ax = plt.subplots(figsize=(5, 3.5))
for name, values in scores.items():
    ax.plot(np.array(fractions) * 100, values, marker="o", label=name)
ax.set_xscale("log")
ax.set_xlabel("labelled training samples (%)")
ax.set_ylabel("test accuracy")
ax.legend()
plt.tight_layout()
plt.show()
