"""Random-effects logistic regression for proportions (metafor ``rma.glmm(measure="PLO")``).

Model: ``x_i ~ Binomial(n_i, ilogit(mu + u_i))``, ``u_i ~ N(0, tau²)``, fitted by maximum
likelihood with the marginal likelihood integrated by adaptive Gauss-Hermite quadrature
(``nAGQ`` nodes, centred at each study's conditional mode and scaled by its curvature; 7 nodes
as metafor's default, which hands the fit to ``lme4::glmer(..., nAGQ = 7)``; ``nAGQ = 1`` is the
Laplace approximation). Zero-event (and all-event) studies need no continuity correction.

The SE of ``mu`` is from the inverse Hessian of the deviance in (tau, mu), as lme4's ``vcov``
(``use.hessian = TRUE``) that metafor reports. The heterogeneity tests are metafor's: a Wald
test (``qe``, ``QE.Wld``) and a likelihood-ratio test (``QE.LRT``) of the saturated logistic
model (one logit per study) against the common-effect one, both fitted as R's ``glm`` does (IRLS
from ``mustart = (x + 0.5) / (n + 1)``, stopping at a relative deviance change below 1e-8), so
studies with 0 % or 100 % events give the same numbers as R. I² and H² use the "typical" variance
of the escalc PLO variances (add 1/2 to zero cells), as metafor.

Written from the model definition (our own code: no Python package fits a binomial GLMM with
adaptive quadrature; statsmodels' ``BinomialBayesMixedGLM`` is a variational Bayes
approximation, used in the tests as an independent plausibility check only).
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Sequence

import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from scipy import optimize, stats
from scipy.special import expit, gammaln

from evidence.fits import MetaFit, wald

__all__ = ["GlmmResult", "fit_glmm", "glm_logistic"]


class GlmmResult(MetaFit):
    """A :class:`~evidence.fits.MetaFit` from :func:`fit_glmm`; ``extra`` holds ``qe_lrt``,
    ``qe_lrt_pval``, ``loglik`` (marginal log-likelihood, as ``logLik`` of the lme4 fit), ``nagq``."""


def _log_expit(e: np.ndarray) -> np.ndarray:
    return -np.logaddexp(0.0, -e)


def _lchoose(n: np.ndarray, x: np.ndarray) -> np.ndarray:
    return gammaln(n + 1) - gammaln(x + 1) - gammaln(n - x + 1)


def _binom_ll(x: np.ndarray, n: np.ndarray, eta: np.ndarray) -> np.ndarray:
    """Binomial log-likelihood without the constant, at linear predictor ``eta``."""
    return x * _log_expit(eta) + (n - x) * _log_expit(-eta)


class _Agq:
    """Marginal log-likelihood of the random-intercept logistic model by AGQ."""

    def __init__(self, x: np.ndarray, n: np.ndarray, nagq: int):
        self.x, self.n = x, n
        z, w = hermegauss(nagq)  # nodes/weights for exp(-z²/2); weights sum to sqrt(2 pi)
        self.z = z
        # divide by phi(z) = exp(-z²/2) / sqrt(2 pi)
        self.logw = np.log(w / math.sqrt(2 * math.pi)) + z**2 / 2 + 0.5 * math.log(2 * math.pi)
        self.const = float(np.sum(_lchoose(n, x)))

    def loglik(self, mu: float, tau: float) -> float:
        x, n = self.x, self.n
        if tau == 0:
            return self.const + float(np.sum(_binom_ll(x, n, np.full_like(x, mu))))
        # conditional modes: h(u) = ll(mu + tau u) - u²/2 is concave; damped Newton from 0
        def h(u: np.ndarray) -> np.ndarray:
            return _binom_ll(x, n, mu + tau * u) - u * u / 2

        u = np.zeros_like(x)
        hu = h(u)
        for _ in range(500):
            p = expit(mu + tau * u)
            g = tau * (x - n * p) - u
            step = g / (tau * tau * n * p * (1 - p) + 1)
            for _ in range(60):  # halve the step where it would lower h
                un = u + step
                hn = h(un)
                worse = hn < hu - 1e-13 * np.abs(hu)
                if not worse.any():
                    break
                step = np.where(worse, step / 2, step)
            u, hu = un, hn
            if np.max(np.abs(step)) < 1e-11 * (1 + np.max(np.abs(u))):
                break
        p = expit(mu + tau * u)
        sigma = 1 / np.sqrt(tau * tau * n * p * (1 - p) + 1)
        uu = u[:, None] + sigma[:, None] * self.z[None, :]
        terms = (self.logw[None, :] + _binom_ll(x[:, None], n[:, None], mu + tau * uu)
                 - uu**2 / 2 - 0.5 * math.log(2 * math.pi))
        li = np.log(sigma) + np.logaddexp.reduce(terms, axis=1)
        return self.const + float(np.sum(li))


def glm_logistic(x: np.ndarray, n: np.ndarray, X: np.ndarray, maxit: int = 25,
                 epsilon: float = 1e-8) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Logistic regression of ``x`` events out of ``n`` by IRLS exactly as R's ``glm.fit``
    (start, stopping rule, eta clamped at +-30 in the inverse link). Returns
    ``(coef, vcov, mu, converged)``; ``vcov`` uses the weights of the last iteration, as R."""
    y = x / n
    eps = np.finfo(float).eps
    mu = (n * y + 0.5) / (n + 1)
    eta = np.log(mu / (1 - mu))

    def linkinv(e: np.ndarray) -> np.ndarray:
        t = np.where(e < -30, eps, np.where(e > 30, 1 / eps, np.exp(np.clip(e, -30, 30))))
        return t / (1 + t)

    def mu_eta(e: np.ndarray) -> np.ndarray:
        ex = np.exp(np.clip(e, -30, 30))
        return np.where((e > 30) | (e < -30), eps, ex / (1 + ex) ** 2)

    def dev(m: np.ndarray) -> float:
        with np.errstate(divide="ignore", invalid="ignore"):
            a = np.where(y > 0, y * np.log(y / m), 0.0)
            b = np.where(y < 1, (1 - y) * np.log((1 - y) / (1 - m)), 0.0)
        return float(np.sum(2 * n * (a + b)))

    devold = dev(mu)
    converged = False
    coef = np.zeros(X.shape[1])
    w2 = np.ones_like(y)
    for _ in range(maxit):
        me = mu_eta(eta)
        z = eta + (y - mu) / me
        w2 = n * me**2 / (mu * (1 - mu))
        sw = np.sqrt(w2)
        coef = np.linalg.lstsq(X * sw[:, None], z * sw, rcond=None)[0]
        eta = X @ coef
        mu = linkinv(eta)
        d = dev(mu)
        if abs(d - devold) / (abs(d) + 0.1) < epsilon:
            converged = True
            break
        devold = d
    vcov = np.linalg.inv((X.T * w2) @ X)
    return coef, vcov, mu, converged


