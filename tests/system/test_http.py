#!/usr/bin/env python3
"""The HTTP listener (DESIGN §1; issue 6 item 7): `registryd --only epp,http`
serves [http] listen with evhttp on its own thread; the router answers
what no page handles with small HTML pages (404, 405 with Allow, 413) that
carry the same security headers as every page; limits on body and header
size and an idle timeout. The confirmation pages themselves (R7) are in
test_confirm.py. Runs on SQLite and PostgreSQL."""
import http.client
import os
import socket
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon  # noqa: E402

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                               "img-src 'self'; form-action 'self'; frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Type": "text/html; charset=utf-8",
}
MAX_BODY = 2048


class HttpListener:
    backend = None

    @classmethod
    def setUpClass(cls):
        cls.d = Daemon(backend=cls.backend, name="http", only="epp,http",
                       settings={"http.max_body": MAX_BODY, "http.timeout": "2s"})
        try:
            cls.d.add_registrar("WEBR", "web-pass1")
            cls.d.start()
        except Exception:
            cls.d.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        rc = cls.d.stop()
        cls.d.cleanup()
        if rc != 0:
            raise AssertionError(f"registryd exited with {rc}")

    def request(self, method, path, body=None, headers=None):
        c = http.client.HTTPConnection(self.d.http_host, self.d.http_port, timeout=10)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, {k: v for k, v in r.getheaders()}, r.read().decode("utf-8")
        finally:
            c.close()

    def assertPage(self, status, headers, body, want_status, heading):
        self.assertEqual(status, want_status, body)
        for name, value in SECURITY_HEADERS.items():
            self.assertEqual(headers.get(name), value, name)
        self.assertTrue(body.startswith("<!DOCTYPE html>\n<html lang=\"en\">"), body)
        self.assertIn('<meta name="viewport" content="width=device-width, initial-scale=1">',
                      body)
        self.assertIn("<h1>%s</h1>" % heading, body)
        self.assertNotIn("<script", body)

    # --- the listener ------------------------------------------------------

    def test_listens_on_the_bound_port(self):
        self.assertRegex(self.d.stdout(), r"(?m)^http: listening on 127\.0\.0\.1:%d$"
                         % self.d.http_port)
        self.assertNotEqual(self.d.http_port, 0)

    def test_epp_only_serves_no_http(self):
        with Daemon(backend=self.backend, name="http-off", only="epp") as d:
            d.start()
            self.assertNotRegex(d.stdout(), r"(?m)^http:")
            self.assertIsNone(d.http_port)

    # --- the router's own pages -----------------------------------------------

    def test_unknown_path_404(self):
        # /rdap/… is RDAP's (its 404s are RDAP JSON: test_rdap.py); a path
        # that only starts with "/rdap" is not
        for path in ("/", "/nothing", "/confirm", "/confirmX/abc", "/rdapx/domain/x.dk"):
            status, headers, body = self.request("GET", path)
            self.assertPage(status, headers, body, 404, "Page not found")

    def test_head_has_no_body(self):
        status, headers, body = self.request("HEAD", "/nothing")
        self.assertEqual((status, body), (404, ""))
        self.assertEqual(headers.get("Referrer-Policy"), "same-origin")

    def test_only_get_post_head_405(self):
        for method in ("PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"):
            for path in ("/", "/confirm/abc"):
                status, headers, body = self.request(method, path, body="x")
                self.assertPage(status, headers, body, 405, "Method not allowed")
                self.assertEqual(headers.get("Allow"), "GET, HEAD, POST", (method, path))

    def test_body_over_max_body_413(self):
        status, headers, body = self.request(
            "POST", "/confirm/abc", body="a" * (MAX_BODY + 1),
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertPage(status, headers, body, 413, "Request too large")
        # far over the limit libevent refuses it before reading it
        status, _, _ = self.request("POST", "/confirm/abc", body="a" * (MAX_BODY * 4 + 1))
        self.assertEqual(status, 413)
        # and the server goes on serving
        self.assertEqual(self.request("GET", "/nothing")[0], 404)

    def test_oversized_headers_refused(self):
        status, _, _ = self.request("GET", "/nothing", headers={"X-Big": "a" * 20000})
        self.assertEqual(status, 400)
        self.assertEqual(self.request("GET", "/nothing")[0], 404)

    def test_idle_connection_closed_after_timeout(self):
        s = socket.create_connection((self.d.http_host, self.d.http_port))
        try:
            s.settimeout(20)
            s.sendall(b"GET /nothing HTTP/1.1\r\nHost: x\r\n")  # never finished
            # closed by the server ([http] timeout = 2s), long before our 20 s
            self.assertEqual(s.recv(1024), b"")
        finally:
            s.close()


class SqliteHttp(HttpListener, unittest.TestCase):
    backend = "sqlite"


class PgsqlHttp(HttpListener, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
