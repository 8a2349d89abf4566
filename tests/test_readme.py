"""The README's quick start runs as written."""

import re
from pathlib import Path


def test_quick_start_runs(capsys):
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    code = re.search(r"## Quick start\s+```python\n(.*?)```", readme, re.S).group(1)
    exec(compile(code, "README.md", "exec"), {})
    best_params, score = capsys.readouterr().out.rsplit("}", 1)
    assert "softmaxregression__solver" in best_params
    assert float(score) > 0.9
