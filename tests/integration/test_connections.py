"""SPEC §18 connections against the real binary: at most 64 open connections per client address
on each listener (--http.max-connections-per-address raises or lowers it), closed at accept and
counted; and on the customer listener a request, head and body, must arrive whole within the idle
timeout of its first byte however slowly it trickles (the admin listener gives an ingest body its
own, longer time)."""

import socket
import ssl
import time
import unittest

from cxs_harness import CustomerTestCase, metric_sum, parse_metrics

IDLE = 2  # --http.idle-timeout of the trickle tests, seconds


def open_tls(srv, addr) -> ssl.SSLSocket | None:
    """A TLS connection to addr with its handshake done, or None when the server closed it."""
    ctx = ssl.create_default_context(cafile=str(srv.cafile))
    raw = socket.create_connection(addr, timeout=10)
    try:
        tls = ctx.wrap_socket(raw, server_hostname=addr[0])
        return tls
    except (ssl.SSLError, OSError):
        raw.close()
        return None


def answers(tls: ssl.SSLSocket, request: bytes) -> bytes:
    tls.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = tls.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


class PerAddressLimit(CustomerTestCase):

    def connections(self, listener: str) -> tuple[float, float]:
        samples, _ = parse_metrics(self.srv.metrics())
        return (metric_sum(samples, "cxs_http_connections", listener=listener),
                metric_sum(samples, "cxs_http_connections_refused_total", listener=listener))

    def settle(self, listener: str, expected: int):
        """Waits until the server has seen earlier connections close."""
        deadline = time.monotonic() + 5
        while self.connections(listener)[0] > expected and time.monotonic() < deadline:
            time.sleep(0.05)

    def fill(self, addr, listener: str, limit: int) -> list[ssl.SSLSocket]:
        """Opens connections from this address until it holds `limit` on the listener."""
        held, _ = self.connections(listener)
        opened = []
        for i in range(limit - int(held)):
            tls = open_tls(self.srv, addr)
            self.assertIsNotNone(tls, f"connection {int(held) + i + 1} of {limit} refused")
            opened.append(tls)
        return opened

    def test_the_65th_customer_connection_is_closed_at_accept(self):
        s = self.srv
        self.settle("customer", 0)
        _, refused_before = self.connections("customer")
        opened = self.fill(s.customer_addr, "customer", 64)
        try:
            self.assertIsNone(open_tls(s, s.customer_addr), "the 65th connection of one address")
            self.assertEqual(self.connections("customer"), (64, refused_before + 1))
            # The ones held still work.
            self.assertTrue(answers(opened[0], b"GET /api/me HTTP/1.1\r\nHost: x\r\n\r\n")
                            .startswith(b"HTTP/1.1 401"))
        finally:
            for tls in opened:
                tls.close()
        self.settle("customer", 0)                   # closing gives the slots back
        again = open_tls(s, s.customer_addr)
        self.assertIsNotNone(again, "after the others closed")
        again.close()

    def test_the_admin_listener_has_its_own_count(self):
        s = self.srv
        self.settle("admin", 1)                      # the harness's own keep-alive connection
        opened = self.fill(s.admin_addr, "admin", 64)
        try:
            self.assertIsNone(open_tls(s, s.admin_addr), "the 65th admin connection")
            customer = open_tls(s, s.customer_addr)
            self.assertIsNotNone(customer, "the customer listener counts apart")
            customer.close()
        finally:
            for tls in opened:
                tls.close()


class LoweredLimit(CustomerTestCase):
    server_options = {"extra_args": ["--http.max-connections-per-address=3"]}

    def test_the_flag_sets_the_limit(self):
        s = self.srv
        opened = [open_tls(s, s.customer_addr) for _ in range(3)]
        try:
            self.assertTrue(all(opened), "three are allowed")
            self.assertIsNone(open_tls(s, s.customer_addr), "the fourth is not")
        finally:
            for tls in opened:
                if tls:
                    tls.close()


