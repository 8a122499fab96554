from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import respx

from summarizer.engines.openai.engine import _DIALECTS
from summarizer.settings import DEFAULT_MODEL

from .llm_fakes import BASE_URL, self_hosted

ROOT = Path(__file__).resolve().parent.parent
PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
EXAMPLE = ROOT / "examples" / "harbor-ferry-strike.txt"


@pytest.fixture(autouse=True)
def _no_llm_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never inherit a developer's key, base URL or config file."""
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "SUMMARIZER_MODEL",
        "SUMMARIZER_ENGINE",
        "SUMMARIZER_CONFIG",
        "OPENAI_ORG_ID",
        "OPENAI_PROJECT_ID",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    _DIALECTS.clear()  # what one test's fake server taught the engine is not another's


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    """The OpenAI API at BASE_URL, serving DEFAULT_MODEL; each test mocks its completions."""
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        self_hosted(router, DEFAULT_MODEL)
        yield router


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")
