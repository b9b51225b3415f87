"""Statistics of the results analytics (pure Python + SciPy, no Django).

Shares with confidence intervals (Wilson; Clopper–Pearson for the exact interval), the comparison of two
shares (a difference with Newcombe's interval and a p-value: Fisher's exact test for small groups, the
two-proportion z-test otherwise) and the small-group rule (fewer than ``MIN_GROUP`` participants: no
percentages, which could reveal a person).

The flags (:mod:`itog.analytics.flags`) are built on these functions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats as _st

Z95 = 1.959963984540054
ALPHA = 0.05
MIN_GROUP = 5  # fewer participants: a share would reveal a person (issue 14), shown as «< 5»


@dataclass(frozen=True)
class Share:
    k: int
    n: int
    low: float
    high: float

    @property
    def value(self) -> float | None:
        return self.k / self.n if self.n else None

    @property
    def small(self) -> bool:
        return self.n < MIN_GROUP


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of k successes out of n (0..1); (0, 1) for n = 0."""
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"bad counts: k={k}, n={n}")
    if n == 0:
        return 0.0, 1.0
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low, high = max(0.0, centre - half), min(1.0, centre + half)
    # exact at the edges (rounding can move them by 1e-17)
    return (0.0 if k == 0 else low), (1.0 if k == n else high)


def clopper_pearson(k: int, n: int, alpha: float = ALPHA) -> tuple[float, float]:
    """The exact (conservative) interval from the beta distribution."""
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"bad counts: k={k}, n={n}")
    if n == 0:
        return 0.0, 1.0
    low = 0.0 if k == 0 else float(_st.beta.ppf(alpha / 2, k, n - k + 1))
    high = 1.0 if k == n else float(_st.beta.ppf(1 - alpha / 2, k + 1, n - k))
    return low, high


def share(k: int, n: int, method: str = "wilson") -> Share:
    low, high = (wilson if method == "wilson" else clopper_pearson)(k, n)
    return Share(k, n, low, high)


@dataclass(frozen=True)
class Comparison:
    """Share 1 minus share 2, its 95 % interval and whether the difference is significant."""

    diff: float | None
    low: float
    high: float
    p_value: float
    method: str  # "fisher" | "z"

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA


def newcombe(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float]:
    """Newcombe's hybrid score interval of p1 − p2 (method 10), from the two Wilson intervals."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1)
    l2, u2 = wilson(k2, n2)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return max(-1.0, low), min(1.0, high)


def compare(k1: int, n1: int, k2: int, n2: int) -> Comparison:
    """Two independent shares. Fisher's exact test when an expected count is below 5 (small schools),
    else the pooled two-proportion z-test; both two-sided."""
    for k, n in ((k1, n1), (k2, n2)):
        if n < 0 or k < 0 or k > n:
            raise ValueError(f"bad counts: k={k}, n={n}")
    if n1 == 0 or n2 == 0:
        return Comparison(None, -1.0, 1.0, 1.0, "none")
    low, high = newcombe(k1, n1, k2, n2)
    pooled = (k1 + k2) / (n1 + n2)
    expected = min(n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled))
    if expected < 5:
        p = fisher_exact(k1, n1, k2, n2)
        method = "fisher"
    else:
        se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = (k1 / n1 - k2 / n2) / se if se else 0.0
        p = math.erfc(abs(z) / math.sqrt(2))
        method = "z"
    return Comparison(k1 / n1 - k2 / n2, low, high, min(1.0, max(0.0, p)), method)


def _lchoose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def fisher_exact(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-sided Fisher's exact test of the 2×2 table [[k1, n1−k1], [k2, n2−k2]] (the sum of the
    hypergeometric probabilities not above the observed one, as SciPy does). Written out because SciPy's
    wrapper costs milliseconds a call and a region compares thousands of small schools; a test checks it
    against SciPy."""
    total, successes = n1 + n2, k1 + k2
    low, high = max(0, successes - n2), min(n1, successes)
    base = _lchoose(total, n1)

    def logp(x: int) -> float:
        return _lchoose(successes, x) + _lchoose(total - successes, n1 - x) - base

    observed = logp(k1)
    limit = observed + 1e-7 * abs(observed) + 1e-12
    p = sum(math.exp(lp) for lp in (logp(x) for x in range(low, high + 1)) if lp <= limit)
    return min(1.0, p)


def binomial_tail_p(k: int, n: int, p0: float) -> float:
    """Two-sided exact binomial test of k out of n against the share p0 (a school against the rest of the
    region, an expert against the peers): the sum of the probabilities not above the observed one, as SciPy's
    ``binomtest`` does (checked against it by a test; SciPy's wrapper costs milliseconds a call)."""
    if n == 0:
        return 1.0
    p0 = min(max(p0, 0.0), 1.0)
    if p0 in (0.0, 1.0):
        return 1.0 if k == round(p0 * n) else 0.0
    lq, lr = math.log(p0), math.log1p(-p0)
    base = math.lgamma(n + 1)

    def logp(x: int) -> float:
        return base - math.lgamma(x + 1) - math.lgamma(n - x + 1) + x * lq + (n - x) * lr

    observed = logp(k)
    limit = observed + 1e-7 * abs(observed) + 1e-12
    return min(1.0, sum(math.exp(lp) for lp in map(logp, range(n + 1)) if lp <= limit))


def pct(value: float | None, digits: int = 1) -> str:
    """0.1234 → «12,3 %» (Russian decimal comma)."""
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f}".replace(".", ",") + " %"


def pp(value: float | None, digits: int = 1) -> str:
    """A difference of shares in percentage points: «+3,2 п.п.»."""
    if value is None:
        return "—"
    return f"{value * 100:+.{digits}f}".replace(".", ",").replace("-", "−") + " п.п."


def shown_share(k: int, n: int) -> str:
    """A share for display, or «< 5 участников» when it would reveal a person."""
    if n < MIN_GROUP:
        return "менее 5 участников" if n else "—"
    return pct(k / n)
