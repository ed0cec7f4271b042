"""Multilevel model for dependent effects (metafor ``rma.mv(yi, vi, random = ~ 1 | study/arm)``)
and cluster-robust inference (metafor ``robust(fit, cluster = study)``).

Model: ``y = X b + u_study + u_arm + e`` with ``u_study ~ N(0, sigma2_1)`` shared by the rows of
a study, ``u_arm ~ N(0, sigma2_2)`` shared by the rows of one arm (or time point) of a study,
and ``e ~ N(0, vi)``. The variance components are estimated by REML (default) or ML, maximised
over ``sigma2 >= 0`` with the analytic gradient; ``V`` is block-diagonal by study, so nothing
larger than one study's block is ever inverted.

``robust(fit)`` is metafor 3.8's default sandwich (``clubSandwich = FALSE``): the CR1-type
estimator ``(X'WX)^-1 (sum_c X_c'W_c e_c e_c'W_c X_c) (X'WX)^-1 * n / (n - p)`` over ``n``
clusters (studies), with t tests on ``n - p`` df.

Our own code: statsmodels' ``MixedLM`` cannot fix the residual variances at the known ``vi``,
and pymare has no nested random effects.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import replace
from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import optimize, stats

from evidence.fits import MetaFit, wald

__all__ = ["MultilevelResult", "fit_multilevel", "robust"]


class MultilevelResult(MetaFit):
    """A :class:`~evidence.fits.MetaFit` from :func:`fit_multilevel`. ``tau2`` is the total
    random-effects variance ``sigma2_1 + sigma2_2`` (used for the prediction interval);
    ``extra`` holds ``sigma2`` (study, arm), ``s_nlevels``, ``loglik``, ``robust`` flags and,
    for the cluster-robust version, ``n_clusters``."""

    def robust(self, adjust: bool = True) -> "MultilevelResult":
        """Cluster-robust version of this fit (metafor ``robust(fit, cluster = study)``)."""
        return robust(self, adjust=adjust)


class _Blocks:
    """Per-study blocks of the marginal covariance for given variance components."""

    def __init__(self, y, v, X, study_idx, arm_idx):
        self.y, self.v, self.X = y, v, X
        self.groups = [np.flatnonzero(study_idx == s) for s in np.unique(study_idx)]
        self.G1 = [np.ones((len(g), len(g))) for g in self.groups]
        self.G2 = [(arm_idx[g][:, None] == arm_idx[g][None, :]).astype(float) for g in self.groups]

    def parts(self, s: np.ndarray):
        """W blocks, X'WX, X'Wy for variance components ``s``."""
        p = self.X.shape[1]
        Winv, XtWX, XtWy, logdet = [], np.zeros((p, p)), np.zeros(p), 0.0
        for g, G1, G2 in zip(self.groups, self.G1, self.G2):
            V = np.diag(self.v[g]) + s[0] * G1 + s[1] * G2
            c = np.linalg.cholesky(V)
            logdet += 2 * float(np.sum(np.log(np.diag(c))))
            W = np.linalg.inv(V)
            Xg = self.X[g]
            XtWX += Xg.T @ W @ Xg
            XtWy += Xg.T @ W @ self.y[g]
            Winv.append(W)
        return Winv, XtWX, XtWy, logdet


def _objective(B: _Blocks, s: np.ndarray, reml: bool) -> tuple[float, np.ndarray]:
    """-2 log-likelihood (up to a constant) and its gradient in ``s``."""
    W, XtWX, XtWy, logdet = B.parts(s)
    A = np.linalg.inv(XtWX)
    b = A @ XtWy
    f = logdet
    grad = np.zeros(2)
    Gs = (B.G1, B.G2)
    # f += r'W r; gradient: tr(W G) - r'W G W r, minus tr(A X'W G W X) for REML
    for idx, (g, Wg) in enumerate(zip(B.groups, W)):
        r = B.y[g] - B.X[g] @ b
        Wr = Wg @ r
        f += float(r @ Wr)
        WX = Wg @ B.X[g]
        for m in range(2):
            G = Gs[m][idx]
            grad[m] += float(np.trace(Wg @ G)) - float(Wr @ G @ Wr)
            if reml:
                grad[m] -= float(np.trace(A @ (WX.T @ G @ WX)))
    if reml:
        f += float(np.linalg.slogdet(XtWX)[1])
    return f, grad


def fit_multilevel(
    yi: Sequence[float] | np.ndarray,
    vi: Sequence[float] | np.ndarray,
    study: Sequence[Any],
    arm: Sequence[Any] | None = None,
    mods: np.ndarray | None = None,
    method: str = "REML",
    test: str = "z",
    level: float = 95,
    measure: str = "GEN",
    slab: Sequence[Any] | None = None,
    ni: Sequence[float] | None = None,
) -> MultilevelResult:
    """Fit ``rma.mv(yi, vi, mods, random = ~ 1 | study/arm, method=, test=)``.

    ``arm`` identifies the arm or time point within its study (default: every row its own arm).
    ``mods`` (k x q, optional) adds moderators after the intercept; the reported ``estimate``
    is the intercept (``extra["coefficients"]`` has the whole table). ``test="t"`` uses t tests
    with k - p df, as metafor.
    """
    method = str(method).upper()
    if method not in ("REML", "ML"):
        raise ValueError(f"Invalid method '{method}'; rma.mv supports 'REML' and 'ML'.")
    test = str(test).lower()
    if test not in ("z", "t", "knha"):
        raise ValueError(f"Invalid test '{test}'; must be 'z' or 't'.")
    lv = float(level) * (100 if float(level) < 1 else 1)
    y = np.asarray(yi, dtype=float).ravel()
    v = np.asarray(vi, dtype=float).ravel()
    st = pd.Series(list(study), dtype=object)
    ar = pd.Series(list(range(len(y))) if arm is None else list(arm), dtype=object)
    if not (len(y) == len(v) == len(st) == len(ar)):
        raise ValueError("yi, vi, study and arm should have the same length.")
    M = None if mods is None else np.asarray(mods, dtype=float).reshape(len(y), -1)
    keep = np.isfinite(y) & np.isfinite(v) & st.notna().to_numpy() & ar.notna().to_numpy()
    if M is not None:
        keep &= np.isfinite(M).all(axis=1)
    msgs: list[str] = []
    if (~keep).any():
        nd = int((~keep).sum())
        msg = f"{nd} {'row' if nd == 1 else 'rows'} with NAs omitted from model fitting."
        warnings.warn(msg, stacklevel=2)
        msgs.append(msg)
    y, v = y[keep], v[keep]
    if (v < 0).any():
        raise ValueError("Negative sampling variances; 'vi' must be >= 0.")
    k = y.size
    if k == 0:
        raise ValueError("Processing terminated since k = 0.")
    s_codes = pd.factorize(st[keep].astype(str))[0]
    a_codes = pd.factorize(st[keep].astype(str) + "\x00" + ar[keep].astype(str))[0]
    X = np.ones((k, 1)) if M is None else np.column_stack([np.ones(k), M[keep]])
    p = X.shape[1]
    if np.linalg.matrix_rank(X) < p:
        raise ValueError("Model matrix not of full rank. Cannot fit model.")
    B = _Blocks(y, v, X, s_codes, a_codes)
    reml = method == "REML"
    n_study, n_arm = int(s_codes.max()) + 1, int(a_codes.max()) + 1

    def fun(s):
        return _objective(B, np.maximum(s, 0.0), reml)

    start = np.full(2, max(float(np.var(y)) / 2, 1e-4)) if k > 1 else np.zeros(2)
    if n_arm == n_study:  # one row per study: the arm level is not identified separately
        msgs.append("Each study has one arm: the two variance components are not separable.")
    res = optimize.minimize(fun, start, jac=True, method="L-BFGS-B",
                            bounds=[(0, None), (0, None)],
                            options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 2000})
    s = np.maximum(res.x, 0.0)
    s = _polish(fun, s)
    W, XtWX, XtWy, logdet = B.parts(s)
    vb = np.linalg.inv(XtWX)
    b = vb @ XtWy
    f_min = _objective(B, s, reml)[0]
    kk = k - p if reml else k
    const = kk * math.log(2 * math.pi) - (float(np.linalg.slogdet(X.T @ X)[1]) if reml else 0.0)
    loglik = -0.5 * (f_min + const)
    # Cochran's Q with W = diag(1/vi)
    with np.errstate(divide="ignore"):
        w0 = 1 / v
    if (v > 0).all() and k > p:
        A0 = np.linalg.inv((X.T * w0) @ X)
        r0 = y - X @ (A0 @ (X.T @ (w0 * y)))
        qe = float(np.sum(w0 * r0**2))
        qe_p = float(stats.chi2.sf(qe, k - p))
        trP = float(w0.sum() - np.trace(A0 @ ((X.T * w0**2) @ X)))
        vt = (k - p) / trP
    else:
        qe = qe_p = vt = float("nan")
    total = float(s.sum())
    i2 = 100 * total / (total + vt) if math.isfinite(vt) else float("nan")
    ddf = k - p if test in ("t", "knha") else None
    if ddf is not None and ddf < 1:
        msg = f'Setting argument test="z" since k - p = {k - p}.'
        warnings.warn(msg, stacklevel=2)
        msgs.append(msg)
        ddf = None
    return _build(model_parts=dict(
        b=b, vb=vb, sigma2=s, ddf=ddf, level=lv, method=method, measure=str(measure).upper(),
        k=k, y=y, v=v, X=X, W=W, B=B, qe=qe, qe_p=qe_p, i2=i2, loglik=loglik,
        n_levels=(n_study, n_arm), msgs=msgs, s_codes=s_codes,
        slab=(tuple(str(i + 1) for i in np.flatnonzero(keep)) if slab is None
              else tuple(str(list(slab)[i]) for i in np.flatnonzero(keep))),
        ni=None if ni is None else np.asarray(ni, dtype=float).ravel()[keep],
        robust=None,
    ))


def _polish(fun, s: np.ndarray) -> np.ndarray:
    """A few projected Newton steps with a finite-difference Hessian of the gradient."""
    for _ in range(5):
        f, g = fun(s)
        free = ~((s <= 0) & (g > 0))
        if not free.any():
            return s
        h = np.maximum(1e-6 * np.maximum(s, 1e-4), 1e-9)
        H = np.empty((2, 2))
        for j in range(2):
            e = np.zeros(2)
            e[j] = h[j]
            H[:, j] = (fun(s + e)[1] - fun(np.maximum(s - e, 0))[1]) / (
                (s + e)[j] - np.maximum(s - e, 0)[j])
        H = (H + H.T) / 2
        idx = np.flatnonzero(free)
        try:
            step = np.zeros(2)
            step[idx] = -np.linalg.solve(H[np.ix_(idx, idx)], g[idx])
        except np.linalg.LinAlgError:
            return s
        new = np.maximum(s + step, 0.0)
        if fun(new)[0] > f:
            return s
        if np.all(np.abs(new - s) <= 1e-13 * np.maximum(1, s)):
            return new
        s = new
    return s


def _build(model_parts: dict) -> MultilevelResult:
    P = model_parts
    b, vb, ddf, lv = P["b"], P["vb"], P["ddf"], P["level"]
    se_all = np.sqrt(np.diag(vb))
    coefs = []
    for j in range(len(b)):
        st, pv, lb, ub, name = wald(float(b[j]), float(se_all[j]), lv, ddf)
        coefs.append(dict(estimate=float(b[j]), se=float(se_all[j]), stat=st, pval=pv,
                          ci_lb=lb, ci_ub=ub))
    c0 = coefs[0]
    name = "t" if ddf is not None else "z"
    crit = float(stats.t.ppf(1 - (1 - lv / 100) / 2, ddf)) if ddf else float(
        stats.norm.ppf(1 - (1 - lv / 100) / 2))
    s = P["sigma2"]
    sp = math.sqrt(c0["se"] ** 2 + float(s.sum()))
    wd = np.concatenate([np.diag(Wg) for Wg in P["W"]])
    order = np.concatenate(P["B"].groups)
    wdiag = np.empty_like(wd)
    wdiag[order] = wd
    p = len(b)
    qm_idx = list(range(1, p)) if p > 1 else [0]
    bq = b[qm_idx]
    qm = float(bq @ np.linalg.solve(vb[np.ix_(qm_idx, qm_idx)], bq))
    m = len(qm_idx)
    if ddf is not None:
        qm /= m
        qm_p = float(stats.f.sf(qm, m, ddf))
    else:
        qm_p = float(stats.chi2.sf(qm, m))
    return MultilevelResult(
        model="rma.mv", method=P["method"],
        test=("robust" if P["robust"] else ("t" if ddf is not None else "z")), level=lv,
        measure=P["measure"], k=P["k"], estimate=c0["estimate"], se=c0["se"], stat=c0["stat"],
        stat_name=name, pval=c0["pval"], ci_lb=c0["ci_lb"], ci_ub=c0["ci_ub"],
        pi_lb=c0["estimate"] - crit * sp, pi_ub=c0["estimate"] + crit * sp, ddf=ddf,
        tau2=float(s.sum()), i2=P["i2"], h2=float("nan"), qe=P["qe"], qe_df=P["k"] - p,
        qe_pval=P["qe_p"], yi=P["y"], vi=P["v"], slab=P["slab"],
        weights=100 * wdiag / wdiag.sum(), ni=P["ni"], warnings=tuple(P["msgs"]),
        extra={"sigma2": s.tolist(), "s_nlevels": list(P["n_levels"]), "loglik": P["loglik"],
               "coefficients": coefs, "qm": qm, "qm_df": m, "qm_pval": qm_p,
               "n_clusters": P["n_levels"][0] if P["robust"] else None,
               "_parts": P},
    )


def robust(fit: MultilevelResult, adjust: bool = True) -> MultilevelResult:
    """Cluster-robust (sandwich) SEs with studies as clusters, t tests on ``n - p`` df
    (metafor 3.8 ``robust(fit, cluster = study)``, default ``adjust = TRUE``,
    ``clubSandwich = FALSE``)."""
    P = dict(fit.extra["_parts"])
    B, W, X, y = P["B"], P["W"], P["X"], P["y"]
    p = X.shape[1]
    b = P["b"]
    A = np.linalg.inv(sum(X[g].T @ Wg @ X[g] for g, Wg in zip(B.groups, W)))
    meat = np.zeros((p, p))
    for g, Wg in zip(B.groups, W):
        u = X[g].T @ Wg @ (y[g] - X[g] @ b)
        meat += np.outer(u, u)
    n = len(B.groups)
    dfs = n - p
    if dfs <= 0:
        raise ValueError(f"Number of clusters ({n}) must be larger than the number of "
                         f"coefficients ({p}).")
    vb = A @ meat @ A
    if adjust:
        vb = vb * n / dfs
    P.update(vb=vb, ddf=dfs, robust=True)
    out = _build(P)
    return replace(out, extra={**out.extra, "n_clusters": n})
