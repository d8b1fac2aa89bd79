"""Benchmarks: mlecourse against the reference libraries, measured side by side in one run.

    .venv/bin/python benchmarks/run.py                 # logistic regression + Gaussian mixture
    .venv/bin/python benchmarks/run.py --notebooks     # ... and time every notebook's execution
    .venv/bin/python benchmarks/run.py --only gmm --repeat 5 --json out.json

Every timing is the best of ``--repeat`` runs (default 3) of the complete call, so that a busy
machine inflates neither side. Targets (from the developers' guide): ``fit_logistic`` at most
0.5x the time of statsmodels' ``Logit.fit`` with equal estimates (to 1e-8); ``fit_gmm`` at most
1.0x scikit-learn's ``GaussianMixture.fit`` from the same start for the same number of
iterations; every notebook under 30 s.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import mlecourse as mc  # noqa: E402

NOTEBOOK_LIMIT_S = 30.0


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall-clock time (s) of ``repeat`` calls, and the last call's return value."""
    best = np.inf
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _verdict(ratio: float, target: float) -> str:
    return "OK" if ratio <= target else "SLOWER THAN TARGET"


def bench_logistic(repeat: int, n: int = 200_000, d: int = 20, seed: int = 20240601) -> dict:
    """fit_logistic (Newton) against statsmodels Logit.fit (Newton) on a seeded design."""
    import statsmodels.api as sm

    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.standard_normal((n, d - 1))])
    beta = rng.normal(0.0, 0.3, d)  # moderate coefficients: fitted probabilities mostly in (.1, .9)
    y = (rng.random(n) < mc.sigmoid(X @ beta)).astype(float)

    t_ours, ours = best_of(lambda: mc.fit_logistic(X, y), repeat)
    t_ref, ref = best_of(lambda: sm.Logit(y, X).fit(disp=0), repeat)
    ratio = t_ours / t_ref
    diff = float(np.max(np.abs(ours.params - ref.params)))
    se_diff = float(np.max(np.abs(ours.se - ref.bse) / ref.bse))
    print(f"\nLogistic regression, n = {n:,}, d = {d} (intercept + {d - 1} N(0,1) regressors)")
    print(f"  mlecourse.fit_logistic   {t_ours * 1e3:9.1f} ms   ({ours.nit} Newton iterations)")
    print(f"  statsmodels Logit.fit    {t_ref * 1e3:9.1f} ms   ({ref.mle_retvals['iterations']} iterations)")
    print(f"  ratio {ratio:.3f} (target <= 0.5: {_verdict(ratio, 0.5)})")
    print(f"  max |params difference| = {diff:.2e} (target <= 1e-8: {'OK' if diff <= 1e-8 else 'FAIL'})")
    print(f"  max relative SE difference = {se_diff:.2e}; loglik difference = {ours.loglik - ref.llf:.2e}")
    return {
        "n": n, "d": d, "ours_s": t_ours, "statsmodels_s": t_ref, "ratio": ratio,
        "nit": ours.nit, "max_param_diff": diff, "max_rel_se_diff": se_diff,
    }


