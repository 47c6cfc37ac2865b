"""The site's losses and their gradients: stable, validated, along the last axis.

Notation: x prediction, y target value, z logits, q = softmax(z), p target distribution.

>>> import numpy as np
>>> z = np.array([2.0, 1.0, 0.0])
>>> p = np.array([0.0, 1.0, 0.0])
>>> np.round(cross_entropy_grad(p, z), 6)  # prediction minus target: q - p
array([ 0.665241, -0.755272,  0.090031])
"""

from __future__ import annotations

import numpy as np


def _as_float_array(value, name: str, *, allow_neg_inf: bool = False) -> np.ndarray:
    array = np.asarray(value, dtype=float)
    if np.isnan(array).any():
        raise ValueError(f"{name} contains NaN")
    infinite = np.isposinf(array) if allow_neg_inf else np.isinf(array)
    if infinite.any():
        allowed = " (only -inf is allowed)" if allow_neg_inf else ""
        raise ValueError(f"{name} contains an infinite value{allowed}")
    return array


def _logits(z) -> np.ndarray:
    z = _as_float_array(z, "logits z", allow_neg_inf=True)
    if z.ndim == 0 or z.shape[-1] == 0:
        raise ValueError(f"logits z need a non-empty last axis, got shape {z.shape}")
    return z


def _target_and_logits(p, z) -> tuple[np.ndarray, np.ndarray]:
    p, z = _as_float_array(p, "target p"), _logits(z)
    if p.shape != z.shape:
        raise ValueError(f"target p has shape {p.shape} but logits z have shape {z.shape}")
    if (p < 0).any():
        raise ValueError("target p has a negative entry")
    return p, z


def _shift_by_max(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """z − m with m = max z along the last axis, so that exp never overflows.

    A row of only −inf keeps m = −inf but is shifted by 0 (its exponentials are all 0).
    """
    m = z.max(axis=-1, keepdims=True)
    return z - np.where(np.isfinite(m), m, 0.0), m


def mse(x, y) -> np.ndarray:
    """Squared error ½(x − y)², elementwise (no reduction).

    >>> mse([3.0, 0.0], [1.0, 0.5])
    array([2.   , 0.125])
    """
    x, y = _as_float_array(x, "prediction x"), _as_float_array(y, "target y")
    return 0.5 * (x - y) ** 2


def mse_grad(x, y) -> np.ndarray:
    """Gradient of mse with respect to x: x − y, elementwise.

    >>> mse_grad([3.0, 0.0], [1.0, 0.5])
    array([ 2. , -0.5])
    """
    x, y = _as_float_array(x, "prediction x"), _as_float_array(y, "target y")
    return x - y


def logsumexp(z) -> np.ndarray:
    """log Σᵢ exp(zᵢ) over the last axis, computed as m + log Σᵢ exp(zᵢ − m) with m = max z.

    >>> print(logsumexp([1000.0, 1000.0]))  # exp(1000) overflows; shifted by the max, no
    1000.6931471805599
    >>> print(logsumexp([-np.inf, 0.0]))
    0.0
    >>> logsumexp([[0.0, 0.0], [-np.inf, -np.inf]])  # a batch of two rows
    array([0.69314718,       -inf])
    """
    shifted, m = _shift_by_max(_logits(z))
    with np.errstate(divide="ignore"):  # a row of only −inf: log 0 = −inf is the right value
        return np.log(np.exp(shifted).sum(axis=-1)) + m[..., 0]


def log_softmax(z) -> np.ndarray:
    """log qᵢ = zᵢ − logsumexp(z), along the last axis.

    >>> log_softmax([0.0, 0.0])
    array([-0.69314718, -0.69314718])
    """
    shifted, m = _shift_by_max(_logits(z))
    if np.isneginf(m).any():
        raise ValueError("logits z have a row of only -inf: softmax is undefined there")
    # (z − m) − log Σ exp(z − m), not z − logsumexp(z): at |z| ≈ 1e300 the latter rounds log 2 away.
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax(z) -> np.ndarray:
    """q = softmax(z): qᵢ = exp(zᵢ) / Σⱼ exp(zⱼ), along the last axis; a −inf logit gives 0.

    >>> softmax([0.0, 0.0])
    array([0.5, 0.5])
    >>> softmax([-np.inf, 0.0, 0.0])
    array([0. , 0.5, 0.5])
    """
    return np.exp(log_softmax(z))


def cross_entropy(p, z) -> np.ndarray:
    """H(p, softmax z) = −Σᵢ pᵢ log qᵢ = −Σᵢ pᵢ zᵢ + (Σᵢ pᵢ) logsumexp(z), over the last axis.

    Terms with pᵢ = 0 count 0, even where qᵢ = 0 (the convention 0 · log 0 = 0).
    p need not sum to 1 (multi-hot targets); the formula holds for any p ≥ 0.

    >>> print(cross_entropy([0.0, 1.0], [0.0, 0.0]))  # log 2
    0.6931471805599453
    >>> print(cross_entropy([1.0, 0.0], [0.0, -np.inf]))
    0.0
    >>> cross_entropy([-0.5, 1.5], [0.0, 0.0])
    Traceback (most recent call last):
    ...
    ValueError: target p has a negative entry
    """
    p, z = _target_and_logits(p, z)
    log_q = log_softmax(z)
    # Where pᵢ = 0 the term is 0 whatever log qᵢ is (it may be −inf).
    terms = p * np.where(p > 0, log_q, 0.0)
    return 0.0 - terms.sum(axis=-1)  # 0 − s, not −s: a perfect prediction gives 0, not −0


def cross_entropy_grad(p, z) -> np.ndarray:
    """Gradient of cross_entropy with respect to z: (Σᵢ pᵢ) q − p, which is q − p when Σp = 1.

    >>> cross_entropy_grad([0.0, 1.0], [0.0, 0.0])
    array([ 0.5, -0.5])
    >>> cross_entropy_grad([1.0, 1.0], [0.0, 0.0])  # multi-hot: (Σp) q − p
    array([0., 0.])
    """
    p, z = _target_and_logits(p, z)
    return p.sum(axis=-1, keepdims=True) * softmax(z) - p
