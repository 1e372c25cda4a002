"""System tests of the pepper (issue 12 item 7): auth info and one-time
passwords are hashed with HMAC-SHA-256 under keys kept outside the database
([security] pepper_file, by default [paths] var/pepper, made by regctl init).

- regctl init makes var/pepper, mode 0600, one key; the hashes in the
  database name that key and a database copy alone cannot test a guess;
  a domain created then transferred with its auth info works end to end,
  and one stored before the pepper (salted SHA-256) still works and is
  stored under the pepper after its first use.
- registryd and regctl refuse to start, with one line saying why, on a
  pepper file others may read, a configured one that is missing, a default
  one gone while the database holds keyed hashes (it is not made anew),
  and one without the key of the newest stored hash; a rotated file (new
  key first, old one kept) works and moves a hash to the new key on use.

Each test runs on SQLite (SqlitePepperTest) and PostgreSQL (PgsqlPepperTest).
"""

import hashlib
import hmac
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from daemon import Daemon, DaemonError  # noqa: E402
from eppclient import EPPClient, with_terms  # noqa: E402
from harness import q, sql  # noqa: E402
from test_epp_contact import c_create, c_info  # noqa: E402
from test_epp_domain import create_xml, info_xml, transfer_xml  # noqa: E402

A, B, C = "REG-A", "REG-B", "REG-C"
REGISTRARS = {A: "a-Secret-1", B: "b-Secret-1", C: "c-Secret-1"}
HOLDER = "REG-A:HOLDER"
DOMAIN_PW = "Dpw-pepper-1"
CONTACT_PW = "Cpw-pepper-1"
OTHER_KEY = "5f" * 32


def key_id(hex_key):
    """The key id registryd derives from a pepper key (contrib/secret.c)."""
    return hmac.new(bytes.fromhex(hex_key), b"registryd pepper key id",
                    hashlib.sha256).hexdigest()[:8]


def offline_guess_matches(stored, guess):
    """What a copy of the database alone lets anyone test: SHA-256 of the
    stored salt, "$" and a guess against the stored digest."""
    salt, digest = stored.split("$")[-2:]
    return hashlib.sha256(("%s$%s" % (salt, guess)).encode()).hexdigest() == digest


