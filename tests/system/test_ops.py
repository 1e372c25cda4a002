#!/usr/bin/env python3
"""Operations (issue 13 items 7 and 9): secrets are never printed and may
live in files of their own; a setting given twice is an error with its
file and line; `regctl config check` loads the certificate, key and CA
files; `regctl credit add` takes one form of amount.

Run through ctest (REGCTL, REGISTRYD, REG_TEST_PG_URL_FILE). Standard
library only; certificates are made with the openssl command.
"""

import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from daemon import Daemon  # noqa: E402

SECRET = "Sekr3t-PW-4711"


class OpsCases(harness.RegctlChecks):
    """Mixed into one TestCase per backend below (setUp, ok and fails come
    from harness.RegctlChecks)."""

    def fails(self, *args, **kw):
        r = super().fails(*args, **kw)
        self.assertIn(r.rc, (1, 2), r)
        return r

    def secret_file(self, name, text, mode=0o600):
        path = self.env.write_file(name, text)
        os.chmod(path, mode)
        return path

    def registryd_fails(self, config):
        """registryd --config config exits non-zero at once; its stderr."""
        r = subprocess.run([harness.binary("registryd"), "--config", config], cwd=self.env.dir,
                           capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        self.assertNotEqual(r.returncode, 0, r)
        self.assertEqual(len(r.stderr.splitlines()), 1, r)
        return r

    # --- item 9: a setting twice ---------------------------------------------

    def test_a_setting_given_twice_names_file_and_line(self):
        conf = self.env.write_config("twice.conf", extra=(
            "[epp]\nlisten = 127.0.0.1:7001\nworkers = 2\n"
            "[http]\nlisten = 127.0.0.1:8081\n"
            "[epp]\n# again\nlisten = 127.0.0.1:7002\n"))
        want = f"{conf}:15: epp.listen is set twice (first on line 9)"
        r = self.fails("config", "check", config=conf)
        self.assertIn(want, r.err)
        self.assertIn(want, self.registryd_fails(conf).stderr)
        # a section may come back, with other settings
        conf = self.env.write_config("again.conf", extra=(
            "[epp]\nlisten = 127.0.0.1:7001\n[http]\nlisten = 127.0.0.1:8081\n"
            "[epp]\nworkers = 2\n"))
        self.ok("config", "check", config=conf)

    # --- item 9: config check loads the files -----------------------------

    def openssl(self, *args):
        r = subprocess.run(["openssl", *args], cwd=self.env.dir, capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r)

    def test_config_check_loads_certificate_key_and_ca_files(self):
        self.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                     "-nodes", "-subj", "/CN=epp.example", "-days", "2", "-keyout", "key.pem",
                     "-out", "cert.pem")
        self.openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                     "-out", "other-key.pem")
        self.env.write_file("garbage.pem", "-----BEGIN CERTIFICATE-----\nnot base64\n")
        cert, key = self.env.path("cert.pem"), self.env.path("key.pem")
        cases = [
            ("good", f"[epp]\ncert = {cert}\nkey = {key}\n", None),
            ("good-ca", f"[mail]\nca = {cert}\n[sms]\nca = {cert}\n", None),
            ("no-cert", f"[epp]\ncert = {self.env.path('nothere.pem')}\nkey = {key}\n",
             "cannot read certificate"),
            ("bad-cert", f"[epp]\ncert = {self.env.path('garbage.pem')}\nkey = {key}\n",
             "cannot load certificate"),
            ("no-key", f"[epp]\ncert = {cert}\nkey = {self.env.path('nokey.pem')}\n",
             "cannot read private key"),
            ("wrong-key", f"[epp]\ncert = {cert}\nkey = {self.env.path('other-key.pem')}\n",
             "cannot load private key"),
            ("key-only", f"[epp]\nkey = {key}\n", "epp.key is set without epp.cert"),
            ("no-mail-ca", f"[mail]\nca = {self.env.path('nothere.pem')}\n", "mail.ca"),
            ("bad-sms-ca", f"[sms]\nca = {self.env.path('garbage.pem')}\n", "sms.ca"),
        ]
        for name, extra, error in cases:
            with self.subTest(name):
                # write_config puts [mail] spool first: keep one [mail] ca per file
                conf = self.env.write_config(f"{name}.conf", extra=extra)
                if error is None:
                    r = self.ok("config", "check", config=conf)
                    self.assertEqual(r.out, f"{conf}: ok\n")
                else:
                    r = self.fails("config", "check", config=conf)
                    self.assertEqual(r.rc, 1, r)
                    self.assertIn(error, r.err)

    # --- item 9: credit add amounts ---------------------------------------

    def test_credit_add_takes_major_units_with_two_decimals(self):
        self.ok("init")
        self.ok("registrar", "add", "PAYER", "--name", "Payer", "--password", "payer-pw")
        r = self.ok("credit", "add", "--help")
        self.assertIn("1000.00", r.out)
        self.assertIn("example: regctl credit add REG1 1000.00 --text", r.out)
        r = self.ok("credit", "add", "PAYER", "1000.00", "--text", "bank transfer")
        self.assertIn("credit of 100000 (1000.00 DKK) posted to PAYER", r.out)
        self.ok("credit", "add", "PAYER", "0.50", "--text", "coins")
        for amount in ("1000", "1000.5", "1000.000", "10,00", "1e3", ".50"):
            with self.subTest(amount=amount):
                r = self.fails("credit", "add", "PAYER", amount, "--text", "x")
                self.assertEqual(r.rc, 2, r)
                self.assertIn(f'AMOUNT "{amount}" must have two decimals, as 1000.00 is a '
                              f'thousand', r.err)
        r = self.ok("balance", "PAYER")
        self.assertIn("100050", r.out)


