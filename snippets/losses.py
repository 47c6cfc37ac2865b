"""The site's losses and gradients: x prediction, y target, z logits, q = softmax(z), p target."""

from __future__ import annotations

import numpy as np


def _float_array(value, name: str, *, allow_neg_inf: bool = False) -> np.ndarray:
    array = np.asarray(value)
    # Not asarray(value, dtype=float) straight away: it reads "3" as 3.0 and None as nan.
    if array.dtype.kind not in "biuf":
        of = f" of {array.dtype}" if array.ndim else ""
        raise TypeError(f"{name} must be real numbers, got {type(value).__name__}{of}")
    array = array.astype(float)
    if np.isnan(array).any():
        raise ValueError(f"{name} must not contain NaN")
    if np.isposinf(array).any() or (not allow_neg_inf and np.isneginf(array).any()):
        rule = "must not contain +inf (only -inf is allowed)" if allow_neg_inf else "must be finite"
        raise ValueError(f"{name} {rule}")
    return array


def _prediction_and_target(x, y) -> tuple[np.ndarray, np.ndarray]:
    x, y = _float_array(x, "prediction x"), _float_array(y, "target y")
    try:
        np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        message = f"prediction x {x.shape} and target y {y.shape} do not broadcast"
        raise ValueError(message) from None
    return x, y


def _logits(z) -> np.ndarray:
    z = _float_array(z, "logits z", allow_neg_inf=True)
    if z.ndim == 0 or z.shape[-1] == 0:
        raise ValueError(f"logits z must have a non-empty last axis, got shape {z.shape}")
    return z


def _target_and_logits(p, z) -> tuple[np.ndarray, np.ndarray]:
    p, z = _float_array(p, "target p"), _logits(z)
    # Same shape, not broadcast: a target that silently broadcasts is almost always a bug.
    if p.shape != z.shape:
        raise ValueError(f"target p {p.shape} and logits z {z.shape} must have the same shape")
    if (p < 0).any():
        raise ValueError("target p must be non-negative")
    return p, z