def bench_gmm(
    repeat: int, n: int = 100_000, d: int = 2, k: int = 3, n_iter: int = 100, seed: int = 7
) -> dict:
    """fit_gmm against sklearn GaussianMixture: same start, same number of EM iterations."""
    from sklearn.exceptions import ConvergenceWarning as SkConvergenceWarning
    from sklearn.mixture import GaussianMixture

    rng = np.random.default_rng(seed)
    sizes = [n // 2, n // 3, n - n // 2 - n // 3]
    centres = np.array([[0.0, 0.0], [3.0, 1.0], [0.0, 4.0]])
    covs = np.array([[[1.0, 0.3], [0.3, 1.0]], [[0.5, 0.0], [0.0, 0.8]], [[1.5, -0.4], [-0.4, 0.6]]])
    x = np.concatenate(
        [rng.multivariate_normal(c, s, m) for c, s, m in zip(centres, covs, sizes, strict=True)]
    )
    x = rng.permutation(x)
    w0 = np.full(k, 1.0 / k)
    m0 = x[rng.choice(n, k, replace=False)]
    c0 = np.repeat(np.cov(x, rowvar=False, bias=True)[None], k, axis=0)
    p0 = np.linalg.solve(c0, np.broadcast_to(np.eye(d), c0.shape))  # precisions for sklearn

    def ours():
        return mc.fit_gmm(x, k, weights=w0, means=m0, covariances=c0, max_iter=n_iter, tol=0.0)

    def ref():
        # init_params="random_from_data" is sklearn's cheapest initialiser; its result is
        # overridden by weights_init / means_init / precisions_init anyway.
        gm = GaussianMixture(
            k, covariance_type="full", reg_covar=0.0, tol=0.0, max_iter=n_iter,
            weights_init=w0, means_init=m0, precisions_init=p0,
            init_params="random_from_data", random_state=0,
        )
        return gm.fit(x)

    with warnings.catch_warnings():  # tol = 0: both warn that they did not "converge"
        warnings.simplefilter("ignore", mc.ConvergenceWarning)
        warnings.simplefilter("ignore", SkConvergenceWarning)
        t_ours, res = best_of(ours, repeat)
        t_ref, gm = best_of(ref, repeat)
    ratio = t_ours / t_ref
    mean_diff = float(np.max(np.abs(res.means - gm.means_)))
    ll_rel = float(abs(res.loglik - gm.score(x) * n) / abs(res.loglik))
    print(f"\nGaussian mixture, n = {n:,}, d = {d}, k = {k}, {n_iter} EM iterations from the same start")
    print(f"  mlecourse.fit_gmm        {t_ours * 1e3:9.1f} ms   ({res.nit} iterations)")
    print(f"  sklearn GaussianMixture  {t_ref * 1e3:9.1f} ms   ({gm.n_iter_} iterations)")
    print(f"  ratio {ratio:.3f} (target <= 1.0: {_verdict(ratio, 1.0)})")
    print(f"  max |means difference| = {mean_diff:.2e}; relative loglik difference = {ll_rel:.2e}")
    return {
        "n": n, "d": d, "k": k, "n_iter": n_iter, "ours_s": t_ours, "sklearn_s": t_ref,
        "ratio": ratio, "max_mean_diff": mean_diff, "rel_loglik_diff": ll_rel,
    }


def find_notebooks(match: str | None = None) -> list[Path]:
    """Chapter and exercise-source notebooks (path containing ``match``), in a stable order."""
    paths: list[Path] = []
    for folder in (ROOT / "chapters", ROOT / "exercises" / "source"):
        if folder.is_dir():
            paths += sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    if match:
        paths = [p for p in paths if match in str(p.relative_to(ROOT))]
    return paths


def bench_notebooks(timeout: int = 600, match: str | None = None) -> dict:
    """Execute every notebook in a fresh kernel (outputs are not written back) and time it."""
    import nbformat
    from nbclient import NotebookClient

    notebooks = find_notebooks(match)
    if not notebooks:
        print("\nNotebooks: none found in chapters/ or exercises/source/")
        return {}
    times: dict[str, float] = {}
    failures: dict[str, str] = {}
    print(f"\nExecuting {len(notebooks)} notebooks (fresh kernel each, timeout {timeout} s)")
    for path in notebooks:
        rel = str(path.relative_to(ROOT))
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        )
        t0 = time.perf_counter()
        try:
            client.execute()
        except Exception as exc:  # report and carry on: one broken notebook must not hide the rest
            failures[rel] = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        times[rel] = time.perf_counter() - t0
        status = "FAILED" if rel in failures else ("SLOW" if times[rel] > NOTEBOOK_LIMIT_S else "ok")
        print(f"  {times[rel]:7.1f} s  {status:6s} {rel}")
    slowest = sorted(times.items(), key=lambda kv: kv[1], reverse=True)
    print("Slowest notebooks:")
    for rel, t in slowest[:5]:
        print(f"  {t:7.1f} s  {rel}")
    print(f"Total {sum(times.values()):.1f} s; over {NOTEBOOK_LIMIT_S:.0f} s: "
          f"{[r for r, t in slowest if t > NOTEBOOK_LIMIT_S] or 'none'}; failed: {list(failures) or 'none'}")
    return {"seconds": times, "failures": failures}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timings are the best of this many runs")
    parser.add_argument(
        "--only", choices=["logistic", "gmm", "none"], default=None,
        help="run only one of the library benchmarks ('none': notebooks only, with --notebooks)",
    )
    parser.add_argument("--notebooks", action="store_true", help="also time every notebook's execution")
    parser.add_argument("--timeout", type=int, default=600, help="per-cell timeout for --notebooks (s)")
    parser.add_argument("--match", default=None, help="with --notebooks: only paths containing this")
    parser.add_argument("--json", type=Path, default=None, help="also write the numbers to this file")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be >= 1")

    import os
    import platform

    print(f"Python {platform.python_version()}, NumPy {np.__version__}, {os.cpu_count()} CPUs; "
          f"best of {args.repeat}")
    results: dict[str, Any] = {}
    if args.only in (None, "logistic"):
        results["logistic"] = bench_logistic(args.repeat)
    if args.only in (None, "gmm"):
        results["gmm"] = bench_gmm(args.repeat)
    if args.notebooks:
        results["notebooks"] = bench_notebooks(args.timeout, args.match)
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2, default=float))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
