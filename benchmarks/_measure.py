"""Timing and scoring estimators: MNIST loaded once per run (``load_data``),
best-of-``repeat`` fit times, test errors, warnings and the peak memory of
``fit`` (``measure``, ``measure_seeds``, ``measure_interleaved``), each kept
in a ``Measurement``.

Both sides of a comparison run with the same numpy, BLAS and threads, so their
time ratio is fair even where the absolute times are not portable.
"""

import functools
import time
import tracemalloc
import warnings
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import clone, is_regressor

from skcourse.datasets import load_mnist


@dataclass
class Measurement:
    """Best fit time over the repeats, test error of the last fit, warnings seen.

    The test error is in percent: a classifier's error rate, a regressor's
    unexplained variance ``100 (1 - R^2)`` (``scored_error_pct``).

    ``warnings`` maps the name of each warning category raised to the number
    of fits that raised it, out of ``fits``. Over several seeds: the means of
    time and error, the standard deviation of the error over the seeds, and
    the warnings of all the fits.

    ``flops``: the operations of the last fit, when the case counts them;
    ``peak_bytes``: the peak memory traced during an extra, untimed fit, when
    the case asks for it (over several seeds: the largest); ``n_iter``: the
    last fit's ``n_iter_`` (its epochs), if it has one.
    """

    fit_seconds: float
    error_pct: float
    warnings: dict = field(default_factory=dict)
    error_std: float | None = None
    fits: int = 1
    flops: float | None = None
    peak_bytes: int | None = None
    n_iter: int | None = None


def load_data(n_train=None, dtype=np.float64):
    """Return ``X_train, y_train, X_test, y_test`` of MNIST, pixels scaled to [0, 1].

    ``n_train`` keeps the first training images (MNIST is not sorted by
    label); the test set is always the full 10,000 images. Cached, so every
    case of a run shares the same arrays.
    """
    # One cache key per dtype however it is spelled (np.float32, "float32").
    return _load_data(n_train, np.dtype(dtype).name)


@functools.lru_cache(maxsize=4)
def _load_data(n_train, dtype):
    dtype = np.dtype(dtype).type
    X_train, y_train = load_mnist("train", return_X_y=True)
    X_test, y_test = load_mnist("test", return_X_y=True)
    X_train, y_train = X_train[:n_train], y_train[:n_train]
    return _scale(X_train, dtype), y_train, _scale(X_test, dtype), y_test


def _scale(X, dtype):
    """Map the uint8 pixels to [0, 1] in ``dtype``."""
    return X.astype(dtype) / dtype(255)


def measure_seeds(
    estimator, X_train, y_train, X_test, y_test, repeat=3, seeds=(), **options
):
    """``measure`` once per seed (none: once, as is); the means over the seeds.

    ``options`` (``flops``, ``memory``) are passed on to ``measure``.
    """
    if not seeds:
        return measure(estimator, X_train, y_train, X_test, y_test, repeat, **options)
    runs = [
        measure(
            clone(estimator).set_params(random_state=seed),
            X_train,
            y_train,
            X_test,
            y_test,
            repeat,
            **options,
        )
        for seed in seeds
    ]
    errors = [run.error_pct for run in runs]
    flops = [run.flops for run in runs if run.flops is not None]
    peaks = [run.peak_bytes for run in runs if run.peak_bytes is not None]
    return Measurement(
        float(np.mean([run.fit_seconds for run in runs])),
        float(np.mean(errors)),
        _sorted_counts(sum((Counter(run.warnings) for run in runs), Counter())),
        error_std=float(np.std(errors)),
        fits=sum(run.fits for run in runs),
        flops=float(np.mean(flops)) if flops else None,
        peak_bytes=max(peaks) if peaks else None,
    )


def measure(
    estimator, X_train, y_train, X_test, y_test, repeat=3, flops=None, memory=False
):
    """Fit a fresh clone of ``estimator`` ``repeat`` times; time and score it.

    Returns the best fit time (other processes can only slow a run down, so
    the minimum is the least noisy estimate), the test error in percent of the
    last fit, and the names of the warnings raised while fitting, each with
    the number of fits that raised it. ``flops(fitted, n_samples)``, if given,
    counts the operations of the last fit; ``memory``: then fit once more,
    untimed, for the peak memory of ``fit`` (``peak_fit_memory``).
    """
    return measure_interleaved(
        [estimator], X_train, y_train, X_test, y_test, repeat, flops, memory
    )[0]


def measure_interleaved(
    estimators, X_train, y_train, X_test, y_test, repeat=3, flops=None, memory=False
):
    """``measure`` for several estimators, fitted in turn: ``repeat`` rounds,
    each fitting every estimator once, in alternating order (so that none is
    always first after a pause). Returns one ``Measurement`` per estimator."""
    times = [[] for _ in estimators]
    seen = [Counter() for _ in estimators]
    fitted = [None] * len(estimators)
    for round_ in range(repeat):
        turns = range(len(estimators))
        for i in turns if round_ % 2 == 0 else reversed(turns):
            fitted[i], seconds, names = _timed_fit(estimators[i], X_train, y_train)
            times[i].append(seconds)
            seen[i].update(names)
    return [
        Measurement(
            min(times[i]),
            scored_error_pct(fitted[i], X_test, y_test),
            _sorted_counts(seen[i]),
            fits=repeat,
            flops=None if flops is None else float(flops(fitted[i], X_train.shape[0])),
            peak_bytes=peak_fit_memory(est, X_train, y_train) if memory else None,
            n_iter=getattr(fitted[i], "n_iter_", None),
        )
        for i, est in enumerate(estimators)
    ]


def scored_error_pct(fitted, X_test, y_test):
    """A classifier's test error rate, in percent; a regressor's share of the
    test targets' variance it leaves unexplained, ``100 (1 - R^2)``."""
    if is_regressor(fitted):
        return float(100.0 * (1.0 - fitted.score(X_test, y_test)))
    return float(100.0 * np.mean(fitted.predict(X_test) != y_test))


def _timed_fit(estimator, X_train, y_train):
    """Fit a fresh clone; return it, the fit's wall time and its warnings' names."""
    fitted = clone(estimator)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start = time.perf_counter()
        fitted.fit(X_train, y_train)
        seconds = time.perf_counter() - start
    return fitted, seconds, {w.category.__name__ for w in caught}


def peak_fit_memory(estimator, X_train, y_train):
    """Peak bytes allocated while fitting a fresh clone, traced by tracemalloc.

    numpy reports its array buffers to tracemalloc, so the peak counts every
    array ``fit`` creates (copies of the data included) as well as Python
    objects; memory that BLAS allocates for itself is not seen. Tracing slows
    allocation down, which is why this fit is separate from the timed ones.
    """
    fitted = clone(estimator)
    tracemalloc.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fitted.fit(X_train, y_train)
        # Tracing starts at zero: the peak is the most the fit held at once.
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _sorted_counts(counter):
    return dict(sorted(counter.items()))


def resolve_repeat(parser, args):
    """``args.repeat``: its default (3 fits, 1 with ``--quick``), or the
    parser's error for fewer than one: the same option in ``run.py`` and
    ``gpu.py``."""
    if args.repeat is None:
        args.repeat = 1 if args.quick else 3
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, got {args.repeat}")
    return args
