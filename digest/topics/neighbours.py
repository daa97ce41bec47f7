"""Each article's most similar articles, the links of the graph grouping.py divides.

Up to EXACT_UP_TO articles every pair is compared (a block of rows at a time, so memory
grows with n, not n squared). Beyond, all pairs would grow with n squared: the rows are
projected to LSA_DIMENSIONS dimensions (truncated SVD, lsa.py), an HNSW index (voyager, in
C++) gives each article CANDIDATES_PER_LINK times k candidates, and their exact TF-IDF
cosines pick the k kept, so the graph's weights are the same measure at every size.
"""

from __future__ import annotations

EXACT_UP_TO = 3000
LSA_DIMENSIONS = 100
CANDIDATES_PER_LINK = 3


def nearest(matrix, k: int):
    """(neighbours, similarities), each (n, k): every row's k most similar other rows."""
    if matrix.shape[0] <= EXACT_UP_TO:
        return exact(matrix, k)
    return approximate(matrix, k)


def exact(matrix, k: int, block: int = 512):
    """The k nearest neighbours of every row of a (unit-row) sparse matrix, all pairs."""
    import numpy as np

    n = matrix.shape[0]
    neighbours = np.empty((n, k), dtype=np.int64)
    weights = np.empty((n, k))
    transposed = matrix.T.tocsc()
    for start in range(0, n, block):
        stop = min(n, start + block)
        sims = (matrix[start:stop] @ transposed).toarray()
        masked = sims.copy()
        masked[np.arange(stop - start), np.arange(start, stop)] = -np.inf
        # stable sort: ties broken by position, so the graph is the same on every run
        rows = np.argsort(-masked, axis=1, kind="stable")[:, :k]
        neighbours[start:stop] = rows
        weights[start:stop] = np.take_along_axis(sims, rows, axis=1)
    return neighbours, weights


def approximate(matrix, k: int):
    """Nearly the k nearest neighbours, without comparing all pairs (see the module)."""
    import numpy as np
    import voyager

    from digest.topics.lsa import lsa_rows
    from digest.topics.norms import unit_rows

    n = matrix.shape[0]
    dims = min(LSA_DIMENSIONS, matrix.shape[1] - 1)
    # two power iterations, in single precision (HNSW's own): the candidates are re-scored
    # exactly anyway (on 6,674 articles 73.8% of the exact links found, 73.6% with three)
    dense = unit_rows(lsa_rows(matrix, dims, iterations=2)).astype(np.float32)
    index = voyager.Index(voyager.Space.Cosine, num_dimensions=dims, M=16,
                          ef_construction=100, random_seed=1, max_elements=n)
    # one thread: the order of insertion, hence the graph, is the same on every run
    index.add_items(dense, ids=list(range(n)), num_threads=1)
    wanted = min(n, CANDIDATES_PER_LINK * k + 1)
    candidates, _ = index.query(dense, k=wanted, query_ef=max(wanted, 2 * k))
    return rescored(matrix.tocsr(), candidates.astype(np.int64), k)


def rescored(csr, candidates, k: int):
    """Each row's k best `candidates` (n x m row numbers) by exact cosine of the (unit-row)
    sparse rows, best first, ties in the candidates' order; a row itself is never one.

    A row at a time: its candidates' rows are gathered (scipy, in C) and multiplied by the
    row, spread out dense in a buffer that is cleared again after it. (Blocks of rows, as
    before, multiplied each candidate by the block's other rows too: on 6,674 articles
    1.2-1.5 s of CPU against 0.6-1.0 s, the same links to the last bit.)
    """
    import numpy as np

    n, m = candidates.shape
    sims = np.empty((n, m))
    dense = np.zeros(csr.shape[1])
    indptr, indices, data = csr.indptr, csr.indices, csr.data
    for i in range(n):
        columns = indices[indptr[i]:indptr[i + 1]]
        dense[columns] = data[indptr[i]:indptr[i + 1]]
        sims[i] = csr[candidates[i]] @ dense
        dense[columns] = 0.0
    own = np.arange(n)[:, None]
    sims[candidates == own] = -np.inf  # never a row itself
    # stable sort: ties broken by the candidates' order, as on every run
    order = np.argsort(-sims, axis=1, kind="stable")[:, :k]
    weights = np.take_along_axis(sims, order, axis=1)
    neighbours = np.take_along_axis(candidates, order, axis=1)
    # (fewer candidates than links: the rest are links of weight 0, which are dropped)
    missing = ~np.isfinite(weights)
    neighbours[missing] = np.broadcast_to(own, neighbours.shape)[missing]
    weights[missing] = 0.0
    return neighbours, weights
