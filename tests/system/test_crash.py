#!/usr/bin/env python3
"""DESIGN §11: no acknowledged write is lost when registryd is killed with
SIGKILL under load, and a restart recovers. Eight sessions create domains
as fast as they can; after some hundreds of acknowledgements the daemon
gets SIGKILL mid-stream; after a restart every domain whose create was
answered 1000 must exist. Runs on SQLite and PostgreSQL."""
import os
import signal
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon  # noqa: E402
from eppclient import EPPClient, with_terms  # noqa: E402
from test_epp_contact import c_create, postal  # noqa: E402

DOMAIN = 'xmlns:domain="urn:ietf:params:xml:ns:domain-1.0"'
SESSIONS = 8
ACKS_BEFORE_KILL = 300


def create_xml(name):
    return ('<create><domain:create %s><domain:name>%s</domain:name><domain:registrant>'
            'CRASH:HOLDER</domain:registrant><domain:authInfo><domain:pw>Crash-123</domain:pw>'
            '</domain:authInfo></domain:create></create>' % (DOMAIN, name))


class Crash:
    backend = None

    def setUp(self):
        self.d = Daemon(backend=self.backend, name="crash", max_sessions=SESSIONS + 2)
        self.d.add_registrar("CRASH", "crash-pass1")
        self.d.start()

    def tearDown(self):
        self.d.cleanup()

    def login(self):
        c = EPPClient(self.d.host, self.d.port)
        self.assertEqual(c.login("CRASH", "crash-pass1").code, 1000)
        return c

    def test_acknowledged_creates_survive_sigkill(self):
        c = self.login()
        r = c.command(
            c_create("HOLDER", [postal("int", "Holder", street=(), city="Odense", pc=None)],
                     voice=None, email="h@example.dk", pw="Cpw-123"))
        self.assertEqual(r.code, 1000, r)
        c.close()
        acked, lock, stop = [], threading.Lock(), threading.Event()

        def worker(i):
            try:
                s = self.login()
            except Exception:
                return
            n = 0
            while not stop.is_set():
                name = "crash%d-%d.dk" % (i, n)
                n += 1
                try:
                    r = s.command(create_xml(name), extension=with_terms())
                except Exception:
                    return  # the server died under us: this one was not acknowledged
                if r.code == 1000:
                    with lock:
                        acked.append(name)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(SESSIONS)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 60
        while len(acked) < ACKS_BEFORE_KILL and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(self.d.pid, signal.SIGKILL)
        stop.set()
        for t in threads:
            t.join(30)
        self.d.proc.wait()
        self.d.proc = None
        with lock:
            survivors = list(acked)
        self.assertGreaterEqual(len(survivors), ACKS_BEFORE_KILL // 2)

        self.d.start()  # restart recovers (WAL replay / PostgreSQL recovery)
        c = self.login()
        missing = []
        for i in range(0, len(survivors), 50):
            names = survivors[i:i + 50]
            r = c.command('<check><domain:check %s>%s</domain:check></check>'
                          % (DOMAIN, "".join("<domain:name>%s</domain:name>" % n for n in names)))
            self.assertEqual(r.code, 1000, r)
            answered = list(r.root.iter("{urn:ietf:params:xml:ns:domain-1.0}name"))
            self.assertEqual([cd.text for cd in answered], names, r)
            missing += [cd.text for cd in answered if cd.get("avail") == "1"]
        c.close()
        self.assertEqual(missing, [], "acknowledged creates lost after SIGKILL")


class SqliteCrash(Crash, unittest.TestCase):
    backend = "sqlite"


class PgsqlCrash(Crash, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
