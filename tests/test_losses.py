"""The reference losses beyond their doctests: batches, extreme logits, −inf, bad input.

Warnings are errors in this project (pyproject.toml), so every test here also checks that
valid input raises no RuntimeWarning.
"""

from __future__ import annotations

import mpmath
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
    sparsemax,
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


# Bits that make every difference of two floats exact: they span 2^1024 down to 2^-1074.
EXACT_BITS = 2200


def _cross_entropy_exact(p, z) -> mpmath.mpf:
    """−Σᵢ pᵢ log qᵢ from the float inputs taken as exact, with −log qᵢ written as
    log(1 + Σ_{j≠i} exp(zⱼ − zᵢ)), so that a loss of 1e−300 is resolved as well as one of 1."""
    with mpmath.workprec(EXACT_BITS):
        z = [mpmath.mpf(zi) for zi in z]
        return mpmath.fsum(
            mpmath.mpf(pi)
            * mpmath.log1p(mpmath.fsum(mpmath.exp(zj - zi) for j, zj in enumerate(z) if j != i))
            for i, (pi, zi) in enumerate(zip(p, z, strict=True))
            if pi
        )


def _extreme_cross_entropy_cases(rng):
    """Targets and logits where the naive formula fails: spreads beyond the float range,
    confident right predictions whose loss is below the float spacing near 1, and ordinary rows."""
    cases = []
    for spread in [1e308, 1.7e308, 1e300, 1e200, 1e17]:
        for p in [[0.5, 0.5], [1e-300, 1.0 - 1e-16], [0.25, 0.75], [1e-10, 0.0]]:
            cases.append((p, [spread, -spread]))
        cases.append(([0.2, 0.3, 0.5], [spread, 0.0, -spread]))
    for gap in [20.0, 37.0, 40.0, 100.0, 700.0, 745.0]:
        cases.append(([1.0, 0.0], [0.0, -gap]))
        cases.append(([1.0, 0.0, 0.0], [3.0, 3.0 - gap, 3.0 - 2 * gap]))
        cases.append(([2.0, 0.0], [1e10, 1e10 - gap]))  # multi-hot weight, large logits
    for _ in range(50):
        cases.append((on_simplex(rng, (5,)), rng.normal(scale=10.0, size=5)))
    return cases


def test_cross_entropy_matches_high_precision_arithmetic(rng):
    # Every term of the sum is non-negative and carries a few roundings, and log1p and exp are
    # accurate to about an ulp: a 64-ulp tolerance (1.4e-14) is far below any lost digit.
    # Below the smallest normal float the spacing is absolute, 2^-1074: 64 of those too.
    tolerance, floor = 64 * np.finfo(float).eps, 64 * np.finfo(float).smallest_subnormal
    largest = mpmath.mpf(np.finfo(float).max)
    for p, z in _extreme_cross_entropy_cases(rng):
        exact = _cross_entropy_exact(p, z)
        computed = float(cross_entropy(p, z))
        where = f"cross_entropy({p}, {z}) = {computed!r}, exact {mpmath.nstr(exact, 17)}"
        if exact > largest:
            assert computed == np.inf, where
            continue
        assert np.isfinite(computed), where
        assert abs(computed - exact) <= tolerance * exact + floor, where


def _sparsemax_by_bisection(z) -> np.ndarray:
    """The projection onto the simplex from its definition: max(z − τ, 0) with τ the root of
    Σ max(zᵢ − τ, 0) = 1, found by bisection in exact (mpmath) arithmetic."""
    with mpmath.workprec(EXACT_BITS):
        z = [mpmath.mpf(zi) for zi in z]
        low, high = max(z) - 1, max(z)  # the sum is ≥ 1 at max − 1 and 0 at max
        for _ in range(100):  # from width 1 to 2^-100, far below the 1e-15 compared
            tau = (low + high) / 2
            low, high = (tau, high) if sum(max(zi - tau, 0) for zi in z) > 1 else (low, tau)
        return np.array([float(max(zi - tau, 0)) for zi in z])


@pytest.mark.parametrize(
    "z",
    [
        [1e308, -1e308],
        [1e308, 1e308],
        [-1e308, 1.7e308, 1.7e308 - 0.5],
        [1e300, 1e300 + 1e285, -1e300],
        [2.0, 1.0, -1.0],
        [0.5, 0.25, 0.0],
    ],
)
def test_sparsemax_at_extreme_logits(z):
    np.testing.assert_allclose(sparsemax(z), _sparsemax_by_bisection(z), rtol=0, atol=1e-15)


def test_sparsemax_matches_the_definition(rng):
    for scale in [1e-3, 1.0, 1e3]:
        for z in rng.normal(scale=scale, size=(20, 6)):
            expected = _sparsemax_by_bisection(z)
            np.testing.assert_allclose(sparsemax(z), expected, rtol=0, atol=1e-12)


# Every reference function and the names of its arguments, in order.
_SIGNATURES = [
    (mse, ["prediction x", "target y"]),
    (mse_grad, ["prediction x", "target y"]),
    (logsumexp, ["logits z"]),
    (log_softmax, ["logits z"]),
    (softmax, ["logits z"]),
    (sparsemax, ["logits z"]),
    (cross_entropy, ["target p", "logits z"]),
    (cross_entropy_grad, ["target p", "logits z"]),
]


@pytest.mark.parametrize(
    "bad", ["3", ["1.0", "2.0"], None, [None, 1.0], [1.0, "a"], 1 + 2j], ids=repr
)
@pytest.mark.parametrize(
    ("function", "names"), _SIGNATURES, ids=lambda f: getattr(f, "__name__", "")
)
def test_non_numeric_input_is_a_type_error_naming_the_argument(function, names, bad):
    good = [0.5, 0.5]
    for position, name in enumerate(names):
        arguments = [good] * len(names)
        arguments[position] = bad
        with pytest.raises(TypeError, match=f"^{name} must be real numbers, got "):
            function(*arguments)
