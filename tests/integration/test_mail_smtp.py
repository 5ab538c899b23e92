"""Mail through SMTP (--mail.smtp) against an aiosmtpd server on loopback that offers STARTTLS
with its own test certificate (--mail.ca-file trusts it): delivery over TLS, SMTP AUTH, STARTTLS
required by default (a server without it, or with a certificate nobody vouches for, gets nothing;
--mail.starttls=try relaxes it), and a mail server that is down: the mail is queued, retried with
back-off (cxs_mails_total{state="retried"}), kept across a restart of cxs-server (SIGTERM and
kill -9), and delivered once the SMTP server is up (SPEC §3, §9, §14, §18)."""

import logging
import os
import socket
import ssl
import subprocess
import tempfile
import threading
import unittest
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from cxs_harness import (PASSWORD, SUBJECT_OTP, SUBJECT_RESET, CustomerClient, CustomerTestCase,
                         Mail, finish_login, mail_mark, mail_metrics, outbox_mails, start_login,
                         wait_mail, wait_metric)

SMTP_USER, SMTP_PASSWORD = "cxs-mailer", "s3cret-Mail-pass"

# SmtpAuth takes AUTH without TLS on loopback on purpose; aiosmtpd warns about it every session.
logging.getLogger("mail.log").setLevel(logging.ERROR)


def quiet_aiosmtpd():
    """Called inside the test run (unittest's runner resets the warning filters before it)."""
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    warnings.filterwarnings("ignore", message="Session.login_data is deprecated")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_SINK_TLS: dict = {}


def sink_certificate() -> str:
    """The test SMTP server's self-signed certificate (made once per run, for 127.0.0.1); its
    path is what --mail.ca-file gets."""
    if not _SINK_TLS:
        folder = tempfile.mkdtemp(prefix="cxs-it-smtp-tls-")
        cert, key = os.path.join(folder, "smtp.crt"), os.path.join(folder, "smtp.key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", key, "-out", cert], check=True, capture_output=True)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        _SINK_TLS.update(cert=cert, context=context)
    return _SINK_TLS["cert"]


def smtp_args(port: int) -> list[str]:
    """--mail.smtp at the test server, trusting its certificate; STARTTLS at its default."""
    return [f"--mail.smtp=smtp://127.0.0.1:{port}", f"--mail.ca-file={sink_certificate()}"]


class Collector:
    """An aiosmtpd handler that keeps every message; `mails()` serves as a Server.mail_sink."""

    def __init__(self):
        self.lock = threading.Lock()
        self.envelopes = []          # (mail_from, rcpt_tos, content bytes, authenticated login)
        self.auth = []               # (mechanism, login, password) tried
        self.tls = []                # whether each message came in a STARTTLS session

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        login = getattr(session, "auth_data", None)
        with self.lock:
            self.tls.append(session.ssl is not None)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), content,
                                   login.login.decode() if isinstance(login, LoginPassword)
                                   else None))
        return "250 Message accepted for delivery"

    def authenticator(self, server, session, envelope, mechanism, auth_data):
        login = password = None
        if isinstance(auth_data, LoginPassword):
            login = auth_data.login.decode("utf-8", "replace")
            password = auth_data.password.decode("utf-8", "replace")
        ok = (login, password) == (SMTP_USER, SMTP_PASSWORD)
        with self.lock:
            self.auth.append((mechanism, login, ok))
        return AuthResult(success=ok, auth_data=auth_data)

    def mails(self):
        with self.lock:
            return [Mail(content, name=f"smtp-{i:06d}")
                    for i, (_, _, content, _) in enumerate(self.envelopes)]


def start_smtp(collector, port, tls: bool = True, **smtp_kw) -> Controller:
    """An aiosmtpd server on loopback; with tls it offers STARTTLS with sink_certificate()."""
    if tls:
        sink_certificate()
        smtp_kw.setdefault("tls_context", _SINK_TLS["context"])
    controller = Controller(collector, hostname="127.0.0.1", port=port,
                            server_hostname="localhost", ready_timeout=10, **smtp_kw)
    controller.start()
    return controller


