"""The shipped scenarios' outputs against their golden copies (tests/data/golden/, written by
tests/cli/golden_outputs.py): the engine's mechanics may change, the simulated results may not,
beyond 1e-9 relative where an order of floating-point sums changed."""
import json
import os

import pytest

from golden_outputs import GOLDEN, SLOW, cases, differences, produce

CASES = cases(slow=True)


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_matches_golden(name):
    if name in SLOW and os.environ.get("TRAINSIM_GOLDEN_SLOW") != "1":
        pytest.skip("the full OCR campaign comparison: set TRAINSIM_GOLDEN_SLOW=1")
    path = GOLDEN / f"{name}.json"
    assert path.exists(), f"{path} missing: run `make golden`"
    golden = json.loads(path.read_text())
    assert golden["command"][1:] == CASES[name], "the golden file was made by another command: run `make golden`"
    diff = differences(golden["output"], produce(CASES[name]))
    assert not diff, f"{len(diff)} differences (regenerate with `make golden` only for an intended change):\n" + "\n".join(diff[:20])


def test_the_comparison_sees_a_change():
    g = {"a": [1.0, {"b": 2.0, "wall_s": 5}], "c": "x"}
    assert differences(g, {"a": [1.0, {"b": 2.0, "wall_s": 9}], "c": "x"}) == []
    assert differences(g, {"a": [1.0, {"b": 2.0 * (1 + 1e-10)}], "c": "x"}) == []
    assert differences(g, {"a": [1.0, {"b": 2.0 * (1 + 1e-8)}], "c": "x"}) != []
    assert differences(g, {"a": [1.0], "c": "x"}) != []
    assert differences(g, {"a": [1.0, {"b": 2.0}], "c": "y"}) != []
