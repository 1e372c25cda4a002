#!/usr/bin/env python3
"""System tests of regctl (DESIGN §1, §8): every command against a real
database on both backends, every failure one line on stderr.

Run through ctest (it sets REGCTL, REGISTRYD and REG_TEST_PG_URL_FILE), or
by hand:  REGCTL=build/regctl REG_TEST_PG_URL_FILE=build/pg/url \
          python3 tests/system/test_regctl.py -v [SqliteRegctl|PgsqlRegctl]
"""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

FP = "0123456789abcdef" * 4
FP_COLONS = ":".join(FP[i:i + 2].upper() for i in range(0, 64, 2))
FP2 = "fedcba9876543210" * 4
DEMO_LINE = re.compile(r"^demo registrar: clID (\S+) password (\S+)$", re.M)
PW_LINE = re.compile(r"^password: (\S+)$", re.M)


class RegctlCases(harness.RegctlChecks):
    """Mixed into one TestCase per backend below (setUp, ok and fails come
    from harness.RegctlChecks)."""

    # --- assertions -----------------------------------------------------

    def init(self):
        return self.ok("init")

    def schema_versions(self):
        """(version of the database, latest this program knows)."""
        r = self.ok("db", "version")
        m = re.search(r"schema version (\d+)\b.*this program knows (\d+)", r.out)
        self.assertIsNotNone(m, r)
        return int(m.group(1)), int(m.group(2))

    def show(self, handle):
        r = self.ok("registrar", "show", handle)
        fields = {}
        for line in r.out.splitlines():
            key, _, value = line.partition(": ")
            fields.setdefault(key, []).append(value)
        return fields

    def list_rows(self):
        r = self.ok("registrar", "list")
        lines = r.out.splitlines()
        self.assertTrue(lines and lines[0].split()[:2] == ["HANDLE", "STATE"], r)
        return [line.split(None, 3) for line in lines[1:]]

    # --- init and schema ----------------------------------------------

    def test_init_creates_data_directory_and_schema(self):
        self.assertFalse(os.path.exists(self.env.var))
        r = self.init()
        self.assertTrue(os.path.isdir(self.env.var))
        m = re.search(r"^database (\S+) ready \(schema version (\d+)\)$", r.out, re.M)
        self.assertIsNotNone(m, r)
        self.assertEqual(m.group(1), self.env.url)
        have, latest = self.schema_versions()
        self.assertEqual(int(m.group(2)), latest)
        self.assertEqual(have, latest)
        self.assertNotIn("demo registrar", r.out)
        # again: nothing changes, nothing breaks
        r = self.init()
        self.assertIn(f"ready (schema version {latest})", r.out)
        self.assertEqual(self.list_rows(), [])

    def test_init_demo_prints_a_working_login(self):
        r = self.ok("init", "--demo")
        m = DEMO_LINE.search(r.out)
        self.assertIsNotNone(m, r)
        clid, pw = m.groups()
        self.assertEqual(clid, "DEMO")
        self.assertTrue(6 <= len(pw) <= 16 and all(0x21 <= ord(c) < 0x7f for c in pw), pw)
        self.assertTrue(self.env.password_works(clid, pw), "printed password does not verify")
        self.assertFalse(self.env.password_works(clid, pw + "x"))
        fields = self.show("DEMO")
        self.assertEqual(fields["state"], ["active"])
        # a second --demo keeps the password and says so (issue 13 item 8)
        r2 = self.ok("init", "--demo")
        self.assertIsNone(DEMO_LINE.search(r2.out), r2)
        self.assertIn("demo registrar DEMO exists: its password is kept", r2.out)
        self.assertNotIn(pw, r2.out)
        self.assertTrue(self.env.password_works("DEMO", pw))
        self.assertEqual([row[0] for row in self.list_rows()], ["DEMO"])

    def test_price_check_and_the_demo_prices_item4(self):
        """Fail closed (issue 13 item 4): price check lists what has no
        price (exit 1); init --demo prices every operation and credits the
        demo registrar once."""
        self.init()
        r = self.env.regctl("price", "check")
        self.assertEqual((r.rc, r.err), (1, ""), r)
        self.assertRegex(r.out, r"(?m)^create\s+1 year: no price$")
        self.assertRegex(r.out, r"(?m)^renew\s+10 years: no price$")
        self.assertRegex(r.out, r"(?m)^restore\s+1 year: no price$")
        self.assertNotRegex(r.out, r"(?m)^restore\s+2 years")
        self.assertRegex(r.out, r"(?m)^\d+ without a price: refused \(2400\) until a price is set$")
        r = self.ok("init", "--demo")
        self.assertIn("demo prices set", r.out)
        self.assertIn("demo registrar credited 10000.00 DKK", r.out)
        r = self.ok("price", "check")
        self.assertEqual(r.out, "every billable operation and period has a price\n")
        r = self.ok("init", "--demo")
        self.assertNotIn("demo prices set", r.out)
        self.assertNotIn("credited", r.out)
        self.assertRegex(self.ok("balance", "DEMO").out, r"(?m)^DEMO\s+1000000\s+10000\.00 DKK")

    def test_db_migrate_and_version(self):
        self.env.make_var()
        r = self.ok("db", "version")
        self.assertRegex(r.out, r"^schema version 0 \(not initialised")
        latest = int(re.search(r"this program knows (\d+)", r.out).group(1))
        self.assertGreaterEqual(latest, 1)
        r = self.ok("db", "migrate")
        m = re.search(r"^applied (\d+) migrations?; schema version (\d+)$", r.out, re.M)
        self.assertIsNotNone(m, r)
        self.assertGreaterEqual(int(m.group(1)), 1)
        self.assertEqual(int(m.group(2)), latest)
        self.assertEqual(self.schema_versions(), (latest, latest))
        r = self.ok("db", "migrate")
        self.assertIn(f"applied 0 migrations; schema version {latest}", r.out)
        self.assertEqual(self.schema_versions(), (latest, latest))
        rows = self.env.query("SELECT COUNT(*), MAX(version) FROM schema_version")
        self.assertEqual(int(rows[0][1]), latest)

    # --- registrars ---------------------------------------------------

    def test_registrar_add_list_show(self):
        self.init()
        r = self.ok("registrar", "add", "reg-one", "--name", "Registrar One A/S",
                    "--password", "first-pw", "--email", "ops@one.example",
                    "--cert-fingerprint", FP_COLONS, "--cert-fingerprint", FP2,
                    "--allow-ip", "192.0.2.9/24", "--allow-ip", "2001:db8::1")
        self.assertIn("registrar REG-ONE created", r.out)
        self.assertIsNone(PW_LINE.search(r.out), "a given password is not printed")
        self.assertTrue(self.env.password_works("REG-ONE", "first-pw"))
        self.ok("registrar", "add", "AAA", "--name", "First in order", "--password", "aaa-pw1")
        self.ok("registrar", "add", "zzz", "--name", "Last in order", "--password", "zzz-pw1")

        rows = self.list_rows()
        self.assertEqual([row[0] for row in rows], ["AAA", "REG-ONE", "ZZZ"])
        self.assertEqual(rows[1][1], "active")
        self.assertRegex(rows[1][2], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(rows[1][3], "Registrar One A/S")

        f = self.show("reg-one")
        self.assertEqual(f["handle"], ["REG-ONE"])
        self.assertEqual(f["name"], ["Registrar One A/S"])
        self.assertEqual(f["email"], ["ops@one.example"])
        self.assertEqual(f["state"], ["active"])
        self.assertEqual(f["default-management"], ["registrar"])
        self.assertEqual(sorted(f["cert-fingerprint"]), sorted([FP, FP2]))
        self.assertEqual(sorted(f["allow-ip"]), sorted(["192.0.2.0/24", "2001:db8::1/128"]))
        self.assertRegex(f["created"][0], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

    def test_registrar_add_generates_a_password(self):
        self.init()
        r = self.ok("registrar", "add", "GEN", "--name", "Generated")
        m = PW_LINE.search(r.out)
        self.assertIsNotNone(m, r)
        pw = m.group(1)
        self.assertEqual(len(pw), 16)
        self.assertTrue(self.env.password_works("GEN", pw))

    def test_registrar_add_uses_the_global_clock(self):
        self.init()
        self.ok("--now", "2027-03-01T12:00:00Z", "registrar", "add", "TIMED", "--name", "T",
                "--password", "timed-pw")
        self.assertEqual(self.show("TIMED")["created"], ["2027-03-01T12:00:00Z"])

    def test_registrar_passwd(self):
        self.init()
        self.ok("registrar", "add", "PWD", "--name", "Password", "--password", "old-pw-1")
        r = self.ok("registrar", "passwd", "PWD", "--password", "new-pw-2")
        self.assertIn("changed", r.out)
        self.assertIsNone(PW_LINE.search(r.out))
        self.assertTrue(self.env.password_works("PWD", "new-pw-2"))
        self.assertFalse(self.env.password_works("PWD", "old-pw-1"))
        r = self.ok("registrar", "passwd", "pwd")
        gen = PW_LINE.search(r.out)
        self.assertIsNotNone(gen, r)
        self.assertTrue(self.env.password_works("PWD", gen.group(1)))
        self.assertFalse(self.env.password_works("PWD", "new-pw-2"))

    def test_registrar_disable_enable(self):
        self.init()
        self.ok("registrar", "add", "ONOFF", "--name", "On Off", "--password", "onoff-pw")
        self.ok("registrar", "add", "OTHER", "--name", "Other", "--password", "other-pw")
        r = self.ok("registrar", "disable", "onoff")
        self.assertIn("disabled", r.out)
        self.assertEqual(self.show("ONOFF")["state"], ["disabled"])
        self.assertEqual(self.show("OTHER")["state"], ["active"])
        rows = {row[0]: row[1] for row in self.list_rows()}
        self.assertEqual(rows, {"ONOFF": "disabled", "OTHER": "active"})
        r = self.ok("registrar", "enable", "ONOFF")
        self.assertIn("enabled", r.out)
        self.assertEqual(self.show("ONOFF")["state"], ["active"])
        self.assertTrue(self.env.password_works("ONOFF", "onoff-pw"))

    def test_error_paths_are_one_line(self):
        self.init()
        self.ok("registrar", "add", "REG1", "--name", "Existing", "--password", "exist-pw")
        cases = [
            # bad handle
            ("registrar", "add", "1bad", "--name", "X"),
            ("registrar", "add", "ab", "--name", "X"),
            ("registrar", "add", "has_underscore", "--name", "X"),
            ("registrar", "add", "WAYTOOLONGHANDLE17", "--name", "X"),
            # duplicate (case-insensitive)
            ("registrar", "add", "reg1", "--name", "Again"),
            # bad fingerprint
            ("registrar", "add", "BADFP", "--name", "X", "--cert-fingerprint", "abcd"),
            ("registrar", "add", "BADFP", "--name", "X", "--cert-fingerprint", FP[:-1] + "g"),
            # bad ip
            ("registrar", "add", "BADIP", "--name", "X", "--allow-ip", "10.0.0.0/33"),
            ("registrar", "add", "BADIP", "--name", "X", "--allow-ip", "example.com"),
            # bad password / email
            ("registrar", "add", "BADPW", "--name", "X", "--password", "has space"),
            ("registrar", "add", "BADPW", "--name", "X", "--password", "abc"),
            ("registrar", "add", "BADMAIL", "--name", "X", "--email", "nobody"),
            # missing --name, missing or extra handle
            ("registrar", "add", "NONAME"),
            ("registrar", "add", "--name", "X"),
            ("registrar", "add", "A1", "A2", "--name", "X"),
            # unknown and incomplete options
            ("registrar", "add", "OPT", "--name", "X", "--bogus"),
            ("registrar", "add", "OPT", "--name"),
            ("registrar", "passwd", "REG1", "--bogus"),
            ("jobs", "run", "--bogus"),
            ("init", "--bogus"),
            # unknown objects
            ("registrar", "show", "NOBODY"),
            ("registrar", "passwd", "NOBODY", "--password", "good-pw1"),
            ("registrar", "passwd", "REG1", "--password", "bad"),
            ("registrar", "disable", "NOBODY"),
            ("registrar", "enable", "NOBODY"),
            ("jobs", "run", "no-such-job"),
            # wrong argument counts
            ("registrar", "show"),
            ("registrar", "show", "REG1", "REG2"),
            ("registrar", "disable"),
            ("registrar", "list", "extra"),
            ("jobs", "list", "extra"),
            ("jobs", "run", "one", "two"),
            ("db", "version", "extra"),
            ("db", "migrate", "extra"),
            ("config", "show", "extra"),
            # unknown group / command
            ("nosuch",),
            ("registrar", "nosuch"),
            ("jobs", "nosuch"),
            ("db", "nosuch"),
            # staff changes to objects that do not exist; names longer
            # than any key are cut, never read past (regctl status)
            ("status", "add", "contact", "X" * 300, "serverUpdateProhibited"),
            ("status", "add", "host", "ns." + "a" * 300 + ".example", "serverUpdateProhibited"),
            ("status", "rem", "domain", "nosuch-" + "a" * 300, "serverHold"),
            ("status", "add", "domain", "nosuch.dk", "serverHold"),
            ("contact", "lang", "NOBODY"),
            ("contact", "lang", "NOBODY", "da"),
            ("domain", "management", "nosuch.dk", "registrar"),
            ("account", "show", "NOBODY"),
            ("account", "credentials", "NOBODY", "--slot", "a1"),
            ("domain", "show", "nosuch.dk"),
            ("domain", "show", "not a name"),
            ("contact", "show", "NOBODY"),
            ("host", "show", "ns1.nosuch.example"),
            ("registrar", "delete", "NOBODY"),
            ("epp-log", "--svtrid", "RD-00000000-1"),
            # show and delete take one name; --history a number
            ("domain", "show"),
            ("host", "show", "a.example", "b.example"),
            ("contact", "show", "X", "--history", "-1"),
            ("registrar", "delete"),
            ("registrar", "delete", "REG1", "REG2"),
            ("epp-log", "--cltrid"),
            # price list has no --registrants (invoice list has)
            ("price", "list", "--registrants"),
            # global options
            ("--now", "yesterday", "jobs", "run"),
            ("jobs", "run", "--now"),
            ("registrar", "list", "--config"),
        ]
        for args in cases:
            with self.subTest(args=" ".join(args)):
                self.fails(*args)
        # nothing was created by the failures, and REG1 is intact
        self.assertEqual([row[0] for row in self.list_rows()], ["REG1"])
        self.assertTrue(self.env.password_works("REG1", "exist-pw"))
        self.assertEqual(self.show("REG1")["name"], ["Existing"])

    def test_status_through_the_registry_and_poll_list(self):
        """regctl status sets and removes server statuses by the object's
        name as EPP reads it (U-label, any case), refuses a status of
        another kind of object and one already set or not set, and the
        sponsor's change poll message shows in regctl poll list."""
        self.init()
        self.ok("registrar", "add", "REG1", "--name", "One", "--password", "one-pw-1")
        rid = "(SELECT id FROM registrar WHERE handle = 'REG1')"
        harness.sql(self.env, "INSERT INTO contact (handle, sponsor_id, creator_id, email, "
                    f"created_at) VALUES ('REG1:HOLDER', {rid}, {rid}, 'h@example.test', 0)")
        harness.sql(self.env, "INSERT INTO domain (name, uname, sponsor_id, creator_id, "
                    "registrant_id, created_at, expires_at) VALUES ('xn--blbrgrd-fxak7p.dk', "
                    f"'bl\u00e5b\u00e6rgr\u00f8d.dk', {rid}, {rid}, (SELECT id FROM contact "
                    "WHERE handle = 'REG1:HOLDER'), 0, 4102444800)")
        harness.sql(self.env, "INSERT INTO host (name, sponsor_id, creator_id, created_at) "
                    f"VALUES ('ns1.example.net', {rid}, {rid}, 0)")
        now = ("--now", "2027-01-01T00:00:00Z")

        r = self.ok(*now, "status", "add", "domain", "Bl\u00e5b\u00e6rgr\u00f8d.dk", "serverHold",
                    "--message", "court order")
        self.assertEqual(r.out, "domain xn--blbrgrd-fxak7p.dk: serverHold set\n")
        r = self.ok(*now, "status", "add", "contact", "reg1:holder", "serverDeleteProhibited")
        self.assertEqual(r.out, "contact REG1:HOLDER: serverDeleteProhibited set\n")
        r = self.ok(*now, "status", "add", "host", "NS1.Example.NET.", "serverUpdateProhibited")
        self.assertEqual(r.out, "host ns1.example.net: serverUpdateProhibited set\n")
        self.assertEqual(sorted(tuple(row) for row in self.env.query(
            "SELECT object_kind, status, COALESCE(message, '-') FROM object_status")),
            [("contact", "serverDeleteProhibited", "-"), ("domain", "serverHold", "court order"),
             ("host", "serverUpdateProhibited", "-")])

        self.assertIn("already has status serverHold", self.fails(
            "status", "add", "domain", "xn--blbrgrd-fxak7p.dk", "serverHold").err)
        self.assertIn("does not have status serverUpdateProhibited", self.fails(
            "status", "rem", "contact", "REG1:HOLDER", "serverUpdateProhibited").err)
        self.assertIn("is not a server status of a host", self.fails(
            "status", "add", "host", "ns1.example.net", "serverTransferProhibited").err)
        self.assertIn("is not a server status of a contact", self.fails(
            "status", "add", "contact", "REG1:HOLDER", "serverHold").err)
        self.assertIn("the message of status serverDeleteProhibited: U+0001 (a control "
                      "character) is not allowed in text", self.fails(
                          "status", "add", "host", "ns1.example.net", "serverDeleteProhibited",
                          "--message", "a\x01b").err)

        r = self.ok(*now, "status", "rem", "domain", "xn--blbrgrd-fxak7p.dk", "serverHold")
        self.assertEqual(r.out, "domain xn--blbrgrd-fxak7p.dk: serverHold removed\n")
        versions = self.env.query("SELECT object_kind, object_key, action, actor, channel FROM "
                                  "history ORDER BY id")
        self.assertEqual([tuple(v) for v in versions], [
            ("domain", "xn--blbrgrd-fxak7p.dk", "status-add", "staff", "regctl"),
            ("contact", "REG1:HOLDER", "status-add", "staff", "regctl"),
            ("host", "ns1.example.net", "status-add", "staff", "regctl"),
            ("domain", "xn--blbrgrd-fxak7p.dk", "status-rem", "staff", "regctl"),
        ])

        # the sponsor heard of both domain changes; poll list shows its queue
        r = self.ok(*now, "poll", "send", "reg1", "--message", "hello from the registry")
        self.assertEqual(r.out, "message queued for REG1\n")
        r = self.ok("poll", "list", "reg1")
        ids = [row[0] for row in self.env.query(
            "SELECT id FROM poll_message ORDER BY id")]
        self.assertEqual(r.out.splitlines(), [
            "%s 2027-01-01T00:00:00Z change Registry update of xn--blbrgrd-fxak7p.dk: "
            "serverHold set" % ids[0],
            "%s 2027-01-01T00:00:00Z change Registry update of xn--blbrgrd-fxak7p.dk: "
            "serverHold removed" % ids[1],
            "%s 2027-01-01T00:00:00Z notice hello from the registry" % ids[2],
        ])
        self.ok("registrar", "add", "REG2", "--name", "Two", "--password", "two-pw-1")
        self.assertEqual(self.ok("poll", "list", "REG2").out, "")
        self.assertIn("registrar NOBODY does not exist", self.fails("poll", "list", "NOBODY").err)
        self.assertIn("registrar NOBODY does not exist",
                      self.fails("poll", "send", "NOBODY", "--message", "hi").err)
        self.assertIn("the message: U+000A (a control character) is not allowed in text",
                      self.fails("poll", "send", "REG1", "--message", "two\nlines").err)
        self.assertEqual(len(self.env.query("SELECT id FROM poll_message")), 3)

    def test_free_texts_that_deceive_are_refused_item8(self):
        """Issue 12 item 8: every free text staff give that a registrar, a
        registrant or the public reads later is PRECIS FreeformClass text;
        a bidi override is refused in one line naming the code point, and
        nothing is written."""
        self.init()
        self.ok("registrar", "add", "REG1", "--name", "Registrar One", "--password", "reg1-pw1")
        evil = "pay\u202eexe.txt"
        cases = [
            ("registrar", "add", "REG2", "--name", evil),
            ("poll", "send", "REG1", "--message", evil),
            ("credit", "add", "REG1", "10.00", "--text", evil),
            ("fee", "charge", "REG1", "10.00", "--text", evil),
            ("status", "add", "domain", "example.dk", "serverHold", "--message", evil),
            ("authinfo", "request", "example.dk", "--note", evil),
            ("idcheck", "verify", "REG1:HOLDER", "--method", "documents", "--note", evil),
            ("otp", "manual", "example.dk", "--registrar", "REG1", "--email", "a@example.test",
             "--documents", evil),
        ]
        for args in cases:
            r = self.fails(*args)
            self.assertIn("U+202E (RIGHT-TO-LEFT OVERRIDE)", r.err, args)
        self.assertEqual([row[0] for row in self.list_rows()], ["REG1"])
        self.ok("poll", "send", "REG1", "--message", "S\u00f8ren \u00c6rb\u00f8 says hi")

    def test_missing_command_is_one_line(self):
        # DESIGN §1: every failure exits non-zero with one clear line
        for args in [("registrar",), ("jobs",), ()]:
            with self.subTest(args=" ".join(args) or "(none)"):
                self.fails(*args)

    def test_unreachable_or_missing_config(self):
        self.fails("registrar", "list", config=self.env.path("no-such.conf"))
        if self.backend == "pgsql":
            bad = "postgresql://postgres@127.0.0.1:1/nothing?connect_timeout=5"
        else:
            bad = "sqlite:" + self.env.path("no", "such", "dir", "registry.db")
        conf = self.env.write_config("unreachable.conf", url=bad)
        for args in [("registrar", "list"), ("jobs", "run"), ("db", "version"),
                     ("db", "migrate")]:
            with self.subTest(args=" ".join(args)):
                r = self.fails(*args, config=conf)
                self.assertEqual(r.rc, 1, r)
        # help needs no database
        self.ok("registrar", "add", "--help", config=conf)

    # --- configuration ------------------------------------------------

    def test_config_show_prints_effective_values(self):
        conf = self.env.write_config("show.conf", extra=(
            "[epp]\nlisten = [::1]:7700\nmax_frame = 131072\n"
            "[tld]\nname = no\n"
            "[billing]\ncurrency = NOK\n"))
        r = self.ok("config", "show", config=conf)
        self.assertIn(conf, r.out)
        for want in [f"url = {self.env.url}\n", "listen = [::1]:7700\n", "max_frame = 131072\n",
                     "name = no\n", "currency = NOK\n",
                     # defaults still shown
                     "listen = 127.0.0.1:4343\n", "listen = 127.0.0.1:8080\n",
                     "idle_timeout = 300s\n", "[database]\n", "[epp]\n"]:
            self.assertIn(want, r.out)
        self.assertRegex(r.out, r"(?m)^# \S")
        r = self.ok("config", "check", config=conf)
        self.assertIn("ok", r.out)

    def test_bad_config_file_names_file_and_line(self):
        cases = [
            ("[epp]\nlisten = 127.0.0.1:7000\nbogus = 1\n", 3),
            ("# comment\n\n[nosuch]\n", 3),
            ("url = sqlite:x.db\n", 1),
            ("[epp]\nmax_frame = lots\n", 2),
            ("[epp]\nmax_frame = 10\n", 2),
            ("[epp]\nidle_timeout = 5 minutes\n", 2),
            ("[clock]\nfrozen = maybe\n", 2),
            ("[whois]\nlisten = localhost\n", 2),
            ("[log]\nlevel = loud\n", 2),
            ("[tld]\nname = .DK\n", 2),
            ("[billing]\ncurrency = kroner\n", 2),
            ("[database]\nurl = mysql://x/y\n", 2),
        ]
        for i, (text, line) in enumerate(cases):
            path = self.env.write_file(f"bad{i}.conf", text)
            for args in [("config", "check"), ("registrar", "list")]:
                with self.subTest(conf=text, args=" ".join(args)):
                    r = self.fails(*args, config=path)
                    self.assertEqual(r.rc, 1, r)
                    self.assertIn(f"{path}:{line}: ", r.err)

    # --- jobs ---------------------------------------------------------

    def jobs_table(self):
        r = self.ok("jobs", "list")
        lines = r.out.splitlines()
        self.assertTrue(lines[0].startswith("JOB"), r)
        return {cols[0]: cols for cols in (line.split(None, 4) for line in lines[1:])}

    def run_jobs(self, *args):
        r = self.ok("jobs", "run", *args)
        return {cols[0]: cols[1] for cols in (line.split(None, 2) for line in r.out.splitlines())}

    def test_jobs_list_and_run(self):
        self.init()
        table = self.jobs_table()
        self.assertIn("db-maintenance", table)
        self.assertEqual(table["db-maintenance"][2], "never")
        interval = int(table["db-maintenance"][1])
        self.assertGreater(interval, 0)

        t0 = "2027-03-01T00:00:00Z"
        self.assertEqual(self.run_jobs("--now", t0)["db-maintenance"], "ran")
        row = self.jobs_table()["db-maintenance"]
        self.assertEqual(row[2:4], [t0, "ok"])
        self.assertEqual(self.run_jobs("--now", t0)["db-maintenance"], "not-due")
        self.assertEqual(self.run_jobs("--now=2027-03-01T00:59:59Z")["db-maintenance"],
                         "not-due" if interval >= 3600 else "ran")
        # --now is global: it may come before the group as well
        r = self.ok("--now", "2027-03-01T12:00:00Z", "jobs", "run", "db-maintenance")
        self.assertRegex(r.out, r"(?m)^db-maintenance\s+ran\b")
        self.assertEqual(self.run_jobs("--force", "--now", "2027-03-01T12:00:00Z")
                         ["db-maintenance"], "ran")
        self.assertEqual(self.run_jobs("db-maintenance", "--now", "2027-03-01T12:00:01Z")
                         ["db-maintenance"], "not-due")
        self.assertEqual(self.jobs_table()["db-maintenance"][2], "2027-03-01T12:00:00Z")
        # the clock moved back: due again
        self.assertEqual(self.run_jobs("--now", t0)["db-maintenance"], "ran")
        rows = self.env.query("SELECT runs, last_start FROM job_run WHERE name = 'db-maintenance'")
        self.assertEqual(int(rows[0][0]), 4)
        # without --now the real clock is used; it is more than an interval away
        # from 2027-03-01 (after it, or before it: the clock moved back), so due
        self.assertEqual(self.run_jobs()["db-maintenance"], "ran")

    def test_jobs_busy_while_another_instance_holds_the_lease(self):
        self.init()
        with self.env.hold_lease("db-maintenance"):
            out = self.run_jobs("--force", "--now", "2027-03-01T00:00:00Z")
            self.assertEqual(out["db-maintenance"], "busy")
            self.assertEqual(self.jobs_table()["db-maintenance"][2], "never")
        out = self.run_jobs("--now", "2027-03-01T00:00:00Z")
        self.assertEqual(out["db-maintenance"], "ran")


class SqliteRegctl(RegctlCases, unittest.TestCase):
    backend = "sqlite"

    # --- help ---------------------------------------------------------

    def test_help_on_every_group_and_command(self):
        # help opens no database, so one backend's run covers it (a few
        # hundred regctl starts: the longest part of this test under ASan)
        r = self.ok("--help")
        self.assertIn("usage: regctl", r.out)
        groups = re.findall(r"^  (\S+)\s{2,}\S", r.out.split("Groups:", 1)[1], re.M)
        self.assertTrue({"init", "registrar", "jobs", "db", "config"} <= set(groups), groups)
        self.ok("-h")
        commands = {}
        for g in groups:
            with self.subTest(group=g):
                r = self.ok(g, "--help")
                self.assertIn(f"usage: regctl {g}", r.out)
                cmds = re.findall(rf"^\s+regctl {re.escape(g)} ([a-z][\w-]*)", r.out, re.M)
                commands[g] = cmds
                self.ok(g, "-h")
        self.assertTrue({"add", "list", "show", "passwd", "disable", "enable"}
                        <= set(commands["registrar"]), commands)
        self.assertTrue({"list", "run"} <= set(commands["jobs"]), commands)
        self.assertTrue({"migrate", "version"} <= set(commands["db"]), commands)
        self.assertIn("show", commands["config"])
        for g, cmds in commands.items():
            for c in cmds:
                with self.subTest(command=f"{g} {c}"):
                    r = self.ok(g, c, "--help")
                    self.assertTrue(r.out.startswith(f"usage: regctl {g} {c}"), r)
                    self.assertGreater(len(r.out.splitlines()), 1, r)
                    # --help wins over other arguments and changes nothing
                    r = self.ok(g, c, "SOMETHING", "--help")
                    self.assertTrue(r.out.startswith(f"usage: regctl {g} {c}"), r)
        self.assertFalse(os.path.exists(self.env.var), "--help must not create anything")


class PgsqlRegctl(RegctlCases, unittest.TestCase):
    backend = "pgsql"


class RegctlOutOfTheBox(unittest.TestCase):
    """No --config at all: built-in defaults, SQLite in ./var (DESIGN §1)."""

    def setUp(self):
        self.env = harness.Env("sqlite", "defaults")
        self.addCleanup(self.env.close)

    def test_init_with_defaults_uses_var_registry_db(self):
        r = self.env.regctl("init", "--demo", config=False)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("database sqlite:var/registry.db ready", r.out)
        self.assertTrue(os.path.isfile(self.env.path("var", "registry.db")))
        m = DEMO_LINE.search(r.out)
        self.assertIsNotNone(m, r)
        self.env.db_path = self.env.path("var", "registry.db")
        self.assertTrue(self.env.password_works("DEMO", m.group(2)))

    def test_config_show_defaults(self):
        r = self.env.regctl("config", "show", config=False)
        self.assertEqual(r.rc, 0, r)
        for want in ["url = sqlite:var/registry.db\n", "listen = 127.0.0.1:7000\n",
                     "listen = 127.0.0.1:4343\n", "listen = 127.0.0.1:8080\n",
                     "max_frame = 65536\n", "name = dk\n", "currency = DKK\n"]:
            self.assertIn(want, r.out)
        self.assertIn("built-in defaults", r.out)
        self.assertFalse(os.path.exists(self.env.var), "config show must not create anything")


if __name__ == "__main__":
    unittest.main()
