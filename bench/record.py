#!/usr/bin/env python3
"""Writes the last `./ops/cxs bench` run into docs/performance.md: between the markers
`<!-- bench:latest:begin -->` and `<!-- bench:latest:end -->` (added at the end of the page the
first time), the date, the commit, the machine's facts, and for every step of bench/run.sh its
command and the JSON line it printed (build/bench/commands.tsv and build/bench/NAME.json).
The sections above the block interpret the figures; this block is the record they come from.

  python3 bench/record.py build/bench docs/performance.md
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
from pathlib import Path

BEGIN, END = "<!-- bench:latest:begin -->", "<!-- bench:latest:end -->"


def machine() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem_kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:"))
    release = Path("/etc/debian_version").read_text().strip() if Path("/etc/debian_version").exists() else "?"
    return [f"CPU: {cpu}, {os.cpu_count()} logical cores", f"memory: {mem_kib / 1048576:.1f} GiB",
            f"kernel: {platform.release()}, Debian {release}"]


def started(out_dir: Path) -> tuple[str, str]:
    """(time, commit) bench/run.sh noted when it began: the binaries were built from that commit."""
    try:
        when, commit = (out_dir / "started").read_text(encoding="utf-8").rstrip("\n").split("\t", 1)
        return when, commit
    except (OSError, ValueError):
        return "unknown", "unknown"


def block(out_dir: Path, root: Path) -> str:
    when, commit = started(out_dir)
    lines = [BEGIN, "", "## Latest full run (written by `bench/record.py`)", "",
             f"`./ops/cxs bench` started {when} at commit {commit} (built from it just before), finished "
             f"{dt.datetime.now().astimezone().isoformat(timespec='minutes')}; Release build, everything on "
             "loopback. Machine:", ""]
    lines += [f"- {fact}" for fact in machine()]
    lines.append("")
    for row in (out_dir / "commands.tsv").read_text(encoding="utf-8").splitlines():
        name, description, command = row.split("\t", 2)
        command = command.replace(str(root) + "/", "")
        result = out_dir / f"{name}.json"
        text = result.read_text(encoding="utf-8").strip() if result.exists() else "(no output)"
        lines += [f"### {name}: {description}", "", "```", f"$ {command}", text, "```", ""]
    lines.append(END)
    return "\n".join(lines) + "\n"


def main() -> int:
    out_dir, page = Path(sys.argv[1]), Path(sys.argv[2])
    root = page.resolve().parents[1]
    text = page.read_text(encoding="utf-8")
    new = block(out_dir, root)
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        text = head + new + tail
    else:
        text = text.rstrip("\n") + "\n\n" + new
    page.write_text(text, encoding="utf-8")
    print(f"recorded {out_dir} in {page}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
