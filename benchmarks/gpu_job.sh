#!/usr/bin/env bash
# The GPU benchmark (benchmarks/gpu.py) as one job for a machine with a GPU.
#
#   bash benchmarks/gpu_job.sh [--quick] [--repeat N] [--device DEV]
#
# Run from anywhere; the options go to gpu.py. It installs nothing: the Python
# in $PYTHON (default python3) must have torch, scikit-learn, scipy and numpy.
# Wheels in the checkout's .whl/ folder, if any (e.g. a newer scikit-learn
# for a machine that cannot download), are installed offline into a private
# folder first. MNIST: $SKCOURSE_MNIST_DIR, else the checkout's .mnist/ (its
# four .gz files). The report goes to $OUT/gpu.md and the whole log to
# $OUT/gpu.log when $OUT is set, else to benchmarks/results/gpu.md.
# Exit code: gpu.py's (0: everything ran, even if a target is missed; 1: a
# contestant raised, its row says why); 2: something the job needs is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

if compgen -G ".whl/*.whl" >/dev/null; then
    "$PYTHON" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir \
        --upgrade --target /tmp/skcourse-gpu-site .whl/*.whl
    export PYTHONPATH="/tmp/skcourse-gpu-site${PYTHONPATH:+:$PYTHONPATH}"
fi
if ! "$PYTHON" -c "import torch, sklearn, scipy, numpy" 2>/dev/null; then
    echo "error: $PYTHON lacks torch, scikit-learn, scipy or numpy" >&2
    exit 2
fi
export SKCOURSE_MNIST_DIR="${SKCOURSE_MNIST_DIR:-$PWD/.mnist}"
if ! compgen -G "$SKCOURSE_MNIST_DIR/t10k-images-idx3-ubyte.gz" >/dev/null; then
    echo "error: no MNIST in $SKCOURSE_MNIST_DIR: copy its four .gz files there" >&2
    exit 2
fi
# scipy reads it when first imported (array API support); gpu.py sets it too.
export SCIPY_ARRAY_API=1 PYTHONUNBUFFERED=1

report_dir="${OUT:-benchmarks/results}"
mkdir -p "$report_dir"
"$PYTHON" - <<'PY'
import numpy, scipy, sklearn, torch
print(f"torch {torch.__version__}, scikit-learn {sklearn.__version__}, "
      f"scipy {scipy.__version__}, numpy {numpy.__version__}; "
      f"CUDA available: {torch.cuda.is_available()}"
      + (f" ({torch.cuda.get_device_name()})" if torch.cuda.is_available() else ""))
PY
status=0
if [ -n "${OUT:-}" ]; then
    "$PYTHON" benchmarks/gpu.py --output "$OUT/gpu.md" "$@" 2>&1 | tee "$OUT/gpu.log" ||
        status=${PIPESTATUS[0]}
else
    "$PYTHON" benchmarks/gpu.py --output "$report_dir/gpu.md" "$@" || status=$?
fi
exit "$status"