class SmtpBase(CustomerTestCase):

    def request_reset(self, acct):
        c = CustomerClient(self.srv)
        try:
            status, _, body = c.post("/api/password/reset-request",
                                     {"id": acct["id"], "email": acct["email"]})
        finally:
            c.close()
        self.assertEqual(status, 202, body)

    def assertNoOutbox(self):
        self.assertEqual(outbox_mails(self.srv), [], "with SMTP set, nothing goes to the outbox")


class SmtpDelivery(SmtpBase):
    """A working SMTP server with STARTTLS; --mail.starttls left at its default (always)."""

    @classmethod
    def setUpClass(cls):
        cls.collector = Collector()
        cls.port = free_port()
        cls.controller = start_smtp(cls.collector, cls.port)
        cls.addClassCleanup(cls.controller.stop)
        cls.server_options = {"extra_args": smtp_args(cls.port)}
        super().setUpClass()
        cls.srv.mail_sink = cls.collector

    def test_login_with_the_code_delivered_by_smtp(self):
        s = self.srv
        acct = s.create_account()
        before = mail_metrics(s)
        c = self.login(acct)                                 # the OTP comes through SMTP
        self.assertStatus(c.get("/api/me"), 200)
        mail = wait_mail(s, SUBJECT_OTP, to=acct["email"])
        self.assertMailBasics(mail, acct["email"], SUBJECT_OTP)
        envelopes = [e for e in self.collector.envelopes if acct["email"] in e[1]]
        self.assertEqual(len(envelopes), 1, envelopes)
        mail_from, rcpts, _, _ = envelopes[0]
        self.assertEqual(rcpts, [acct["email"]])
        self.assertEqual(mail_from.lower(), "no-reply@cxsupport.example")
        self.assertTrue(all(self.collector.tls), "every message came over STARTTLS")
        after = wait_metric(s, lambda m: m["sent"] >= before["sent"] + 1 and m["queue"] == 0,
                            "sent through SMTP")
        self.assertGreaterEqual(after["queued"], before["queued"] + 1)
        self.assertEqual(after["failed"], before["failed"])
        self.assertNoOutbox()

    def test_reset_link_by_smtp(self):
        s = self.srv
        acct = s.create_account()
        mark = mail_mark(s)
        self.request_reset(acct)
        mail = wait_mail(s, SUBJECT_RESET, to=acct["email"], after=mark)
        self.assertMailBasics(mail, acct["email"], SUBJECT_RESET)
        mail.link_token(f"{s.public_url}/password/reset/")
        self.assertNoOutbox()


class SmtpAuth(SmtpBase):
    """SMTP AUTH with --mail.smtp-user and --mail.smtp-password-file (a file with a trailing
    newline, as `echo secret > file` writes it)."""

    @classmethod
    def setUpClass(cls):
        quiet_aiosmtpd()
        cls.collector = Collector()
        cls.port = free_port()
        cls.controller = start_smtp(cls.collector, cls.port,
                                    authenticator=cls.collector.authenticator,
                                    auth_required=True, auth_require_tls=True)
        cls.addClassCleanup(cls.controller.stop)
        fd, path = tempfile.mkstemp(prefix="cxs-it-smtp-pass-")
        with os.fdopen(fd, "w") as f:
            f.write(SMTP_PASSWORD + "\n")
        cls.addClassCleanup(os.unlink, path)
        cls.server_options = {"extra_args": smtp_args(cls.port) + [
                                             f"--mail.smtp-user={SMTP_USER}",
                                             f"--mail.smtp-password-file={path}",
                                             "--mail.from=Ops Team <ops@cx.example.jp>"]}
        super().setUpClass()
        cls.srv.mail_sink = cls.collector

    def test_authenticated_delivery(self):
        s = self.srv
        acct = s.create_account()
        mark = mail_mark(s)
        self.request_reset(acct)
        mail = wait_mail(s, SUBJECT_RESET, to=acct["email"], after=mark)
        self.assertMailBasics(mail, acct["email"], SUBJECT_RESET)
        self.assertEqual(str(mail.msg["From"].addresses[0].addr_spec), "ops@cx.example.jp")
        self.assertEqual(mail.msg["From"].addresses[0].display_name, "Ops Team")
        self.assertTrue(any(ok for _, _, ok in self.collector.auth), self.collector.auth)
        self.assertFalse([a for a in self.collector.auth if not a[2]],
                         f"failed AUTH attempts: {self.collector.auth}")
        delivered = [e for e in self.collector.envelopes if acct["email"] in e[1]]
        self.assertEqual(delivered[0][3], SMTP_USER, "delivered in an authenticated session")
        self.assertEqual(delivered[0][0].lower(), "ops@cx.example.jp", "envelope sender")
        self.assertNotIn(SMTP_PASSWORD, s.stderr() + s.stdout(), "the SMTP password is logged")


