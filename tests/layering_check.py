#!/usr/bin/env python3
"""The layer rules of docs/architecture.md, checked on every #include of the tree.

domain <- storage <- actors (CAF) <- http (Beast) <- cxs-server, with the leaves metrics/,
sessions/, config/ and pki/. CAF, Beast and RocksDB sit in /usr/include where every target can reach
them, so CMake alone cannot keep them out of a folder: this check does, and it fails the build's
tests with the file, the line and the rule it breaks.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# Our folders each folder may include from.
OURS = {
    "domain": {"domain"},
    "storage": {"domain", "storage"},
    "metrics": {"metrics"},
    "sessions": {"domain", "metrics", "sessions"},
    "config": {"domain", "config"},
    "pki": {"config", "domain", "pki"},  # the certificate authority: OpenSSL, the secrets' files, readable secrets
    "actors": {"domain", "storage", "config", "metrics", "sessions", "pki", "actors"},
    "http": {"domain", "actors", "sessions", "metrics", "config", "pki", "http"},
    "ops": {"domain", "config", "actors", "http", "metrics", "load"},
    "load": {"load"},  # cxs-load: a client of the service's HTTP API, nothing of the server
    "tools": {"domain"},  # build-time tools (cxs-form-rules): the domain only, no CAF, no Beast
    "fuzz": {"domain", "fuzz"},  # libFuzzer targets (build-fuzz/): the pure parsers only
}
# The actors' headers that are CAF-free: the only ones http/ and ops/ may include, and the only
# ones these may include of actors/.
ACTOR_FACADE = {"actors/admin_api.hpp", "actors/customer_api.hpp", "actors/results.hpp", "actors/runtime.hpp"}
# Third-party headers kept to one place.
CONFINED = {
    "caf/": lambda rel: rel.startswith("actors/") and rel not in ACTOR_FACADE,
    "boost/": lambda rel: rel == "http/server.cpp",
    "rocksdb/": lambda rel: rel.startswith("storage/") and rel.endswith(".cpp"),
}
# Words of HTTP that have no place in actors/ (statuses are the error table's, in http/).
HTTP_WORDS = re.compile(r"Set-Cookie|Retry-After|content_type|\breply\b|json_reply|error_reply|\bcookie\b", re.I)

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def code_lines(text):
    """(number, line) of the lines outside // comments."""
    for n, line in enumerate(text.splitlines(), 1):
        yield n, line.split("//", 1)[0]


def check():
    problems = []
    for folder, allowed in OURS.items():
        for path in sorted((ROOT / folder).glob("*.[ch]pp")):
            rel = path.relative_to(ROOT).as_posix()
            text = path.read_text(encoding="utf-8")
            for n, line in code_lines(text):
                m = INCLUDE.match(line)
                if not m:
                    if folder == "actors" and HTTP_WORDS.search(line):
                        problems.append(f"{rel}:{n}: actors/ speaks HTTP: {line.strip()}")
                    continue
                kind, name = m.groups()
                if kind == '"':
                    top = name.split("/", 1)[0]
                    if top not in allowed:
                        problems.append(f"{rel}:{n}: {folder}/ may not include {name}")
                    elif top == "actors" and (folder != "actors" or rel in ACTOR_FACADE) and name not in ACTOR_FACADE:
                        problems.append(f"{rel}:{n}: {name} is not one of the CAF-free facade headers")
                else:
                    for prefix, may in CONFINED.items():
                        if name.startswith(prefix) and not may(rel):
                            problems.append(f"{rel}:{n}: <{name}> belongs elsewhere ({prefix} is confined)")
    return problems


if __name__ == "__main__":
    found = check()
    for p in found:
        print(p)
    print(f"layering: {len(found)} problems" if found else "layering: every include follows the layers")
    sys.exit(1 if found else 0)
