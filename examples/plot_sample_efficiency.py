"""
Sample efficiency: Hebbian features with few labels
===================================================

The Hebbian transformers learn without labels, so they can use every sample, while the
classifier on top learns only from the labelled ones. This example follows skhebb's few-labels
recipe (:mod:`skhebb.semi_supervised`): :class:`~skhebb.LateralInhibitionSelectors` with the
Krotov–Hopfield rule learn features from *all* training rows, and a standardised
:class:`~sklearn.linear_model.LogisticRegression` reads them out from the labelled rows only.
All but 1 to 100 % of the training labels are marked unknown (``y == -1``, scikit-learn's
semi-supervised convention).

The read-out ignores the unlabelled rows because it is wrapped in
:class:`~sklearn.semi_supervised.SelfTrainingClassifier` with ``max_iter=0``: no
self-training, only the supervised fit on the rows whose label is not -1. The references are
the same read-out on the raw pixels, on :class:`~sklearn.decomposition.PCA` and on
:class:`~skhebb.SoftWTA` features. The data are scikit-learn's 8×8 digits (values / 16, in
[0, 1]); on MNIST, ``skhebb reproduce sample-efficiency --dataset mnist`` runs the full
comparison.
"""

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.semi_supervised import SelfTrainingClassifier

from skhebb import SoftWTA
from skhebb.experiments import labeled_mask
from skhebb.semi_supervised import few_labels_selectors, make_few_labels_pipeline

X, y = load_digits(return_X_y=True)
X = X / 16.0
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y,
                                                    random_state=0)
# With every label known (100 %) the wrapper warns that there is nothing unlabelled, and
# with one label per class scikit-learn wonders whether y is a regression target.
warnings.filterwarnings("ignore", message="y contains no unlabeled samples")
warnings.filterwarnings("ignore", message="The number of unique classes")

# %%
# The recipe as one Pipeline
# --------------------------
# ``fit`` with 5 % of the labels: the selectors and the scaler see every row, the logistic
# regression only the labelled ones. The recipe sets the selectors' epochs from the number of
# rows (about 480,000 samples seen); here 300 units instead of 1,000 keep the example quick.
y_partial = np.where(labeled_mask(y_train, 0.05, seed=0), y_train, -1)
model = make_few_labels_pipeline(len(X_train), n_selectors=300, random_state=0)
model.fit(X_train, y_partial)
print(f"{np.sum(y_partial != -1)} labels, {model.named_steps['features'].max_iter} epochs: "
      f"test accuracy {model.score(X_test, y_test):.3f}")

# %%
# Learning curves
# ---------------
# Each feature learner is fitted once on all training rows; only the read-out changes with the
# labelled fraction (three draws of the labelled rows per fraction).
features = {
    "Krotov recipe": few_labels_selectors(len(X_train), n_selectors=300, random_state=0),
    "SoftWTA": SoftWTA(n_components=300, temperature=0.5, max_iter=10, random_state=0),
    "PCA": PCA(n_components=20, random_state=0),
    "pixels": FunctionTransformer(),
}
fractions = [0.01, 0.02, 0.05, 0.1, 0.2, 1.0]
curves = {}
for name, learner in features.items():
    F_train, F_test = learner.fit(X_train).transform(X_train), learner.transform(X_test)
    curves[name] = []
    for fraction in fractions:
        accs = []
        for seed in range(3):
            y_partial = np.where(labeled_mask(y_train, fraction, seed), y_train, -1)
            read_out = make_pipeline(
                StandardScaler(),
                SelfTrainingClassifier(LogisticRegression(max_iter=1000), max_iter=0),
            )
            accs.append(read_out.fit(F_train, y_partial).score(F_test, y_test))
        curves[name].append((np.sum(y_partial != -1), np.mean(accs), np.std(accs)))
    print(f"{name:>14}:", " ".join(f"{n}: {m:.3f}" for n, m, _ in curves[name]))

# %%
fig, ax = plt.subplots(figsize=(5.5, 3.8))
for name, points in curves.items():
    n, mean, std = np.array(points).T
    ax.errorbar(n, mean * 100, yerr=std * 100, marker="o", ms=4, capsize=3, label=name,
                ls="-" if name in ("Krotov recipe", "SoftWTA") else "--")
ax.set_xscale("log")
ax.set_xlabel("labelled training samples")
ax.set_ylabel("test accuracy (%)")
ax.legend()
plt.tight_layout()
plt.show()
