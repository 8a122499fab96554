from __future__ import annotations

from pathlib import Path

import pytest

from summarizer import ConfigError, render

from .factories import fixed_result

GOLDEN = Path(__file__).parent / "golden"


def test_markdown_matches_golden_file() -> None:
    assert render(fixed_result()) == (GOLDEN / "brief.md").read_text(encoding="utf-8")


def test_card_is_compact_and_names_topics() -> None:
    card = render(fixed_result(), template="card.md.j2")
    assert card.startswith("### Ferry Crews Walk Out\n")
    assert "**Open:** money; timing" in card
    assert "Key facts" not in card and ">" not in card


def test_markdown_marks_unsupported_fact_visibly() -> None:
    text = render(fixed_result())
    line = next(line for line in text.splitlines() if "9,000" in line)
    assert "**UNVERIFIED** (unsupported: 9,000)" in line


def test_html_escapes_script_in_title() -> None:
    html = render(fixed_result(title="<script>alert('x')</script> Ferry"), template="brief.html.j2")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Ferry" in html


def test_markdown_is_not_html_escaped() -> None:
    text = render(fixed_result(title="Fish & Chips <Ltd>"))
    assert text.startswith("# Fish & Chips <Ltd>\n")


def test_custom_template_directory_overrides_one_template(tmp_path: Path) -> None:
    (tmp_path / "brief.md.j2").write_text("{{ brief.headline | upper }} / {{ verified }} verified\n")
    result = fixed_result()
    assert render(result, templates_dir=tmp_path) == "FERRY CREWS WALK OUT / 2 verified\n"
    # templates the directory lacks still come from the package
    assert render(result, template="card.md.j2", templates_dir=tmp_path).startswith("### Ferry")


def test_template_errors_are_config_errors(tmp_path: Path) -> None:
    (tmp_path / "typo.md.j2").write_text("{{ brief.headlin }}\n")
    with pytest.raises(ConfigError, match="headlin"):
        render(fixed_result(), template="typo.md.j2", templates_dir=tmp_path)
    with pytest.raises(ConfigError, match="not found"):
        render(fixed_result(), template="nope.md.j2")
    with pytest.raises(ConfigError, match="does not exist"):
        render(fixed_result(), templates_dir=tmp_path / "missing")
