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

pytestmark = pytest.mark.slow


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
