"""Regenerate scenarios.json (review the diff before committing!): python tests/core/oom/golden/make_golden.py"""

from __future__ import annotations

import json
from pathlib import Path

from quizapp.core.oom import run_scenario
from quizapp.services.oom_scenarios import load_scenario_dir


def golden() -> dict[str, object]:
    out: dict[str, object] = {}
    for scenario in load_scenario_dir():
        result = run_scenario(scenario)
        out[scenario.id] = {
            "kernel": result.kernel,
            "outcome": result.outcome.value,
            "totalpages": result.totalpages,
            "killed": list(result.killed_pids),
            "badness": {str(s.pid): s.badness for s in result.scores},
            "oom_score": {str(s.pid): s.oom_score for s in result.scores},
            "kernels": {
                k: list(run_scenario(scenario, k).killed_pids) for k in scenario.questions.kernels
            },
        }
    return out


if __name__ == "__main__":
    path = Path(__file__).with_name("scenarios.json")
    path.write_text(json.dumps(golden(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {path}")
