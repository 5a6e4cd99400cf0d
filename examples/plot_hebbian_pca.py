"""
Hebbian PCA against PCA
=======================

:class:`~skhebb.HebbianPCA` learns principal components one sample at a time with Sanger's
generalized Hebbian rule, with no covariance matrix and no eigendecomposition. With the
identity activation its components converge to the leading principal axes, so the subspace it
spans should match scikit-learn's :class:`~sklearn.decomposition.PCA`. This example measures the
match by the principal angles between the two subspaces (:func:`scipy.linalg.subspace_angles`)
on the 8×8 digits and shows both sets of components as images.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from scipy.linalg import subspace_angles
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA

from skhebb import HebbianPCA

X, _ = load_digits(return_X_y=True)
X = X / 16.0
n_components = 8

pca = PCA(n_components=n_components).fit(X)
hpca = HebbianPCA(n_components=n_components, max_iter=30, random_state=0).fit(X)

# %%
# Principal angles
# ----------------
# The angles between the spanned subspaces are near zero when Sanger's rule has converged; the
# largest angles belong to the components of smallest variance, which converge last.
angles = np.degrees(subspace_angles(hpca.components_.T, pca.components_.T))
print("principal angles (degrees):", np.round(np.sort(angles), 2))
print("explained variance ratio, PCA:       ", np.round(pca.explained_variance_ratio_, 3))
print("explained variance ratio, HebbianPCA:", np.round(hpca.explained_variance_ratio_, 3))

# %%
# Components as images
# --------------------
# Each component is a weight vector over the 64 pixels. A principal axis is defined up to its
# sign, so the Hebbian components are flipped to agree with PCA's before plotting.
signs = np.sign(np.sum(hpca.components_ * pca.components_, axis=1))
fig, axes = plt.subplots(2, n_components, figsize=(1.4 * n_components, 3.2))
for i in range(n_components):
    for row, (name, comp) in enumerate(
        [("PCA", pca.components_[i]), ("Hebbian", signs[i] * hpca.components_[i])]
    ):
        ax = axes[row, i]
        ax.imshow(comp.reshape(8, 8), cmap="RdBu_r")
        ax.set_xticks([])
        ax.set_yticks([])
        if i == 0:
            ax.set_ylabel(name)
fig.suptitle("Leading components: PCA (top) and HebbianPCA (bottom)")
plt.show()