class OpsSqlite(OpsCases, unittest.TestCase):
    backend = "sqlite"

    def test_every_command_help_has_an_example_and_no_rule_ids(self):
        r = self.ok("--help", config=False)
        groups = re.findall(r"^  (\S+)\s{2,}\S", r.out.split("Groups:", 1)[1], re.M)
        self.assertGreater(len(groups), 10)
        seen = 0
        for g in groups:
            usage = self.ok(g, "--help", config=False).out
            cmds = re.findall(rf"^\s+regctl {re.escape(g)} ([a-z][\w-]*)", usage, re.M)
            for args in [(g, c) for c in cmds] or [(g,)]:
                with self.subTest(" ".join(args)):
                    out = self.ok(*args, "--help", config=False).out
                    m = re.search(r"\nexample: (regctl .*)\n$", out)
                    self.assertIsNotNone(m, out)
                    self.assertIn(" " + " ".join(args) + " ", m.group(1).replace(
                        "regctl --config /etc/registryd/registryd.conf", "regctl") + " ")
                    self.assertNotRegex(out, r"\bR\d+\b")
                    seen += 1
        self.assertGreater(seen, 50)

    def test_a_busy_listen_address_is_one_line_naming_it(self):
        """Every listener (EPP, HTTP, WHOIS) binds through one function:
        a port another process holds stops registryd with one line that
        names the address and why (after the store's and before the
        daemon's log lines)."""
        import socket
        self.ok("init")
        for section in ("epp", "http", "whois"):
            with self.subTest(section), socket.socket() as busy:
                busy.bind(("127.0.0.1", 0))
                busy.listen(1)
                port = busy.getsockname()[1]
                listens = {s: "127.0.0.1:0" for s in ("epp", "http", "whois")}
                listens[section] = f"127.0.0.1:{port}"
                conf = self.env.write_config(f"busy-{section}.conf", extra="".join(
                    f"[{s}]\nlisten = {a}\n" for s, a in listens.items()))
                r = subprocess.run([harness.binary("registryd"), "--config", conf],
                                   cwd=self.env.dir, capture_output=True, text=True, timeout=60,
                                   stdin=subprocess.DEVNULL)
                self.assertNotEqual(r.returncode, 0, r)
                self.assertIn(f"registryd: {section}: cannot listen on 127.0.0.1:{port}: "
                              "Address already in use\n", r.stderr)

    def test_password_file_is_for_postgresql(self):
        pw = self.secret_file("db-password", SECRET + "\n")
        conf = self.env.write_config("pw.conf", extra=f"[database]\npassword_file = {pw}\n")
        r = self.fails("config", "check", config=conf)
        self.assertIn("database.password_file: only for a postgresql:// url", r.err)


