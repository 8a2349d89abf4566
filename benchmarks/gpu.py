"""The GPU benchmark (issue 18): skcourse fitted where the data is, on a GPU,
against scikit-learn on the same device and against a plain PyTorch loop.

    python benchmarks/gpu.py            # all of MNIST, best of 3 fits
    python benchmarks/gpu.py --quick    # 10,000 training images, 1 fit each

The device is CUDA when ``torch.cuda.is_available()``, else PyTorch's CPU, for
information (``--device`` names another, e.g. ``mps``); the report says which.
Pixels are float32 on every side (the GPU's dtype; MPS has no float64). The
cases:

- ``gpu-softmax``: ``SoftmaxRegression(solver="lbfgs", alpha=1/(C*n))`` against
  ``LogisticRegression(C=1)``, both under ``array_api_dispatch`` on the
  device, run to the same objective. LogisticRegression runs with its defaults
  (tol 1e-4, at most 100 iterations); one untimed fit of ours then finds the
  first L-BFGS iteration whose training objective is at most
  LogisticRegression's final one, and the timed fits stop there
  (``max_iter``). Both objectives are evaluated afterwards on the host, in
  float64, from the fitted ``coef_`` and ``intercept_``. Target: no slower,
  and an objective no higher (to a relative 1e-5, float32's noise).
- ``gpu-mlp-200``, ``gpu-mlp-2000``: 784-100-10 ReLU, adam, ``alpha=1e-4``,
  minibatches of 200 and 2000, exactly ``EPOCHS`` epochs (time per epoch = fit
  time / epochs): our ``MLPClassifier`` on the device against the plain
  PyTorch loop on the device (``TorchLoop``, the reference) and scikit-learn's
  ``MLPClassifier`` on the CPU (NumPy). Targets: at most 0.5 of the loop's
  time at batch 200 (no autograd, no sync per step), at most 1.2 at 2000.

Timing: each contestant is fitted once, untimed, on a slice (CUDA's start-up:
context, cuBLAS handles, kernels), then ``--repeat`` times, contestants in
turn, keeping the best time; the device is synchronised only at the start and
the end of a timed fit. A contestant that raises gets a row that says so (and
the exit code is 1), the others still run.

Not a ``bench_*.py`` of ``run.py``: that harness fits estimators on NumPy
arrays and has one reference per case; here the data sit on a device, one
reference is a training loop, and the softmax case needs its reference's
objective before it can time the candidate. It reuses the harness's data,
targets and machine description.
"""

import os

# scipy reads it once, when first imported: scikit-learn's array API support
# of LogisticRegression (and ours, through scipy's L-BFGS) needs it.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import argparse  # noqa: E402
import itertools  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
# Benchmark the checkout's skcourse, even if another version is installed.
sys.path[:0] = [str(BENCH_DIR), str(BENCH_DIR.parent)]

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from _cases import Target  # noqa: E402
from _machine import machine_info, run_stamp  # noqa: E402
from _measure import load_data, resolve_repeat  # noqa: E402
from scipy.special import logsumexp  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.neural_network import MLPClassifier as SkMLPClassifier  # noqa: E402

from skcourse.linear_model import SoftmaxRegression  # noqa: E402
from skcourse.neural_network import MLPClassifier  # noqa: E402

QUICK_N_TRAIN = 10_000
WARMUP_ROWS = 2_000
C = 1.0  # LogisticRegression's default
OBJECTIVE_RTOL = 1e-5
EPOCHS = 5
HIDDEN = 100
ALPHA = 1e-4  # MLPClassifier's default L2 penalty
#: The issue's targets for our MLP's time against the plain PyTorch loop's, with
#: a test error at most half a point above the loop's (the same training: a
#: fast but wrong fit must not pass).
MLP_TARGETS = {200: Target(0.5, 0.5), 2000: Target(1.2, 0.5)}


@dataclass
class Contestant:
    """One side of a comparison: ``make()`` returns an object with ``fit(X, y)``
    and ``predict(X)``; ``on_device``: it gets the device's tensors (under
    ``array_api_dispatch``), else the host's NumPy arrays."""

    label: str
    make: Callable
    on_device: bool
    target: Target | None = None


@dataclass
class Row:
    """One row of the report."""

    case: str
    label: str
    where: str
    fit_seconds: float = float("nan")
    error_pct: float = float("nan")
    n_iter: int | None = None
    epochs: int | None = None
    objective: float | None = None
    ratio: float | None = None
    target: Target | None = None
    objective_bound: float | None = None
    passed: bool | None = None
    error: str | None = None
    warnings: set = field(default_factory=set)
    fitted: object = None


