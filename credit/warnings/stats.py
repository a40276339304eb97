"""The statistics the signals use, on small aggregated counts (no scipy needed).

- ``proportion_drop_test``: one-sided two-proportion z-test (pooled variance) that the current proportion is
  below the historical one; ``proportion_rise_test`` the mirror image.
- ``poisson_sf``: the Poisson upper tail P(X ≥ k | λ), for counts against a baseline rate.
- ``wilson_interval``: the Wilson score interval of a proportion, shown next to rates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

_NORMAL = NormalDist()


def z_threshold(alpha: float) -> float:
    """The one-sided critical value z with P(Z ≥ z) = alpha."""
    return _NORMAL.inv_cdf(1.0 - alpha)


@dataclass(frozen=True)
class ProportionTest:
    z: float
    p_value: float
    current: float
    history: float


def _two_proportion(x1: int, n1: int, x0: int, n0: int, sign: int) -> ProportionTest:
    if n1 <= 0 or n0 <= 0:
        raise ValueError("both samples need at least one batch")
    p1, p0 = x1 / n1, x0 / n0
    pooled = (x1 + x0) / (n1 + n0)
    se = math.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n0))
    if se == 0.0:
        return ProportionTest(z=0.0, p_value=1.0, current=p1, history=p0)
    z = sign * (p0 - p1) / se
    return ProportionTest(z=z, p_value=1.0 - _NORMAL.cdf(z), current=p1, history=p0)


def proportion_drop_test(x1: int, n1: int, x0: int, n0: int) -> ProportionTest:
    """H1: the current proportion x1/n1 is below the historical x0/n0 (z > 0 when it is lower)."""
    return _two_proportion(x1, n1, x0, n0, +1)


def proportion_rise_test(x1: int, n1: int, x0: int, n0: int) -> ProportionTest:
    """H1: the current proportion x1/n1 is above the historical x0/n0 (z > 0 when it is higher)."""
    return _two_proportion(x1, n1, x0, n0, -1)


def poisson_sf(k: int, lam: float) -> float:
    """P(X ≥ k) for X ~ Poisson(λ), summed in the tail (no cancellation when k is far above λ)."""
    if k <= 0:
        return 1.0
    if lam <= 0.0:
        return 0.0
    if k <= lam:
        term = math.exp(-lam)
        cdf = term
        for i in range(1, k):
            term *= lam / i
            cdf += term
        return max(0.0, 1.0 - cdf)
    log_term = -lam + k * math.log(lam) - math.lgamma(k + 1)
    term = math.exp(log_term)
    total, i = 0.0, k
    while term > 0.0 and (total == 0.0 or term > total * 1e-16):
        total += term
        i += 1
        term *= lam / i
        if i > k + 100_000:
            break
    return min(1.0, total)


def wilson_interval(x: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """The two-sided Wilson score interval of x/n."""
    if n <= 0:
        return (0.0, 1.0)
    z = _NORMAL.inv_cdf(1.0 - alpha / 2)
    p = x / n
    denominator = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))