class OpsPgsql(OpsCases, unittest.TestCase):
    backend = "pgsql"

    def url_with(self, password, how="userinfo"):
        """The suite's URL with a password: the server trusts every
        connection, so any password works and only its printing is
        tested here."""
        assert self.env.url.startswith("postgresql://postgres@")
        if how == "userinfo":
            return self.env.url.replace("postgres@", f"postgres:{password}@", 1)
        return self.env.url + f"?connect_timeout=10&password={password}"

    def assertNoSecret(self, *texts):
        for t in texts:
            self.assertNotIn(SECRET, t)

    def test_database_password_is_never_printed(self):
        for how in ("userinfo", "query"):
            with self.subTest(how):
                url = self.url_with(SECRET, how)
                conf = self.env.write_config(f"{how}.conf", url=url)
                r = self.ok("init", "--demo", config=conf)
                self.assertNoSecret(r.out, r.err)
                self.assertRegex(r.out, r"^database postgresql://postgres(:\*\*\*)?@127\.0\.0\.1:"
                                 r"\d+/\S+ ready")
                self.assertIn("***", r.out)
                r = self.ok("config", "show", config=conf)
                self.assertNoSecret(r.out, r.err)
                self.assertIn("***", re.search(r"(?m)^url = (.*)$", r.out).group(1))
                for args in (("config", "check"), ("db", "version"), ("registrar", "list")):
                    r = self.ok(*args, config=conf)
                    self.assertNoSecret(r.out, r.err)
                # an unreachable server: the error does not show it either
                bad = self.env.write_config(f"{how}-bad.conf", url=re.sub(
                    r"127\.0\.0\.1:\d+", "127.0.0.1:1", url))
                r = self.fails("registrar", "list", config=bad)
                self.assertNoSecret(r.err)
                self.assertNoSecret(self.registryd_fails(bad).stderr)
        # the daemon's banner and its log, at the most talkative level
        d = Daemon(backend="pgsql", name="secret", only="epp,http,jobs", log_level="debug",
                   settings={"database.url": self.url_with(SECRET)})
        self.addCleanup(d.cleanup)
        d.start()
        d.stop()
        self.assertIn("database postgresql://postgres:***@127.0.0.1:", d.stdout())
        self.assertNoSecret(d.stdout(), d.stderr())

    def test_password_file(self):
        pw = self.secret_file("db-password", SECRET + "\n")
        conf = self.env.write_config("pwfile.conf", extra=f"[database]\npassword_file = {pw}\n")
        r = self.ok("init", config=conf)
        self.assertNoSecret(r.out, r.err)
        r = self.ok("config", "show", config=conf)
        self.assertNoSecret(r.out)
        self.assertIn(f"password_file = {pw}\n", r.out)
        self.assertRegex(r.out, r"(?m)^url = postgresql://postgres@\S+password=\*\*\*$")
        d = Daemon(backend="pgsql", name="pwfile", settings={"database.password_file": pw})
        self.addCleanup(d.cleanup)
        d.start()
        self.assertEqual(d.stop(), 0)
        self.assertNoSecret(d.stdout(), d.stderr())

        # refused: readable by others, missing, empty, and two places at once
        loose = self.secret_file("loose", SECRET + "\n", 0o644)
        empty = self.secret_file("empty", "\n")
        for name, extra, url, error in [
            ("loose", f"[database]\npassword_file = {loose}\n", None,
             f"{loose} may be read or changed by others (mode 0644)"),
            ("missing", f"[database]\npassword_file = {pw}.gone\n", None, "cannot open"),
            ("empty", f"[database]\npassword_file = {empty}\n", None, "is empty"),
            ("both", f"[database]\npassword_file = {pw}\n", self.url_with("inline"),
             "the url already holds a password"),
        ]:
            with self.subTest(name):
                conf = self.env.write_config(f"{name}.conf", extra=extra, url=url)
                r = self.fails("config", "check", config=conf)
                self.assertIn("database.password_file: ", r.err)
                self.assertIn(error, r.err)
                self.assertNoSecret(r.err)
                self.assertIn(error, self.registryd_fails(conf).stderr)

    def test_mail_password_and_sms_token_files(self):
        mail = self.secret_file("mail-password", SECRET + "\n")
        sms = self.secret_file("sms-token", "tok-" + SECRET + "\n")
        conf = self.env.write_config("mail.conf", extra=(
            f"user = relay-user\npassword_file = {mail}\n"  # [mail] is open
            f"[sms]\ntoken_file = {sms}\n"))
        r = self.ok("config", "show", config=conf)
        self.assertNoSecret(r.out)
        self.assertIn("# password = (set; not shown)\n", r.out)
        self.assertIn("# token = (set; not shown)\n", r.out)
        self.assertIn(f"password_file = {mail}\n", r.out)
        both = self.env.write_config("both.conf", extra=(
            f"password = inline\npassword_file = {mail}\n"))
        r = self.fails("config", "check", config=both)
        self.assertIn("mail.password_file and mail.password are both set", r.err)
        # a token the gateway could not take: refused without showing it
        bad = self.secret_file("bad-token", "has space " + SECRET + "\n")
        conf = self.env.write_config("badtok.conf", extra=f"[sms]\ntoken_file = {bad}\n")
        r = self.fails("config", "check", config=conf)
        self.assertIn("sms.token", r.err)
        self.assertNoSecret(r.err)


if __name__ == "__main__":
    unittest.main()