class StarttlsRequiredByDefault(SmtpBase):
    """SPEC §18: without --mail.starttls, a server that offers no STARTTLS gets nothing: the mail
    is never sent in clear, stays queued and is retried."""

    @classmethod
    def setUpClass(cls):
        cls.collector = Collector()
        cls.port = free_port()
        cls.controller = start_smtp(cls.collector, cls.port, tls=False)
        cls.addClassCleanup(cls.controller.stop)
        cls.server_options = {"extra_args": smtp_args(cls.port) + [
            "--mail.retry-base-ms=100", "--mail.retry-max-s=1"]}
        super().setUpClass()

    def test_no_clear_text_delivery(self):
        s = self.srv
        acct = s.create_account()
        before = mail_metrics(s)
        self.request_reset(acct)
        wait_metric(s, lambda m: (m["retried"] + m["failed"]
                                  >= before["retried"] + before["failed"] + 2),
                    "delivery attempts refused without TLS")
        self.assertEqual(self.collector.envelopes, [], "a mail went out without STARTTLS")
        self.assertGreaterEqual(mail_metrics(s)["queue"], 1, "the mail stays queued")
        self.assertNoOutbox()


class UntrustedCertificate(SmtpBase):
    """STARTTLS with a certificate the service cannot verify (no --mail.ca-file for the test
    server's own certificate): refused like no TLS at all, never sent."""

    @classmethod
    def setUpClass(cls):
        cls.collector = Collector()
        cls.port = free_port()
        cls.controller = start_smtp(cls.collector, cls.port)
        cls.addClassCleanup(cls.controller.stop)
        cls.server_options = {"extra_args": [f"--mail.smtp=smtp://127.0.0.1:{cls.port}",
                                             "--mail.retry-base-ms=100", "--mail.retry-max-s=1"]}
        super().setUpClass()

    def setUp(self):
        # aiosmtpd logs each refused handshake with a traceback: expected here, so kept quiet.
        log = logging.getLogger("mail.log")
        self.addCleanup(log.setLevel, log.level)
        log.setLevel(logging.CRITICAL)

    def test_an_unverified_server_gets_nothing(self):
        s = self.srv
        acct = s.create_account()
        before = mail_metrics(s)
        self.request_reset(acct)
        wait_metric(s, lambda m: m["retried"] >= before["retried"] + 2, "delivery refused to an unverified server")
        self.assertEqual(self.collector.envelopes, [])
        self.assertGreaterEqual(mail_metrics(s)["queue"], 1)


class StarttlsTry(SmtpBase):
    """--mail.starttls=try: the operator's explicit choice to deliver in clear when a server
    offers no STARTTLS."""

    @classmethod
    def setUpClass(cls):
        cls.collector = Collector()
        cls.port = free_port()
        cls.controller = start_smtp(cls.collector, cls.port, tls=False)
        cls.addClassCleanup(cls.controller.stop)
        cls.server_options = {"extra_args": smtp_args(cls.port) + ["--mail.starttls=try"]}
        super().setUpClass()
        cls.srv.mail_sink = cls.collector

    def test_delivered_in_clear_when_asked(self):
        s = self.srv
        acct = s.create_account()
        mark = mail_mark(s)
        self.request_reset(acct)
        mail = wait_mail(s, SUBJECT_RESET, to=acct["email"], after=mark)
        self.assertMailBasics(mail, acct["email"], SUBJECT_RESET)
        self.assertEqual(self.collector.tls, [False])