class PepperBase:
    backend = None

    def setUp(self):
        self.d = Daemon(self.backend, name="pepper")
        self.addCleanup(self.d.cleanup)
        for handle, pw in REGISTRARS.items():
            self.d.add_registrar(handle, pw)
        self.pepper = os.path.join(self.d.var, "pepper")
        self.sessions = []

    def tearDown(self):
        for c in self.sessions:
            c.close()

    def client(self, clid):
        c = EPPClient(self.d.host, self.d.port)
        self.sessions.append(c)
        r = c.login(clid, REGISTRARS[clid])
        self.assertEqual(r.code, 1000, r.raw)
        return c

    def ok(self, c, inner, ext=""):
        r = c.command(inner, extension=ext)
        self.assertEqual(r.code, 1000, r.raw)
        return r

    def keys(self):
        with open(self.pepper) as f:
            return [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]

    def write_pepper(self, *keys, mode=0o600):
        with open(self.pepper, "w") as f:
            f.write("\n".join(keys) + "\n")
        os.chmod(self.pepper, mode)

    def stored(self, table, key):
        column = "name" if table == "domain" else "handle"
        (h,), = sql(self.d, "SELECT authinfo_hash FROM %s WHERE %s = %s" % (table, column, q(key)))
        return h

    def assertRefused(self, *words):
        """registryd exits 1 before it is ready, saying why in one line, and
        so does regctl (which loads the same pepper)."""
        with self.assertRaises(DaemonError):
            self.d.start()
        self.assertEqual(self.d.exit_code, 1)
        lines = self.d.stderr().strip().splitlines()
        self.assertEqual(len([ln for ln in lines if ln.startswith("registryd:")]), 1, lines)
        for w in words:
            self.assertIn(w, lines[-1])
        r = self.d.regctl("registrar", "list", check=False)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        for w in words:
            self.assertIn(w, r.stderr)

    def status(self):
        """regctl pepper status: {key: (role, contact hashes)}."""
        out = self.d.regctl("pepper", "status").stdout.splitlines()
        self.assertEqual(out[0], "pepper file %s: %d key%s" % (
            self.pepper, len(self.keys()), "" if len(self.keys()) == 1 else "s"))
        rows = {}
        for line in out[2:]:
            m = re.match(r"^(\S+)\s+(.+?)\s+(\d+)\s+(\d+)\s+(\d+)$", line)
            self.assertTrue(m, line)
            rows[m.group(1)] = (m.group(2), int(m.group(4)))
        return rows

    def test_status_counts_hashes_per_key(self):
        self.d.start()
        a = self.client(A)
        self.ok(a, c_create(HOLDER, pw=CONTACT_PW))
        self.ok(a, create_xml("counted.dk", HOLDER, pw=DOMAIN_PW), with_terms())
        # (the newest hash of each kind must stay on a known key, or regctl
        # refuses to start: the wrong pepper file)
        self.ok(a, c_create("REG-A:NEWER", pw=CONTACT_PW))
        sql(self.d, "UPDATE domain SET authinfo_hash = 's256$%s$%s' WHERE name = 'counted.dk'"
            % ("0" * 16, "0" * 64))
        sql(self.d, "UPDATE contact SET authinfo_hash = 'h256$0badc0de$%s$%s' WHERE handle = %s"
            % ("0" * 16, "0" * 64, q(HOLDER)))
        out = self.d.regctl("pepper", "status").stdout
        kid = key_id(self.keys()[0])
        self.assertRegex(out, r"(?m)^%s +current +0 +1 +0$" % kid)
        self.assertRegex(out, r"(?m)^s256 +before the pepper +1 +0 +0$")
        self.assertRegex(out, r"(?m)^0badc0de +not in the file: never verifies +0 +1 +0$")

    # --- the default pepper, and auth info end to end --------------------------

    def test_init_makes_a_private_pepper_and_auth_info_works_end_to_end(self):
        st = os.stat(self.pepper)
        self.assertEqual(st.st_mode & 0o777, 0o600)
        keys = self.keys()
        self.assertEqual(len(keys), 1)
        self.assertRegex(keys[0], r"^[0-9a-f]{64}$")
        kid = key_id(keys[0])
        self.d.start()
        a, b, c = self.client(A), self.client(B), self.client(C)
        self.ok(a, c_create(HOLDER, pw=CONTACT_PW))
        self.ok(a, create_xml("peppered.dk", HOLDER, pw=DOMAIN_PW), with_terms())

        stored = self.stored("domain", "peppered.dk")
        self.assertTrue(stored.startswith("h256$%s$" % kid), stored)
        self.assertFalse(offline_guess_matches(stored, DOMAIN_PW))
        self.assertTrue(self.stored("contact", HOLDER).startswith("h256$%s$" % kid))

        self.assertEqual(b.command(info_xml("peppered.dk", pw="Wrong-pw-1")).code, 2202)
        self.ok(b, info_xml("peppered.dk", pw=DOMAIN_PW))
        self.assertEqual(b.command(transfer_xml("request", "peppered.dk", pw="Wrong-pw-1")).code,
                         2202)
        r = self.ok(b, transfer_xml("request", "peppered.dk", pw=DOMAIN_PW))
        self.assertIn("serverApproved", r.raw)
        r = self.ok(b, info_xml("peppered.dk"))
        self.assertIn("<domain:clID>%s</domain:clID>" % B, r.raw)

        # a hash stored before the pepper still works, and is keyed after its use
        self.ok(a, create_xml("legacy.dk", HOLDER, pw=DOMAIN_PW), with_terms())
        salt = "0123456789abcdef"
        old = "s256$%s$%s" % (salt, hashlib.sha256(("%s$%s" % (salt, DOMAIN_PW)).encode())
                              .hexdigest())
        sql(self.d, "UPDATE domain SET authinfo_hash = %s WHERE name = 'legacy.dk'" % q(old))
        self.assertTrue(offline_guess_matches(old, DOMAIN_PW))  # the weakness
        self.ok(c, info_xml("legacy.dk", pw=DOMAIN_PW))
        stored = self.stored("domain", "legacy.dk")
        self.assertTrue(stored.startswith("h256$%s$" % kid), stored)
        self.assertFalse(offline_guess_matches(stored, DOMAIN_PW))
        self.ok(c, transfer_xml("request", "legacy.dk", pw=DOMAIN_PW))

    # --- refusals -----------------------------------------------------------------

    def test_refuses_a_pepper_others_may_read(self):
        os.chmod(self.pepper, 0o644)
        self.assertRefused(self.pepper, "(mode 0644)", "chmod 600")
        os.chmod(self.pepper, 0o640)  # a group shared by registryd and regctl
        self.d.start()

    def test_refuses_a_missing_or_wrong_pepper_and_takes_a_rotated_one(self):
        old_key, = self.keys()
        old_id, new_key = key_id(old_key), OTHER_KEY
        self.d.start()
        self.ok(self.client(A), c_create(HOLDER, pw=CONTACT_PW))
        self.d.stop()

        # a configured file that is not there
        missing = os.path.join(self.d.dir, "no-such-pepper")
        with open(self.d.config, "a") as f:
            f.write("[security]\npepper_file = %s\n" % missing)
        self.assertRefused("pepper file %s" % missing, "No such file")
        with open(self.d.config) as f:
            text = f.read()
        with open(self.d.config, "w") as f:
            f.write(text.replace("[security]\npepper_file = %s\n" % missing, ""))

        # the default file gone: not made anew over hashes it would void
        os.rename(self.pepper, self.pepper + ".bak")
        self.assertRefused("is missing", "contact auth info hashed with its key %s" % old_id,
                           "restore the file")
        self.assertFalse(os.path.exists(self.pepper))

        # another key alone
        self.write_pepper(new_key)
        self.assertRefused("does not hold key %s" % old_id)

        # rotated: the new key first, the old one kept to verify
        self.write_pepper(new_key, old_key)
        self.d.start()
        self.assertEqual(self.status(), {key_id(new_key): ("current", 0), old_id: ("verifies only", 1)})
        c = self.client(B)
        self.ok(c, c_info(HOLDER, pw=CONTACT_PW))
        stored = self.stored("contact", HOLDER)
        self.assertTrue(stored.startswith("h256$%s$" % key_id(new_key)), stored)
        # regctl shows the old key holds nothing now
        self.assertEqual(self.status(), {key_id(new_key): ("current", 1), old_id: ("verifies only", 0)})
        self.d.stop()
        # once every hash is on the new key, the old one may go
        self.write_pepper(new_key)
        self.d.start()
        self.ok(self.client(B), c_info(HOLDER, pw=CONTACT_PW))


class SqlitePepperTest(PepperBase, unittest.TestCase):
    backend = "sqlite"


class PgsqlPepperTest(PepperBase, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
