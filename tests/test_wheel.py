"""Build the wheel and run it from a fresh virtual environment, so package data that
only exists in the source tree (templates, prompts) is caught."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from .conftest import EXAMPLE, ROOT

HTML_PAGES = ROOT / "tests" / "fixtures" / "html"


@pytest.mark.slow
def test_installed_wheel_briefs_an_example(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    wheel = next(dist.glob("summarizer-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    site = Path(
        subprocess.run(
            [
                str(env_dir / "bin" / "python"),
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # Install the wheel itself (no editable path); take its dependencies from this environment.
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        check=True,
        timeout=300,
    )
    (site / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    article = tmp_path / "ferry.txt"
    article.write_bytes(EXAMPLE.read_bytes())
    proc = subprocess.run(
        [
            str(env_dir / "bin" / "python"),
            "-c",
            "import summarizer, sys; print(summarizer.__file__); from summarizer.cli import main; "
            "sys.argv = ['summarizer', 'brief', sys.argv[1], '-f', 'html']; main()",
            str(article),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].startswith(str(site))
    html = article.with_suffix(".html").read_text(encoding="utf-8")
    assert "<h1" in html and "Ferry Crews Walk Out" in html
    for name in ("brief.md.j2", "card.html.j2", "digest.html.j2", "digest.txt.j2"):
        assert (site / "summarizer" / "templates" / name).is_file()
    assert (site / "summarizer" / "py.typed").is_file()
    assert (site / "summarizer" / "prompts").is_dir()


@pytest.mark.install
def test_the_wheel_installs_with_the_pip_python_ships(tmp_path: Path) -> None:
    """Issue #16: `pip install summarizer` into a venv Python just made (its bundled pip,
    not upgraded) gives a package that cleans HTML and briefs text. Needs the package
    index (`.ci/run` runs it; `pytest -m install`)."""
    import ensurepip

    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        timeout=300,
    )
    wheel = next(dist.glob("summarizer-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = str(env_dir / "bin" / "python")
    shipped = subprocess.run([python, "-m", "pip", "--version"], capture_output=True, text=True, check=True).stdout
    assert shipped.startswith(f"pip {ensurepip.version()} "), shipped  # the pip Python brings, as it is
    subprocess.run([python, "-m", "pip", "install", "-q", str(wheel)], check=True, timeout=900)
    page = HTML_PAGES / "port-expansion.html"
    run = subprocess.run(
        [python, "-m", "summarizer", "clean", str(page)], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    assert "container terminal" in run.stdout and "<" not in run.stdout
    article = tmp_path / "ferry.txt"
    article.write_bytes(EXAMPLE.read_bytes())
    run = subprocess.run(
        [python, "-m", "summarizer", "brief", str(article), "-o", "-"], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("# Ferry Crews Walk Out")


def test_an_install_without_html_cleaning_says_so_in_one_line(tmp_path: Path) -> None:
    """What a pip that skips lxml_html_clean used to leave: a traceback on the first HTML page."""
    script = (
        "import sys; sys.modules['lxml_html_clean'] = None; sys.modules['lxml.html.clean'] = None\n"
        "from summarizer.cli import main; sys.argv = ['summarizer', 'clean', sys.argv[1]]; main()"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(HTML_PAGES / "port-expansion.html")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.count("\n") == 1 and "pip install 'lxml_html_clean>=0.4'" in run.stderr
