"""A small EPP client (RFC 5730/5734) on the Python standard library, used
by the system tests: TLS, 4-byte length framing, and helpers that build the
usual commands and read result codes."""
import socket
import ssl
import struct
import time
import xml.etree.ElementTree as ET

EPP_NS = "urn:ietf:params:xml:ns:epp-1.0"
NS = {
    "epp": EPP_NS,
    "domain": "urn:ietf:params:xml:ns:domain-1.0",
    "contact": "urn:ietf:params:xml:ns:contact-1.0",
    "host": "urn:ietf:params:xml:ns:host-1.0",
}
OBJ_URIS = [
    "urn:ietf:params:xml:ns:domain-1.0",
    "urn:ietf:params:xml:ns:contact-1.0",
    "urn:ietf:params:xml:ns:host-1.0",
    "https://registryd.org/epp/account-1.0",
]
# Every extension the server offers: a session uses only what it announced
# at login (RFC 5730 §2.9.1.1), so the helpers announce them all unless a
# test says otherwise.
ALL_EXT_URIS = [
    "urn:ietf:params:xml:ns:secDNS-1.1",
    "urn:ietf:params:xml:ns:rgp-1.0",
    "urn:ietf:params:xml:ns:epp:fee-1.0",
    "urn:ietf:params:xml:ns:changePoll-1.0",
    "https://registryd.org/epp/contact-ext-1.0",
    "https://registryd.org/epp/domain-ext-1.0",
    "https://registryd.org/epp/host-ext-1.0",
]


HELLO = '<?xml version="1.0" encoding="UTF-8"?><epp xmlns="%s"><hello/></epp>' % EPP_NS

REGD_NS = "https://registryd.org/epp/domain-ext-1.0"
# R20: a domain create carries the registrant's acceptance of the registry's
# terms: the current version ([terms] version, "1.0" unless configured) and
# when the registrant accepted it (any time not in the future).
TERMS_VERSION = "1.0"
TERMS_ACCEPTED = "2025-01-01T00:00:00Z"


def frame(data):
    """An RFC 5734 data unit: 4-byte big-endian total length, then data."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return struct.pack(">I", len(data) + 4) + data


def regd_create(management=None, terms=True, version=TERMS_VERSION, accepted=TERMS_ACCEPTED):
    """<regd:create> for a domain create: the management model (R18, None:
    the registrar's default) and the terms the registrant accepted (R20;
    terms=False leaves <regd:terms> out)."""
    body = "<regd:management>%s</regd:management>" % management if management else ""
    if terms:
        body += '<regd:terms version="%s" accepted="%s"/>' % (xml_escape(version),
                                                              xml_escape(accepted))
    return '<regd:create xmlns:regd="%s">%s</regd:create>' % (REGD_NS, body)


def with_terms(extension=""):
    """The <extension> content of a domain create with the R20 terms: a
    default <regd:create> is added unless the extension has one already."""
    return extension if "regd:create" in extension else regd_create() + extension


def regd_verified(verb):
    """<regd:update|delete><regd:verified/>: the registrar verified the
    registrant's intent (R8), so the operation applies at once (R7)."""
    return '<regd:%s xmlns:regd="%s"><regd:verified/></regd:%s>' % (verb, REGD_NS, verb)


def is_domain_create(inner):
    return "<domain:create" in inner


class EPPError(Exception):
    pass


class Response:
    def __init__(self, raw):
        self.raw = raw
        self.root = ET.fromstring(raw)

    @property
    def code(self):
        r = self.root.find("epp:response/epp:result", NS)
        return int(r.get("code")) if r is not None else None

    @property
    def msg(self):
        m = self.root.find("epp:response/epp:result/epp:msg", NS)
        return m.text if m is not None else None

    @property
    def reason(self):
        m = self.root.find("epp:response/epp:result/epp:extValue/epp:reason", NS)
        return m.text if m is not None else None

    def find(self, path):
        return self.root.find(path, NS)

    def findtext(self, path):
        return self.root.findtext(path, namespaces=NS)

    @property
    def svtrid(self):
        return self.findtext("epp:response/epp:trID/epp:svTRID")

    @property
    def cltrid(self):
        return self.findtext("epp:response/epp:trID/epp:clTRID")

    @property
    def msgq(self):
        return self.find("epp:response/epp:msgQ")

    @property
    def is_greeting(self):
        return self.root.find("epp:greeting", NS) is not None

    def __repr__(self):
        return "<Response %s %s %s>" % (self.code, self.msg, self.reason)