# --- the data, on the host and on the device --------------------------------


@dataclass
class Data:
    host: tuple  # X_train, y_train, X_test, y_test as NumPy
    device: tuple  # the same as tensors on the device
    sync: Callable  # waits for the device's queued work


def make_data(torch, device, n_train):
    host = load_data(n_train, np.float32)
    device_arrays = tuple(torch.asarray(a, device=device) for a in host)
    return Data(host, device_arrays, synchronizer(torch, device))


def synchronizer(torch, device):
    """The function that waits for ``device`` (kernels run asynchronously)."""
    if device.type == "cuda":
        return torch.cuda.synchronize
    if device.type == "mps":
        return torch.mps.synchronize
    return lambda: None


def to_numpy(a):
    """A host NumPy copy of a NumPy array or a tensor on any device."""
    return a.cpu().numpy() if hasattr(a, "cpu") else np.asarray(a)


# --- the plain PyTorch loop ---------------------------------------------------


class TorchLoop:
    """The plain PyTorch training loop of a 1-hidden-layer ReLU network:
    ``nn.Sequential(Linear, ReLU, Linear)``, cross-entropy, ``torch.optim.Adam``,
    as anyone would write it, with scikit-learn's MLP's training choices so
    that the three columns train the same network: its Glorot-uniform start
    drawn from ``RandomState(random_state)``, its L2 penalty
    ``alpha / 2 ||W||^2 / batch`` (weight decay ``alpha / batch`` on the
    weights, none on the biases), its adam settings, an epoch order drawn on
    the host, and the training loss read once per epoch."""

    def __init__(self, torch, batch_size, epochs=EPOCHS, alpha=ALPHA, random_state=0):
        self.torch, self.batch_size, self.epochs = torch, batch_size, epochs
        self.alpha, self.random_state = alpha, random_state

    def fit(self, X, y):
        torch, nn = self.torch, self.torch.nn
        rng = np.random.RandomState(self.random_state)
        self.classes_, targets = torch.unique(y, return_inverse=True)
        sizes = (X.shape[1], HIDDEN, len(self.classes_))
        layers = [
            self._glorot(nn.Linear(a, b), rng) for a, b in itertools.pairwise(sizes)
        ]
        self.model_ = nn.Sequential(layers[0], nn.ReLU(), layers[1])
        self.model_.to(device=X.device, dtype=X.dtype)
        weights = [layer.weight for layer in layers]
        biases = [layer.bias for layer in layers]
        optimizer = torch.optim.Adam(
            [
                {"params": weights, "weight_decay": self.alpha / self.batch_size},
                {"params": biases, "weight_decay": 0.0},
            ],
            lr=1e-3,
            betas=(0.9, 0.999),
            eps=1e-8,
        )
        n = X.shape[0]
        self.loss_curve_ = []
        for _ in range(self.epochs):
            order = torch.asarray(rng.permutation(n), device=X.device)
            total = torch.zeros((), device=X.device, dtype=X.dtype)
            for start in range(0, n, self.batch_size):
                rows = order[start : start + self.batch_size]
                loss = nn.functional.cross_entropy(self.model_(X[rows]), targets[rows])
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                total += loss.detach() * len(rows)
            self.loss_curve_.append(float(total) / n)  # the one sync of an epoch
        self.n_iter_ = self.epochs
        return self

    def _glorot(self, layer, rng):
        """scikit-learn's start for ReLU: uniform, +-sqrt(6 / (fan_in + fan_out))."""
        fan_out, fan_in = layer.weight.shape
        bound = np.sqrt(6.0 / (fan_in + fan_out))
        coef = rng.uniform(-bound, bound, (fan_in, fan_out))
        intercept = rng.uniform(-bound, bound, fan_out)
        with self.torch.no_grad():
            layer.weight.copy_(self.torch.asarray(coef.T))
            layer.bias.copy_(self.torch.asarray(intercept))
        return layer

    def predict(self, X):
        with self.torch.no_grad():
            return self.classes_[self.model_(X).argmax(dim=1)]


# --- measuring ----------------------------------------------------------------