class SmtpDown(SmtpBase):
    """The SMTP server is down, then comes up; cxs-server may restart in between."""

    @classmethod
    def setUpClass(cls):
        cls.port = free_port()                               # nothing listens there yet
        cls.server_options = {"extra_args": smtp_args(cls.port) + [
            "--mail.retry-base-ms=100", "--mail.retry-max-s=1"]}
        super().setUpClass()

    def smtp_up(self):
        collector = Collector()
        controller = start_smtp(collector, self.port)
        self.addCleanup(controller.stop)
        self.srv.mail_sink = collector
        self.addCleanup(setattr, self.srv, "mail_sink", None)
        return collector

    def queued_and_retried(self, acct):
        s = self.srv
        before = mail_metrics(s)
        self.request_reset(acct)
        after = wait_metric(s, lambda m: m["retried"] >= before["retried"] + 2,
                            "delivery retried while SMTP is down")
        self.assertGreaterEqual(after["queued"], before["queued"] + 1)
        self.assertGreaterEqual(after["queue"], 1)
        self.assertEqual(after["sent"], before["sent"])
        self.assertNoOutbox()

    def delivered(self, collector, acct):
        s = self.srv
        mail = wait_mail(s, SUBJECT_RESET, to=acct["email"], timeout=20)
        self.assertMailBasics(mail, acct["email"], SUBJECT_RESET)
        wait_metric(s, lambda m: m["queue"] == 0 and m["sent"] >= 1, "queue drained")
        return mail

    def test_1_retried_with_back_off_then_delivered(self):
        s = self.srv
        acct = s.create_account()
        self.queued_and_retried(acct)
        collector = self.smtp_up()
        self.delivered(collector, acct)
        self.assertNoOutbox()

    def test_2_queued_mail_survives_a_restart(self):
        s = self.srv
        acct = s.create_account()
        self.queued_and_retried(acct)
        public_url = s.public_url                            # the link was made with this URL
        s.restart()                                          # SIGTERM, SMTP still down
        wait_metric(s, lambda m: m["queue"] >= 1 and m["retried"] >= 1,
                    "the queued mail is retried after the restart")
        collector = self.smtp_up()
        mail = self.delivered(collector, acct)
        mail.link_token(f"{public_url}/password/reset/")

    def test_3_queued_mail_survives_kill_9(self):
        s = self.srv
        acct = s.create_account()
        self.queued_and_retried(acct)
        s.restart(hard=True)
        wait_metric(s, lambda m: m["queue"] >= 1, "the queued mail is back after kill -9")
        collector = self.smtp_up()
        self.delivered(collector, acct)
        # The server mails on as usual after the restart.
        _, code = start_login(self.client(), acct["id"], PASSWORD, email_to=acct["email"])
        self.assertRegex(code, r"^\d{6}$")


