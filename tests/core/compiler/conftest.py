from __future__ import annotations

from pathlib import Path

import pytest

CONTENT = Path(__file__).resolve().parents[2] / "fixtures" / "content"


@pytest.fixture
def content_dir() -> Path:
    return CONTENT
