"""Objects for the portal's browser tests, made over EPP as a registrar
would: python3 seed.py HOST PORT CLID PW < commands

Each line of standard input is one object:
    contact ID EMAIL
    host NAME
    domain NAME REGISTRANT [NS,NS,...] [tech=ID]
    account ID SLOT CONTACT   (fills an empty slot of the account)
Exits non-zero naming the first command EPP refused.
Standard library only (and tests/system's EPP client)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "system"))
from eppclient import EPPClient, with_terms, xml_escape as x  # noqa: E402

CONTACT_NS = "urn:ietf:params:xml:ns:contact-1.0"
HOST_NS = "urn:ietf:params:xml:ns:host-1.0"
DOMAIN_NS = "urn:ietf:params:xml:ns:domain-1.0"


def contact(cid, email):
    return ('<create><contact:create xmlns:contact="%s"><contact:id>%s</contact:id>'
            '<contact:postalInfo type="int"><contact:name>Test Holder</contact:name>'
            '<contact:addr><contact:street>Vesterbrogade 1</contact:street><contact:city>Aarhus'
            '</contact:city><contact:pc>8000</contact:pc><contact:cc>DK</contact:cc>'
            '</contact:addr></contact:postalInfo><contact:email>%s</contact:email>'
            '<contact:authInfo><contact:pw>Cpw-12345</contact:pw></contact:authInfo>'
            '</contact:create></create>' % (CONTACT_NS, x(cid), x(email)), "")


def host(name):
    return ('<create><host:create xmlns:host="%s"><host:name>%s</host:name></host:create>'
            '</create>' % (HOST_NS, x(name)), "")


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


def main(host_, port, clid, pw):
    c = EPPClient(host_, int(port))
    r = c.login(clid, pw)
    if r.code != 1000:
        sys.exit("login: %s" % r.raw)
    makers = {"contact": contact, "host": host, "domain": domain, "account": account}
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        inner, ext = makers[words[0]](*words[1:])
        r = c.command(inner, extension=ext)
        if r.code != 1000:
            sys.exit("%s: %s" % (line.strip(), r.raw))
    c.logout()
    c.close()


if __name__ == "__main__":
    main(*sys.argv[1:5])
