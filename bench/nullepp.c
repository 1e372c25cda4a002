/* nullepp: the "null EPP server" of DESIGN §10 — TLS and RFC 5734 framing
 * on the same event loop as registryd, a canned greeting and a canned 1000
 * answer to every frame, no parsing, no database. regbench against it
 * measures the ceiling that TLS and framing alone allow on this machine.
 *   nullepp [--listen 127.0.0.1:7100] [--var DIR]   (self-signed cert in DIR)
 * Port 0 takes a free one; the first line printed names it. */
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "daemon/tls.h"
#include "epp/frame.h"

static const char greeting[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\">"
    "<greeting><svID>nullepp</svID><svDate>2026-01-01T00:00:00Z</svDate><svcMenu><version>1.0"
    "</version><lang>en</lang><objURI>urn:ietf:params:xml:ns:domain-1.0</objURI></svcMenu>"
    "<dcp><access><all/></access><statement><purpose><admin/></purpose><recipient><ours/>"
    "</recipient><retention><stated/></retention></statement></dcp></greeting></epp>";
static const char answer[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\">"
    "<response><result code=\"1000\"><msg>Command completed successfully</msg></result>"
    "<trID><svTRID>NULL-1</svTRID></trID></response></epp>";

static SSL_CTX *ssl_ctx;

static void send_frame(struct bufferevent *bev, const char *xml, size_t len)
{
    unsigned char hdr[EPP_FRAME_HEADER];
    epp_frame_header_write(len, hdr);
    struct evbuffer *out = bufferevent_get_output(bev);
    evbuffer_add(out, hdr, sizeof hdr);
    evbuffer_add(out, xml, len);
}

static void on_read(struct bufferevent *bev, void *arg)
{
    (void)arg;
    struct evbuffer *in = bufferevent_get_input(bev);
    for (;;) {
        unsigned char hdr[EPP_FRAME_HEADER];
        size_t payload;
        if (evbuffer_copyout(in, hdr, sizeof hdr) < (ev_ssize_t)sizeof hdr)
            return;
        if (epp_frame_header_parse(hdr, 1 << 20, &payload)) {
            bufferevent_free(bev);
            return;
        }
        if (evbuffer_get_length(in) < payload + sizeof hdr)
            return;
        evbuffer_drain(in, payload + sizeof hdr);
        send_frame(bev, answer, sizeof answer - 1);
    }
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
    (void)arg;
    if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
        bufferevent_free(bev);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int len,
                      void *arg)
{
    (void)sa;
    (void)len;
    (void)arg;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct bufferevent *bev = bufferevent_openssl_socket_new(
        evconnlistener_get_base(l), fd, SSL_new(ssl_ctx), BUFFEREVENT_SSL_ACCEPTING,
        BEV_OPT_CLOSE_ON_FREE);
    bufferevent_setcb(bev, on_read, NULL, on_event, NULL);
    bufferevent_enable(bev, EV_READ | EV_WRITE);
    send_frame(bev, greeting, sizeof greeting - 1);
}

int main(int argc, char **argv)
{
    const char *listen = "127.0.0.1:7100", *var = "var";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--listen"))
            listen = argv[i + 1];
        else if (!strcmp(argv[i], "--var"))
            var = argv[i + 1];
    }
    struct reg_config cfg;
    char err[512];
    if (config_load(&cfg, NULL, err, sizeof err) ||
        settings_set(&reg_config_table, &cfg, "paths.var", var, err, sizeof err) ||
        tls_server_ctx(&cfg, &ssl_ctx, err, sizeof err)) {
        fprintf(stderr, "nullepp: %s\n", err);
        return 1;
    }
    char host[256];
    int port;
    if (settings_split_addr(listen, host, sizeof host, &port)) {
        fprintf(stderr, "nullepp: --listen wants host:port\n");
        return 2;
    }
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (evutil_inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
        fprintf(stderr, "nullepp: %s is not an IPv4 address\n", host);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    struct event_base *base = event_base_new();
    struct evconnlistener *l = evconnlistener_new_bind(
        base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 512,
        (struct sockaddr *)&sin, sizeof sin);
    if (!l) {
        fprintf(stderr, "nullepp: cannot listen on %s\n", listen);
        return 1;
    }
    /* the port it got (--listen 127.0.0.1:0 takes a free one) */
    struct sockaddr_in got;
    socklen_t glen = sizeof got;
    if (getsockname(evconnlistener_get_fd(l), (struct sockaddr *)&got, &glen) == 0)
        port = ntohs(got.sin_port);
    printf("nullepp: listening on %s:%d (TLS)\n", host, port);
    fflush(stdout);
    event_base_dispatch(base);
    return 0;
}