def xml_escape(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


class EPPClient:
    """One EPP session over TLS (RFC 5734).

    certfile/keyfile: a client certificate to present. tls_version: an
    ssl.TLSVersion to pin the connection to (None = what both sides like
    best). recorder: called with every frame read from the server (the
    greeting included), e.g. to validate them all later. read_greeting=False
    leaves the greeting unread. source: the local address to connect from
    (any 127.x.y.z on loopback), so a test can be several clients."""

    def __init__(self, host, port, certfile=None, keyfile=None, timeout=20, tls_version=None,
                 recorder=None, read_greeting=True, source=None):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        if tls_version is not None:
            if tls_version < ssl.TLSVersion.TLSv1_2:
                ctx.set_ciphers("DEFAULT:@SECLEVEL=0")  # let OpenSSL 3 even offer it
            ctx.minimum_version = tls_version
            ctx.maximum_version = tls_version
        if certfile:
            ctx.load_cert_chain(certfile, keyfile)
        self.recorder = recorder
        self.trid = 0
        raw = socket.create_connection((host, port), timeout=timeout,
                                       source_address=(source, 0) if source else None)
        try:
            self.sock = ctx.wrap_socket(raw, server_hostname=host)
        except BaseException:
            raw.close()
            raise
        self.greeting = Response(self.read_frame()) if read_greeting else None

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def _recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise EPPError("connection closed by server")
            buf += chunk
        return buf

    def read_frame(self):
        (total,) = struct.unpack(">I", self._recv_exact(4))
        if total < 5:
            raise EPPError("server sent a frame length of %d" % total)
        frame = self._recv_exact(total - 4).decode("utf-8")
        if self.recorder:
            self.recorder(frame)
        return frame

    def read_response(self):
        return Response(self.read_frame())

    def send_bytes(self, data):
        """Sends bytes as they are, without a frame header."""
        self.sock.sendall(data)

    def wait_closed(self, timeout=10):
        """Reads until the server closes the connection; returns the frames
        that came first. Raises EPPError if it stays open for `timeout`
        seconds. A close without TLS close_notify counts as closed."""
        frames = []
        buf = b""
        self.sock.settimeout(timeout)
        deadline = time.monotonic() + timeout
        while True:
            try:
                chunk = self.sock.recv(65536)
            except (socket.timeout, TimeoutError):
                raise EPPError("the server kept the connection open for %ss" % timeout)
            except (ssl.SSLError, ConnectionError, OSError):
                chunk = b""
            if not chunk:
                break
            buf += chunk
            while len(buf) >= 4:
                (total,) = struct.unpack(">I", buf[:4])
                if len(buf) < total or total < 5:
                    break
                frame = buf[4:total].decode("utf-8", "replace")
                buf = buf[total:]
                if self.recorder:
                    self.recorder(frame)
                frames.append(frame)
            if time.monotonic() > deadline:
                raise EPPError("the server kept the connection open for %ss" % timeout)
        if buf:
            frames.append(buf.decode("utf-8", "replace"))
        return frames

    def send_raw(self, data):
        self.sock.sendall(frame(data))

    def request(self, xml):
        self.send_raw(xml)
        return Response(self.read_frame())

    def next_trid(self):
        self.trid += 1
        return "CL-%d" % self.trid

    def command(self, inner, extension="", cltrid=None, send_cltrid=True):
        """Sends <command>inner [extension] <clTRID></command>; cltrid is
        inserted as given (already XML-escaped); send_cltrid=False leaves
        the clTRID out."""
        cltrid = cltrid or self.next_trid()
        ext = "<extension>%s</extension>" % extension if extension else ""
        tr = "<clTRID>%s</clTRID>" % cltrid if send_cltrid else ""
        doc = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<epp xmlns="%s"><command>%s%s%s</command></epp>'
               % (EPP_NS, inner, ext, tr))
        return self.request(doc)

    def hello(self):
        return self.request(HELLO)

    def login(self, clid, pw, newpw=None, version="1.0", lang="en", obj_uris=None,
              ext_uris=None):
        obj_uris = OBJ_URIS if obj_uris is None else obj_uris
        ext_uris = ALL_EXT_URIS if ext_uris is None else ext_uris
        newpw_el = "<newPW>%s</newPW>" % xml_escape(newpw) if newpw else ""
        svcs = "".join("<objURI>%s</objURI>" % u for u in obj_uris)
        if ext_uris:
            svcs += "<svcExtension>%s</svcExtension>" % "".join(
                "<extURI>%s</extURI>" % u for u in ext_uris)
        return self.command(
            "<login><clID>%s</clID><pw>%s</pw>%s<options><version>%s</version>"
            "<lang>%s</lang></options><svcs>%s</svcs></login>"
            % (xml_escape(clid), xml_escape(pw), newpw_el, version, lang, svcs))

    def logout(self):
        return self.command("<logout/>")

    def poll_req(self):
        return self.command('<poll op="req"/>')

    def poll_ack(self, msgid):
        return self.command('<poll op="ack" msgID="%s"/>' % msgid)
