"""
Supervised Hebbian learning from a few examples
===============================================

:class:`~skhebb.SupervisedHebbClassifier` trains its output weights by a local rule while the
output is forced to the one-hot target: no error is propagated. With the default threshold
rule it learns in a single pass over the samples, in order. This example trains it, with the
threshold rule and with the forced-output Oja rule, on the first *k* images of each class
(k = 1 … 50, one pass, the samples in order) and compares with
:class:`~sklearn.linear_model.LogisticRegression` and a 1-nearest neighbour classifier on the
same images.

MNIST is used when ``$SKHEBB_DATA`` is set (with the paper's fixed 784-196-10 pooling layer,
tested on all 10,000 test images, the protocol of the recorded reproduction), scikit-learn's
8×8 digits otherwise (tested on the other half of the digits).
"""

# %%
import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier

from skhebb import SupervisedHebbClassifier

if os.environ.get("SKHEBB_DATA"):
    from skhebb.datasets import load_mnist

    X_train, y_train = load_mnist(subset="train", return_X_y=True)
    X_test, y_test = load_mnist(subset="test", return_X_y=True)
    X_train, X_test = X_train / 255.0, X_test / 255.0
    params = {"hidden_pooling": 196}
else:
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X / 16.0, y, test_size=0.5,
                                                        stratify=y, random_state=0)
    params = {}


def first_k_per_class(k):
    rows = np.concatenate([np.flatnonzero(y_train == c)[:k] for c in np.unique(y_train)])
    return X_train[np.sort(rows)], y_train[np.sort(rows)]


# %%
# Accuracy against shots per class
# --------------------------------
shots = [1, 2, 5, 10, 20, 50]
models = {
    "SupervisedHebb (threshold rule)": lambda: SupervisedHebbClassifier(**params),
    "SupervisedHebb (Oja rule)": lambda: SupervisedHebbClassifier(rule="oja", **params),
    "LogisticRegression": lambda: LogisticRegression(max_iter=1000),
    "1-nearest neighbour": lambda: KNeighborsClassifier(n_neighbors=1),
}
scores = {name: [] for name in models}
for k in shots:
    X_k, y_k = first_k_per_class(k)
    for name, make in models.items():
        scores[name].append(make().fit(X_k, y_k).score(X_test, y_test))
    print(f"k={k:3d}:", {name: round(s[-1], 3) for name, s in scores.items()})

fig, ax = plt.subplots(figsize=(5, 3.5))
for name, values in scores.items():
    ax.plot(shots, values, marker="o", label=name)
ax.set_xscale("log")
ax.set_xlabel("training images per class")
ax.set_ylabel("test accuracy")
ax.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %%
# On MNIST the threshold rule with the pooling layer gives 36.3 % from one image per digit, the
# recorded reproduction's 36.29 % (the paper: 36.25 %). The forced-output Oja rule is the
# stronger Hebbian rule, and logistic regression and 1-nearest neighbour beat both at every k.
# On the 8×8 digits (no data home) the Oja rule is level with them up to 5 images per class and
# behind from 10 on. The rules' point is that they learn in one local, gradient-free pass, not
# that they need fewer images.

# %%
# The learned weights
# -------------------
# Without pooling each class's weight row lives on the pixel grid: the threshold rule creates a
# synapse where the pixel was active together with the class, so the rows look like the digits.
if not params:
    clf = SupervisedHebbClassifier().fit(*first_k_per_class(20))
    fig, axes = plt.subplots(1, 10, figsize=(10, 1.3))
    for c, ax in enumerate(axes):
        ax.imshow(clf.coef_[c].reshape(8, 8), cmap="gray_r")
        ax.set_title(str(clf.classes_[c]), fontsize=8)
        ax.set_axis_off()
    plt.show()
else:
    clf = SupervisedHebbClassifier(**params).fit(*first_k_per_class(20))
    side = int(np.sqrt(clf.coef_.shape[1]))
    fig, axes = plt.subplots(1, 10, figsize=(10, 1.3))
    for c, ax in enumerate(axes):
        ax.imshow(clf.coef_[c].reshape(side, side), cmap="gray_r")
        ax.set_title(str(clf.classes_[c]), fontsize=8)
        ax.set_axis_off()
    plt.show()
