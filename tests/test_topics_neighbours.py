"""digest.topics.lsa and digest.topics.neighbours: a big day's projection and its links."""

import numpy as np
import scipy.sparse as sp

from digest.topics import neighbours
from digest.topics.lsa import lsa_rows
from digest.topics.norms import unit_rows


def _topical(rng, rows=400, cols=900, topics=8):
    """Unit rows that each draw most of their words from one of `topics` vocabularies."""
    labels = rng.integers(0, topics, rows)
    dense = np.zeros((rows, cols))
    for i, topic in enumerate(labels):
        own = rng.integers(topic * cols // topics, (topic + 1) * cols // topics, 30)
        noise = rng.integers(0, cols, 8)
        np.add.at(dense[i], np.concatenate([own, noise]), 1.0)
    return unit_rows(sp.csr_matrix(dense)), labels


def test_lsa_finds_the_leading_singular_values_and_directions():
    rng = np.random.default_rng(0)
    matrix, _ = _topical(rng)
    # (eight topics: eight leading directions, well apart from the rest)
    coords = lsa_rows(matrix, 8, iterations=2)
    assert coords.shape == (400, 8) and coords.dtype == np.float32
    exact = np.linalg.svd(matrix.toarray(), compute_uv=False)
    # the coordinates' lengths along each direction are the singular values
    found = np.linalg.norm(coords, axis=0)
    assert np.allclose(found, exact[:8], rtol=5e-3)
    # more power iterations, closer
    closer = np.linalg.norm(lsa_rows(matrix, 8, iterations=5), axis=0)
    assert np.allclose(closer, exact[:8], rtol=1e-4)
    # and the coordinates are the rows' projection: their Gram matrix nears the best
    # rank-8 approximation's as the power iterations add up
    u, s, _ = np.linalg.svd(matrix.toarray(), full_matrices=False)
    best = (u[:, :8] * s[:8]) @ (u[:, :8] * s[:8]).T

    def error(iterations):
        found = lsa_rows(matrix, 8, iterations=iterations).astype(float)
        return np.linalg.norm(found @ found.T - best) / np.linalg.norm(best)

    assert error(5) < 1e-3 < error(2) < 0.1 < error(0)


def test_lsa_is_the_same_on_every_run_and_depends_on_its_seed():
    rng = np.random.default_rng(1)
    matrix, _ = _topical(rng, rows=200, cols=500)
    assert np.array_equal(lsa_rows(matrix, 10), lsa_rows(matrix, 10))
    assert not np.array_equal(lsa_rows(matrix, 10, seed=1), lsa_rows(matrix, 10, seed=2))


def test_lsa_of_a_matrix_narrower_than_the_dimensions_asked():
    matrix = unit_rows(sp.csr_matrix(np.eye(5)[:, :3] + 0.1))
    assert lsa_rows(matrix, 10).shape == (5, 3)


def test_rescored_keeps_the_best_candidates_by_exact_cosine():
    rng = np.random.default_rng(2)
    matrix, _ = _topical(rng, rows=120, cols=300)
    csr = matrix.tocsr()
    candidates = np.array([rng.permutation(120)[:20] for _ in range(120)])
    candidates[:, 0] = np.arange(120)  # each row among its own candidates
    got, weights = neighbours.rescored(csr, candidates, 5)
    full = (csr @ csr.T).toarray()
    for i in range(120):
        others = [c for c in candidates[i] if c != i]
        best = sorted(others, key=lambda c: -full[i, c])[:5]
        assert np.allclose(weights[i], full[i, best])
        assert i not in got[i]
    # fewer candidates than links: the missing ones are links of weight 0 to the row itself
    few, weight = neighbours.rescored(csr, candidates[:, :3], 5)
    assert (few[:, 2:] == np.arange(120)[:, None]).all() and (weight[:, 2:] == 0).all()


def test_a_big_day_links_what_all_pairs_would(monkeypatch):
    """Beyond EXACT_UP_TO, the projection and HNSW find nearly every exact link."""
    rng = np.random.default_rng(3)
    matrix, labels = _topical(rng, rows=600, cols=1200)
    exact, _ = neighbours.exact(matrix, 10)
    monkeypatch.setattr(neighbours, "EXACT_UP_TO", 100)
    approx, weights = neighbours.nearest(matrix, 10)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(approx, exact)])
    assert recall > 0.9
    # and the links found stay within a topic
    assert (labels[approx] == labels[:, None]).mean() > 0.95
