"""digest.topics.norms: unit rows the same to the last bit as scikit-learn's `normalize`,
and the bundled stop words are scikit-learn's."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.preprocessing import normalize

from digest.topics.norms import unit_rows
from digest.topics.vectors import _stop_words


def _sparse(rng, rows, cols, density, dtype):
    matrix = sp.random(rows, cols, density=density, format="csr", random_state=rng,
                       dtype=dtype)
    matrix.data = (matrix.data * 10.0 ** rng.integers(-3, 4, matrix.data.size)).astype(dtype)
    keep = np.ones(rows)
    keep[rng.integers(0, rows, 3)] = 0  # empty rows
    matrix = (sp.diags(keep) @ matrix).tocsr()
    matrix.eliminate_zeros()
    return matrix.astype(dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sparse_rows_match_scikit_learn_bit_for_bit(dtype):
    rng = np.random.default_rng(1)
    for _ in range(20):
        matrix = _sparse(rng, 60, 400, 0.05, dtype)
        ours, theirs = unit_rows(matrix), normalize(matrix)
        assert ours.format == "csr" and ours.dtype == theirs.dtype
        assert np.array_equal(ours.indptr, theirs.indptr)
        assert np.array_equal(ours.indices, theirs.indices)
        assert ours.data.tobytes() == theirs.data.tobytes()


def test_sparse_input_is_not_changed_and_other_formats_become_csr():
    rng = np.random.default_rng(2)
    matrix = _sparse(rng, 30, 50, 0.2, np.float64)
    before = matrix.data.copy()
    out = unit_rows(matrix.tocoo())
    assert out.format == "csr"
    assert out.toarray().tobytes() == normalize(matrix.tocoo()).toarray().tobytes()
    assert np.array_equal(matrix.data, before)
    integers = sp.csr_matrix(np.array([[3, 4], [0, 0]]))
    assert unit_rows(integers).toarray().tolist() == [[0.6, 0.8], [0.0, 0.0]]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_dense_rows_match_scikit_learn_bit_for_bit(dtype):
    rng = np.random.default_rng(3)
    for _ in range(20):
        matrix = (rng.standard_normal((40, 30)) * 10.0 ** rng.integers(-3, 4, (40, 1)))
        matrix[rng.integers(0, 40, 2)] = 0.0
        matrix[5] = 1e-17  # a norm of about zero is taken as 1
        matrix = matrix.astype(dtype)
        ours, theirs = unit_rows(matrix), normalize(matrix)
        assert ours.dtype == theirs.dtype
        assert ours.tobytes() == theirs.tobytes()
    # the input is left alone
    matrix = np.array([[3.0, 4.0]])
    assert unit_rows(matrix).tolist() == [[0.6, 0.8]] and matrix.tolist() == [[3.0, 4.0]]


def test_bundled_stop_words_are_scikit_learns():
    assert _stop_words() - {"said", "says", "say", "mr", "mrs", "ms", "told"} \
        == ENGLISH_STOP_WORDS
