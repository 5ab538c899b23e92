"""The Prometheus set-up of ops/prometheus/ (issue 16): the alert rules pass their own tests
(`promtool test rules`), the scrape config is valid once its paths name a real server's token
and certificate (`promtool check config`), and the server's exposition, now with the disk and
RocksDB gauges the alerts read, passes `promtool check metrics`."""

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from cxs_harness import SOURCE, ServerTestCase

PROMTOOL = shutil.which("promtool") or "/usr/bin/promtool"
RULES = Path(SOURCE) / "ops/prometheus"


class Prometheus(ServerTestCase):

    def promtool(self, *args, stdin=None, cwd=None):
        p = subprocess.run([PROMTOOL, *args], input=stdin, capture_output=True, timeout=60, cwd=cwd)
        self.assertEqual(p.returncode, 0, f"promtool {' '.join(args)}: {p.stdout.decode()} {p.stderr.decode()}")
        return p.stdout.decode()

    def test_the_alert_rules_pass_their_tests(self):
        out = self.promtool("test", "rules", "alerts_test.yml", cwd=RULES)
        self.assertIn("SUCCESS", out)

    def test_the_scrape_config_is_valid_for_a_real_server(self):
        data = Path(self.srv.data_dir)
        host, port = self.srv.admin_addr
        config = (RULES / "prometheus.yml").read_text()
        config = config.replace("../../data/admin.token", str(data / "admin.token"))
        config = config.replace("../../data/tls/server.crt", str(data / "tls/server.crt"))
        config = re.sub(r'"127\.0\.0\.1:\d+"', f'"{host}:{port}"', config)
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "prometheus.yml").write_text(config)
            shutil.copy(RULES / "alerts.yml", tmp)
            self.promtool("check", "config", "prometheus.yml", cwd=tmp)

    def test_the_exposition_has_what_the_alerts_read(self):
        status, _, text = self.srv.get("/metrics", raw=True)
        self.assertEqual(status, 200)
        self.promtool("check", "metrics", stdin=text)
        body = text.decode()
        for family in ("cxs_storage_disk_free_bytes", "cxs_storage_disk_size_bytes", "cxs_storage_memtable_bytes",
                       "cxs_storage_pending_compaction_bytes", "cxs_storage_writes_stopped", "cxs_mail_queue",
                       "cxs_actor_mailbox_depth", "cxs_ingest_records_total", "cxs_failures_total"):
            self.assertRegex(body, rf"(?m)^{family}(\{{|\s)", family)
        free = int(re.search(r"(?m)^cxs_storage_disk_free_bytes (\d+)", body).group(1))
        size = int(re.search(r"(?m)^cxs_storage_disk_size_bytes (\d+)", body).group(1))
        self.assertTrue(0 < free <= size, (free, size))
