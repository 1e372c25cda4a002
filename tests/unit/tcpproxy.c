/* The TCP relay of tcpproxy.h: an acceptor thread, and a thread per
 * relayed connection polling both ends. */
#include "tcpproxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_RELAYS 64
#define POLL_MS 20

struct relay {
    struct tcpproxy *p;
    int client, server;
    pthread_t thread;
    unsigned gen; /* cut_gen when it opened */
    bool used, done;
};

struct tcpproxy {
    int listen_fd, port, wake[2];
    struct sockaddr_in upstream;
    pthread_t acceptor;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int accepted;
    bool refuse, stopping;
    unsigned cut_gen;
    char needle[64];
    bool forward;
    struct relay relays[MAX_RELAYS];
};

static bool write_all(int fd, const char *buf, size_t n)
{
    while (n) {
        ssize_t w = write(fd, buf, n);
        if (w <= 0)
            return false;
        buf += w;
        n -= (size_t)w;
    }
    return true;
}

/* Reads from the client; true when the relay goes on. */
static bool from_client(struct relay *r, char *buf, size_t size)
{
    struct tcpproxy *p = r->p;
    ssize_t n = read(r->client, buf, size);
    if (n <= 0)
        return false;
    pthread_mutex_lock(&p->lock);
    bool hit = p->needle[0] && memmem(buf, (size_t)n, p->needle, strlen(p->needle));
    bool forward = p->forward;
    if (hit)
        p->needle[0] = '\0';
    pthread_mutex_unlock(&p->lock);
    if (hit && forward)
        write_all(r->server, buf, (size_t)n);
    return !hit && write_all(r->server, buf, (size_t)n);
}

static void *relay_main(void *arg)
{
    struct relay *r = arg;
    struct tcpproxy *p = r->p;
    static _Thread_local char buf[65536];
    for (;;) {
        struct pollfd fds[2] = {{r->client, POLLIN, 0}, {r->server, POLLIN, 0}};
        poll(fds, 2, POLL_MS);
        pthread_mutex_lock(&p->lock);
        bool cut = p->cut_gen != r->gen || p->stopping;
        pthread_mutex_unlock(&p->lock);
        if (cut)
            break;
        if (fds[0].revents && !from_client(r, buf, sizeof buf))
            break;
        if (fds[1].revents) {
            ssize_t n = read(r->server, buf, sizeof buf);
            if (n <= 0 || !write_all(r->client, buf, (size_t)n))
                break;
        }
    }
    /* the client first: what was passed on reaches the server, then its
     * end of file, and the server's answer is thrown away */
    close(r->client);
    shutdown(r->server, SHUT_WR);
    for (int waited = 0; waited < 5000; waited += POLL_MS) {
        struct pollfd fd = {r->server, POLLIN, 0};
        if (poll(&fd, 1, POLL_MS) > 0 && read(r->server, buf, sizeof buf) <= 0)
            break;
    }
    close(r->server);
    pthread_mutex_lock(&p->lock);
    r->done = true;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static void relay(struct tcpproxy *p, int client)
{
    int server = socket(AF_INET, SOCK_STREAM, 0);
    if (server < 0 || connect(server, (struct sockaddr *)&p->upstream, sizeof p->upstream)) {
        close(client);
        if (server >= 0)
            close(server);
        return;
    }
    pthread_mutex_lock(&p->lock);
    struct relay *r = NULL;
    for (int i = 0; i < MAX_RELAYS && !r; i++) {
        if (!p->relays[i].used || p->relays[i].done) {
            r = &p->relays[i];
            if (r->used)
                pthread_join(r->thread, NULL);
        }
    }
    if (r) {
        *r = (struct relay){.p = p, .client = client, .server = server, .gen = p->cut_gen,
                            .used = true};
        pthread_create(&r->thread, NULL, relay_main, r);
    }
    pthread_mutex_unlock(&p->lock);
    if (!r) {
        close(client);
        close(server);
    }
}

static void *acceptor_main(void *arg)
{
    struct tcpproxy *p = arg;
    for (;;) {
        struct pollfd fds[2] = {{p->listen_fd, POLLIN, 0}, {p->wake[0], POLLIN, 0}};
        poll(fds, 2, -1);
        if (fds[1].revents)
            break;
        int client = accept(p->listen_fd, NULL, NULL);
        if (client < 0)
            continue;
        pthread_mutex_lock(&p->lock);
        p->accepted++;
        bool refuse = p->refuse;
        pthread_mutex_unlock(&p->lock);
        if (refuse)
            close(client);
        else
            relay(p, client);
    }
    return NULL;
}

struct tcpproxy *tcpproxy_start(const char *host, int port)
{
    struct tcpproxy *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->upstream.sin_family = AF_INET;
    p->upstream.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, host, &p->upstream.sin_addr);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    p->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (p->listen_fd < 0 || bind(p->listen_fd, (struct sockaddr *)&a, sizeof a) ||
        listen(p->listen_fd, 64) || getsockname(p->listen_fd, (struct sockaddr *)&a, &len) ||
        pipe(p->wake)) {
        if (p->listen_fd >= 0)
            close(p->listen_fd);
        free(p);
        return NULL;
    }
    p->port = ntohs(a.sin_port);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->changed, NULL);
    pthread_create(&p->acceptor, NULL, acceptor_main, p);
    return p;
}

int tcpproxy_port(const struct tcpproxy *p) { return p->port; }

int tcpproxy_accepted(struct tcpproxy *p)
{
    pthread_mutex_lock(&p->lock);
    int n = p->accepted;
    pthread_mutex_unlock(&p->lock);
    return n;
}

void tcpproxy_refuse(struct tcpproxy *p, bool on)
{
    pthread_mutex_lock(&p->lock);
    p->refuse = on;
    pthread_mutex_unlock(&p->lock);
}

void tcpproxy_cut_at(struct tcpproxy *p, const char *needle, bool forward)
{
    pthread_mutex_lock(&p->lock);
    snprintf(p->needle, sizeof p->needle, "%s", needle);
    p->forward = forward;
    pthread_mutex_unlock(&p->lock);
}

/* Waits until every relay that was open has closed. */
static void wait_relays(struct tcpproxy *p)
{
    for (int i = 0; i < MAX_RELAYS; i++)
        while (p->relays[i].used && !p->relays[i].done)
            pthread_cond_wait(&p->changed, &p->lock);
}

void tcpproxy_cut(struct tcpproxy *p)
{
    pthread_mutex_lock(&p->lock);
    p->cut_gen++;
    wait_relays(p);
    pthread_mutex_unlock(&p->lock);
}

void tcpproxy_stop(struct tcpproxy *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_mutex_unlock(&p->lock);
    if (write(p->wake[1], "x", 1) != 1)
        return;
    pthread_join(p->acceptor, NULL);
    pthread_mutex_lock(&p->lock);
    wait_relays(p);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < MAX_RELAYS; i++)
        if (p->relays[i].used)
            pthread_join(p->relays[i].thread, NULL);
    close(p->listen_fd);
    close(p->wake[0]);
    close(p->wake[1]);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->changed);
    free(p);
}
