#!/usr/bin/env python3
"""RDAP (RFC 7480, RFC 9082, RFC 9083, RFC 8056 statuses, RFC 9537
redaction; R25, DESIGN §7, issue 15) over real HTTP: every lookup (domain by
U- or A-label in any case, name server, contact, registrar), /rdap/help,
the searches for registrars signed in with HTTP Basic, every privacy case
(a person with and without disclose flags, an organisation, a role; the
sponsor and another registrar signed in), not found, malformed paths and
names, 405, 422, 501, 429 with Retry-After while another address is
served, HEAD, the CORS header, keep-alive, credentials only over TLS (a
proxy's X-Forwarded-Proto) or from loopback, X-Forwarded-For as the
client. Every answer is checked field by field against RFC 9083 (and each
"redacted" path against the answer it describes). The registration data is
test_whois.py's, so WHOIS and RDAP are held to the same facts. Runs on
SQLite and PostgreSQL."""
import base64
import http.client
import json
import os
import re
import sys
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eppclient import EPPClient, with_terms  # noqa: E402
from test_epp_domain import create_xml  # noqa: E402
from harness import sql  # noqa: E402
from test_whois import (CLID, DIGEST, IDN_A, IDN_U, PW, TERMS,  # noqa: E402
                        DaemonPerClass, WhoisBase)

MEDIA = "application/rdap+json"
OTHER, OTHER_PW = "OREG", "other-pw1"
PINNED, PINNED_PW = "PINREG", "pinned-pw1"
WHOIS_HOST = "whois.example.test"
DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

# RFC 9083 §10.2: the registered values we may use
EVENT_ACTIONS = {"registration", "reregistration", "last changed", "expiration", "deletion",
                 "reinstantiation", "transfer", "locked", "unlocked",
                 "last update of RDAP database"}
ROLES = {"registrant", "technical", "administrative", "abuse", "billing", "registrar",
         "reseller", "sponsor", "proxy", "notifications", "noc"}
# RFC 9083 §10.2.2 with RFC 8056's additions
STATUSES = {"validated", "renew prohibited", "update prohibited", "transfer prohibited",
            "delete prohibited", "proxy", "private", "removed", "obscured", "associated",
            "active", "inactive", "locked", "pending create", "pending renew",
            "pending transfer", "pending update", "pending delete", "add period",
            "auto renew period", "client delete prohibited", "client hold",
            "client renew prohibited", "client transfer prohibited",
            "client update prohibited", "pending restore", "redemption period",
            "renew period", "server delete prohibited", "server renew prohibited",
            "server transfer prohibited", "server update prohibited", "server hold",
            "transfer period"}
# IANA "redacted name" values (RFC 9537 §6.2) of the fields we withhold
REGISTERED_NAMES = {"Registrant Name", "Registrant Organization", "Registrant Street",
                    "Registrant City", "Registrant Postal Code", "Registrant Phone",
                    "Registrant Fax", "Registrant Email", "Tech Name", "Tech Phone",
                    "Tech Email"}


