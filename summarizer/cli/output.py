"""Writing outputs so that a crash or a full disk never leaves half a brief behind."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from ..errors import SummarizerError


class OutputError(SummarizerError):
    """An output file could not be written (permissions, a full disk, a bad path)."""

    exit_code = 2
    label = "output error"


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, then rename it into place.

    The file gets the permissions any new file would (0644 under umask 022), or those
    of the file it replaces; not the 0600 of a temporary file."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666  # the process umask applies, as for any new file
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            if mode != 0o666:
                os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def write_out(output: Path | None, text: str) -> None:
    """To standard output when no file is named; else atomically to the file, whose path
    is printed (what a script reads to find it)."""
    if output is None:
        sys.stdout.write(text)
        return
    write_atomic(output, text)
    print(output)