def _shift_by_max(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(z − m, m), m = max z along the last axis (0 for a row of only −inf): exp(z − m) ≤ 1."""
    m = z.max(axis=-1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(over="ignore"):  # logits ~1e308 apart: z − m rounds to −inf, whose exp is 0
        return z - m, m


def mse(x, y) -> np.ndarray:
    """Squared error ½(x − y)², elementwise (no reduction); x and y broadcast.

    >>> mse([3.0, 0.0], [1.0, 0.5])
    array([2.   , 0.125])
    """
    x, y = _prediction_and_target(x, y)
    return 0.5 * (x - y) ** 2


def mse_grad(x, y) -> np.ndarray:
    """Gradient of mse with respect to x: x − y, elementwise (prediction minus target).

    >>> mse_grad([3.0, 0.0], [1.0, 0.5])
    array([ 2. , -0.5])
    """
    x, y = _prediction_and_target(x, y)
    return x - y


def logsumexp(z) -> np.ndarray:
    """log Σᵢ exp(zᵢ) over the last axis, as m + log Σᵢ exp(zᵢ − m) with m = max z.

    >>> print(np.round(logsumexp([1000.0, 1000.0]), 6))  # exp(1000) would overflow
    1000.693147
    >>> logsumexp([[-np.inf, 0.0], [-np.inf, -np.inf]])  # a batch of two rows
    array([  0., -inf])
    """
    shifted, m = _shift_by_max(_logits(z))
    s = np.exp(shifted).sum(axis=-1)
    # A row of only −inf has s = 0: its logsumexp is log 0 = −inf, without a divide warning.
    return np.log(s, out=np.full_like(s, -np.inf), where=s > 0) + m[..., 0]


def log_softmax(z) -> np.ndarray:
    """log qᵢ = zᵢ − logsumexp(z), along the last axis; a −inf logit stays −inf.

    >>> log_softmax([-np.inf, 0.0, 0.0])
    array([       -inf, -0.69314718, -0.69314718])
    """
    z = _logits(z)
    if np.isneginf(z).all(axis=-1).any():
        raise ValueError("logits z must not have a row of only -inf (it has no softmax)")
    shifted, _ = _shift_by_max(z)
    # (z − m) − log Σ exp(z − m), not z − logsumexp(z): at |z| ≈ 1e300 the latter rounds log 2 away.
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax(z) -> np.ndarray:
    """qᵢ = exp(zᵢ) / Σⱼ exp(zⱼ) = exp(zᵢ − logsumexp(z)), along the last axis.

    A −inf logit gets probability exactly 0; a row of only −inf raises ValueError.

    >>> softmax([0.0, 0.0])
    array([0.5, 0.5])
    >>> softmax([-np.inf, 0.0, 0.0])
    array([0. , 0.5, 0.5])
    """
    return np.exp(log_softmax(z))


def sparsemax(z) -> np.ndarray:
    """Euclidean projection of z onto the simplex, max(z − τ, 0), along the last axis.

    τ comes from the logits sorted in decreasing order: the support is the k largest for the
    largest k with 1 + k·z₍ₖ₎ > z₍₁₎ + … + z₍ₖ₎ (Martins and Astudillo, 2016). Unlike softmax,
    it gives classes probability exactly 0.

    >>> sparsemax([2.0, 1.0, -1.0])
    array([1., 0., 0.])
    >>> sparsemax([0.5, 0.25, 0.0])
    array([0.58333333, 0.33333333, 0.08333333])
    """
    z = _logits(z)
    if np.isneginf(z).all(axis=-1).any():
        raise ValueError("logits z must not have a row of only -inf (it has no sparsemax)")
    # Shifted so that the largest is 0: the sums below cannot overflow, and a logit more than
    # the float range below the largest becomes −inf, which gets probability 0.
    z, _ = _shift_by_max(z)
    z_sorted = -np.sort(-z, axis=-1)
    cumulative = np.cumsum(z_sorted, axis=-1)
    k = np.arange(1, z.shape[-1] + 1)
    support_size = np.sum(1 + k * z_sorted > cumulative, axis=-1, keepdims=True)
    tau = (np.take_along_axis(cumulative, support_size - 1, axis=-1) - 1) / support_size
    return np.maximum(z - tau, 0.0)


def cross_entropy(p, z) -> np.ndarray:
    """H(p, q) = −Σᵢ pᵢ log qᵢ with q = softmax(z), reducing the last axis.

    Equivalently −Σᵢ pᵢ zᵢ + (Σᵢ pᵢ) logsumexp(z). Terms with pᵢ = 0 count 0 even where
    qᵢ = 0 (0 · log 0 = 0); pᵢ > 0 where qᵢ = 0 gives +inf. p must be non-negative with
    the shape of z, but need not sum to 1 (multi-hot targets).

    Computed as Σᵢ pᵢ (m − zᵢ) + (Σᵢ pᵢ) log1p(Σ_{i≠k} exp(zᵢ − m)), m = z_k = max z: every term
    is non-negative, so nothing cancels; m − zᵢ is taken in halves, so logits further apart
    than the float range give a finite loss when the loss is finite; log1p keeps a loss below
    the float spacing near 1 (a confident, right prediction) instead of rounding it to 0.
    It is +inf only where qᵢ = 0 for some pᵢ > 0, or where the loss exceeds the largest float
    (about 1.8e308), as for p = (0, 1), z = (1e308, −1e308), whose loss is 2e308.

    >>> print(np.round(cross_entropy([0.0, 1.0, 0.0], [2.0, 1.0, 0.0]), 6))  # −log q₂
    1.407606
    >>> print(cross_entropy([1.0, 0.0], [0.0, -np.inf]))
    0.0
    >>> print(cross_entropy([1.0, 0.0], [0.0, -40.0]))  # log(1 + e⁻⁴⁰)
    4.248354255291589e-18
    >>> cross_entropy([-0.5, 1.5], [0.0, 0.0])
    Traceback (most recent call last):
    ...
    ValueError: target p must be non-negative
    """
    p, z = _target_and_logits(p, z)
    if np.isneginf(z).all(axis=-1).any():
        raise ValueError("logits z must not have a row of only -inf (it has no softmax)")
    shifted, m = _shift_by_max(z)
    # Σ_{i≠k} exp(zᵢ − m): all the exponentials but that of one largest logit, which is 1.
    top = np.argmax(z, axis=-1)[..., None]
    others = np.exp(shifted)
    np.put_along_axis(others, top, 0.0, axis=-1)
    with np.errstate(over="ignore", invalid="ignore"):  # an unrepresentable loss is +inf
        # pᵢ(m − zᵢ) as 2 · pᵢ(m/2 − zᵢ/2): m − zᵢ can exceed the float range, its halves cannot.
        # Terms with pᵢ = 0 count 0, even where zᵢ = −inf (0 · inf is nan).
        gaps = np.where(p > 0, 2.0 * (p * (m / 2 - z / 2)), 0.0)
        return gaps.sum(axis=-1) + p.sum(axis=-1) * np.log1p(others.sum(axis=-1))


def cross_entropy_grad(p, z) -> np.ndarray:
    """Gradient of cross_entropy with respect to z: (Σᵢ pᵢ) q − p, along the last axis.

    For a distribution p (Σp = 1) this is q − p: prediction minus target.

    >>> g = cross_entropy_grad([0.0, 1.0, 0.0], [2.0, 1.0, 0.0])
    >>> np.round(g, 6)
    array([ 0.665241, -0.755272,  0.090031])
    >>> np.allclose(g.sum(), 0.0)  # Σ(q − p) = 1 − 1
    True
    >>> cross_entropy_grad([1.0, 1.0], [0.0, 0.0])  # multi-hot, Σp = 2: 2q − p
    array([0., 0.])
    """
    p, z = _target_and_logits(p, z)
    return p.sum(axis=-1, keepdims=True) * softmax(z) - p
