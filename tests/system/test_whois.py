#!/usr/bin/env python3
"""WHOIS (RFC 3912; R25, DESIGN §7, issue 15) over real sockets: every query
kind (domain by U- or A-label in any case, host, registrar, contact, the
keyword prefixes, a bare name that is a host, help), the privacy rules for
every kind of contact (a person with and without disclose flags, an
organisation, a role: REDACTED FOR PRIVACY where withheld, never an ident or
a mobile number), name servers with in-bailiwick glue, DNSSEC, the
registrant's identity check (R21/R22), no match, malformed queries (over
255 bytes, control characters, invalid UTF-8: exactly one error line), the
abuse limits (a burst from one address refused while another address is
served, a cap on connections per source, a slow client closed). Runs on
SQLite and PostgreSQL."""
import os
import re
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon  # noqa: E402
from eppclient import EPPClient, with_terms  # noqa: E402
from harness import sql  # noqa: E402
from test_epp_contact import c_create, disclose, postal, regc  # noqa: E402
from test_epp_domain import create_xml, secdns_update, update_xml  # noqa: E402
from test_epp_host import host_create  # noqa: E402

REDACTED = "REDACTED FOR PRIVACY"
CLID, PW = "WREG", "whois-pw1"
IDN_U = "bl\u00e5b\u00e6rgr\u00f8d.dk"
IDN_A = "xn--blbrgrd-fxak7p.dk"
DIGEST = "2BB183AF5F22588179A53B0A98631FAD1A292118A9B4B4D63B5E4E2B1F2F3F4C"
TERMS = "Lookups are for registration questions only."


def whois(d, query, source="127.0.0.1", timeout=10):
    """Sends query (str or bytes) from `source`; the whole answer as text
    (the server closes after it)."""
    if isinstance(query, str):
        query = query.encode("utf-8") + b"\r\n"
    s = socket.create_connection((d.whois_host, d.whois_port), timeout=timeout,
                                 source_address=(source, 0))
    try:
        s.sendall(query)
        chunks = []
        while True:
            b = s.recv(65536)
            if not b:
                break
            chunks.append(b)
    finally:
        s.close()
    return b"".join(chunks).decode("utf-8")


def fields(text):
    """The "Key: value" lines after the header, as (key, value) pairs."""
    out = []
    for line in text.split("\r\n"):
        if line and not line.startswith("%") and ": " in line:
            k, v = line.split(": ", 1)
            out.append((k, v))
    return out


def values(text, key):
    return [v for k, v in fields(text) if k == key]


def one(text, key):
    got = values(text, key)
    if len(got) != 1:
        raise AssertionError("%s: %d lines in\n%s" % (key, len(got), text))
    return got[0]


class DaemonPerClass:
    """A daemon of the class's own (`name`, `settings`, the services
    `only`), started once, `prepare` run on it."""
    backend = None
    name = settings = None
    only = "epp,whois"

    @classmethod
    def setUpClass(cls):
        cls.d = Daemon(backend=cls.backend, name=cls.name, only=cls.only,
                       settings=cls.settings)
        try:
            cls.prepare()
        except Exception:
            cls.d.stop()
            cls.d.cleanup()
            raise

    @classmethod
    def prepare(cls):
        cls.d.start()

    @classmethod
    def tearDownClass(cls):
        rc = cls.d.stop()
        cls.d.cleanup()
        if rc != 0:
            raise AssertionError(f"registryd exited with {rc}")