class TrickledRequests(CustomerTestCase):
    server_options = {"extra_args": [f"--http.idle-timeout={IDLE}"]}

    def trickle(self, addr, head: bytes, body: bytes = b"", every: float = 0.2,
                limit: float = 4 * IDLE) -> tuple[float, bytes]:
        """Sends the head at once when a body is given (else the head trickles), then the rest a
        byte every `every` seconds; answers (seconds from the first byte until the server
        answered or closed, what it sent)."""
        tls = open_tls(self.srv, addr)
        self.assertIsNotNone(tls)
        tls.settimeout(every)
        started = time.monotonic()
        got = b""
        if body:
            tls.sendall(head)
        slow = body or head
        try:
            for byte in slow:
                if time.monotonic() - started > limit:
                    break
                try:
                    tls.sendall(bytes([byte]))
                except (ssl.SSLError, OSError):
                    break
                try:
                    chunk = tls.recv(4096)
                    if not chunk:
                        break
                    got += chunk
                except (socket.timeout, TimeoutError):
                    continue
                except (ssl.SSLError, OSError):
                    break
            else:
                tls.settimeout(limit)
                try:
                    got += tls.recv(4096)
                except (socket.timeout, TimeoutError, ssl.SSLError, OSError):
                    pass
            return time.monotonic() - started, got
        finally:
            tls.close()

    def test_a_trickled_head_is_cut_off_at_the_idle_timeout(self):
        head = b"GET /api/me HTTP/1.1\r\nHost: x\r\n" + b"X-Pad: " + b"a" * 200 + b"\r\n\r\n"
        took, got = self.trickle(self.srv.customer_addr, head)
        self.assertEqual(got, b"", "no answer to a request that never arrived whole")
        self.assertGreater(took, IDLE - 0.5)
        self.assertLess(took, IDLE + 1.5, "closed about the idle timeout after the first byte")

    def test_a_trickled_body_is_cut_off_too(self):
        body = b'{"id":"Abcdefghij","password":"' + b"x" * 100 + b'"}'
        head = (b"POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
        tls = open_tls(self.srv, self.srv.customer_addr)
        self.assertIsNotNone(tls)
        try:
            started = time.monotonic()
            tls.sendall(head)                        # the head at once, then the body trickles
            tls.settimeout(0.2)
            closed_at = None
            for byte in body:
                try:
                    tls.sendall(bytes([byte]))
                    chunk = tls.recv(4096)
                    if not chunk:
                        closed_at = time.monotonic()
                        break
                except (socket.timeout, TimeoutError):
                    continue
                except (ssl.SSLError, OSError):
                    closed_at = time.monotonic()
                    break
            self.assertIsNotNone(closed_at, "the server kept reading a body trickled for "
                                            f"{time.monotonic() - started:.1f} s")
            self.assertLess(closed_at - started, IDLE + 1.5)
        finally:
            tls.close()

    def test_a_prompt_request_after_an_idle_pause_is_answered(self):
        # The deadline starts at the first byte, not at the connection: a keep-alive connection
        # idle for most of the timeout still takes a whole request.
        tls = open_tls(self.srv, self.srv.customer_addr)
        self.assertIsNotNone(tls)
        try:
            time.sleep(IDLE - 0.7)
            self.assertTrue(answers(tls, b"GET /api/me HTTP/1.1\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.1 401"))
            time.sleep(IDLE - 0.7)
            self.assertTrue(answers(tls, b"GET /api/me HTTP/1.1\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.1 401"))
        finally:
            tls.close()

    def test_the_admin_listener_lets_an_ingest_body_take_longer(self):
        s = self.srv
        body = b"".join(b"\n" for _ in range(16))
        head = (b"POST /admin/ingest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + s.token.encode() +
                b"\r\nContent-Type: text/csv\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n")
        took, got = self.trickle(s.admin_addr, head, body, every=0.2, limit=20)
        self.assertGreater(took, IDLE + 0.5, "the body took longer than the idle timeout")
        self.assertRegex(got[:12], rb"HTTP/1.1 (200|400|422)", got[:300])


if __name__ == "__main__":
    unittest.main()
