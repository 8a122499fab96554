"""Start-up benchmark: how long a CLI run takes before and around its work.

    python benchmarks/startup.py [--runs 9] [--seed FILE]

Against `python -c "import openai"` on the same machine, measured in one run with the
commands interleaved (the machines here are shared and noisy): `summarizer --help`,
`python -c "import summarizer"`, and an offline brief of the seed article. Prints the
median seconds and each one's ratio to `import openai`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_990f11d3b987e2d8.txt"
FALLBACK = Path(__file__).resolve().parents[1] / "examples" / "harbor-ferry-strike.txt"


def timed(command: list[str], stdin: bytes | None) -> float:
    started = time.perf_counter()
    subprocess.run(command, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seed", type=Path, default=SEED if SEED.exists() else FALLBACK)
    args = parser.parse_args()
    article = args.seed.read_bytes()
    commands = {
        "python -c 'import openai'": ([sys.executable, "-c", "import openai"], None),
        "summarizer --help": ([sys.executable, "-m", "summarizer", "--help"], None),
        "python -c 'import summarizer'": ([sys.executable, "-c", "import summarizer"], None),
        f"offline brief of {args.seed.name}": ([sys.executable, "-m", "summarizer", "brief", "-"], article),
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, (command, stdin) in commands.items():
            times[name].append(timed(command, stdin))
    baseline = statistics.median(times["python -c 'import openai'"])
    print(f"{'command':48} {'median s':>9} {'x import openai':>16}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:48} {median:9.3f} {median / baseline:16.2f}")


if __name__ == "__main__":
    main()
