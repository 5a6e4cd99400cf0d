"""The Numba core of skhebb.

Pure functions over NumPy arrays: sparse layers stored as CSR arrays
(``indptr``, ``indices``, ``data``), topology evolution and local plasticity
rules. Nothing here imports scikit-learn or scipy.sparse classes; the
estimators validate input and call these kernels with plain arrays.
"""