def measure(case, contestants, data, repeat):
    """Rows for ``contestants``: a warm-up fit each, then ``repeat`` rounds of
    timed fits in turn (alternating order); the best time, the last fit's
    test error. A contestant that raises gets an error row and no more fits."""
    rows = [
        Row(case, c.label, "device" if c.on_device else "host", target=c.target)
        for c in contestants
    ]
    times = [[] for _ in contestants]
    for i, contestant in enumerate(contestants):
        print(f"[{case}] {contestant.label}: warm-up ...", file=sys.stderr, flush=True)
        X, y = _arrays(contestant, data)[:2]
        _attempt(
            rows[i],
            lambda c=contestant, X=X, y=y: _fit(c, X[:WARMUP_ROWS], y[:WARMUP_ROWS]),
        )
    for round_ in range(repeat):
        turns = range(len(contestants))
        for i in turns if round_ % 2 == 0 else reversed(turns):
            if rows[i].error:
                continue
            label = contestants[i].label
            print(
                f"[{case}] {label}: fit {round_ + 1}/{repeat} ...",
                file=sys.stderr,
                flush=True,
            )
            outcome = _attempt(rows[i], lambda i=i: _timed_fit(contestants[i], data))
            if outcome is not None:
                rows[i].fitted, seconds, names = outcome
                times[i].append(seconds)
                rows[i].warnings |= names
    for contestant, row, seconds in zip(contestants, rows, times, strict=True):
        if row.error:
            continue
        row.fit_seconds = min(seconds)
        row.n_iter = _n_iter(row.fitted)
        _attempt(row, lambda c=contestant, r=row: _score(c, r, data))
    return rows


def _arrays(contestant, data):
    return data.device if contestant.on_device else data.host


def _fit(contestant, X, y):
    with sklearn.config_context(array_api_dispatch=contestant.on_device):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a slice's fit is no measurement
            return contestant.make().fit(X, y)


def _timed_fit(contestant, data):
    """Fit once; the fitted object, the fit's wall time, its warnings' names."""
    X, y = _arrays(contestant, data)[:2]
    estimator = contestant.make()
    with sklearn.config_context(array_api_dispatch=contestant.on_device):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            data.sync()
            start = time.perf_counter()
            estimator.fit(X, y)
            data.sync()
            seconds = time.perf_counter() - start
    return estimator, seconds, {w.category.__name__ for w in caught}


def _score(contestant, row, data):
    X_test, y_test = _arrays(contestant, data)[2:]
    with sklearn.config_context(array_api_dispatch=contestant.on_device):
        predicted = to_numpy(row.fitted.predict(X_test))
    row.error_pct = float(100.0 * np.mean(predicted != to_numpy(y_test)))


def _attempt(row, action):
    """``action()``, or None with the row marked failed if it raises."""
    try:
        return action()
    except Exception as exc:  # one broken contestant must not hide the others
        row.error = f"{type(exc).__name__}: {exc}"
        return None


def _n_iter(fitted):
    n_iter = getattr(fitted, "n_iter_", None)
    return None if n_iter is None else int(np.max(to_numpy(n_iter)))


def compare(rows):
    """Ratios to the first row (the reference) and each target's verdict."""
    reference, *candidates = rows
    for row in candidates:
        if row.error or reference.error:
            row.passed = False if row.target else None
            continue
        row.ratio = row.fit_seconds / reference.fit_seconds
        if row.target is not None:
            row.passed = row.target.met_by(row, reference)
            if row.objective_bound is not None:
                row.passed &= row.objective <= row.objective_bound


# --- the cases ----------------------------------------------------------------


def objective(fitted, X, y, alpha):
    """SoftmaxRegression's objective (mean cross-entropy + alpha/2 ||W||^2) of
    a fitted linear classifier, on the host in float64; LogisticRegression(C)
    minimises the same one for alpha = 1 / (C * n_samples)."""
    W = to_numpy(fitted.coef_).astype(np.float64)
    b = to_numpy(fitted.intercept_).astype(np.float64)
    Z = X.astype(np.float64) @ W.T + b
    k = np.searchsorted(to_numpy(fitted.classes_), y)
    cross_entropy = np.mean(logsumexp(Z, axis=1) - Z[np.arange(len(y)), k])
    return float(cross_entropy + alpha / 2 * np.sum(W**2))


