"""``python -m skcourse`` (``make demo``) runs and reports every model."""

import re

from skcourse import demo


def test_demo_reports_every_model(capsys):
    from threadpoolctl import threadpool_limits

    # As for the examples: small data, where several BLAS threads only compete
    # for the cores; on a loaded machine the feature-space rows (products of
    # 1,000 x 1,024 features) took minutes with two threads, seconds with one.
    with threadpool_limits(limits=1, user_api="blas"):
        demo.main()
    out = capsys.readouterr().out
    rows = [
        line for line in out.splitlines() if line.startswith(("skcourse", "sklearn"))
    ]
    assert len(rows) == len(demo.candidates()) + len(demo.regressors())
    classifiers, regressors = rows[: len(demo.candidates())], rows[-2:]
    cv = {}
    for row in classifiers:
        cv_acc, test_acc = map(float, re.findall(r"\s(0\.\d{3})\s", row))
        assert cv_acc > 0.9 and test_acc > 0.9, row
        cv[row[:32].strip()] = cv_acc
    # The course's claim: a linear classifier in a good feature space beats
    # the linear classifier (measured: 0.979 and 0.981 against 0.970).
    for name in ("RandomFeatures+Softmax", "MLP features+Softmax"):
        assert cv[f"skcourse {name}"] > cv["skcourse SoftmaxRegression"], name
    for row in regressors:  # the diabetes data are noisy: R^2 ~ 0.4-0.5
        cv_r2, test_r2 = map(float, re.findall(r"\s(0\.\d{3})\s", row))
        assert cv_r2 > 0.3 and test_r2 > 0.3, row
