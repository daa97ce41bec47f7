"""Rows scaled to unit length (L2), sparse or dense, as scikit-learn's `normalize` does.

The topics' vectors are unit rows at every step. scikit-learn's `normalize` did it, but
importing scikit-learn costs a big day's run 0.6-1.0 s on its critical path (it imports
scipy.stats, which parses its docstrings at import time), and a day of more than a few
hundred articles needs nothing else from it unless it has history. The results are the
same to the last bit (tests/test_topics_norms.py compares them): each sparse row's sum of
squares is added up in order, in float64, and a row that sums to 0 is left as it is; a
dense row's norm comes from the same einsum, and a norm of about 0 counts as 1.
"""

from __future__ import annotations


def unit_rows(matrix):
    """A copy of `matrix` (a scipy sparse matrix or a 2-D array) with each row divided by
    its L2 norm; a sparse result is CSR."""
    import numpy as np
    import scipy.sparse as sp

    if sp.issparse(matrix):
        out = sp.csr_matrix(matrix, dtype=_float_type(matrix.dtype), copy=True)
        data = out.data
        # bincount adds the weights one by one in their order: the same sums as a loop
        rows = np.repeat(np.arange(out.shape[0]), np.diff(out.indptr))
        sums = np.bincount(rows, weights=data * data, minlength=out.shape[0])
        norms = np.sqrt(sums)
        norms[sums == 0.0] = 1.0  # an empty (or all-zero) row stays as it is
        data /= norms[rows]
        return out
    out = np.array(matrix, dtype=_float_type(np.asarray(matrix).dtype), copy=True)
    norms = np.sqrt(np.einsum("ij,ij->i", out, out))
    norms[norms < 10 * np.finfo(norms.dtype).eps] = 1.0
    out /= norms[:, None]
    return out


def _float_type(dtype):
    import numpy as np

    return dtype if dtype in (np.float32, np.float64) else np.float64