class Refuser(Collector):
    """An SMTP server that refuses every recipient for good (550)."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 no such mailbox"


class SmtpGivesUp(SmtpBase):
    """A mail is given up — counted as failed, kept out of the queue, never silently — when the
    SMTP server refuses it for good, or after three days of failed attempts (test clock)."""

    @classmethod
    def setUpClass(cls):
        cls.refuser = Refuser()
        cls.port = free_port()
        cls.controller = start_smtp(cls.refuser, cls.port)
        cls.addClassCleanup(cls.controller.stop)
        cls.down_port = free_port()  # nothing listens there
        cls.server_options = {"extra_args": smtp_args(cls.port) + [
            "--mail.retry-base-ms=100", "--mail.retry-max-s=1"]}
        super().setUpClass()

    def test_permanent_refusal_is_a_failure_not_a_retry(self):
        s = self.srv
        acct = s.create_account()
        before = mail_metrics(s)
        self.request_reset(acct)
        after = wait_metric(s, lambda m: m["failed"] >= before["failed"] + 1, "the refused mail counted as failed")
        self.assertEqual(after["retried"], before["retried"], "a 5xx refusal is not retried")
        self.assertEqual(after["queue"], 0)
        self.assertEqual(after["sent"], before["sent"])
        self.assertEqual(self.refuser.envelopes, [])
        self.assertIn("given up", s.stderr(), "the failure is logged")
        self.assertNotIn(acct["email"], s.stderr(), "the log names the mail, not the address")

    def test_three_days_of_failures_give_up(self):
        s = self.srv
        acct = s.create_account()
        s.terminate()
        s.extra_args = [a.replace(f":{self.port}", f":{self.down_port}") for a in s.extra_args]
        s.start()
        self.addCleanup(setattr, s, "extra_args",
                        [a.replace(f":{self.down_port}", f":{self.port}") for a in s.extra_args])
        before = mail_metrics(s)
        self.request_reset(acct)
        wait_metric(s, lambda m: m["retried"] >= before["retried"] + 1, "retried while the server is down")
        self.assertEqual(mail_metrics(s)["failed"], before["failed"])
        s.set_clock(s.clock_offset + 3 * 86400 + 60)
        after = wait_metric(s, lambda m: m["failed"] >= before["failed"] + 1, "given up after three days")
        self.assertEqual(after["queue"], 0)


class Deferring(Collector):
    """Answers 451 (try again later) to the first message for `defer_to`, then takes everything."""

    def __init__(self):
        super().__init__()
        self.defer_to = None
        self.deferred = 0

    async def handle_DATA(self, server, session, envelope):
        if self.defer_to in envelope.rcpt_tos and not self.deferred:
            self.deferred += 1
            return "451 4.3.0 Try again later"
        return await super().handle_DATA(server, session, envelope)


class SmtpOrder(SmtpBase):
    """One address's mails arrive in the order they were queued, even when the first waits for a
    retry: the newest login code is the last one mailed. And it is not held for the first's whole
    back-off: the first is tried again as soon as the second is queued."""

    @classmethod
    def setUpClass(cls):
        quiet_aiosmtpd()
        cls.port = free_port()
        cls.collector = Deferring()
        cls.controller = start_smtp(cls.collector, cls.port)
        cls.addClassCleanup(cls.controller.stop)
        # The back-off (10 s) is far longer than the test waits for both mails (8 s).
        cls.server_options = {"extra_args": smtp_args(cls.port) + [
            "--mail.retry-base-ms=10000", "--mail.retry-max-s=20"]}
        super().setUpClass()
        cls.srv.mail_sink = cls.collector

    def test_a_later_mail_waits_for_the_retry_of_an_earlier_one_to_the_same_address(self):
        s = self.srv
        acct = s.create_account()
        other = s.create_account()
        self.collector.defer_to = acct["email"]
        before = mail_metrics(s)
        c = CustomerClient(s)
        self.addCleanup(c.close)
        tickets = []
        for _ in range(2):                                   # the second login replaces the first's code
            status, _, body = c.post("/api/login", {"id": acct["id"], "password": PASSWORD})
            self.assertEqual(status, 200, body)
            tickets.append(body["ticket"])
        self.request_reset(other)                            # another address's mail goes too
        wait_metric(s, lambda m: m["sent"] >= before["sent"] + 3 and m["queue"] == 0,
                    "all three delivered before the first one's 10-s back-off ran out", timeout=8)
        self.assertEqual(self.collector.deferred, 1)
        order = [Mail(content) for _, rcpts, content, _ in self.collector.envelopes if acct["email"] in rcpts]
        self.assertEqual(len(order), 2, order)
        self.assertTrue(all(m.subject == SUBJECT_OTP for m in order), order)
        # The code mailed last is the live one: the second ticket's.
        finish_login(c, tickets[1], order[-1].otp)
        self.assertStatus(c.get("/api/me"), 200)


if __name__ == "__main__":
    unittest.main()