def _hessian(f, x0: np.ndarray, h: np.ndarray) -> np.ndarray:
    """Central-difference Hessian of ``f`` at ``x0`` with steps ``h``."""
    m = len(x0)
    H = np.empty((m, m))
    f0 = f(x0)
    for i in range(m):
        ei = np.zeros(m)
        ei[i] = h[i]
        H[i, i] = (f(x0 + ei) - 2 * f0 + f(x0 - ei)) / h[i] ** 2
        for j in range(i):
            ej = np.zeros(m)
            ej[j] = h[j]
            H[i, j] = H[j, i] = (f(x0 + ei + ej) - f(x0 + ei - ej) - f(x0 - ei + ej)
                                 + f(x0 - ei - ej)) / (4 * h[i] * h[j])
    return H


def fit_glmm(
    xi: Sequence[float] | np.ndarray,
    ni: Sequence[float] | np.ndarray,
    method: str = "ML",
    test: str = "z",
    level: float = 95,
    nagq: int = 7,
    slab: Sequence[Any] | None = None,
) -> GlmmResult:
    """Fit ``rma.glmm(measure="PLO", xi, ni, method=, test=, nAGQ=)``.

    ``method``: ``"ML"`` (random effects, default) or ``"FE"`` (common-effect logistic
    regression, ``glm``). ``test``: ``"z"`` or ``"t"`` (t with k - 1 df). The estimate is on the
    logit scale; ``predict(transf=True)`` and the ``*_bt`` properties give proportions.
    """
    from evidence.effects import compute_effects
    import pandas as pd

    method = str(method).upper()
    if method not in ("ML", "FE", "EE"):
        raise ValueError(f"Invalid method '{method}'; rma.glmm supports 'ML' and 'FE'.")
    test = str(test).lower()
    if test not in ("z", "t", "knha"):
        raise ValueError(f"Invalid test '{test}'; must be 'z' or 't'.")
    if nagq < 1:
        raise ValueError(f"nAGQ must be >= 1; got {nagq}.")
    lv = float(level) * (100 if float(level) < 1 else 1)
    x_all = np.asarray(xi, dtype=float).ravel()
    n_all = np.asarray(ni, dtype=float).ravel()
    if x_all.shape != n_all.shape:
        raise ValueError(f"xi and ni should have the same length ({x_all.size} vs {n_all.size}).")
    keep = np.isfinite(x_all) & np.isfinite(n_all)
    msgs: list[str] = []
    if (~keep).any():
        nd = int((~keep).sum())
        msg = f"{nd} {'study' if nd == 1 else 'studies'} with NAs omitted from model fitting."
        warnings.warn(msg, stacklevel=2)
        msgs.append(msg)
    x, n = x_all[keep], n_all[keep]
    k = x.size
    if k == 0:
        raise ValueError("Processing terminated since k = 0.")
    bad = (x < 0) | (n < 1) | (x > n)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"study {i + 1}: xi = {x[i]:g}, ni = {n[i]:g}; need 0 <= xi <= ni, ni >= 1.")
    slabs = (tuple(str(i + 1) for i in np.flatnonzero(keep)) if slab is None
             else tuple(str(list(slab)[i]) for i in np.flatnonzero(keep)))

    # escalc PLO (add 1/2 to zero cells) for the per-study rows and the typical variance of I²
    es = compute_effects(pd.DataFrame({"xi": x, "ni": n}), "PLO")
    yi, vi = es["yi"].to_numpy(float), es["vi"].to_numpy(float)
    w0 = 1 / vi
    vt = (k - 1) * w0.sum() / (w0.sum() ** 2 - (w0**2).sum()) if k > 1 else float("nan")

    ones = np.ones((k, 1))
    b_fe, v_fe, mu_fe, _ = glm_logistic(x, n, ones)
    const = float(np.sum(_lchoose(n, x)))
    ll_fe = const + float(np.sum(_binom_ll(x, n, np.full(k, b_fe[0]))))
    qe = qe_p = qe_lrt = qe_lrt_p = float("nan")
    if k > 1:
        with np.errstate(divide="ignore", invalid="ignore"):
            b_sat, v_sat, mu_sat, _ = glm_logistic(x, n, np.eye(k))
        ws = 1 / np.diag(v_sat)
        lbar = np.sum(ws * b_sat) / ws.sum()
        qe = max(0.0, float(np.sum(ws * (b_sat - lbar) ** 2)))
        with np.errstate(divide="ignore"):
            ll_sat = const + float(np.sum(x * np.log(mu_sat) + (n - x) * np.log1p(-mu_sat)))
        qe_lrt = max(0.0, -2 * (ll_fe - ll_sat))
        qe_p = float(stats.chi2.sf(qe, k - 1))
        qe_lrt_p = float(stats.chi2.sf(qe_lrt, k - 1))

    agq = _Agq(x, n, nagq)
    if method in ("FE", "EE"):
        mu_hat, tau_hat = float(b_fe[0]), 0.0
        se = math.sqrt(v_fe[0, 0])
        ll = ll_fe
    else:
        mu_hat, tau_hat, ll = _maximise(agq, float(b_fe[0]))
        dev = lambda th: -2 * agq.loglik(th[1], th[0])  # noqa: E731 - (tau, mu)
        h = np.array([max(1e-3, 1e-3 * tau_hat), 1e-3 * max(1.0, abs(mu_hat))])
        H = _hessian(dev, np.array([tau_hat, mu_hat]), h)
        try:
            vb = 2 * np.linalg.inv(H)
            se = math.sqrt(vb[1, 1])
        except (np.linalg.LinAlgError, ValueError):
            se = math.sqrt(2 / H[1, 1])
    tau2 = tau_hat**2
    ddf = k - 1 if test in ("t", "knha") else None
    if ddf is not None and ddf < 1:
        msg = 'Setting argument test="z" since k=1.'
        warnings.warn(msg, stacklevel=2)
        msgs.append(msg)
        ddf = None
    stat, pval, lb, ub, name = wald(mu_hat, se, lv, ddf)
    crit = float(stats.t.ppf(1 - (1 - lv / 100) / 2, ddf)) if ddf else float(
        stats.norm.ppf(1 - (1 - lv / 100) / 2))
    fixed = method in ("FE", "EE")
    sp = math.sqrt(se**2 + tau2)
    i2 = 100 * tau2 / (vt + tau2) if k > 1 else float("nan")
    h2 = tau2 / vt + 1 if k > 1 else float("nan")
    wts = 1 / (vi + tau2)  # display weights only: a GLMM has no inverse-variance weights
    return GlmmResult(
        model="rma.glmm", method="FE" if fixed else "ML", test="t" if ddf else "z", level=lv,
        measure="PLO", k=k, estimate=mu_hat, se=se, stat=stat, stat_name=name, pval=pval,
        ci_lb=lb, ci_ub=ub, pi_lb=None if fixed else mu_hat - crit * sp,
        pi_ub=None if fixed else mu_hat + crit * sp, ddf=ddf, tau2=tau2, i2=i2, h2=h2, qe=qe,
        qe_df=k - 1, qe_pval=qe_p, yi=yi, vi=vi, slab=slabs, weights=100 * wts / wts.sum(),
        ni=n, warnings=tuple(msgs),
        extra={"qe_wald": qe, "qe_lrt": qe_lrt, "qe_lrt_pval": qe_lrt_p, "loglik": ll,
               "nagq": nagq, "vt": vt, "xi": x.tolist(), "weights_note":
               "display weights 1/(vi + tau2) from escalc PLO; the GLMM itself has none"},
    )


def _maximise(agq: _Agq, mu0: float) -> tuple[float, float, float]:
    """ML of (mu, tau) by profiling: Brent on mu inside a bounded search on tau >= 0."""

    def best_mu(tau: float) -> tuple[float, float]:
        r = optimize.minimize_scalar(lambda m: -agq.loglik(m, tau), bracket=(mu0 - 1, mu0),
                                     method="brent", tol=1e-11)
        return float(r.x), -float(r.fun)

    def negprof(tau: float) -> float:
        return -best_mu(tau)[1]

    hi = 4.0
    while True:
        r = optimize.minimize_scalar(negprof, bounds=(0.0, hi), method="bounded",
                                     options={"xatol": 1e-10, "maxiter": 1000})
        if r.x < 0.95 * hi or hi > 100:
            break
        hi *= 4
    tau = float(r.x)
    mu, ll = best_mu(tau)
    mu0_, ll0 = best_mu(0.0)
    if ll0 >= ll - 1e-12:  # the profile likelihood is maximal at the boundary
        return mu0_, 0.0, ll0
    return mu, tau, ll
