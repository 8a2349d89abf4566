"""``python -m skcourse`` (``make demo``) runs and reports every model."""

import re

from skcourse import demo


def test_demo_reports_every_model(capsys):
    demo.main()
    out = capsys.readouterr().out
    rows = [
        line for line in out.splitlines() if line.startswith(("skcourse", "sklearn"))
    ]
    assert len(rows) == len(demo.candidates()) + len(demo.regressors())
    classifiers, regressors = rows[: len(demo.candidates())], rows[-2:]
    for row in classifiers:
        cv_acc, test_acc = map(float, re.findall(r"\s(0\.\d{3})\s", row))
        assert cv_acc > 0.9 and test_acc > 0.9, row
    for row in regressors:  # the diabetes data are noisy: R^2 ~ 0.4-0.5
        cv_r2, test_r2 = map(float, re.findall(r"\s(0\.\d{3})\s", row))
        assert cv_r2 > 0.3 and test_r2 > 0.3, row
