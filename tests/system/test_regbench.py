#!/usr/bin/env python3
"""regbench, the EPP load tool of issue 18 (bench/regbench.c), against a
real registryd: a mixed run is answered in full and its JSON counts every
result code (a run where creates fail must say which code); a server that
goes away mid-run is reported, not a silent death by SIGPIPE; info of
benchload's domains (--names) and a paced run (--rate).

RunAll: bench/run-all.sh in its tiny --quick mode (a few hundred domains,
short runs, both backends) prints its Markdown table with every row, each
figure a non-zero number, and every command of every run answered 1000.

Figures are not asserted (tests never assert timings); only that the
tools count what the server answered."""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon  # noqa: E402
from harness import pg_base_url, scratch_root  # noqa: E402
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
            # starts, as "login failed", without the figures). A session's
            # check in the log may not have reached it yet; its second one
            # is sent only after the first answer was read
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and self.query(
                    "SELECT count(*) FROM (SELECT session_id FROM epp_log "
                    "WHERE command = 'domain:check' GROUP BY session_id "
                    "HAVING count(*) >= 2) AS busy")[0][0] < 4:
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


    def test_info_of_loaded_domains_and_a_paced_run(self):
        # benchload's domains through domain_create, then info of names
        # drawn from them; the daemon's SQLite file takes the second writer
        benchload = os.path.join(os.path.dirname(regbench()), "benchload")
        r = subprocess.run([benchload, "--config", self.d.config, "--registrar", CLID,
                            "--domains", "50", "--registrant", self.registrant],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("load: 50 domains through domain_create", r.stdout)
        self.assertEqual(self.query("SELECT count(*) FROM domain WHERE name LIKE 'load%'"),
                         [(50,)])
        # a name outside the range would be answered 2303: every info is 1000
        r = self.run_bench("--sessions", "2", "--count", "200", "--mix", "info",
                           "--names", "load%d.dk", "--range", "50")
        self.assertEqual(r.returncode, 0, r)
        out = json.loads(r.stdout)
        self.assertEqual(out["codes"], {"1000": 200}, out)
        self.assertEqual(out["logged_in"], 2, out)
        # paced: 2 sessions, 100 commands a second in all, for one second
        r = self.run_bench("--sessions", "2", "--duration", "1", "--rate", "100",
                           "--mix", "check")
        self.assertEqual(r.returncode, 0, r)
        out = json.loads(r.stdout)
        self.assertEqual(out["rate_asked"], 100.0, out)
        self.assertGreater(out["commands"], 0, out)
        self.assertLessEqual(out["commands"], 102, out)  # never more than asked

    def test_names_need_one_number(self):
        r = self.run_bench("--sessions", "1", "--count", "1", "--mix", "info",
                           "--names", "load%s.dk", "--range", "5")
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("--names needs one %d", r.stderr)


# every row of run-all.sh's table, by the start of its first cell
RUN_ALL_ROWS = [
    "fdatasync, 4 KiB",
    "domain:check, 1 session",
    "domain:check, 10 sessions",
    "domain:info, 1 session",
    "domain:info, 10 sessions",
    "domain:create, 1 session",
    "domain:create, 10 sessions",
    "domain:check p99, 1 session, 100 → 300 domains",
    "domain:info p99, 1 session, 100 → 300 domains",
    "registryd peak RSS, 300 domains, 20 sessions logged in",
    "domain:check at half of the 10-session peak",
    "domain:info at half of the 10-session peak",
    "load (benchload",
]
NUMBER = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")


def nonzero_numbers(cell):
    return [float(n.replace(",", "")) for n in NUMBER.findall(cell)
            if float(n.replace(",", "")) > 0]


class RunAll(unittest.TestCase):
    def test_quick_run_prints_every_row(self):
        build = os.path.dirname(regbench())
        source = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        out = os.path.join(scratch_root(), f"runall-{os.getpid()}")
        shutil.rmtree(out, ignore_errors=True)
        self.addCleanup(shutil.rmtree, out, True)
        # the suite's PostgreSQL server (no fsync: the figures are not
        # the benchmark's), half-second runs to stay short
        env = dict(os.environ, OUT=out, PG_URL=pg_base_url(), SECS="0.5")
        r = subprocess.run(["sh", os.path.join(source, "bench", "run-all.sh"), "--quick", build],
                           capture_output=True, text=True, timeout=240, env=env,
                           stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 0, r.stderr[-3000:])
        lines = [ln for ln in r.stdout.splitlines() if ln.startswith("|")]
        head = [c.strip() for c in lines[0].strip("|").split("|")]
        self.assertEqual(head, ["figure", "machine's limit (same run)", "SQLite",
                                "SQLite ÷ limit", "PostgreSQL", "PostgreSQL ÷ limit",
                                "DESIGN §10 target", "met"])
        self.assertEqual(lines[1], "|" + "---|" * len(head))
        rows = [[c.strip() for c in ln.strip("|").split("|")] for ln in lines[2:]]
        self.assertEqual(len(rows), len(RUN_ALL_ROWS), r.stdout)
        for want, row in zip(RUN_ALL_ROWS, rows):
            with self.subTest(row=want):
                self.assertTrue(row[0].startswith(want), row)
                self.assertEqual(len(row), len(head), row)
                self.assertNotIn("—", " ".join(row), row)
                if want.startswith("fdatasync"):
                    self.assertTrue(nonzero_numbers(row[1]), row)
                    continue
                for cell in (row[2], row[4]):  # SQLite, PostgreSQL
                    self.assertTrue(nonzero_numbers(cell), row)
                if not want.startswith("load"):
                    self.assertRegex(row[7], r"^SQLite [✓✗], PostgreSQL [✓✗]$")
        # what each run was answered: every command 1000, no connection lost
        runs = sorted(f for f in os.listdir(out) if f.endswith(".json"))
        self.assertEqual(len(runs), 2 + 2 * 11, runs)
        for name in runs:
            with open(os.path.join(out, name)) as f:
                res = json.load(f)
            with self.subTest(run=name):
                self.assertEqual(res["errors"], 0, res)
                self.assertEqual(res["logged_in"], res["sessions"], res)
                self.assertGreater(res["commands"], 0, res)
                self.assertEqual(res["codes"], {"1000": res["commands"]}, res)


if __name__ == "__main__":
    unittest.main()
