"""The server binary is built hardened (ASVS 14.1.2): full RELRO (the GOT read-only, bound at
start), a stack protector and checked libc calls (_FORTIFY_SOURCE), position independent, and a
stack that cannot execute. Read with binutils from the binary the other tests run."""

import os
import re
import subprocess
import unittest

from cxs_harness import SERVER_BIN


def run(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True).stdout


@unittest.skipIf("fsanitize" in os.environ.get("CXS_BUILD_FLAGS", ""), "sanitizer builds are not hardened")
class Hardening(unittest.TestCase):

    def test_the_binary_is_hardened(self):
        header = run("readelf", "-h", str(SERVER_BIN))
        self.assertRegex(header, r"Type:\s+DYN", "position independent")
        dynamic = run("readelf", "-d", str(SERVER_BIN))
        self.assertTrue(re.search(r"BIND_NOW|FLAGS_1.*NOW", dynamic), "bound at start (-z now)")
        segments = run("readelf", "-l", "-W", str(SERVER_BIN))
        self.assertIn("GNU_RELRO", segments)
        stack = [line for line in segments.splitlines() if "GNU_STACK" in line]
        self.assertTrue(stack and not re.search(r"\bRWE\b", stack[0]), f"a non-executable stack: {stack}")
        symbols = run("nm", "-D", str(SERVER_BIN))
        self.assertIn("__stack_chk_fail", symbols, "-fstack-protector-strong")
        self.assertRegex(symbols, r"__\w+_chk\b", "_FORTIFY_SOURCE")


if __name__ == "__main__":
    unittest.main()
