"""``python -m skcourse`` (``make demo``) runs and reports every model."""

import re

from skcourse import demo


def test_demo_reports_every_model(capsys):
    demo.main()
    out = capsys.readouterr().out
    rows = [
        line for line in out.splitlines() if line.startswith(("skcourse", "sklearn"))
    ]
    assert len(rows) == len(demo.candidates())
    for row in rows:
        cv_acc, test_acc = map(float, re.findall(r"\s(0\.\d{3})\s", row))
        assert cv_acc > 0.9 and test_acc > 0.9, row
