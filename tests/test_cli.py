"""The command line, run as a user runs it: a real process, real exit codes, real streams."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer import BriefResult

from .conftest import EXAMPLE, PAGES


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "summarizer", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=60,
    )
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    )


def assert_one_clean_line(stderr: str, *needles: str) -> None:
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("summarizer:")]
    assert len(errors) == 1, stderr
    for needle in needles:
        assert needle in errors[0]


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "ferry.txt"
    path.write_bytes(EXAMPLE.read_bytes())
    return path


def test_brief_writes_beside_input_and_prints_path(article: Path) -> None:
    proc = run("brief", str(article))
    assert proc.returncode == 0, proc.stderr
    target = article.with_suffix(".md")
    assert proc.stdout.strip() == str(target)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Ferry Crews Walk Out Over Night-Shift Pay")
    assert "engine: offline" in proc.stderr and "no OPENAI_API_KEY" in proc.stderr
    assert "facts verified" in text and "4 facts, 4 verified" in proc.stderr
    assert not list(article.parent.glob(".*.tmp"))


def test_stdin_to_stdout() -> None:
    proc = run("brief", "-", stdin=EXAMPLE.read_bytes())
    assert proc.returncode == 0
    assert proc.stdout.startswith("# Ferry Crews Walk Out")
    assert "## Open questions" in proc.stdout


def test_dash_output_is_standard_output(tmp_path: Path, article: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "summarizer", "brief", str(article), "-o", "-", "-f", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert BriefResult.model_validate_json(proc.stdout).article.publisher == "Bayside Tribune"
    assert list(tmp_path.iterdir()) == [article]  # no directory named "-", nothing beside the input
    proc = run("brief", str(article), str(EXAMPLE), "-o", "-")
    assert proc.returncode == 2 and "-o - writes one brief to standard output" in proc.stderr


def test_json_output_into_directory_parses_back(tmp_path: Path, article: Path) -> None:
    out = tmp_path / "out"
    proc = run("brief", str(article), "-o", f"{out}/", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    result = BriefResult.model_validate_json((out / "ferry.json").read_text(encoding="utf-8"))
    assert result.article.publisher == "Bayside Tribune"
    assert result.schema_version == "1"
    assert len(result.grounding.facts) == len(result.brief.key_facts)


def test_several_inputs_one_directory_html(tmp_path: Path) -> None:
    inputs = [str(p) for p in sorted(PAGES.glob("*.txt"))]
    proc = run("brief", *inputs, "-o", str(tmp_path / "html"), "-f", "html")
    assert proc.returncode == 0, proc.stderr
    written = sorted(p.name for p in (tmp_path / "html").iterdir())
    assert written == sorted(Path(p).with_suffix(".html").name for p in inputs)
    # Paths are printed as each brief finishes, so the order follows completion.
    assert sorted(proc.stdout.splitlines()) == sorted(
        str(tmp_path / "html" / Path(p).with_suffix(".html").name) for p in inputs
    )


def test_markdown_input_is_never_overwritten(tmp_path: Path) -> None:
    source = tmp_path / "story.md"
    original = "# Harbor news\n\n" + EXAMPLE.read_text(encoding="utf-8")
    source.write_text(original, encoding="utf-8")
    proc = run("brief", str(source))
    assert proc.returncode == 0, proc.stderr
    assert source.read_text(encoding="utf-8") == original
    assert (tmp_path / "story.brief.md").exists()


def test_custom_template_dir_and_card(tmp_path: Path, article: Path) -> None:
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "mine.md.j2").write_text("HEAD={{ brief.headline }}\n")
    proc = run(
        "brief",
        str(article),
        "--templates",
        str(templates),
        "--template",
        "mine.md.j2",
        "-o",
        str(tmp_path / "x.md"),
    )
    assert proc.returncode == 0, proc.stderr
    assert (
        tmp_path / "x.md"
    ).read_text() == "HEAD=Ferry Crews Walk Out Over Night-Shift Pay, Stranding Island Commuters\n"


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "is empty"),
        (b"   \n\n  ", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" * 20, "not text"),
        (b"Home\nNews\nSubscribe\nLog In\n", "no article text"),
    ],
)
def test_bad_files_give_one_line_and_exit_2(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    proc = run("brief", str(path))
    assert proc.returncode == 2
    assert_one_clean_line(proc.stderr, str(path), needle)
    assert not path.with_suffix(".md").exists()
    assert proc.stdout == ""


def test_directory_and_missing_file(tmp_path: Path) -> None:
    proc = run("brief", str(tmp_path))
    assert proc.returncode == 2
    assert_one_clean_line(proc.stderr, "no article files")
    proc = run("brief", str(tmp_path / "nope.txt"))
    assert proc.returncode == 2
    assert_one_clean_line(proc.stderr, "no such file")


def test_cp1252_file_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    text = EXAMPLE.read_text(encoding="utf-8").replace("Oyelaran", "Oyelarán")
    path.write_bytes(text.encode("cp1252"))
    proc = run("brief", str(path), "-f", "json", "-o", str(tmp_path / "latin.json"))
    assert proc.returncode == 0, proc.stderr
    assert "Martin Oyelarán" in (tmp_path / "latin.json").read_text(encoding="utf-8")


def test_partial_batch_failure_exit_4_and_others_written(tmp_path: Path, article: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    out = tmp_path / "out"
    proc = run("brief", str(empty), str(article), "-o", str(out))
    assert proc.returncode == 4
    assert (out / "ferry.md").exists()
    assert not (out / "empty.md").exists()
    assert "1 of 2 articles failed" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_bad_option_values_are_usage_errors(article: Path) -> None:
    proc = run("brief", str(article), "--format", "pdf")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_missing_template_dir_is_clear(article: Path, tmp_path: Path) -> None:
    proc = run("brief", str(article), "--templates", str(tmp_path / "none"))
    assert proc.returncode == 2
    assert_one_clean_line(proc.stderr, "does not exist")


def test_help_answers_questions() -> None:
    proc = run("--help")
    assert proc.returncode == 0 and "brief" in proc.stdout and "clean" in proc.stdout
    proc = run("brief", "--help")
    for option in ("--output", "--format", "--template", "--templates", "--engine", "OPENAI_API_KEY"):
        assert option in proc.stdout


def test_clean_command_shows_report(article: Path) -> None:
    proc = run("clean", str(article))
    assert proc.returncode == 0
    assert proc.stdout.startswith("Crews on the Port Avalon harbor ferries")
    assert "publisher: Bayside Tribune" in proc.stderr
    assert "syndication footer" in proc.stderr
    proc = run("clean", str(article), "--format", "json")
    data = json.loads(proc.stdout)
    assert data["report"]["removed_by_reason"]["syndication footer"] == 1
