"""Configuration: a config file (TOML or INI) through --config, bad values in it or in flags,
and TLS files given by the operator (issue 4 §2; SPEC §12)."""

import shutil
import socket
import ssl
import subprocess
import time
import unittest

from cxs_harness import READY_RE, Server

OPENSSL = shutil.which("openssl")


def start_outcome(server: Server, args, timeout=10.0):
    """Spawns the server with exactly args: ("ready", line) once it prints the ready line, or
    ("exit", code) if it exits first; never leaves it running unless ready."""
    p = server.spawn(args)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        out = server.stdout()
        if "\n" in out:
            return "ready", out.split("\n", 1)[0]
        if p.poll() is not None:
            return "exit", p.returncode
        time.sleep(0.05)
    p.kill()
    p.wait()
    raise AssertionError(f"{args}: neither ready nor exited within {timeout} s; "
                         f"stderr:\n{server.stderr_tail()}")


class ConfigFile(unittest.TestCase):

    def server(self):
        s = Server(clock=None)
        self.addCleanup(s.close)
        return s

    def base_args(self, s, config):
        # http.host stays on the command line so that an ignored file never opens 0.0.0.0.
        return [str(s.args()[0]), f"--config={config}", "--http.host=127.0.0.1",
                f"--registry={s.registry_file}"]

    def check_started_from_file(self, s, config, form):
        kind, value = start_outcome(s, self.base_args(s, config))
        if kind == "exit":
            self.fail(f"{form}: exited {value} with a valid config file; stderr:\n"
                      f"{s.stderr_tail()}")
        m = READY_RE.match(value)
        self.assertIsNotNone(m, value)
        ports = (int(m.group(2)), int(m.group(4)))
        if ports == (8443, 9443) or 8443 in ports or 9443 in ports:
            s.kill9()
            self.fail(f"{form}: http.port/admin.port of the config file ignored: {value!r} "
                      f"(file:\n{config.read_text()})")
        # data-dir from the file: the token, TLS files and database are there.
        self.assertTrue((s.data_dir / "admin.token").is_file(), "data-dir of the file ignored")
        self.assertTrue((s.data_dir / "db").is_dir(), "data-dir of the file ignored")
        s.wait_ready()
        self.assertEqual(s.get("/admin/registry")[0], 200)
        self.assertEqual(s.terminate(), 0)

    def test_toml_file_with_sections(self):
        s = self.server()
        config = s.tmp / "cxs.toml"
        config.write_text(f'# CX Support\ndata-dir = "{s.data_dir}"\n\n'
                          '[http]\nport = 0\n\n[admin]\nport = 0\n', encoding="utf-8")
        self.check_started_from_file(s, config, "TOML [http] port = 0")

    def test_ini_file_with_dotted_keys(self):
        s = self.server()
        config = s.tmp / "cxs.ini"
        config.write_text(f"data-dir={s.data_dir}\nhttp.port=0\nadmin.port=0\n",
                          encoding="utf-8")
        self.check_started_from_file(s, config, "INI http.port=0")

    def test_flags_override_the_file(self):
        s = self.server()
        config = s.tmp / "cxs.toml"
        config.write_text(f'data-dir = "{s.tmp / "elsewhere"}"\n', encoding="utf-8")
        kind, value = start_outcome(s, self.base_args(s, config)
                                    + [f"--data-dir={s.data_dir}", "--http.port=0",
                                       "--admin.port=0"])
        self.assertEqual(kind, "ready", f"{value}; stderr:\n{s.stderr_tail()}")
        self.assertTrue((s.data_dir / "admin.token").is_file(), "--data-dir did not win")
        self.assertFalse((s.tmp / "elsewhere").exists(), "the file's data-dir was used")

    def test_bad_value_in_the_file_stops_start_up(self):
        for form, text, name in (
                ("TOML section", '[http]\nport = "notaport"\n', "http.port"),
                ("INI dotted", "admin.port=70000\n", "admin.port"),
                ("log level", '[log]\nlevel = "loud"\n', "log.level")):
            with self.subTest(form):
                s = self.server()
                config = s.tmp / "bad.conf"
                config.write_text(f'data-dir = "{s.data_dir}"\n' + text, encoding="utf-8")
                kind, value = start_outcome(s, self.base_args(s, config))
                if kind == "ready":
                    s.kill9()
                    self.fail(f"{form}: started with a bad value in the config file ({value!r})"
                              f"; file:\n{config.read_text()}")
                self.assertNotEqual(value, 0)
                err = s.stderr()
                self.assertTrue(any(name in line for line in err.splitlines()),
                                f"{form}: no stderr line names {name}:\n{err}")

    def test_missing_config_file_is_refused(self):
        s = self.server()
        kind, value = start_outcome(s, self.base_args(s, s.tmp / "no-such.toml"))
        if kind == "ready":
            s.kill9()
        self.assertEqual(kind, "exit", "started with a config file that does not exist")
        self.assertNotEqual(value, 0)
        self.assertIn("no-such.toml", s.stderr())


