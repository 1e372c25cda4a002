#!/usr/bin/env python3
"""The operator's own mail texts and the registry's branding (issue 17):
[mail] templates names a directory of ID.LANG.txt files that replace the
built-in texts, checked when registryd and regctl start; [registry] name,
support and terms_url sign every mail. Files, not the store: SQLite only."""
import glob
import os
import sys
import unittest
from email import message_from_bytes

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon, DaemonError  # noqa: E402

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


if __name__ == "__main__":
    unittest.main()
