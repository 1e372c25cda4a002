#!/usr/bin/env python3
"""regbench, the EPP load tool of issue 18 (bench/regbench.c), against a
real registryd: a mixed run is answered in full and its JSON counts every
result code (a run where creates fail must say which code); a server that
goes away mid-run is reported, not a silent death by SIGPIPE.

Figures are not asserted (tests never assert timings); only that the
tool counts what the server answered."""
import json
import os
import sqlite3
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon  # noqa: E402
from eppclient import EPPClient  # noqa: E402
from test_epp_contact import c_create, regc  # noqa: E402

CLID, PW = "BENCHREG", "bench-Pass1"


def regbench():
    path = os.environ.get("REGBENCH")
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError("$REGBENCH must name the regbench binary (run through ctest)")
    return path


class Regbench(unittest.TestCase):
    def setUp(self):
        self.d = Daemon(backend="sqlite", name="regbench")
        self.addCleanup(self.d.cleanup)
        self.d.add_registrar(CLID, PW)
        self.d.start()
        c = EPPClient(self.d.host, self.d.port)
        try:
            self.assertEqual(c.login(CLID, PW).code, 1000)
            r = c.command(c_create("BENCH", email="bench@example.test"),
                          extension=regc("create", type_="person"))
            self.assertEqual(r.code, 1000, r.raw)
            self.registrant = r.findtext(".//contact:id")
        finally:
            c.close()

    def query(self, sql):
        db = sqlite3.connect(self.d.url[len("sqlite:"):], timeout=10)
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()

    def run_bench(self, *args, timeout=120):
        argv = [regbench(), "--port", str(self.d.port), "--clid", CLID, "--pw", PW,
                "--registrant", self.registrant, "--json", *args]
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)

    def test_every_answer_is_counted_by_its_code(self):
        self.d.regctl("price", "set", "create", "0.00")
        r = self.run_bench("--sessions", "4", "--count", "400", "--mix",
                           "check:2,info:1,create:1")
        self.assertEqual(r.returncode, 0, r)
        out = json.loads(r.stdout)
        self.assertEqual(out["commands"], 400, out)
        self.assertEqual(out["errors"], 0, out)
        self.assertEqual(out["codes"], {"1000": 400}, out)
        self.assertEqual(out["mix"], "check:2,info:1,create:1")
        # the creates happened, each with its own name (no duplicate 2302s):
        # about a quarter of 400, plus one target domain per session
        n = self.query("SELECT count(*) FROM domain")[0][0]
        self.assertGreater(n, 60)
        self.assertLessEqual(n, 4 + 400)

    def test_a_failing_create_names_its_code(self):
        # a price the registrar cannot pay: each session's first create is
        # refused with 2104, which regbench names
        self.d.regctl("price", "set", "create", "50.00")
        r = self.run_bench("--sessions", "2", "--count", "20", "--mix", "create")
        self.assertNotEqual(r.returncode, 0, r)
        self.assertIn("result 2104", r.stderr)

    def test_a_server_that_goes_away_is_reported(self):
        argv = [regbench(), "--port", str(self.d.port), "--clid", CLID, "--pw", PW,
                "--sessions", "4", "--duration", "30", "--mix", "check", "--json"]
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             stdin=subprocess.DEVNULL)
        try:
            # every session is logged in and busy once each has had checks
            # answered (one still logging in would end the run before it
            # starts, as "login failed", without the figures)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and self.query(
                    "SELECT count(DISTINCT session_id) FROM epp_log "
                    "WHERE command = 'domain:check'")[0][0] < 4:
                time.sleep(0.05)
            self.d.proc.kill()
            out, err = p.communicate(timeout=60)
        finally:
            if p.poll() is None:
                p.kill()
                p.communicate()
        self.assertNotEqual(p.returncode, -13, "regbench died of SIGPIPE")
        self.assertEqual(p.returncode, 1, (out, err))
        res = json.loads(out or "null")
        self.assertIsNotNone(res, err)
        self.assertGreater(res["errors"], 0, res)


if __name__ == "__main__":
    unittest.main()
