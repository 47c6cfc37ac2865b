"""The reference losses beyond their doctests: batches, extreme logits, −inf, bad input.

Warnings are errors in this project (pyproject.toml), so every test here also checks that
valid input raises no RuntimeWarning.
"""

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


@pytest.fixture
def rng():
    # One generator per test: the data do not depend on which tests ran before (or on xdist).
    return np.random.default_rng(0)


def on_simplex(rng, shape):
    """Random distributions p of the given shape: non-negative, each row summing to 1."""
    return rng.dirichlet(np.ones(shape[-1]), size=shape[:-1])


def test_batches_reduce_only_the_last_axis_row_by_row(rng):
    z = rng.normal(size=(2, 3, 5))
    p = on_simplex(rng, (2, 3, 5))
    rows = list(zip(p.reshape(-1, 5), z.reshape(-1, 5), strict=True))
    for function, shape in [(cross_entropy, (2, 3)), (cross_entropy_grad, (2, 3, 5))]:
        one_by_one = np.reshape([function(p_row, z_row) for p_row, z_row in rows], shape)
        np.testing.assert_allclose(function(p, z), one_by_one, rtol=1e-15)
    for function, shape in [(logsumexp, (2, 3)), (softmax, (2, 3, 5)), (log_softmax, (2, 3, 5))]:
        one_by_one = np.reshape([function(z_row) for _, z_row in rows], shape)
        np.testing.assert_allclose(function(z), one_by_one, rtol=1e-15)


def test_mse_is_elementwise_and_broadcasts():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(mse(x, 1.0), [[0.0, 0.5], [2.0, 4.5]])
    np.testing.assert_array_equal(mse_grad(x, [1.0, 0.0]), [[0.0, 2.0], [2.0, 4.0]])
    assert mse(x, 1.0).dtype == mse_grad([1, 2], [0, 0]).dtype == np.float64


@pytest.mark.parametrize("scale", [1e4, 1e300])
def test_large_logits_stay_finite_and_exact(scale):
    z = np.array([scale, scale, -scale])
    np.testing.assert_allclose(logsumexp(z), scale + np.log(2), rtol=1e-15)
    np.testing.assert_allclose(softmax(z), [0.5, 0.5, 0.0], atol=1e-15)
    np.testing.assert_allclose(log_softmax(z)[:2], -np.log(2), rtol=1e-15)
    p = np.array([0.0, 0.0, 1.0])
    # −log q₃ = 2·scale + log 2: finite, and the gradient is still q − p.
    np.testing.assert_allclose(cross_entropy(p, z), 2 * scale + np.log(2), rtol=1e-15)
    np.testing.assert_allclose(cross_entropy_grad(p, z), [0.5, 0.5, -1.0], atol=1e-15)


def test_logits_near_the_largest_float():
    # 1e308 − (−1e308) overflows: the far logit's probability is 0 and its log is −inf.
    z = np.array([1e308, -1e308])
    assert logsumexp(z) == 1e308
    assert logsumexp([1.7e308, 1.7e308]) == 1.7e308  # + log 2 rounds away, without overflow
    np.testing.assert_array_equal(softmax(z), [1.0, 0.0])
    assert cross_entropy([1.0, 0.0], z) == 0.0
    assert cross_entropy([0.0, 1.0], z) == np.inf  # 2e308 is not representable
    np.testing.assert_array_equal(cross_entropy_grad([0.0, 1.0], z), [1.0, -1.0])


def test_minus_infinity_logits():
    z = np.array([-np.inf, 0.0, np.log(3.0)])
    np.testing.assert_allclose(softmax(z), [0.0, 0.25, 0.75])
    assert softmax(z)[0] == 0.0
    assert log_softmax(z)[0] == -np.inf
    assert logsumexp([-np.inf, 0.0]) == 0.0
    np.testing.assert_array_equal(logsumexp(np.full((2, 3), -np.inf)), [-np.inf, -np.inf])
    # A target on an impossible class costs +inf; its gradient is still finite: q − p.
    assert cross_entropy([1.0, 0.0, 0.0], z) == np.inf
    np.testing.assert_allclose(cross_entropy_grad([1.0, 0.0, 0.0], z), [-1.0, 0.25, 0.75])


def test_zero_times_log_zero_is_zero():
    # A class the target never picks may have probability 0: its term counts 0, not nan.
    z = np.array([-np.inf, 0.0, np.log(3.0)])
    np.testing.assert_allclose(cross_entropy([0.0, 1.0, 0.0], z), np.log(4.0))
    assert cross_entropy([0.0, 1.0], [-np.inf, 0.0]) == 0.0
    assert cross_entropy_grad([0.0, 1.0], [-np.inf, 0.0])[0] == 0.0
    # An all-zero target row costs nothing and pulls nowhere.
    assert cross_entropy([0.0, 0.0], [-np.inf, 5.0]) == 0.0
    np.testing.assert_array_equal(cross_entropy_grad([0.0, 0.0], [-np.inf, 5.0]), [0.0, 0.0])