def basic(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        rdap = (self.header("Content-Type") or "") == MEDIA
        self.json = json.loads(body) if body and rdap else None

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def __repr__(self):
        return "%d %s" % (self.status, self.body[:2000])


def request(d, path, method="GET", headers=None, source="127.0.0.1", conn=None):
    """One request; a fresh connection from `source` unless `conn` is given."""
    c = conn or http.client.HTTPConnection(d.http_host, d.http_port, timeout=20,
                                           source_address=(source, 0))
    try:
        c.request(method, path, headers=headers or {})
        r = c.getresponse()
        return Answer(r.status, r.getheaders(), r.read().decode("utf-8"))
    finally:
        if conn is None:
            c.close()


def quote(name):
    return urllib.parse.quote(name, safe="")


# --- RFC 9083, field by field -----------------------------------------------

def check_links(t, links, self_url=None):
    t.assertIsInstance(links, list)
    for l in links:
        # §4.2: value, rel and href MUST be present
        for key in ("value", "rel", "href"):
            t.assertIsInstance(l.get(key), str, l)
    if self_url:
        selfs = [l for l in links if l["rel"] == "self"]
        t.assertEqual(len(selfs), 1, links)
        t.assertEqual(selfs[0]["href"], self_url)
        t.assertEqual(selfs[0]["value"], self_url)
        t.assertEqual(selfs[0]["type"], MEDIA)


def check_events(t, events):
    t.assertIsInstance(events, list)
    for e in events:
        t.assertIn(e["eventAction"], EVENT_ACTIONS)
        t.assertRegex(e["eventDate"], DATE)
    actions = [e["eventAction"] for e in events]
    t.assertEqual(len(actions), len(set(actions)), actions)
    t.assertIn("last update of RDAP database", actions)


def check_notices(t, notices):
    t.assertIsInstance(notices, list)
    for n in notices:
        t.assertIsInstance(n["title"], str)
        t.assertIsInstance(n["description"], list)
        for line in n["description"]:
            t.assertIsInstance(line, str)
        if "links" in n:
            check_links(t, n["links"])
    terms = [n for n in notices if n["title"] == "Terms of Use"]
    t.assertEqual(len(terms), 1, notices)
    t.assertEqual(terms[0]["description"], [TERMS])


def check_vcard(t, card):
    """RFC 7095: ["vcard", [[name, params, type, value], ...]], version first."""
    t.assertEqual(card[0], "vcard")
    props = card[1]
    t.assertEqual(props[0], ["version", {}, "text", "4.0"])
    for p in props:
        t.assertEqual(len(p), 4, p)
        t.assertIsInstance(p[0], str)
        t.assertEqual(p[0], p[0].lower())
        t.assertIsInstance(p[1], dict)
        t.assertIn(p[2], ("text", "uri"))
        if p[0] == "adr":
            t.assertEqual(len(p[3]), 7, p)
        elif p[0] == "tel":
            t.assertEqual(p[2], "uri")
            t.assertRegex(p[3], r"^tel:\+\d+\.\d+(;ext=\d+)?$")
        else:
            t.assertIsInstance(p[3], str)
    names = [p[0] for p in props]
    t.assertEqual(names.count("fn"), 1)  # RFC 6350: FN is required, once
    t.assertEqual(names.count("kind"), 1)
    t.assertIn(prop(card, "kind")[3], ("individual", "org", "group"))


def check_entity(t, e, top=False):
    t.assertEqual(e["objectClassName"], "entity")
    t.assertIsInstance(e["handle"], str)
    for r in e.get("roles", []):
        t.assertIn(r, ROLES)
    check_vcard(t, e["vcardArray"])
    check_links(t, e["links"])
    if top:
        check_events(t, e["events"])
        for s in e["status"]:
            t.assertIn(s, STATUSES)


def check_nameserver(t, ns, top=False):
    t.assertEqual(ns["objectClassName"], "nameserver")
    t.assertRegex(ns["ldhName"], r"^[a-z0-9.-]+$")
    if "ipAddresses" in ns:
        t.assertEqual(set(ns["ipAddresses"]), {"v4", "v6"})
    check_links(t, ns["links"])
    if top:
        t.assertRegex(ns["handle"], r"^H\d+-DK$")
        check_events(t, ns["events"])
        for s in ns["status"]:
            t.assertIn(s, STATUSES)
        for e in ns["entities"]:
            t.assertEqual(e["objectClassName"], "entity")


def check_domain(t, dom):
    t.assertEqual(dom["objectClassName"], "domain")
    t.assertRegex(dom["handle"], r"^D\d+-DK$")
    t.assertRegex(dom["ldhName"], r"^[a-z0-9.-]+$")
    for s in dom["status"]:
        t.assertIn(s, STATUSES)
    check_events(t, dom["events"])
    for e in dom["entities"]:
        check_entity(t, e)
    for ns in dom["nameservers"]:
        check_nameserver(t, ns)
    sec = dom["secureDNS"]
    t.assertIsInstance(sec["delegationSigned"], bool)
    for ds in sec.get("dsData", []):
        t.assertEqual(set(ds), {"keyTag", "algorithm", "digest", "digestType"})
    check_links(t, dom["links"], "http://127.0.0.1:8080/rdap/domain/" + dom["ldhName"])
    t.assertEqual(dom["port43"], WHOIS_HOST)


def check_top(t, a, redacted):
    """An answer to a lookup or a search: media type, CORS, conformance."""
    t.assertEqual(a.status, 200, a)
    t.assertEqual(a.header("Content-Type"), MEDIA)
    t.assertEqual(a.header("Access-Control-Allow-Origin"), "*")
    conf = a.json["rdapConformance"]
    t.assertEqual(conf[0], "rdap_level_0")
    # "redacted" (RFC 9537 §3) exactly when fields are withheld
    t.assertEqual("redacted" in conf, redacted, a)
    t.assertEqual("redacted" in a.json, redacted, a)
    t.assertEqual(len(conf), 1 + redacted)
    check_notices(t, a.json["notices"])


def check_error(t, a, status):
    t.assertEqual(a.status, status, a)
    t.assertEqual(a.header("Content-Type"), MEDIA)
    t.assertEqual(a.header("Access-Control-Allow-Origin"), "*")
    t.assertEqual(a.json["errorCode"], status)
    t.assertIsInstance(a.json["title"], str)
    t.assertEqual(len(a.json["description"]), 1)
    t.assertTrue(a.json["description"][0])
    t.assertEqual(a.json["rdapConformance"], ["rdap_level_0"])


# --- JSONPath, as far as our redacted paths go --------------------------------

PATH_STEP = re.compile(r"\.(\w+)|\[(\d+)\]|\[\?\(@\[(\d)\](?:\.(\w+))?=='([^']*)'\)\]")


def jsonpath(doc, path):
    """The nodes `path` selects in doc: $, .member, [index] and the filters
    [?(@[0]=='fn')] and [?(@[1].type=='voice')] of our redacted entries."""
    assert path.startswith("$"), path
    nodes, rest = [doc], path[1:]
    while rest:
        m = PATH_STEP.match(rest)
        assert m, "cannot read %r of %r" % (rest, path)
        rest = rest[m.end():]
        member, index, at, key, value = m.groups()
        out = []
        for n in nodes:
            if member is not None and isinstance(n, dict) and member in n:
                out.append(n[member])
            elif index is not None and isinstance(n, list) and int(index) < len(n):
                out.append(n[int(index)])
            elif at is not None and isinstance(n, list):
                for item in n:
                    if not isinstance(item, list) or len(item) <= int(at):
                        continue
                    v = item[int(at)]
                    if key is not None:
                        v = v.get(key) if isinstance(v, dict) else None
                    if v == value:
                        out.append(item)
        nodes = out
    return nodes


def prop(card, name, **params):
    got = [p for p in card[1] if p[0] == name and all(p[1].get(k) == v for k, v in params.items())]
    return got[0] if got else None


class RdapBase(DaemonPerClass):
    name = "rdap"
    only = "epp,http"

    @classmethod
    def prepare(cls):
        cls.d.add_registrar(CLID, PW, name="Whois Registrar A/S")
        cls.d.add_registrar(OTHER, OTHER_PW, name="Other Registrar")
        cls.d.add_registrar(PINNED, PINNED_PW, cert_fingerprints=["ab" * 32])
        cls.d.start()
        cls.populate()

    def get(self, path, **kw):
        return request(self.d, "/rdap" + path, **kw)


class RdapLookups(RdapBase):
    """The data of test_whois.py; no rate limit."""
    settings = dict(WhoisBase.settings, **{"rdap.rate": "0", "rdap.port43": WHOIS_HOST,
                                          "rdap.max_results": "2",
                                          "rdap.loopback_credentials": "true"})
    populate = WhoisBase.__dict__["populate"]

    def entity(self, dom, role):
        got = [(i, e) for i, e in enumerate(dom["entities"]) if e.get("roles") == [role]]
        self.assertEqual(len(got), 1, role)
        return got[0]

    def redactions(self, a):
        """The answer's redacted entries by name, each checked against the
        answer: an emptied field is "" at its postPath, a removed one is
        not at its prePath (RFC 9537 §4.2)."""
        out = {}
        for r in a.json.get("redacted", []):
            self.assertEqual(r["pathLang"], "jsonpath")
            self.assertEqual(len(r["name"]), 1)
            name = r["name"].get("type") or r["name"]["description"]
            if "type" in r["name"]:
                self.assertIn(name, REGISTERED_NAMES)
            else:
                self.assertNotIn(name, REGISTERED_NAMES)
            self.assertTrue(r["reason"]["description"])
            if r["method"] == "emptyValue":
                self.assertNotIn("prePath", r)
                self.assertEqual(jsonpath(a.json, r["postPath"]), [""], r)
            else:
                self.assertEqual(r["method"], "removal")
                self.assertNotIn("postPath", r)
                self.assertEqual(jsonpath(a.json, r["prePath"]), [], r)
            self.assertNotIn(name, out)
            out[name] = r
        return out

    # --- /rdap/help and the frame -------------------------------------------

    def test_help(self):
        a = self.get("/help")
        self.assertEqual(a.status, 200)
        self.assertEqual(a.header("Content-Type"), MEDIA)
        self.assertEqual(a.header("Access-Control-Allow-Origin"), "*")
        # help names every specification the server uses (RFC 9083 §4.1)
        self.assertEqual(a.json["rdapConformance"], ["rdap_level_0", "redacted"])
        check_notices(self, a.json["notices"])
        self.assertIn("/rdap/domain/NAME", json.dumps(a.json))

    def test_head(self):
        get = self.get("/domain/example.dk")
        head = self.get("/domain/example.dk", method="HEAD")
        self.assertEqual(head.status, 200)
        self.assertEqual(head.body, "")
        for name in ("Content-Type", "Access-Control-Allow-Origin"):
            self.assertEqual(head.header(name), get.header(name))
        self.assertEqual(self.get("/domain/nothing.dk", method="HEAD").status, 404)

    def test_keep_alive(self):
        c = http.client.HTTPConnection(self.d.http_host, self.d.http_port, timeout=20)
        try:
            first = request(self.d, "/rdap/domain/example.dk", conn=c)
            sock = c.sock
            second = request(self.d, "/rdap/nameserver/ns1.example.dk", conn=c)
            third = request(self.d, "/rdap/domain/nothing.dk", conn=c)
            fourth = request(self.d, "/rdap/help", conn=c)
            # http.client reconnects silently: the same socket means one connection
            self.assertIs(c.sock, sock)
        finally:
            c.close()
        self.assertEqual([first.status, second.status, third.status, fourth.status],
                         [200, 200, 404, 200])
        self.assertNotEqual((first.header("Connection") or "").lower(), "close")

    def test_methods(self):
        for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
            a = self.get("/domain/example.dk", method=method)
            check_error(self, a, 405)
            self.assertEqual(a.header("Allow"), "GET, HEAD")
        # a path beside /rdap is not RDAP's
        self.assertNotEqual(request(self.d, "/rdapx/domain/example.dk").header("Content-Type"),
                            MEDIA)

    # --- domains ---------------------------------------------------------------

    def test_domain(self):
        a = self.get("/domain/example.dk")
        check_top(self, a, redacted=True)
        dom = a.json
        check_domain(self, dom)
        self.assertEqual(dom["ldhName"], "example.dk")
        self.assertNotIn("unicodeName", dom)
        self.assertEqual(dom["status"], ["active"])
        actions = [e["eventAction"] for e in dom["events"]]
        self.assertEqual(actions, ["registration", "expiration", "last changed",
                                   "last update of RDAP database"])
        roles = [e.get("roles") for e in dom["entities"]]
        self.assertEqual(roles, [["registrar"], ["registrant"], ["administrative"],
                                 ["billing"], ["technical"]])
        _, registrar = self.entity(dom, "registrar")
        self.assertEqual(registrar["handle"], CLID)
        card = registrar["vcardArray"]
        self.assertEqual(prop(card, "fn")[3], "Whois Registrar A/S")
        self.assertEqual(prop(card, "url")[3], "https://whois-registrar.example")
        self.assertEqual(prop(card, "tel", type="voice")[3], "tel:+45.70707070")
        self.assertEqual(prop(card, "email")[3], "support@whois-registrar.example")
        # name servers: glue for the one under .dk only
        nss = {ns["ldhName"]: ns for ns in dom["nameservers"]}
        self.assertEqual(sorted(nss), ["ns.example.net", "ns1.example.dk"])
        self.assertEqual(nss["ns1.example.dk"]["ipAddresses"],
                         {"v4": ["192.0.2.1"], "v6": ["2001:db8::53"]})
        self.assertNotIn("ipAddresses", nss["ns.example.net"])
        self.assertEqual(dom["secureDNS"], {"delegationSigned": True, "dsData": [
            {"keyTag": 12345, "algorithm": 13, "digest": DIGEST, "digestType": 2}]})
        related = [l for l in dom["links"] if l["rel"] == "related"]
        self.assertEqual([l["href"] for l in related], ["https://whois-registrar.example"])
        # R21: the registrant's identity check is pending
        self.assertEqual(dom["remarks"][0]["title"], "Registrant Identity Check")
        self.assertRegex(dom["remarks"][0]["description"][0], r"pending, due by \d{4}-")

    def test_person_registrant_redacted(self):
        a = self.get("/domain/example.dk")
        i, reg = self.entity(a.json, "registrant")
        # the entity stays, with its handle; its personal data is withheld
        self.assertEqual(reg["handle"], "WREG:PERSON")
        card = reg["vcardArray"]
        self.assertEqual(prop(card, "fn")[3], "")
        self.assertEqual(prop(card, "kind")[3], "individual")
        adr = prop(card, "adr")
        self.assertEqual(adr[1], {"cc": "DK"})
        self.assertEqual(adr[3], ["", "", "", "", "", "", "DK"])
        for name in ("tel", "email", "org"):
            self.assertIsNone(prop(card, name), name)
        for secret in ("Jens", "Vestergade", "Aarhus", "8000", "jens@example.test",
                       "12345678", "12345679", "22334455", "0102031234"):
            self.assertNotIn(secret, a.body)
        red = self.redactions(a)
        at = "$.entities[%d].vcardArray[1]" % i
        want = {
            "Registrant Name": ("emptyValue", at + "[?(@[0]=='fn')][3]"),
            "Registrant Street": ("emptyValue", at + "[?(@[0]=='adr')][3][2]"),
            "Registrant City": ("emptyValue", at + "[?(@[0]=='adr')][3][3]"),
            "Registrant Postal Code": ("emptyValue", at + "[?(@[0]=='adr')][3][5]"),
            "Registrant Phone": ("removal", at + "[?(@[1].type=='voice')]"),
            "Registrant Fax": ("removal", at + "[?(@[1].type=='fax')]"),
            "Registrant Mobile": ("removal", at + "[?(@[1].type=='cell')]"),
            "Registrant Email": ("removal", at + "[?(@[0]=='email')]"),
        }
        for name, (method, path) in want.items():
            self.assertEqual(red[name]["method"], method, name)
            self.assertEqual(red[name].get("postPath" if method == "emptyValue" else "prePath"),
                             path, name)
        self.assertIn("Personal data of a natural person",
                      red["Registrant Name"]["reason"]["description"])
        self.assertEqual(red["Registrant Mobile"]["reason"]["description"], "Never published")
        self.assertEqual(red["Registrant Name"]["name"], {"type": "Registrant Name"})
        self.assertEqual(red["Registrant Mobile"]["name"], {"description": "Registrant Mobile"})

    def test_disclosing_person(self):
        a = self.get("/domain/example.dk")
        _, billing = self.entity(a.json, "billing")
        card = billing["vcardArray"]
        self.assertEqual(billing["handle"], "WREG:PUBLIC")
        self.assertEqual(prop(card, "fn")[3], "Åse Ødegård")
        self.assertEqual(prop(card, "adr")[3], ["", "", "Strandvejen 7", "Køge", "", "4600", "DK"])
        self.assertEqual(prop(card, "email")[3], "aase@example.test")
        self.assertIsNone(prop(card, "tel"))  # the phone is not disclosed
        red = self.redactions(a)
        self.assertEqual(red["Billing Phone"]["name"], {"description": "Billing Phone"})
        self.assertNotIn("Billing Name", red)
        self.assertNotIn("Billing Email", red)

    def test_organization_and_role(self):
        a = self.get("/domain/example.dk")
        red = self.redactions(a)
        _, admin = self.entity(a.json, "administrative")
        card = admin["vcardArray"]
        self.assertEqual(prop(card, "kind")[3], "org")
        self.assertEqual(prop(card, "fn")[3], "Hostmaster")
        self.assertEqual(prop(card, "org")[3], "Example A/S")
        self.assertEqual(prop(card, "adr")[3], ["", "", "Havnen 2", "Odense", "", "5000", "DK"])
        self.assertIsNone(prop(card, "email"))
        self.assertIsNone(prop(card, "tel"))
        self.assertNotIn("info@example.test", a.body)
        self.assertIn("organisation", red["Admin Email"]["reason"]["description"])
        self.assertIn("Admin Phone", red)
        _, tech = self.entity(a.json, "technical")
        card = tech["vcardArray"]
        self.assertEqual(prop(card, "kind")[3], "group")
        self.assertEqual(prop(card, "fn")[3], "NOC")
        self.assertIsNone(prop(card, "email"))
        self.assertEqual(red["Tech Email"]["name"], {"type": "Tech Email"})
        self.assertNotIn("Tech Name", red)

    def test_sponsor_sees_everything(self):
        a = self.get("/domain/example.dk", headers={"Authorization": basic(CLID, PW)})
        check_top(self, a, redacted=False)
        self.assertEqual(a.header("Cache-Control"), "private, no-store")
        _, reg = self.entity(a.json, "registrant")
        card = reg["vcardArray"]
        self.assertEqual(prop(card, "fn")[3], "Jens Hansen")
        self.assertEqual(prop(card, "adr")[3],
                         ["", "", "Vestergade 1", "Aarhus C", "", "8000", "DK"])
        self.assertEqual(prop(card, "tel", type="voice")[3], "tel:+45.12345678")
        self.assertEqual(prop(card, "tel", type="fax")[3], "tel:+45.12345679")
        self.assertEqual(prop(card, "tel", type="cell")[3], "tel:+45.22334455")
        self.assertEqual(prop(card, "email")[3], "jens@example.test")
        _, admin = self.entity(a.json, "administrative")
        self.assertEqual(prop(admin["vcardArray"], "email")[3], "info@example.test")
        # the identity document and the staff's note are not RDAP's, whoever asks
        self.assertNotIn("0102031234", a.body)
        self.assertNotIn("forged", a.body)

    def test_other_registrar_sees_public_data(self):
        public = self.get("/domain/example.dk")
        a = self.get("/domain/example.dk", headers={"Authorization": basic(OTHER, OTHER_PW)})
        check_top(self, a, redacted=True)
        self.assertEqual(a.json["redacted"], public.json["redacted"])
        self.assertEqual(a.json["entities"], public.json["entities"])

    def test_idn_both_ways(self):
        for name in (IDN_U, IDN_U.upper(), IDN_A, IDN_A.upper(), IDN_U + "."):
            a = self.get("/domain/" + quote(name))
            check_top(self, a, redacted=True)  # the registrant's phone
            check_domain(self, a.json)
            self.assertEqual(a.json["ldhName"], IDN_A, name)
            self.assertEqual(a.json["unicodeName"], IDN_U, name)
            self.assertEqual(a.json["status"], ["inactive"])
            self.assertEqual(a.json["secureDNS"], {"delegationSigned": False})
            _, reg = self.entity(a.json, "registrant")
            self.assertEqual(prop(reg["vcardArray"], "fn")[3], "Åse Ødegård")

    def test_suspended(self):
        # R22: failed identity check, serverHold, the deletion scheduled
        a = self.get("/domain/suspended.dk")
        check_top(self, a, redacted=True)
        self.assertIn("server hold", a.json["status"])
        self.assertIn("deletion", [e["eventAction"] for e in a.json["events"]])
        self.assertIn("failed", a.json["remarks"][0]["description"][0])
        self.assertNotIn("forged", a.body)

    # --- name servers and entities -------------------------------------------

    def test_nameserver(self):
        for path in ("/nameserver/ns1.example.dk", "/nameserver/NS1.Example.DK."):
            a = self.get(path)
            check_top(self, a, redacted=False)
            ns = a.json
            check_nameserver(self, ns, top=True)
            self.assertEqual(ns["ldhName"], "ns1.example.dk")
            self.assertEqual(ns["ipAddresses"], {"v4": ["192.0.2.1"], "v6": ["2001:db8::53"]})
            self.assertEqual(ns["status"], ["associated", "active"])
            self.assertEqual(ns["entities"][0]["handle"], CLID)
            self.assertEqual(ns["entities"][0]["roles"], ["registrar"])
            related = [l for l in ns["links"] if l["rel"] == "related"]
            self.assertEqual(related[0]["href"], "http://127.0.0.1:8080/rdap/domain/example.dk")
            self.assertEqual(ns["port43"], WHOIS_HOST)
        a = self.get("/nameserver/ns.example.net")
        self.assertNotIn("ipAddresses", a.json)

    def test_contact_entity(self):
        a = self.get("/entity/wreg:person")
        check_top(self, a, redacted=True)
        check_entity(self, a.json, top=True)
        self.assertEqual(a.json["handle"], "WREG:PERSON")
        self.assertNotIn("roles", a.json)
        self.assertEqual(a.json["status"], ["associated", "active"])
        self.assertEqual(prop(a.json["vcardArray"], "fn")[3], "")
        red = self.redactions(a)
        self.assertEqual(red["Contact Name"]["postPath"],
                         "$.vcardArray[1][?(@[0]=='fn')][3]")
        self.assertNotIn("Jens", a.body)
        a = self.get("/entity/WREG:PUBLIC")
        self.assertEqual(prop(a.json["vcardArray"], "fn")[3], "Åse Ødegård")
        a = self.get("/entity/WREG:PERSON", headers={"Authorization": basic(CLID, PW)})
        check_top(self, a, redacted=False)
        self.assertEqual(prop(a.json["vcardArray"], "fn")[3], "Jens Hansen")

    def test_registrar_entity(self):
        a = self.get("/entity/wreg")
        check_top(self, a, redacted=False)
        check_entity(self, a.json, top=True)
        self.assertEqual(a.json["roles"], ["registrar"])
        self.assertEqual(a.json["status"], ["active"])
        card = a.json["vcardArray"]
        self.assertEqual(prop(card, "fn")[3], "Whois Registrar A/S")
        self.assertEqual(prop(card, "kind")[3], "org")
        self.assertEqual(prop(card, "email")[3], "support@whois-registrar.example")

    # --- errors ----------------------------------------------------------------

    def test_not_found(self):
        for path in ("/domain/nothing.dk", "/domain/example.com", "/domain/ns1.example.dk",
                     "/nameserver/nothing.example.dk", "/entity/WREG:NOBODY",
                     "/entity/NOBODY"):
            check_error(self, self.get(path), 404)

    def test_malformed(self):
        for path in ("", "/", "/domain", "/domain/", "/domain/a..dk", "/domain/%zz.dk",
                     "/domain/-a.dk", "/domain/a%00.dk", "/domain/a/b", "/foo/x",
                     "/entity/a%20b", "/help/x", "/domain/" + "a" * 300 + ".dk"):
            check_error(self, self.get(path), 400)
        for path in ("/ip/192.0.2.1", "/autnum/64496", "/domains?nsIp=192.0.2.1",
                     "/domains?nsLdhName=ns1.example.dk", "/nameservers?ip=192.0.2.1"):
            check_error(self, self.get(path, headers={"Authorization": basic(CLID, PW)}), 501)

    # --- searches -----------------------------------------------------------------

    def test_search_needs_registrar(self):
        for path in ("/domains?name=exam*", "/nameservers?name=ns1*", "/entities?fn=Jens*"):
            a = self.get(path)
            check_error(self, a, 401)
            self.assertEqual(a.header("WWW-Authenticate"), 'Basic realm="RDAP", charset="UTF-8"')
        for auth in (basic(CLID, "wrong-pw1"), basic("NOBODY", PW), "Basic !!!", "Bearer x"):
            check_error(self, self.get("/domains?name=exam*", headers={"Authorization": auth}),
                        401)
        # a pinned client certificate cannot travel in HTTP Basic
        a = self.get("/domains?name=exam*", headers={"Authorization": basic(PINNED, PINNED_PW)})
        check_error(self, a, 401)
        self.assertIn("certificate", a.json["description"][0])
        # each refusal is logged with the client id and why, never the password
        log = self.d.stderr()
        self.assertRegex(log, r"sub=rdap .*event=sign-in-refused clid=WREG peer=127\.0\.0\.1 "
                              r"reason=\"invalid client id or password\"")
        self.assertRegex(log, r"event=sign-in-refused clid=PINREG .*certificate")
        self.assertNotIn("wrong-pw1", log)

    def test_search_domains(self):
        auth = {"Authorization": basic(CLID, PW)}
        for q in ("exam*", "EXAM*", "exam*.dk", "example.dk"):
            a = self.get("/domains?name=" + q, headers=auth)
            check_top(self, a, redacted=False)
            got = a.json["domainSearchResults"]
            self.assertEqual([d["ldhName"] for d in got], ["example.dk"], q)
            check_domain(self, got[0])
        a = self.get("/domains?name=exam*.net", headers=auth)
        self.assertEqual(a.json["domainSearchResults"], [])
        a = self.get("/domains?name=" + quote("blåbær*"), headers=auth)
        self.assertEqual([d["unicodeName"] for d in a.json["domainSearchResults"]], [IDN_U])
        for q in ("*", "*.dk", "ex*m*", "a.b*.dk"):
            check_error(self, self.get("/domains?name=" + quote(q), headers=auth), 422)
        # another registrar finds WREG's domain, with WREG's contacts withheld
        a = self.get("/domains?name=suspended*", headers={"Authorization": basic(OTHER, OTHER_PW)})
        check_top(self, a, redacted=True)
        red = self.redactions(a)
        self.assertTrue(red["Registrant Name"]["postPath"].startswith(
            "$.domainSearchResults[0].entities["), red)
        self.assertNotIn("Jens", a.body)

    def test_search_nameservers(self):
        auth = {"Authorization": basic(CLID, PW)}
        a = self.get("/nameservers?name=ns*", headers=auth)
        check_top(self, a, redacted=False)
        got = a.json["nameserverSearchResults"]
        # two match, max_results is 2: nothing cut
        self.assertEqual([n["ldhName"] for n in got], ["ns.example.net", "ns1.example.dk"])
        for ns in got:
            check_nameserver(self, ns, top=True)
        a = self.get("/nameservers?name=ns*.example.dk", headers=auth)
        self.assertEqual([n["ldhName"] for n in a.json["nameserverSearchResults"]],
                         ["ns1.example.dk"])
        a = self.get("/nameservers?name=n*", headers=auth)
        self.assertEqual(len(a.json["nameserverSearchResults"]), 2)
        check_error(self, self.get("/nameservers?name=" + quote("nå*"), headers=auth), 422)

    def test_search_entities(self):
        auth = {"Authorization": basic(CLID, PW)}
        a = self.get("/entities?fn=jens*", headers=auth)
        check_top(self, a, redacted=False)
        got = a.json["entitySearchResults"]
        # WREG's own contacts named Jens Hansen: PERSON and FAILED, in full
        self.assertEqual([e["handle"] for e in got], ["WREG:FAILED", "WREG:PERSON"])
        for e in got:
            check_entity(self, e, top=True)
            self.assertEqual(prop(e["vcardArray"], "fn")[3], "Jens Hansen")
        a = self.get("/entities?fn=Hostmaster", headers=auth)
        self.assertEqual([e["handle"] for e in a.json["entitySearchResults"]], ["WREG:ORG"])
        a = self.get("/entities?handle=wreg:p*", headers=auth)
        self.assertEqual([e["handle"] for e in a.json["entitySearchResults"]],
                         ["WREG:PERSON", "WREG:PUBLIC"])
        # registrars by name or handle
        a = self.get("/entities?fn=whois+reg*", headers=auth)
        self.assertEqual([e["handle"] for e in a.json["entitySearchResults"]], [CLID])
        self.assertEqual(a.json["entitySearchResults"][0]["roles"], ["registrar"])
        a = self.get("/entities?handle=OREG", headers=auth)
        self.assertEqual([e["handle"] for e in a.json["entitySearchResults"]], [OTHER])
        # three handles start with WREG:, at most two are returned, with a notice
        a = self.get("/entities?handle=WREG:*", headers=auth)
        self.assertEqual(len(a.json["entitySearchResults"]), 2)
        cut = [n for n in a.json["notices"]
               if n.get("type") == "result set truncated due to excessive load"]
        self.assertEqual(len(cut), 1)
        self.assertEqual(cut[0]["title"], "Search Policy")
        # another registrar finds none of WREG's contacts
        a = self.get("/entities?fn=jens*", headers={"Authorization": basic(OTHER, OTHER_PW)})
        self.assertEqual(a.json["entitySearchResults"], [])
        check_error(self, self.get("/entities?fn=j*s", headers=auth), 422)


class RdapLimits(RdapBase):
    """1 request a second after a burst of 3 per source, nothing exempt; a
    TLS proxy at 127.0.0.3; credentials over plain HTTP refused even from
    loopback (the default)."""
    settings = {"rdap.rate": "1", "rdap.burst": "3", "http.exempt": "",
                "http.proxies": "127.0.0.3", "registry.terms_of_use": TERMS}

    @classmethod
    def populate(cls):
        c = EPPClient(cls.d.host, cls.d.port)
        assert c.login(CLID, PW).code == 1000
        from test_epp_contact import c_create
        assert c.command(c_create("HOLDER")).code == 1000
        assert c.command(create_xml("limits.dk", registrant="WREG:HOLDER", period=1,
                                    pw="Dpw-12345"), extension=with_terms()).code == 1000
        c.close()

    def test_burst_refused_other_source_served(self):
        answers = [self.get("/domain/limits.dk", source="127.0.0.4") for _ in range(6)]
        served = [a for a in answers if a.status == 200]
        refused = [a for a in answers if a.status == 429]
        # the burst of 3 (and perhaps one more token that came meanwhile)
        self.assertIn(len(served), (3, 4), answers)
        self.assertEqual(len(served) + len(refused), 6, answers)
        self.assertEqual([a.status for a in answers[:3]], [200, 200, 200])
        for a in refused:
            check_error(self, a, 429)
            self.assertRegex(a.header("Retry-After"), r"^[1-9]\d*$")
        # another address is served meanwhile; errors cost a token too
        self.assertEqual(self.get("/domain/limits.dk", source="127.0.0.5").status, 200)
        self.assertEqual(self.get("/domain/nothing.dk", source="127.0.0.5").status, 404)
        # and the first is served again once its bucket refills
        time.sleep(float(refused[-1].header("Retry-After")) + 0.2)
        self.assertEqual(self.get("/domain/limits.dk", source="127.0.0.4").status, 200)

    def test_forwarded_for_is_the_client(self):
        def via_proxy(client):
            return self.get("/domain/limits.dk", source="127.0.0.3",
                            headers={"X-Forwarded-For": "203.0.113.9, " + client})
        statuses = [via_proxy("198.51.100.1").status for _ in range(5)]
        self.assertEqual(statuses[:3], [200, 200, 200])
        self.assertIn(429, statuses)
        # the proxy itself and its other clients are not held back
        self.assertEqual(via_proxy("198.51.100.2").status, 200)
        self.assertEqual(via_proxy("2001:db8:1:2::1").status, 200)

    def test_credentials_only_over_tls(self):
        auth = basic(CLID, PW)
        # plain HTTP, from loopback, with loopback_credentials = false (the default)
        a = self.get("/domain/limits.dk", source="127.0.0.6", headers={"Authorization": auth})
        check_error(self, a, 403)
        self.assertIn("HTTPS", a.json["description"][0])
        # through the proxy: TLS as its X-Forwarded-Proto says
        a = self.get("/domain/limits.dk", source="127.0.0.3",
                     headers={"Authorization": auth, "X-Forwarded-Proto": "http",
                              "X-Forwarded-For": "198.51.100.7"})
        check_error(self, a, 403)
        a = self.get("/domain/limits.dk", source="127.0.0.3",
                     headers={"Authorization": auth, "X-Forwarded-Proto": "https",
                              "X-Forwarded-For": "198.51.100.8"})
        check_top(self, a, redacted=False)
        _, reg = [(i, e) for i, e in enumerate(a.json["entities"])
                  if e.get("roles") == ["registrant"]][0]
        self.assertEqual(prop(reg["vcardArray"], "fn")[3], "Jens Hansen")
        # a header from a peer that is not a proxy proves nothing
        a = self.get("/domain/limits.dk", source="127.0.0.7",
                     headers={"Authorization": auth, "X-Forwarded-Proto": "https"})
        check_error(self, a, 403)


class RdapCanned(RdapBase):
    """[rdap] canned = true (the baseline of bench/rdap-bench.sh): every
    domain lookup gets one fixed answer of a domain, built at start by the
    code of real answers, through the same route, rate check and headers,
    and never reads the database: its domain table is renamed away before
    the first request, which the lookups of other objects do notice. 1
    request a second after a burst of 3 per source, nothing exempt."""
    name = "rdap-canned"
    settings = {"rdap.canned": "true", "rdap.rate": "1", "rdap.burst": "3",
                "http.exempt": "", "rdap.port43": WHOIS_HOST, "registry.terms_of_use": TERMS}
    entity = RdapLookups.entity
    redactions = RdapLookups.redactions

    @classmethod
    def populate(cls):
        sql(cls.d, "ALTER TABLE domain RENAME TO domain_gone")

    def test_banner(self):
        self.assertIn("(canned RDAP domain answers: a benchmark aid)", self.d.stdout())

    def test_any_name_gets_the_canned_domain(self):
        for i, name in enumerate(("nothing-here.dk", "EXAMPLE.DK", quote(IDN_U), IDN_A,
                                  "canned.example")):
            a = self.get("/domain/" + name, source="127.0.0.%d" % (20 + i))
            check_top(self, a, redacted=True)
            dom = a.json
            check_domain(self, dom)
            self.assertEqual(dom["ldhName"], "canned.example")
            self.assertEqual(dom["status"], ["active"])
            roles = [e.get("roles") for e in dom["entities"]]
            self.assertEqual(roles, [["registrar"], ["registrant"], ["administrative"]])
            self.assertEqual([ns["ldhName"] for ns in dom["nameservers"]],
                             ["ns1.example.net", "ns2.example.net"])
            self.assertEqual(dom["secureDNS"], {"delegationSigned": False})
            # a person registrant, withheld as in a real answer
            j, reg = self.entity(dom, "registrant")
            self.assertEqual(prop(reg["vcardArray"], "fn")[3], "")
            self.assertNotIn("Jens", a.body)
            red = self.redactions(a)
            self.assertEqual(red["Registrant Name"]["postPath"],
                             "$.entities[%d].vcardArray[1][?(@[0]=='fn')][3]" % j)
            # an organisation as admin contact, shown
            _, admin = self.entity(dom, "administrative")
            self.assertEqual(prop(admin["vcardArray"], "org")[3], "Example A/S")
            self.assertEqual(a.header("Cache-Control"), None)

    def test_database_not_read(self):
        # the lookups that read do fail without the domain table
        a = self.get("/entity/%s:NOBODY" % CLID, source="127.0.0.30")
        check_error(self, a, 503)
        a = self.get("/domain/nothing-here.dk", source="127.0.0.31")
        check_top(self, a, redacted=True)
        self.assertEqual(a.json["ldhName"], "canned.example")

    def test_same_route_rate_and_errors(self):
        # a malformed name is refused before any answer, canned or not
        check_error(self, self.get("/domain/-bad-.dk", source="127.0.0.40"), 400)
        check_error(self, self.get("/domain/x.dk", method="POST", source="127.0.0.41"), 405)
        a = self.get("/domain/x.dk", method="HEAD", source="127.0.0.42")
        self.assertEqual(a.status, 200)
        self.assertEqual(a.header("Content-Type"), MEDIA)
        self.assertEqual(a.body, "")
        # the rate check: the burst of 3, then 429
        answers = [self.get("/domain/x.dk", source="127.0.0.43") for _ in range(6)]
        self.assertEqual([a.status for a in answers[:3]], [200, 200, 200])
        refused = [a for a in answers if a.status == 429]
        self.assertIn(len(refused), (2, 3), answers)
        for a in refused:
            check_error(self, a, 429)
            self.assertRegex(a.header("Retry-After"), r"^[1-9]\d*$")


class RdapThreads:
    """[http] threads = 2: the same checks on two loops, each with its own
    socket (SO_REUSEPORT), database connection and RDAP state; plus many
    keep-alive clients at once from many sources."""
    SOURCES = ["127.0.0.%d" % i for i in range(10, 26)]

    def test_parallel_keep_alive_clients(self):
        import threading
        errors, lock = [], threading.Lock()

        def client(source):
            c = http.client.HTTPConnection(self.d.http_host, self.d.http_port, timeout=30,
                                           source_address=(source, 0))
            try:
                for i in range(40):
                    name = "example.dk" if i % 4 else "nothing.dk"
                    a = request(self.d, "/rdap/domain/" + name, conn=c)
                    ok = (a.status == 200 and a.json["ldhName"] == "example.dk") \
                        if name == "example.dk" else a.status == 404
                    if not ok:
                        with lock:
                            errors.append((source, i, a.status, a.body[:200]))
            except Exception as e:  # noqa: BLE001 - reported below
                with lock:
                    errors.append((source, repr(e)))
            finally:
                c.close()

        threads = [threading.Thread(target=client, args=(s,)) for s in self.SOURCES]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        # both loops answered: request ids carry a prefix of their loop's own
        prefixes = set(re.findall(r"\bH([0-9a-f]{8})-\d+", self.d.stderr()))
        self.assertEqual(len(prefixes), 2, prefixes)
        self.assertNotIn("single-loop", self.d.stderr())


class SqliteRdap(RdapLookups, unittest.TestCase):
    backend = "sqlite"


class PgsqlRdap(RdapLookups, unittest.TestCase):
    backend = "pgsql"


class SqliteRdapCanned(RdapCanned, unittest.TestCase):
    backend = "sqlite"


class PgsqlRdapCanned(RdapCanned, unittest.TestCase):
    backend = "pgsql"


class SqliteRdapLimits(RdapLimits, unittest.TestCase):
    backend = "sqlite"


class PgsqlRdapLimits(RdapLimits, unittest.TestCase):
    backend = "pgsql"


def _threads(settings):
    return dict(settings, **{"http.threads": "2"})


class SqliteRdapThreads(RdapThreads, RdapLookups, unittest.TestCase):
    backend = "sqlite"
    settings = _threads(RdapLookups.settings)


class PgsqlRdapThreads(RdapThreads, RdapLookups, unittest.TestCase):
    backend = "pgsql"
    settings = _threads(RdapLookups.settings)


# the per-source limits hold whole: a source always meets the same loop
class SqliteRdapLimitsThreads(RdapLimits, unittest.TestCase):
    backend = "sqlite"
    settings = _threads(RdapLimits.settings)


class PgsqlRdapLimitsThreads(RdapLimits, unittest.TestCase):
    backend = "pgsql"
    settings = _threads(RdapLimits.settings)


if __name__ == "__main__":
    unittest.main()