class WhoisBase(DaemonPerClass):
    name = "whois"
    settings = {"whois.rate": "0", "whois.max_connections_per_source": "64",
                "registry.name": "Example Registry", "registry.terms_of_use": TERMS,
                "host.allow_private": "true", "idcheck.enabled": "true"}

    @classmethod
    def prepare(cls):
        cls.d.add_registrar(CLID, PW, name="Whois Registrar A/S")
        cls.d.start()
        cls.populate()

    @classmethod
    def populate(cls):
        c = EPPClient(cls.d.host, cls.d.port)

        def ok(r):
            if r.code not in (1000, 1001):
                raise AssertionError(repr(r))

        ok(c.login(CLID, PW))
        address = postal("loc", name="Jens Hansen", street=("Vestergade 1",), city="Aarhus C",
                         pc="8000")
        # a person who discloses nothing, with a mobile number and an ident
        ok(c.command(c_create("PERSON", [address], voice="+45.12345678", fax="+45.12345679",
                              email="jens@example.test"),
                     extension=regc("create", type_="person", ident=("priv", "DK", "0102031234"),
                                    mobile="+45.22334455")))
        # a person who discloses name, address and e-mail
        ok(c.command(c_create("PUBLIC", [postal("loc", name="Åse Ødegård",
                                                street=("Strandvejen 7",), city="Køge",
                                                pc="4600")],
                              email="aase@example.test",
                              disclose_xml=disclose(1, "name:loc", "addr:loc", "email")),
                     extension=regc("create", type_="person")))
        # an organisation and a role: name and address public, e-mail not
        ok(c.command(c_create("ORG", [postal("int", name="Hostmaster", org="Example A/S",
                                             street=("Havnen 2",), city="Odense", pc="5000")],
                              voice="+45.70000001", email="info@example.test"),
                     extension=regc("create", type_="organization", ident=("org", "DK",
                                                                          "12345678"))))
        ok(c.command(c_create("ROLE", [postal("int", name="NOC", street=("Havnen 2",),
                                              city="Odense", pc="5000")],
                              email="noc@example.test"),
                     extension=regc("create", type_="role")))
        ok(c.command(create_xml("example.dk", registrant="WREG:PERSON", period=1,
                                contacts=(("admin", "WREG:ORG"), ("tech", "WREG:ROLE"),
                                          ("billing", "WREG:PUBLIC")), pw="Dpw-12345"),
                     extension=with_terms()))
        ok(c.command(*host_create("ns1.example.dk", ("192.0.2.1", ("2001:db8::53", "v6")))))
        ok(c.command(*host_create("ns.example.net")))
        ok(c.command(update_xml("example.dk", add={"ns": ["ns1.example.dk", "ns.example.net"]}),
                     extension=secdns_update(add=[(12345, 13, 2, DIGEST)])))
        ok(c.command(create_xml(IDN_U, registrant="WREG:PUBLIC", period=1, pw="Dpw-12345"),
                     extension=with_terms()))
        # R22: a registrant whose identity check failed
        ok(c.command(c_create("FAILED", [address], email="failed@example.test"),
                     extension=regc("create", type_="person")))
        ok(c.command(create_xml("suspended.dk", registrant="WREG:FAILED", period=1,
                                pw="Dpw-12345"), extension=with_terms()))
        c.close()
        cls.d.regctl("idcheck", "fail", "WREG:FAILED", "--method", "documents", "--note",
                     "forged papers")
        cls.d.regctl("registrar", "set", "WREG", "--url", "https://whois-registrar.example",
                     "--phone", "+45.70707070", "--email", "support@whois-registrar.example")

    # --- answers -----------------------------------------------------------

    def assertHeader(self, text):
        lines = text.split("\r\n")
        self.assertEqual(lines[0], "% Example Registry WHOIS service", text)
        self.assertEqual(lines[1], "% Terms of use: " + TERMS)
        self.assertRegex(lines[2], r"^% Time of answer: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(lines[3], "")
        self.assertTrue(text.endswith("\r\n"))

    def test_listens(self):
        self.assertRegex(self.d.stdout(), r"(?m)^whois: listening on 127\.0\.0\.1:%d$"
                         % self.d.whois_port)

    def test_help(self):
        for q in ("help", "HELP", "  Help  "):
            text = whois(self.d, q)
            self.assertHeader(text)
            self.assertIn("registrar HANDLE", text)
            self.assertIn("contact HANDLE", text)

    def test_domain(self):
        text = whois(self.d, "example.dk")
        self.assertHeader(text)
        self.assertEqual(one(text, "Domain Name"), "example.dk")
        self.assertEqual(values(text, "Domain Name (A-label)"), [])
        self.assertRegex(one(text, "Registry Domain ID"), r"^D\d+-DK$")
        self.assertEqual(values(text, "Domain Status"), ["ok"])
        for key in ("Creation Date", "Expiry Date", "Updated Date"):
            self.assertRegex(one(text, key), r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(one(text, "Registrar"), CLID)
        self.assertEqual(one(text, "Registrar Name"), "Whois Registrar A/S")
        self.assertEqual(one(text, "Registrar URL"), "https://whois-registrar.example")
        self.assertEqual(one(text, "Registrar Phone"), "+45.70707070")
        # name servers: glue for the one under .dk only; DNSSEC with its DS
        self.assertEqual(values(text, "Name Server"),
                         ["ns.example.net", "ns1.example.dk 192.0.2.1 2001:db8::53"])
        self.assertEqual(one(text, "DNSSEC"), "signedDelegation")
        self.assertEqual(one(text, "DS Record"), "12345 13 2 " + DIGEST)
        # every line is "Key: value" after the header
        for line in text.split("\r\n")[4:-1]:
            self.assertRegex(line, r"^[A-Z][A-Za-z /()-]*: \S")

    def test_person_registrant_redacted(self):
        text = whois(self.d, "example.dk")
        self.assertEqual(one(text, "Registrant Handle"), "WREG:PERSON")
        self.assertEqual(one(text, "Registrant Type"), "person")
        for key in ("Name", "Street", "City", "Postal Code", "Phone", "Fax", "Email"):
            self.assertEqual(one(text, "Registrant " + key), REDACTED, key)
        self.assertEqual(one(text, "Registrant Country"), "DK")
        for secret in ("Jens", "Vestergade", "jens@example.test", "12345678", "22334455",
                       "0102031234", "Mobile:", "Identity:"):
            self.assertNotIn(secret, text)

    def test_disclosing_person(self):
        text = whois(self.d, "example.dk")
        self.assertEqual(one(text, "Billing Handle"), "WREG:PUBLIC")
        self.assertEqual(one(text, "Billing Name"), "Åse Ødegård")
        self.assertEqual(one(text, "Billing Street"), "Strandvejen 7")
        self.assertEqual(one(text, "Billing City"), "Køge")
        self.assertEqual(one(text, "Billing Email"), "aase@example.test")
        self.assertEqual(one(text, "Billing Phone"), REDACTED)  # not disclosed

    def test_organization_and_role(self):
        text = whois(self.d, "example.dk")
        self.assertEqual(one(text, "Admin Type"), "organization")
        self.assertEqual(one(text, "Admin Name"), "Hostmaster")
        self.assertEqual(one(text, "Admin Organization"), "Example A/S")
        self.assertEqual(one(text, "Admin Street"), "Havnen 2")
        self.assertEqual(one(text, "Admin City"), "Odense")
        self.assertEqual(one(text, "Admin Postal Code"), "5000")
        # never an e-mail or phone that may be a person's own, unless disclosed
        self.assertEqual(one(text, "Admin Email"), REDACTED)
        self.assertEqual(one(text, "Admin Phone"), REDACTED)
        self.assertNotIn("info@example.test", text)
        self.assertNotIn("12345678", text)  # the organisation's ident
        self.assertEqual(one(text, "Tech Type"), "role")
        self.assertEqual(one(text, "Tech Name"), "NOC")
        self.assertEqual(one(text, "Tech Email"), REDACTED)

    def test_case_and_prefixes(self):
        want = fields(whois(self.d, "example.dk"))
        for q in ("EXAMPLE.DK", "Example.Dk.", "domain example.dk", "DOMAIN   EXAMPLE.dk",
                  "  example.dk  "):
            self.assertEqual(fields(whois(self.d, q)), want, q)
        # LF alone ends the query too
        self.assertEqual(fields(whois(self.d, b"example.dk\n")), want)

    def test_idn_both_ways(self):
        for q in (IDN_U, IDN_U.upper(), IDN_A, IDN_A.upper(), "domain " + IDN_U):
            text = whois(self.d, q)
            self.assertEqual(one(text, "Domain Name"), IDN_U, q)
            self.assertEqual(one(text, "Domain Name (A-label)"), IDN_A, q)
            self.assertEqual(values(text, "Domain Status"), ["inactive"])
            self.assertEqual(one(text, "DNSSEC"), "unsigned")
            self.assertEqual(one(text, "Registrant Name"), "Åse Ødegård")

    def test_host(self):
        for q in ("host ns1.example.dk", "ns1.example.dk", "HOST NS1.EXAMPLE.DK"):
            text = whois(self.d, q)
            self.assertHeader(text)
            self.assertEqual(one(text, "Host Name"), "ns1.example.dk", q)
            self.assertRegex(one(text, "Registry Host ID"), r"^H\d+-DK$")
            self.assertEqual(values(text, "IP Address"), ["192.0.2.1", "2001:db8::53"])
            self.assertEqual(values(text, "Host Status"), ["linked", "ok"])
            self.assertEqual(one(text, "Registrar"), CLID)
        text = whois(self.d, "host ns.example.net")
        self.assertEqual(values(text, "IP Address"), [])

    def test_contact(self):
        text = whois(self.d, "contact wreg:person")
        self.assertHeader(text)
        self.assertEqual(one(text, "Contact Handle"), "WREG:PERSON")
        self.assertEqual(one(text, "Contact Name"), REDACTED)
        self.assertEqual(one(text, "Contact Email"), REDACTED)
        self.assertEqual(one(text, "Contact Country"), "DK")
        self.assertRegex(one(text, "Registry Contact ID"), r"^C\d+-DK$")
        self.assertEqual(values(text, "Contact Status"), ["linked", "ok"])
        self.assertNotIn("22334455", text)
        text = whois(self.d, "CONTACT WREG:PUBLIC")
        self.assertEqual(one(text, "Contact Name"), "Åse Ødegård")
        self.assertEqual(one(text, "Contact Email"), "aase@example.test")
        text = whois(self.d, "contact WREG:ORG")
        self.assertEqual(one(text, "Contact Organization"), "Example A/S")
        self.assertEqual(one(text, "Contact Email"), REDACTED)

    def test_registrar(self):
        text = whois(self.d, "registrar wreg")
        self.assertHeader(text)
        self.assertEqual(one(text, "Registrar"), CLID)
        self.assertEqual(one(text, "Registrar Name"), "Whois Registrar A/S")
        self.assertEqual(one(text, "Registrar URL"), "https://whois-registrar.example")
        self.assertEqual(one(text, "Registrar Phone"), "+45.70707070")
        self.assertEqual(one(text, "Registrar Email"), "support@whois-registrar.example")
        self.assertEqual(one(text, "Registrar Status"), "active")

    def test_identity_check(self):
        # R21: pending with its deadline; R22: failed, suspended, to be deleted
        text = whois(self.d, "example.dk")
        self.assertRegex(one(text, "Registrant Identity Check"),
                         r"^pending, due by \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        text = whois(self.d, "suspended.dk")
        self.assertEqual(one(text, "Registrant Identity Check"), "failed")
        self.assertIn("serverHold", values(text, "Domain Status"))
        self.assertRegex(one(text, "Deletion Date"), r"^\d{4}-")
        self.assertNotIn("forged", text)  # staff's note is never published

    def test_no_match(self):
        for q, name in (("nothing.dk", "nothing.dk"), ("domain ns1.example.dk", "ns1.example.dk"),
                        ("example.com", "example.com"), ("host nothing.example.dk",
                                                         "nothing.example.dk"),
                        ("contact WREG:NOBODY", "WREG:NOBODY"), ("registrar NOBODY", "NOBODY"),
                        ("a" * 252 + ".dk", "a" * 252 + ".dk")):  # 255 bytes: still a query
            text = whois(self.d, q)
            self.assertHeader(text)
            self.assertEqual(text.split("\r\n")[4:], ['No match for "%s".' % name, ""], q)

    def assertOneErrorLine(self, query, part):
        text = whois(self.d, query)
        self.assertTrue(text.endswith("\r\n"), repr(text))
        self.assertEqual(text.count("\r\n"), 1, repr(text))
        self.assertTrue(text.startswith("Error: "), repr(text))
        self.assertIn(part, text)

    def test_malformed(self):
        self.assertOneErrorLine(b"a" * 253 + b".dk\r\n", "longer than 255 bytes")
        self.assertOneErrorLine(b"a" * 300, "longer than 255 bytes")  # and no line end
        for q in (b"exa\x01mple.dk\r\n", b"example.dk\t\r\n", b"exam\x7fple.dk\r\n",
                  "exa\u0085mple.dk\r\n".encode("utf-8"), b"a\rb.dk\r\n"):
            self.assertOneErrorLine(q, "control character")
        for q in (b"\xff.dk\r\n", b"\xc3(.dk\r\n", b"\xc0\xaf.dk\r\n", b"\xed\xa0\x80.dk\r\n",
                  b"bl\xc3\r\n"):
            self.assertOneErrorLine(q, "not valid UTF-8")
        self.assertOneErrorLine(b"\r\n", "empty query")
        self.assertOneErrorLine(b"   \r\n", "empty query")
        for q in ("domain", "contact", "domain a.dk b.dk", "whois example.dk", "a b c"):
            self.assertOneErrorLine(q, "malformed query")

    def test_half_closed_query(self):
        # a client that sends the query without a line end and half-closes
        s = socket.create_connection((self.d.whois_host, self.d.whois_port), timeout=10)
        s.sendall(b"example.dk")
        s.shutdown(socket.SHUT_WR)
        data = b""
        while True:
            b = s.recv(65536)
            if not b:
                break
            data += b
        s.close()
        self.assertEqual(one(data.decode(), "Domain Name"), "example.dk")


class WhoisLimitsBase(DaemonPerClass):
    """Tight limits: 1 query a second after a burst of 3, 2 connections
    per source, 2 seconds for a whole query."""
    name = "whois-limits"
    settings = {"whois.rate": "1", "whois.burst": "3", "whois.max_connections_per_source": "2",
                "whois.timeout": "2s"}

    BUSY = "Error: too many queries or connections from your address; try again later.\r\n"

    def test_burst_refused_other_source_served(self):
        answers = [whois(self.d, "nothing.dk", source="127.0.0.4") for _ in range(6)]
        served = [a for a in answers if 'No match for "nothing.dk".' in a]
        refused = [a for a in answers if a == self.BUSY]
        # the burst of 3 (and perhaps one more token that came meanwhile)
        self.assertIn(len(served), (3, 4), answers)
        self.assertEqual(len(served) + len(refused), 6, answers)
        self.assertEqual(answers[:3], served[:3])
        # another address is served meanwhile
        self.assertIn("No match", whois(self.d, "nothing.dk", source="127.0.0.5"))
        # and the first is served again once its bucket refills
        time.sleep(1.2)
        self.assertIn("No match", whois(self.d, "nothing.dk", source="127.0.0.4"))
        self.assertRegex(self.d.stderr(), r"sub=whois .*event=refused|event=refused.*whois")

    def test_connections_per_source(self):
        idle = [socket.create_connection((self.d.whois_host, self.d.whois_port), timeout=10,
                                         source_address=("127.0.0.6", 0)) for _ in range(2)]
        try:
            # a query begun, never finished (a connection that sends nothing
            # is held by the kernel until it does: TCP_DEFER_ACCEPT)
            for s in idle:
                s.sendall(b"exa")
            time.sleep(0.2)
            # a third from the same source is refused at once, with one line
            t0 = time.monotonic()
            self.assertEqual(whois(self.d, "nothing.dk", source="127.0.0.6"), self.BUSY)
            self.assertLess(time.monotonic() - t0, 1.5)
        finally:
            for s in idle:
                s.close()

    def test_slow_client_closed(self):
        s = socket.create_connection((self.d.whois_host, self.d.whois_port), timeout=10,
                                     source_address=("127.0.0.7", 0))
        try:
            t0 = time.monotonic()
            # trickling keeps it busy, never finished: the deadline is for the whole query
            for ch in b"exampl":
                s.sendall(bytes([ch]))
                time.sleep(0.3)
            self.assertEqual(s.recv(1024), b"")
            self.assertLess(time.monotonic() - t0, 6)
        finally:
            s.close()
        self.assertRegex(self.d.stderr(), r"event=timeout")


class SqliteWhois(WhoisBase, unittest.TestCase):
    backend = "sqlite"


class PgsqlWhois(WhoisBase, unittest.TestCase):
    backend = "pgsql"


class SqliteWhoisLimits(WhoisLimitsBase, unittest.TestCase):
    backend = "sqlite"


class PgsqlWhoisLimits(WhoisLimitsBase, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
