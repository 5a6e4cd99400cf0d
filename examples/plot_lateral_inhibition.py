r"""
Lateral-inhibition feature selectors
====================================

:class:`~skhebb.LateralInhibitionSelectors` learns a layer of feature selectors by a Hebbian
rule (Sanger's, or Krotov and Hopfield's) while the selectors inhibit each other with strength
``inhibition``: the outputs :math:`\tilde h` become
:math:`h_\mu = \tilde h_\mu^\lambda / \max_\nu \tilde h_\nu^\lambda`, so
:math:`\lambda = 1` is no inhibition and a large :math:`\lambda` approaches winner-take-all.
Weak inhibition lets many selectors respond to the same input; strong inhibition forces them to
specialise. This example fits 16 selectors to the 8×8 digits for several values of
:math:`\lambda`, shows the learned selectors as images, and
reports how sparse and how diverse the responses are.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits

from skhebb import LateralInhibitionSelectors

X, _ = load_digits(return_X_y=True)
X = X / 16.0
lambdas = [1.0, 3.0, 10.0, 30.0]
n_selectors = 16

models = {
    lam: LateralInhibitionSelectors(
        n_selectors=n_selectors, inhibition=lam, max_iter=3, random_state=0
    ).fit(X)
    for lam in lambdas
}

# %%
# Response statistics
# -------------------
# For each :math:`\lambda`: the mean fraction of selectors active on a sample (output above 10 %
# of its maximum) and the mean absolute cosine similarity between pairs of selectors.
for lam, model in models.items():
    H = model.transform(X)
    active = (H > 0.1 * H.max(axis=1, keepdims=True).clip(min=1e-12)).mean()
    W = model.components_ / np.linalg.norm(model.components_, axis=1, keepdims=True)
    cos = np.abs(W @ W.T)[np.triu_indices(n_selectors, 1)].mean()
    print(f"lambda={lam:>5}: active fraction {active:.2f}, mean |cosine| {cos:.2f}")

# %%
# Selectors as images
# -------------------
fig, axes = plt.subplots(
    len(lambdas), n_selectors, figsize=(n_selectors * 0.7, len(lambdas) * 0.85)
)
for row, (lam, model) in enumerate(models.items()):
    for k in range(n_selectors):
        ax = axes[row, k]
        ax.imshow(model.components_[k].reshape(8, 8), cmap="RdBu_r")
        ax.set_xticks([])
        ax.set_yticks([])
    axes[row, 0].set_ylabel(f"λ={lam:g}", rotation=0, ha="right", va="center", fontsize=8)
plt.show()
