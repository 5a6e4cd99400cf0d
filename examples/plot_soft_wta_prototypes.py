"""
Soft winner-take-all prototypes
===============================

:class:`~skhebb.SoftWTA` is a layer of competing units: every sample activates the units by a
softmax over their similarity to it, and each unit moves its weights towards the samples in
proportion to its activation (soft competitive learning). The weights become prototypes of the
data. This example learns 20 prototypes of the 8×8 digits and shows them as images, next to the
cluster centres of :class:`~sklearn.cluster.MiniBatchKMeans` (hard competition).
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.cluster import MiniBatchKMeans
from sklearn.datasets import load_digits

from skhebb import SoftWTA

X, y = load_digits(return_X_y=True)
X = X / 16.0
n_units = 20

wta = SoftWTA(n_components=n_units, temperature=0.1, max_iter=20, random_state=0).fit(X)
kmeans = MiniBatchKMeans(n_clusters=n_units, n_init=3, random_state=0).fit(X)

# %%
# The transform gives each sample's soft assignment to the units (rows sum to one). The label
# most common among the samples a unit wins shows which digit it stands for.
R = wta.transform(X)
winner = R.argmax(axis=1)
labels = [np.bincount(y[winner == k], minlength=10).argmax() if np.any(winner == k) else -1
          for k in range(n_units)]
print("units that win at least one sample:", len(np.unique(winner)), "of", n_units)

# %%
# Prototypes
# ----------
fig, axes = plt.subplots(2, n_units, figsize=(n_units * 0.8, 2.2))
for k in range(n_units):
    axes[0, k].imshow(wta.components_[k].reshape(8, 8), cmap="gray_r")
    axes[0, k].set_title(str(labels[k]), fontsize=8)
    axes[1, k].imshow(kmeans.cluster_centers_[k].reshape(8, 8), cmap="gray_r")
for ax in axes.ravel():
    ax.set_axis_off()
fig.suptitle("SoftWTA prototypes (top, with majority label) and k-means centres (bottom)",
             fontsize=9)
plt.show()