def iterations_to_reach(goal, alpha, data):
    """The first L-BFGS iteration at which our training objective is at most
    ``goal`` (one untimed fit on the device); our own stopping point if it
    never is (the objective column then shows the gap)."""
    with sklearn.config_context(array_api_dispatch=True):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fitted = SoftmaxRegression(alpha=alpha, max_iter=1000).fit(*data.device[:2])
    reached = [i for i, loss in enumerate(fitted.loss_curve_) if loss <= goal]
    return reached[0] + 1 if reached else fitted.n_iter_


def softmax_case(data, repeat):
    X_train, y_train = data.host[:2]
    alpha = 1.0 / (C * len(X_train))
    reference = Contestant("LogisticRegression()", LogisticRegression, on_device=True)
    [ref_row] = measure("gpu-softmax", [reference], data, repeat)
    rows = [ref_row]
    if not ref_row.error:
        ref_row.objective = objective(ref_row.fitted, X_train, y_train, alpha)
    label = "SoftmaxRegression(solver='lbfgs', alpha=1/(C*n), max_iter=k)"
    row = Row("gpu-softmax", label, "device", target=Target(1.0))
    max_iter = (
        None
        if ref_row.error
        else _attempt(row, lambda: iterations_to_reach(ref_row.objective, alpha, data))
    )
    if max_iter is not None:
        label = label.replace("max_iter=k", f"max_iter={max_iter}")
        ours = Contestant(
            label,
            lambda: SoftmaxRegression(alpha=alpha, max_iter=max_iter),
            on_device=True,
            target=Target(1.0),
        )
        [row] = measure("gpu-softmax", [ours], data, repeat)
        if not row.error:
            row.objective = objective(row.fitted, X_train, y_train, alpha)
            row.objective_bound = ref_row.objective * (1 + OBJECTIVE_RTOL)
    rows.append(row)
    compare(rows)
    return rows


def mlp_case(torch, batch, data, repeat):
    params = dict(
        hidden_layer_sizes=(HIDDEN,),
        activation="relu",
        solver="adam",
        alpha=ALPHA,
        batch_size=batch,
        max_iter=EPOCHS,
        n_iter_no_change=EPOCHS + 1,  # no early stop: exactly EPOCHS epochs
        random_state=0,
    )
    contestants = [
        Contestant(
            "plain PyTorch loop", lambda: TorchLoop(torch, batch), on_device=True
        ),
        Contestant(
            "MLPClassifier(solver='adam')",
            lambda: MLPClassifier(**params),
            on_device=True,
            target=MLP_TARGETS[batch],
        ),
        Contestant(
            "sklearn MLPClassifier(solver='adam') [NumPy]",
            lambda: SkMLPClassifier(**params),
            on_device=False,
        ),
    ]
    rows = measure(f"gpu-mlp-{batch}", contestants, data, repeat)
    for row in rows:
        row.epochs = EPOCHS
    compare(rows)
    return rows


# --- the report ---------------------------------------------------------------

_COLUMNS = [
    "case",
    "estimator",
    "runs on",
    "fit time (s)",
    "per epoch (s)",
    "iterations",
    "ratio to ref",
    "test error (%)",
    "objective",
    "target",
    "result",
]


def table(rows, device_type):
    """The markdown table; ``device_type`` names the device in its cells."""
    lines = [_line(_COLUMNS), _line(["---"] * len(_COLUMNS))]
    for i, row in enumerate(rows):
        is_reference = i == 0 or row.case != rows[i - 1].case
        lines.append(_line(_cells(row, is_reference, device_type)))
    return "\n".join(lines)


def _cells(row, is_reference, device_type):
    where = f"torch {device_type}" if row.where == "device" else "NumPy (CPU)"
    if row.error:
        dash = ["—"] * 7
        return [
            row.case,
            f"`{row.label}`",
            where,
            *dash,
            f"**ERROR**: failed: {_first_line(row.error)}",
        ]
    per_epoch = f"{row.fit_seconds / row.epochs:#.3g}" if row.epochs else "—"
    target = "reference" if is_reference else (_target_text(row) or "—")
    if row.passed is None:
        verdict = "—"
    else:
        verdict = "PASS" if row.passed else "**FAIL**"
    return [
        row.case,
        f"`{row.label}`",
        where,
        f"{row.fit_seconds:#.3g}",
        per_epoch,
        "—" if row.n_iter is None else str(row.n_iter),
        "1.00" if is_reference else ("—" if row.ratio is None else f"{row.ratio:.2f}"),
        f"{row.error_pct:.2f}",
        "—" if row.objective is None else f"{row.objective:.6f}",
        target,
        verdict,
    ]