def test_softmax_rows_sum_to_one(rng):
    z = rng.normal(scale=30.0, size=(100, 7))
    z[::3, 0] = -np.inf
    np.testing.assert_allclose(softmax(z).sum(axis=-1), 1.0, rtol=0, atol=1e-12)


def test_shift_invariance(rng):
    z = rng.normal(size=(10, 4))
    p = on_simplex(rng, (10, 4))
    shift = rng.normal(scale=100.0, size=(10, 1))
    np.testing.assert_allclose(softmax(z + shift), softmax(z), atol=1e-12)
    np.testing.assert_allclose(
        cross_entropy_grad(p, z + shift), cross_entropy_grad(p, z), atol=1e-12
    )


def test_gradient_matches_finite_differences(rng):
    z = rng.normal(scale=2.0, size=(50, 6))
    p = on_simplex(rng, (50, 6))
    numeric = numerical_gradient(lambda z: cross_entropy(p, z), z, h=1e-6)
    np.testing.assert_allclose(cross_entropy_grad(p, z), numeric, rtol=0, atol=1e-8)
    # On the simplex, (Σp) q − p is prediction minus target.
    np.testing.assert_allclose(cross_entropy_grad(p, z), softmax(z) - p, atol=1e-15)
    np.testing.assert_allclose(cross_entropy_grad(p, z).sum(axis=-1), 0.0, atol=1e-15)


def test_multi_hot_targets_use_the_general_gradient(rng):
    z = rng.normal(size=(20, 5))
    p = rng.integers(0, 2, size=(20, 5)).astype(float)
    expected = p.sum(axis=-1, keepdims=True) * softmax(z) - p
    np.testing.assert_allclose(cross_entropy_grad(p, z), expected, atol=1e-15)
    numeric = numerical_gradient(lambda z: cross_entropy(p, z), z, h=1e-6)
    np.testing.assert_allclose(cross_entropy_grad(p, z), numeric, rtol=0, atol=1e-8)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(
            lambda: cross_entropy([-0.1, 1.1], [0.0, 0.0]),
            "^target p must be non-negative$",
            id="negative-target",
        ),
        pytest.param(
            lambda: cross_entropy_grad([np.nan, 1.0], [0.0, 0.0]),
            "^target p must not contain NaN$",
            id="nan-target",
        ),
        pytest.param(
            lambda: cross_entropy([np.inf, 1.0], [0.0, 0.0]),
            "^target p must be finite$",
            id="inf-target",
        ),
        pytest.param(
            lambda: cross_entropy([0.5, 0.5], [np.nan, 0.0]),
            "^logits z must not contain NaN$",
            id="nan-logit",
        ),
        pytest.param(
            lambda: logsumexp([np.inf, 0.0]),
            r"^logits z must not contain \+inf \(only -inf is allowed\)$",
            id="plus-inf-logit",
        ),
        pytest.param(
            lambda: cross_entropy([0.5, 0.5], [0.0, 0.0, 0.0]),
            r"^target p \(2,\) and logits z \(3,\) must have the same shape$",
            id="shape-mismatch",
        ),
        pytest.param(
            lambda: cross_entropy_grad([1.0, 0.0], [[0.0, 0.0]]),
            r"^target p \(2,\) and logits z \(1, 2\) must have the same shape$",
            id="no-broadcast",
        ),
        pytest.param(
            lambda: softmax(np.zeros((3, 0))),
            r"^logits z must have a non-empty last axis, got shape \(3, 0\)$",
            id="empty-last-axis",
        ),
        pytest.param(
            lambda: logsumexp(1.0),
            r"non-empty last axis, got shape \(\)$",
            id="scalar-logits",
        ),
        pytest.param(
            lambda: softmax([[0.0, 1.0], [-np.inf, -np.inf]]),
            r"^logits z must not have a row of only -inf \(it has no softmax\)$",
            id="all-minus-inf-softmax",
        ),
        pytest.param(
            lambda: cross_entropy([0.0, 1.0], [-np.inf, -np.inf]),
            "row of only -inf",
            id="all-minus-inf-cross-entropy",
        ),
        pytest.param(
            lambda: mse([np.nan], [0.0]),
            "^prediction x must not contain NaN$",
            id="nan-prediction",
        ),
        pytest.param(
            lambda: mse_grad([0.0], [np.inf]),
            "^target y must be finite$",
            id="inf-target-value",
        ),
        pytest.param(
            lambda: mse([1.0, 2.0], [1.0, 2.0, 3.0]),
            r"^prediction x \(2,\) and target y \(3,\) do not broadcast$",
            id="mse-shapes",
        ),
    ],
)
def test_bad_input_is_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
