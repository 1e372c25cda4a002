#!/usr/bin/env python3
"""The operator's own mail texts and the registry's branding (issue 17):
[mail] templates names a directory of ID.LANG.txt files that replace the
built-in texts, checked when registryd and regctl start; [registry] name,
support and terms_url sign every mail and stand on every web page, with
[registry] logo served as {base}/logo. Files, not the store: SQLite only."""
import glob
import tempfile
import http.client
import os
import sys
import unittest
from email import message_from_bytes

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon, DaemonError  # noqa: E402
from harness import scratch_root  # noqa: E402

OWN_TEST_MAIL = ("Subject: Punktum test, {time}\n\n"
                 "Our own words: the relay works ({time}).\n")


class MailTemplates(unittest.TestCase):
    def daemon(self, files, **settings):
        d = Daemon(backend="sqlite", name="mailtpl", only="epp",
                   settings={"mail.from": "registry@nic.example", **settings})
        self.addCleanup(d.cleanup)
        tdir = os.path.join(d.dir, "texts")
        os.mkdir(tdir)
        for name, text in files.items():
            with open(os.path.join(tdir, name), "w", encoding="utf-8") as f:
                f.write(text)
        d.config = d.config_with("mail", {"templates": tdir})
        return d

    def sent(self, d, *args):
        d.regctl("--now", "2027-03-01T09:00:00Z", "outbox", "test", "--email",
                 "ops@nic.example", *args)
        d.regctl("--now", "2027-03-01T09:00:01Z", "jobs", "run", "--force", "outbox-deliver")
        [eml] = glob.glob(os.path.join(d.var, "spool", "mail", "*.eml"))
        with open(eml, "rb") as f:
            return message_from_bytes(f.read())

    def test_own_text_and_branded_signature(self):
        d = self.daemon({"outbox-test.email.en.txt": OWN_TEST_MAIL,
                         "README": "what these files are: not a template"},
                        **{"registry.name": "Punktum dk", "registry.support": "help@nic.example",
                           "registry.terms_url": "https://nic.example/terms"})
        d.start()
        self.assertIn("mail-templates", d.stdout() + d.stderr())
        msg = self.sent(d)
        self.assertEqual(msg["Subject"], "Punktum test, 2027-03-01T09:00:00Z")
        self.assertEqual(msg.get_payload(decode=True).decode("utf-8").replace("\r\n", "\n"),
                         "Our own words: the relay works (2027-03-01T09:00:00Z).\n"
                         "\n-- \nPunktum dk\nSupport: help@nic.example\n"
                         "Terms: https://nic.example/terms\n")
        self.assertEqual(d.stop(), 0)

    def test_other_languages_keep_ours(self):
        d = self.daemon({"outbox-test.email.en.txt": OWN_TEST_MAIL},
                        **{"registry.support": "help@nic.example"})
        msg = self.sent(d, "--lang", "da")
        self.assertEqual(msg["Subject"], "Testbesked fra registreringsenheden")
        body = msg.get_payload(decode=True).decode("utf-8").replace("\r\n", "\n")
        self.assertTrue(body.endswith("\n-- \nRegistreringsenheden\nSupport: help@nic.example\n"),
                        body)

    def test_a_wrong_file_stops_the_start(self):
        d = self.daemon({"outbox-test.email.da.txt": "Subject: Test\n\nNo time here.\n"})
        with self.assertRaises(DaemonError) as caught:
            d.start()
        self.assertIn("outbox-test.email.da.txt: uses {} where outbox-test.email needs "
                      "exactly {time}", str(caught.exception))
        r = d.regctl("outbox", "list", check=False)
        self.assertNotEqual(r.returncode, 0)
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn("outbox-test.email.da.txt", lines[0])

    def test_export_is_a_starting_point(self):
        d = self.daemon({})
        out = os.path.join(d.dir, "export")
        r = d.regctl("outbox", "templates", out)
        self.assertRegex(r.stdout, r"^\d+ texts written to ")
        with open(os.path.join(out, "outbox-test.email.nb.txt"), encoding="utf-8") as f:
            self.assertTrue(f.read().startswith("Subject: Testmelding fra registerenheten\n\n"))
        d.config = d.config_with("mail", {"templates": out})
        self.assertEqual(self.sent(d, "--lang", "nb")["Subject"],
                         "Testmelding fra registerenheten")


# the smallest PNG: one transparent pixel
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


class WebBranding(unittest.TestCase):
    def start(self, **settings):
        d = Daemon(backend="sqlite", name="brand", only="http", settings=settings)
        self.addCleanup(d.cleanup)
        d.start()
        self.addCleanup(d.stop)
        return d

    def get(self, d, path, lang=None):
        c = http.client.HTTPConnection(d.http_host, d.http_port, timeout=20)
        try:
            c.request("GET", path, headers={"Accept-Language": lang} if lang else {})
            r = c.getresponse()
            return r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read()
        finally:
            c.close()

    def test_name_logo_support_and_terms_on_every_site(self):
        logo = os.path.join(tempfile.mkdtemp(prefix="brand-", dir=scratch_root()), "logo.png")
        with open(logo, "wb") as f:
            f.write(PNG)
        d = self.start(**{"registry.name": "Punktum dk", "registry.support": "help@nic.example",
                          "registry.terms_url": "https://nic.example/terms",
                          "registry.logo": logo})
        status, headers, body = self.get(d, "/logo")
        self.assertEqual((status, headers["content-type"], body), (200, "image/png", PNG))
        self.assertNotEqual(headers.get("cache-control"), "no-store")
        self.assertEqual(self.get(d, "/logos")[0], 404)
        self.assertEqual(self.get(d, "/logo/x")[0], 404)
        footer = ('<footer class="%s" id="registry-footer">Punktum dk \u00b7 %s: help@nic.example'
                  ' \u00b7 <a href="https://nic.example/terms">%s</a></footer>')
        boot = "container border-top mt-5 py-3 small text-muted"
        for path, lang, cls, support, terms in (
                ("/self-service/login", "et", boot, "Kasutajatugi", "Tingimused"),
                ("/self-service/login", "nb", boot, "Brukerst\u00f8tte", "Vilk\u00e5r"),
                ("/portal/login", "da", boot, "Support", "Vilk\u00e5r"),
                ("/confirm/" + "A" * 43, "en", "note", "Support", "Terms")):
            status, _, body = self.get(d, path, lang)
            page = body.decode("utf-8")
            self.assertIn(status, (200, 404), path)
            self.assertIn('<img src="/logo" alt="Punktum dk"', page, path)
            self.assertIn(footer % (cls, support, terms), page, (path, lang))
        status, _, body = self.get(d, "/portal/login", "da")
        self.assertRegex(body.decode("utf-8"),
                         r'class="navbar-brand" href="/portal/"><img [^>]*>Punktum dk \u00b7 ')

    def test_nothing_configured_nothing_shown(self):
        d = self.start()
        self.assertEqual(self.get(d, "/logo")[0], 404)
        for path in ("/self-service/login", "/portal/login", "/confirm/" + "A" * 43):
            page = self.get(d, path)[2].decode("utf-8")
            self.assertNotIn("<img", page, path)
            self.assertNotIn("<footer", page, path)

    def test_logo_must_be_an_image_file(self):
        d = Daemon(backend="sqlite", name="brand", only="http")
        self.addCleanup(d.cleanup)
        d.config = d.config_with("registry", {"logo": "/srv/logo.gif"})
        with self.assertRaises(DaemonError) as caught:
            d.start()
        self.assertIn("a .png, .svg, .jpg or .webp file", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
