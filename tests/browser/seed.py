"""Objects for the portal's browser tests, made over EPP as a registrar
would: python3 seed.py HOST PORT CLID PW < commands

Each line of standard input is one object:
    contact ID EMAIL [ident=CC:IDENT]   (with ident: a person, that identity)
    host NAME [admin=ID]      (an out-of-zone name server, its administrator)
    domain NAME REGISTRANT [NS,NS,...] [tech=ID]
    account ID SLOT CONTACT   (fills an empty slot of the account)
    registrant NAME CONTACT   (a change of registrant: pending, 1001, until confirmed)
    transfer NAME PASSWORD    (a transfer request with that auth info or one-time password)
Exits non-zero naming the first command EPP refused (answered other
than 1000, or 1001 for a registrant change).
Standard library only (and tests/system's EPP client)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "system"))
from eppclient import EPPClient, with_terms, xml_escape as x  # noqa: E402

CONTACT_NS = "urn:ietf:params:xml:ns:contact-1.0"
HOST_NS = "urn:ietf:params:xml:ns:host-1.0"
DOMAIN_NS = "urn:ietf:params:xml:ns:domain-1.0"
REGC_NS = "https://registryd.org/epp/contact-ext-1.0"


def contact(cid, email, ident=""):
    ext = ""
    if ident:
        cc, value = ident.split("=", 1)[1].split(":", 1)
        ext = ('<regc:create xmlns:regc="%s"><regc:type>person</regc:type><regc:ident '
               'type="priv" cc="%s">%s</regc:ident></regc:create>' % (REGC_NS, x(cc), x(value)))
    return ('<create><contact:create xmlns:contact="%s"><contact:id>%s</contact:id>'
            '<contact:postalInfo type="int"><contact:name>Test Holder</contact:name>'
            '<contact:addr><contact:street>Vesterbrogade 1</contact:street><contact:city>Aarhus'
            '</contact:city><contact:pc>8000</contact:pc><contact:cc>DK</contact:cc>'
            '</contact:addr></contact:postalInfo><contact:email>%s</contact:email>'
            '<contact:authInfo><contact:pw>Cpw-12345</contact:pw></contact:authInfo>'
            '</contact:create></create>' % (CONTACT_NS, x(cid), x(email)), ext)


def host(name, admin=""):
    ext = ""
    if admin:
        ext = ('<regh:create xmlns:regh="https://registryd.org/epp/host-ext-1.0"><regh:admin>%s'
               '</regh:admin></regh:create>' % x(admin.split("=", 1)[1]))
    return ('<create><host:create xmlns:host="%s"><host:name>%s</host:name></host:create>'
            '</create>' % (HOST_NS, x(name)), ext)


def domain(name, registrant, ns="", *rest):
    hosts = "".join("<domain:hostObj>%s</domain:hostObj>" % x(h) for h in ns.split(",") if h)
    contacts = "".join('<domain:contact type="%s">%s</domain:contact>' % (k, x(v))
                       for k, v in (r.split("=", 1) for r in rest))
    return ('<create><domain:create xmlns:domain="%s"><domain:name>%s</domain:name>%s'
            '<domain:registrant>%s</domain:registrant>%s<domain:authInfo><domain:pw/>'
            '</domain:authInfo></domain:create></create>'
            % (DOMAIN_NS, x(name), "<domain:ns>%s</domain:ns>" % hosts if hosts else "",
               x(registrant), contacts), with_terms())


def account(aid, slot, cid):
    return ('<update><account:update xmlns:account="https://registryd.org/epp/account-1.0">'
            '<account:id>%s</account:id><account:add><account:contact slot="%s">%s'
            '</account:contact></account:add></account:update></update>'
            % (x(aid), x(slot), x(cid)), "")


def registrant(name, cid):
    return ('<update><domain:update xmlns:domain="%s"><domain:name>%s</domain:name><domain:chg>'
            '<domain:registrant>%s</domain:registrant></domain:chg></domain:update></update>'
            % (DOMAIN_NS, x(name), x(cid)), "")


def transfer(name, pw):
    return ('<transfer op="request"><domain:transfer xmlns:domain="%s"><domain:name>%s'
            '</domain:name><domain:authInfo><domain:pw>%s</domain:pw></domain:authInfo>'
            '</domain:transfer></transfer>' % (DOMAIN_NS, x(name), x(pw)), "")


# what each command must be answered (a registrant change waits for the registrant)
ANSWERS = {"registrant": (1000, 1001)}


def main(host_, port, clid, pw):
    c = EPPClient(host_, int(port))
    r = c.login(clid, pw)
    if r.code != 1000:
        sys.exit("login: %s" % r.raw)
    makers = {"contact": contact, "host": host, "domain": domain, "account": account,
              "registrant": registrant, "transfer": transfer}
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        inner, ext = makers[words[0]](*words[1:])
        r = c.command(inner, extension=ext)
        if r.code not in ANSWERS.get(words[0], (1000,)):
            sys.exit("%s: %s" % (line.strip(), r.raw))
    c.logout()
    c.close()


if __name__ == "__main__":
    main(*sys.argv[1:5])
