#!/usr/bin/env python3
"""The house style (.clang-format): every C++ file of the tree as clang-format 14 writes it.

Fix a failure with `./ops/cxs format`, which rewrites the files in place.
"""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
FOLDERS = ["domain", "storage", "metrics", "sessions", "config", "actors", "http", "ops", "tools", "bench", "tests", "fuzz"]


def cpp_files():
    for folder in FOLDERS:
        for pattern in ("*.cpp", "*.hpp"):
            yield from sorted((ROOT / folder).rglob(pattern))


if __name__ == "__main__":
    files = [str(f) for f in cpp_files() if "node_modules" not in f.parts]
    run = subprocess.run(["clang-format", "--dry-run", "--Werror", *files], capture_output=True, text=True)
    unformatted = sorted({line.split(":", 1)[0] for line in run.stderr.splitlines() if ": error:" in line})
    for f in unformatted:
        print(f"{pathlib.Path(f).relative_to(ROOT)}: not in the house style (./ops/cxs format)")
    print(f"format: {len(files)} files, {len(unformatted)} not formatted")
    sys.exit(1 if run.returncode else 0)
