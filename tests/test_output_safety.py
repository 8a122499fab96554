"""What the tool writes is what the user named, escaped for it, and never harmful:
output formats, digest outputs, file permissions, messages (issue #10)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.cli.formats import Format, UsageError, plan_output
from summarizer.cli.output import OutputError, write_atomic

from .conftest import EXAMPLE, PAGES

HOSTILE = """<!DOCTYPE html><html><head>
<title>Ferry fares rise <script>window.__ran = 1</script></title>
<meta property="og:title" content="# Ferry fares rise <script>alert('x')</script> [click](javascript:alert(1))">
</head><body>
<article>
<h1>Ferry fares rise</h1>
<p>The Port Avalon harbor authority raised ferry fares by 12 percent on Monday, the first increase
since the service opened in 2019, officials said.</p>
<p>The authority said the money would pay for two new boats. "We had no choice," said chair Ana Ruiz,
adding that fuel costs had doubled since the spring.</p>
<p>It is not clear whether commuters with monthly passes will pay the new fare. The council has yet
to decide whether to subsidise students.</p>
</article></body></html>
"""


def run(*args: str, cwd: Path | None = None, umask: int | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
    )


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "page.html"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


def test_output_suffix_decides_the_format_and_html_is_escaped(hostile: Path, tmp_path: Path) -> None:
    proc = run("brief", str(hostile), "-o", str(tmp_path / "brief.html"))
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "brief.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html


def test_template_name_decides_the_format_when_nothing_else_does(hostile: Path) -> None:
    proc = run("brief", str(hostile), "--template", "card.html.j2")
    assert proc.returncode == 0, proc.stderr
    written = hostile.with_name("page.brief.html")  # never over the input page itself
    assert proc.stdout.strip() == str(written)
    assert written.read_text(encoding="utf-8").startswith("<div data-card")
    assert hostile.read_text(encoding="utf-8") == HOSTILE


@pytest.mark.parametrize(
    "args",
    [
        ["-o", "c.md", "--template", "card.html.j2"],
        ["-f", "html", "--template", "card.md.j2"],
        ["-o", "x.html", "-f", "md"],
        ["-f", "html", "--template", "mine.j2"],
        ["-f", "json", "--template", "card.md.j2"],
        ["-o", "brief.pdf"],
    ],
)
def test_contradictions_are_usage_errors_before_any_work(hostile: Path, args: list[str]) -> None:
    proc = run("brief", str(hostile), *args, cwd=hostile.parent)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("summarizer: usage error: "), proc.stderr
    assert sorted(p.name for p in hostile.parent.iterdir()) == ["page.html"]


def test_plan_output_rules() -> None:
    assert plan_output(None, None, None) == plan_output(Format.md, None, "brief.md.j2")
    assert plan_output(None, Path("x.txt"), None).template == "brief.txt.j2"
    assert plan_output(None, Path("out"), "card.html.j2", to_dir=True).format is Format.html
    assert plan_output(Format.html, Path("digest.email"), None).format is Format.html
    assert plan_output(None, Path("x.json"), None).template is None
    with pytest.raises(UsageError, match="writes md, html, txt, not json"):
        plan_output(None, Path("d.json"), None, allowed=(Format.md, Format.html, Format.txt))


def test_digest_output_is_checked(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("brief", *map(str, sorted(PAGES.glob("*.txt"))), "-o", str(out), "-f", "json").returncode == 0
    results = sorted(str(p) for p in out.glob("*.json"))
    before = Path(results[0]).read_text(encoding="utf-8")
    for args in (["-o", results[0]], ["-o", str(tmp_path / "d.pdf")], ["-o", str(tmp_path / "d.md"), "-f", "html"]):
        proc = run("digest", *results, *args)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.startswith("summarizer: usage error: ")
    assert Path(results[0]).read_text(encoding="utf-8") == before
    assert not (tmp_path / "d.pdf").exists() and not (tmp_path / "d.md").exists()
    proc = run("digest", *results, "-o", str(tmp_path / "d.email"), "-f", "html")
    assert proc.returncode == 0 and (tmp_path / "d.email").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_files_honour_the_umask_and_keep_an_existing_mode(tmp_path: Path) -> None:
    article = tmp_path / "ferry.txt"
    article.write_bytes(EXAMPLE.read_bytes())
    assert run("brief", str(article), umask=0o022).returncode == 0
    assert stat.S_IMODE(article.with_suffix(".md").stat().st_mode) == 0o644
    assert run("brief", str(article), "-o", str(tmp_path / "group.md"), umask=0o027).returncode == 0
    assert stat.S_IMODE((tmp_path / "group.md").stat().st_mode) == 0o640
    private = tmp_path / "private.md"
    private.write_text("old")
    private.chmod(0o600)
    write_atomic(private, "new")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600 and private.read_text() == "new"
    assert not list(tmp_path.glob(".*.tmp"))


def test_unwritable_output_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot write"):
        write_atomic(blocker / "brief.md", "text")
    proc = run("brief", str(EXAMPLE), "-o", str(blocker / "brief.md"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "summarizer: " in proc.stderr and "output error: cannot write" in proc.stderr


def test_messages_name_the_file_once_and_count_right(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    proc = run("brief", str(empty))
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1] == f"summarizer: {empty}: input error: is empty"
    missing = run("brief", str(tmp_path / "nope.txt"))  # and no engine line: nothing ran
    assert missing.stderr.strip() == f"summarizer: {tmp_path / 'nope.txt'}: input error: no such file"
    story = tmp_path / "one.txt"
    story.write_text(
        "Council delays vote\n\nThe city council delayed its vote on the new library on Monday after a long debate.\n\n"
        "It is not clear when the council will vote again, members said.\n",
        encoding="utf-8",
    )
    proc = run("brief", str(story))
    assert proc.returncode == 0, proc.stderr
    assert "1 open question\n" in proc.stderr or "1 open question;" in proc.stderr


def test_stdin_with_other_inputs_needs_an_output_directory(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "summarizer", "brief", "-", str(EXAMPLE)],
        input=EXAMPLE.read_text(encoding="utf-8"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and "add -o DIR" in proc.stderr and proc.stdout == ""


def test_help_shows_flags_as_flags(tmp_path: Path) -> None:
    proc = run("brief", "--help")
    assert proc.returncode == 0
    assert "<bool>" not in proc.stdout
    assert "--strict-grounding " in proc.stdout and "--format <md|html|json|txt>" in proc.stdout
    proc = run("brief", str(EXAMPLE), "--strict-grounding", "true", "-o", "out", cwd=tmp_path)
    assert "summarizer: true: input error: no such file" in proc.stderr
