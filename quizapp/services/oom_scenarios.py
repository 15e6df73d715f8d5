"""Reading OOM scenario files (YAML/JSON) from disk; the parsing itself is pure core."""

from __future__ import annotations

from pathlib import Path

from quizapp.core.oom.scenario import Scenario, ScenarioError, load_scenario, parse_scenario_text

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "content" / "scenarios"


def load_scenario_file(path: Path) -> Scenario:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError([f"cannot read: {exc.strerror}"], str(path)) from exc
    return load_scenario(parse_scenario_text(text, str(path)), str(path))


def load_scenario_dir(directory: Path = SCENARIO_DIR) -> list[Scenario]:
    """Every `*.yaml`/`*.yml`/`*.json` scenario, sorted by file name; all errors reported at once."""
    scenarios: list[Scenario] = []
    errors: list[str] = []
    paths = sorted(p for p in directory.glob("*") if p.suffix in (".yaml", ".yml", ".json"))
    for path in paths:
        try:
            scenarios.append(load_scenario_file(path))
        except ScenarioError as exc:
            errors += [f"{path.name}: {e}" for e in exc.errors]
    ids: dict[str, str] = {}
    for scenario, path in zip(scenarios, paths, strict=False):
        if scenario.id in ids:
            errors.append(f"{path.name}: id {scenario.id!r} is also used by {ids[scenario.id]}")
        ids.setdefault(scenario.id, path.name)
    if errors:
        raise ScenarioError(errors, str(directory))
    return scenarios


def scenario_by_id(scenario_id: str, directory: Path = SCENARIO_DIR) -> Scenario | None:
    for scenario in load_scenario_dir(directory):
        if scenario.id == scenario_id:
            return scenario
    return None
