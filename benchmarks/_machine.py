"""What a run ran on: the date, the commit, the software and the hardware
(``run_stamp``, ``machine_info``), for the report."""

import os
import platform
import subprocess
from datetime import datetime, timezone

import numpy as np
import sklearn
from threadpoolctl import threadpool_info


def run_stamp():
    """One line saying when, at which commit and on what machine a run ran."""
    return (
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit {_git_commit()}, "
        f"{platform.machine()} with {os.cpu_count()} logical cores, "
        f"load average {os.getloadavg()[0]:.2f} at the end"
    )


def machine_info():
    """Markdown bullet list describing the software and hardware of the run."""
    lines = [
        f"- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- commit: {_git_commit()}",
        f"- Python {platform.python_version()}, numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}",
        f"- machine: {platform.machine()}, {os.cpu_count()} logical cores, "
        f"{platform.system()} {platform.release()}",
        # Other work on the machine slows both sides, but not always equally.
        "- load average at the end: "
        + ", ".join(f"{load:.2f}" for load in os.getloadavg()),
    ]
    lines += [f"- {_describe_pool(pool)}" for pool in threadpool_info()]
    lines += [
        f"- environment: {name}={os.environ[name]}"
        for name in sorted(os.environ)
        if name.startswith(("OPENBLAS_", "OMP_", "MKL_"))
    ]
    return "\n".join(lines)


def _describe_pool(pool):
    """One line about a BLAS or OpenMP library found by threadpoolctl."""
    details = [
        os.path.basename(pool.get("filepath", "")),
        pool.get("internal_api"),
        pool.get("version"),
        pool.get("architecture") and f"core type {pool['architecture']}",
        f"{pool.get('num_threads')} threads",
    ]
    return f"{pool['user_api']}: " + ", ".join(str(d) for d in details if d)


def _git_commit():
    """Short hash of the checked-out commit, "+ uncommitted changes" when the
    tracked files differ from it, or 'unknown' outside a git clone."""
    try:
        commit = _git("rev-parse", "--short", "HEAD")
        changed = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit} + uncommitted changes" if changed else commit


def _git(*args):
    completed = subprocess.run(
        ["git", *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=os.path.dirname(os.path.abspath(__file__)),
    )
    return completed.stdout.strip()