def _first_line(text, width=100):
    """The start of an error message, for a table cell (the notes hold it all)."""
    line = text.splitlines()[0]
    return line if len(line) <= width else line[: width - 1] + "…"


def _target_text(row):
    if row.target is None:
        return None
    text = str(row.target)
    if row.objective_bound is not None:
        text += f", objective ≤ ref × (1 + {OBJECTIVE_RTOL:g})"
    return text


def _line(cells):
    return "| " + " | ".join(cells) + " |"


def notes(rows):
    lines = []
    for row in rows:
        where = f"{row.case} / `{row.label}`"
        if row.error:
            lines.append(f"- {where}: {row.error}")
        elif row.warnings:
            lines.append(f"- {where}: raised {', '.join(sorted(row.warnings))}")
    return "\n".join(lines)


def targets(rows):
    """The issue's targets, one line each: PASS, FAIL or not measured."""
    lines = []
    for row in rows:
        if row.target is None:
            continue
        if row.error:
            verdict = f"**not measured** (failed: {_first_line(row.error)})"
        else:
            verdict = "PASS" if row.passed else "**FAIL**"
        ratio = "" if row.ratio is None else f" (ratio {row.ratio:.2f})"
        lines.append(
            f"- {row.case}, `{row.label}`: {_target_text(row)}{ratio}: {verdict}"
        )
    return "\n".join(lines)


def describe_device(torch, device):
    if device.type == "cuda":
        return f"CUDA ({torch.cuda.get_device_name(device)})"
    if device.type == "cpu":
        return f"PyTorch CPU ({torch.get_num_threads()} threads, for information)"
    return f"PyTorch {device.type}"


def report(rows, device, torch, n_train, repeat):
    device_name = describe_device(torch, device)
    command = " ".join(["python benchmarks/gpu.py", *sys.argv[1:]])
    return (
        "\n\n".join(
            [
                "# skcourse on a GPU",
                f"`{command}`, {run_stamp()}. Device: {device_name}. MNIST, "
                f"{n_train} training images, 10000 test images, pixels / 255 in "
                f"float32; fit time = best of {repeat} (after a warm-up fit on "
                f"{WARMUP_ROWS} images). Ratio = fit time / the case's first row's.",
                table(rows, device.type),
                "- gpu-softmax: same objective as LogisticRegression(C=1.0), "
                "whose defaults stop it (tol 1e-4, at most 100 iterations); ours "
                "stops at the first L-BFGS iteration that reaches its objective "
                "(max_iter = k, found by an untimed fit). Objective: mean "
                "cross-entropy + alpha/2 ||W||^2, alpha = 1/(C n), evaluated in "
                "float64 on the host.\n"
                f"- gpu-mlp-B: 784-{HIDDEN}-10 ReLU, adam, alpha {ALPHA:g}, batch B, "
                f"{EPOCHS} epochs (no early stop): per epoch = fit time / {EPOCHS}; "
                "the reference is the plain PyTorch loop on the same device.",
                "## Targets",
                targets(rows),
                "## Notes",
                notes(rows) or "No errors, no warnings.",
                "## Machine",
                machine_info()
                + f"\n- torch {torch.__version__}, device {device_name}"
                + "\n- environment: SCIPY_ARRAY_API="
                + os.environ.get("SCIPY_ARRAY_API", "(unset)"),
            ]
        )
        + "\n"
    )


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{QUICK_N_TRAIN} training images, 1 fit each",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="timed fits each (default 3, 1 with --quick)",
    )
    parser.add_argument(
        "--device", help="torch device (default: cuda if available, else cpu)"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=BENCH_DIR / "results" / "gpu.md",
        help="where to write the report (default: %(default)s)",
    )
    return resolve_repeat(parser, parser.parse_args(argv))


def main(argv=None):
    args = parse_args(argv)
    try:
        import torch
    except ImportError:
        sys.exit("error: the GPU benchmark needs PyTorch (pip install torch)")
    device = torch.device(
        args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    )
    print(f"device: {describe_device(torch, device)}", file=sys.stderr)
    data = make_data(torch, device, QUICK_N_TRAIN if args.quick else None)
    rows = softmax_case(data, args.repeat)
    for batch in MLP_TARGETS:
        rows += mlp_case(torch, batch, data, args.repeat)
    text = report(rows, device, torch, len(data.host[0]), args.repeat)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"Report written to {args.output}", file=sys.stderr)
    return 1 if any(row.error for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