class Flags(unittest.TestCase):

    def refused(self, extra, names):
        s = Server(clock=None)
        self.addCleanup(s.close)
        # Only the flags under test name the ports (a flag given twice is another error).
        base = [str(s.args()[0]), f"--data-dir={s.data_dir}", "--http.host=127.0.0.1",
                f"--registry={s.registry_file}"]
        for flag in ("--http.port", "--admin.port"):
            if not any(a.startswith(flag + "=") for a in extra):
                base.append(flag + "=0")
        kind, value = start_outcome(s, base + list(extra))
        if kind == "ready":
            s.kill9()
        self.assertEqual(kind, "exit", f"{extra}: started")
        self.assertNotEqual(value, 0, extra)
        self.assertNotIn("cxs ready", s.stdout())
        err = s.stderr().strip().splitlines()
        self.assertTrue(err, f"{extra}: nothing on stderr")
        self.assertTrue(any(any(n in line for n in names) for line in err),
                        f"{extra}: no stderr line names {names}:\n" + "\n".join(err))
        return err

    def test_port_out_of_range(self):
        for value in ("70000", "65536", "-1"):
            with self.subTest(value):
                self.refused([f"--http.port={value}"], ["http.port"])

    def test_tls_cert_and_key_go_together(self):
        s = Server(clock=None)
        self.addCleanup(s.close)
        pem = s.tmp / "some.pem"
        pem.write_text("x")
        self.refused([f"--tls.cert={pem}"], ["tls.key"])
        self.refused([f"--tls.key={pem}"], ["tls.cert"])

    def test_unusable_tls_files_are_refused(self):
        s = Server(clock=None)
        self.addCleanup(s.close)
        cert, key = s.tmp / "bad.crt", s.tmp / "bad.key"
        cert.write_text("-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n")
        key.write_text("not a key\n")
        self.refused([f"--tls.cert={cert}", f"--tls.key={key}"], ["TLS", "tls", str(cert)])


@unittest.skipUnless(OPENSSL, "openssl command not found: operator TLS files not tested")
class GivenCertificate(unittest.TestCase):
    """--tls.cert/--tls.key: the server presents exactly that certificate on both listeners."""

    def make_cert(self, folder, cn):
        key, cert = folder / "op.key", folder / "op.crt"
        p = subprocess.run([OPENSSL, "req", "-x509", "-newkey", "ec",
                            "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                            "-keyout", str(key), "-out", str(cert), "-days", "30", "-subj",
                            f"/CN={cn}", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                           capture_output=True, text=True, timeout=30)
        if p.returncode != 0:
            self.skipTest(f"openssl could not make a certificate: {p.stderr}")
        return cert, key

    def test_given_certificate_is_presented(self):
        class GivenCertServer(Server):
            ca = None

            @property
            def cafile(self):
                return self.ca

        s = GivenCertServer(clock=None)
        self.addCleanup(s.close)
        cert, key = self.make_cert(s.tmp, "cxs-it-operator-cert")
        s.ca = cert
        s.extra_args = [f"--tls.cert={cert}", f"--tls.key={key}"]
        s.start()
        want = ssl.PEM_cert_to_DER_cert(cert.read_text())
        ctx = ssl.create_default_context(cafile=str(cert))
        for name, addr in (("admin", s.admin_addr), ("customer", s.customer_addr)):
            with self.subTest(listener=name):
                with socket.create_connection(addr, timeout=10) as raw, \
                        ctx.wrap_socket(raw, server_hostname="localhost") as tls:
                    self.assertEqual(tls.getpeercert(binary_form=True), want,
                                     f"{name} listener presents another certificate")
                    subject = dict(x[0] for x in tls.getpeercert()["subject"])
                    self.assertEqual(subject.get("commonName"), "cxs-it-operator-cert")
        # Requests verify against it, and no self-signed certificate was made instead.
        self.assertEqual(s.get("/admin/registry")[0], 200)
        self.assertFalse((s.data_dir / "tls" / "server.crt").exists(),
                         "a self-signed certificate was created although one was given")


if __name__ == "__main__":
    unittest.main()
