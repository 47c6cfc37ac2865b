"""The reference implementation beyond its doctests: batches, extreme logits, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from checks import numerical_gradient
from losses import (
    cross_entropy,
    cross_entropy_grad,
    log_softmax,
    logsumexp,
    mse,
    mse_grad,
    softmax,
)

rng = np.random.default_rng(0)


def random_simplex(shape):
    return rng.dirichlet(np.ones(shape[-1]), size=shape[:-1])


def test_batch_shapes_reduce_only_the_last_axis():
    z = rng.normal(size=(2, 3, 5))
    p = random_simplex((2, 3, 5))
    assert logsumexp(z).shape == (2, 3)
    assert softmax(z).shape == (2, 3, 5)
    assert cross_entropy(p, z).shape == (2, 3)
    assert cross_entropy_grad(p, z).shape == (2, 3, 5)
    for i in range(2):
        for j in range(3):
            assert cross_entropy(p, z)[i, j] == pytest.approx(cross_entropy(p[i, j], z[i, j]))


def test_mse_is_elementwise_and_broadcasts():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(mse(x, 1.0), [[0.0, 0.5], [2.0, 4.5]])
    np.testing.assert_array_equal(mse_grad(x, 1.0), [[0.0, 1.0], [2.0, 3.0]])


@pytest.mark.parametrize("scale", [1e4, 1e300])
def test_large_logits_stay_finite_and_exact(scale):
    z = np.array([scale, scale, -scale])
    np.testing.assert_allclose(logsumexp(z), scale + np.log(2), rtol=1e-15)
    np.testing.assert_allclose(softmax(z), [0.5, 0.5, 0.0], atol=1e-15)
    p = np.array([0.0, 0.0, 1.0])
    # −log q₃ = 2·scale + log 2: finite, and the gradient is still q − p.
    np.testing.assert_allclose(cross_entropy(p, z), 2 * scale + np.log(2), rtol=1e-15)
    np.testing.assert_allclose(cross_entropy_grad(p, z), [0.5, 0.5, -1.0], atol=1e-15)


def test_minus_infinity_logits():
    z = np.array([-np.inf, 0.0, np.log(3.0)])
    np.testing.assert_allclose(softmax(z), [0.0, 0.25, 0.75])
    assert log_softmax(z)[0] == -np.inf
    # 0 · log 0 = 0: a class the target never picks may have probability 0.
    np.testing.assert_allclose(cross_entropy([0.0, 1.0, 0.0], z), np.log(4.0))
    # A target on an impossible class costs +inf, without a warning (warnings are errors here).
    assert cross_entropy([1.0, 0.0, 0.0], z) == np.inf
    np.testing.assert_array_equal(logsumexp(np.full((2, 3), -np.inf)), [-np.inf, -np.inf])


def test_softmax_rows_sum_to_one():
    z = rng.normal(scale=30.0, size=(100, 7))
    np.testing.assert_allclose(softmax(z).sum(axis=-1), 1.0, atol=1e-12)


def test_shift_invariance():
    z = rng.normal(size=(10, 4))
    p = random_simplex((10, 4))
    shift = rng.normal(scale=100.0, size=(10, 1))
    np.testing.assert_allclose(softmax(z + shift), softmax(z), atol=1e-12)
    np.testing.assert_allclose(
        cross_entropy_grad(p, z + shift), cross_entropy_grad(p, z), atol=1e-12
    )


def test_gradient_matches_finite_differences():
    z = rng.normal(scale=2.0, size=(50, 6))
    p = random_simplex((50, 6))
    numeric = numerical_gradient(lambda z: cross_entropy(p, z), z)
    np.testing.assert_allclose(cross_entropy_grad(p, z), numeric, atol=1e-8)
    np.testing.assert_allclose(cross_entropy_grad(p, z), softmax(z) - p, atol=1e-15)


def test_multi_hot_targets_use_the_general_gradient():
    z = rng.normal(size=(20, 5))
    p = rng.integers(0, 2, size=(20, 5)).astype(float)
    expected = p.sum(axis=-1, keepdims=True) * softmax(z) - p
    np.testing.assert_allclose(cross_entropy_grad(p, z), expected, atol=1e-15)
    numeric = numerical_gradient(lambda z: cross_entropy(p, z), z)
    np.testing.assert_allclose(cross_entropy_grad(p, z), numeric, atol=1e-8)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: cross_entropy([-0.1, 1.1], [0.0, 0.0]), "target p has a negative entry"),
        (lambda: cross_entropy([np.nan, 1.0], [0.0, 0.0]), "target p contains NaN"),
        (lambda: cross_entropy([0.5, 0.5], [np.nan, 0.0]), "logits z contains NaN"),
        (lambda: cross_entropy([0.5, 0.5], [np.inf, 0.0]), r"only -inf is allowed"),
        (lambda: cross_entropy([0.5, 0.5], [0.0, 0.0, 0.0]), "shape"),
        (lambda: cross_entropy_grad([1.0, 0.0], [[0.0, 0.0]]), "shape"),
        (lambda: softmax([]), "non-empty last axis"),
        (lambda: softmax([-np.inf, -np.inf]), "only -inf"),
        (lambda: mse([np.nan], [0.0]), "prediction x contains NaN"),
        (lambda: mse_grad([0.0], [np.inf]), "target y contains an infinite value"),
    ],
    ids=[
        "negative-target",
        "nan-target",
        "nan-logit",
        "plus-inf-logit",
        "shape-mismatch",
        "no-broadcast",
        "empty",
        "all-minus-inf",
        "nan-prediction",
        "inf-target",
    ],
)
def test_bad_input_is_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
