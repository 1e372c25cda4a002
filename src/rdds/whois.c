/* WHOIS queries and answers (whois.h). */
#include "whois.h"

#include <string.h>
#include <strings.h>

#include "contrib/utf8.h"
#include "privacy.h"

#define CRLF "\r\n"

/* ---- the query ------------------------------------------------------------------------ */

enum whois_line whois_line_end(const char *buf, size_t n, size_t *len)
{
    const char *nl = memchr(buf, '\n', n);
    if (!nl)
        /* room for the CR of a line of the longest length */
        return n > WHOIS_QUERY_MAX + 1 ? WHOIS_LINE_LONG : WHOIS_LINE_MORE;
    size_t l = (size_t)(nl - buf);
    if (l && buf[l - 1] == '\r')
        l--;
    *len = l;
    return WHOIS_LINE_DONE;
}

static const struct {
    const char *word;
    enum whois_kind kind;
} keywords[] = {
    {"domain", WHOIS_DOMAIN},
    {"host", WHOIS_HOST},
    {"registrar", WHOIS_REGISTRAR},
    {"contact", WHOIS_CONTACT},
};

bool whois_parse(const char *line, size_t len, struct whois_query *q, const char **error)
{
    q->kind = WHOIS_ANY;
    q->arg[0] = '\0';
    if (len > WHOIS_QUERY_MAX) {
        *error = WHOIS_ERR_LONG;
        return false;
    }
    /* strict UTF-8 without control characters (C0, DEL, C1) */
    for (size_t i = 0; i < len;) {
        unsigned char b = (unsigned char)line[i];
        if (b < 0x80) {
            if (b < 0x20 || b == 0x7f) {
                *error = "Error: the query contains a control character.";
                return false;
            }
            i++;
            continue;
        }
        char cp_buf[5] = {0};
        size_t take = len - i < 4 ? len - i : 4;
        memcpy(cp_buf, line + i, take);
        uint32_t cp;
        size_t n = utf8_decode(cp_buf, &cp);
        if (!n || n > take) {
            *error = "Error: the query is not valid UTF-8.";
            return false;
        }
        if (cp >= 0x80 && cp <= 0x9f) {
            *error = "Error: the query contains a control character.";
            return false;
        }
        i += n;
    }
    /* words separated by spaces */
    const char *words[3];
    size_t lens[3], nwords = 0;
    for (size_t i = 0; i < len;) {
        while (i < len && line[i] == ' ')
            i++;
        if (i == len)
            break;
        size_t start = i;
        while (i < len && line[i] != ' ')
            i++;
        if (nwords == 2) {
            *error = "Error: malformed query; send \"help\" for the syntax.";
            return false;
        }
        words[nwords] = line + start;
        lens[nwords++] = i - start;
    }
    if (!nwords) {
        *error = "Error: empty query; send \"help\" for the syntax.";
        return false;
    }
    const char *arg = words[nwords - 1];
    size_t arglen = lens[nwords - 1];
    if (nwords == 1 && arglen == 4 && !strncasecmp(arg, "help", 4)) {
        q->kind = WHOIS_HELP;
        return true;
    }
    q->kind = WHOIS_ANY;
    if (nwords == 2) {
        size_t k = 0, nk = sizeof keywords / sizeof keywords[0];
        while (k < nk && !(strlen(keywords[k].word) == lens[0] &&
                           !strncasecmp(words[0], keywords[k].word, lens[0])))
            k++;
        if (k == nk) {
            *error = "Error: malformed query; send \"help\" for the syntax.";
            return false;
        }
        q->kind = keywords[k].kind;
    } else {
        for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
            if (strlen(keywords[k].word) == arglen && !strncasecmp(arg, keywords[k].word, arglen)) {
                *error = "Error: malformed query: a name or handle must follow the keyword.";
                return false;
            }
    }
    memcpy(q->arg, arg, arglen);
    q->arg[arglen] = '\0';
    return true;
}

/* ---- the answer ----------------------------------------------------------------------- */

/* A value as one line: control characters (there should be none) become
 * spaces, and bytes that are not UTF-8 '?', so no stored text can add a
 * line or break the encoding. */
static void put_clean(strbuf *out, const char *v)
{
    size_t start = out->len;
    for (const char *p = v; *p; p++)
        sb_putc(out, (unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p);
    if (!out->err && out->len > start)
        utf8_sanitize(out->data + start);
    out->len = start + strlen(out->data + start);
}

static void kv(strbuf *out, const char *key, const char *value)
{
    if (!value || !*value)
        return;
    sb_puts(out, key);
    sb_puts(out, ": ");
    put_clean(out, value);
    sb_puts(out, CRLF);
}

static void kv_time(strbuf *out, const char *key, reg_time t)
{
    char buf[REG_TIME_STRLEN];
    if (t)
        kv(out, key, clock_format(t, buf, sizeof buf));
}

/* "Registrant Name" from "Registrant" and "Name" */
static void kv2(strbuf *out, const char *prefix, const char *key, const char *value)
{
    if (!value || !*value)
        return;
    sb_puts(out, prefix);
    sb_putc(out, ' ');
    kv(out, key, value);
}

void whois_write_header(strbuf *out, const struct whois_header *h)
{
    char buf[REG_TIME_STRLEN];
    sb_puts(out, "% ");
    put_clean(out, h->registry);
    sb_puts(out, " WHOIS service" CRLF "% Terms of use: ");
    put_clean(out, h->terms);
    sb_printf(out, CRLF "%% Time of answer: %s" CRLF CRLF, clock_format(h->now, buf, sizeof buf));
}

void whois_write_error(strbuf *out, const char *line)
{
    sb_puts(out, line);
    sb_puts(out, CRLF);
}

void whois_write_help(strbuf *out, const struct whois_header *h)
{
    whois_write_header(out, h);
    sb_puts(out, "% One query a connection, one line, at most 255 bytes of UTF-8:" CRLF
                 "%   NAME               a domain (U-label or A-label, any case), else a "
                 "name server" CRLF
                 "%   domain NAME        a domain" CRLF
                 "%   host NAME          a name server" CRLF
                 "%   registrar HANDLE   a registrar" CRLF
                 "%   contact HANDLE     a contact" CRLF
                 "%   help               this text" CRLF
                 "% The personal data of contacts that are persons is shown only where they "
                 "chose to publish it; other values read " RDDS_REDACTED "." CRLF);
}

void whois_write_no_match(strbuf *out, const struct whois_header *h, const char *name)
{
    whois_write_header(out, h);
    sb_puts(out, "No match for \"");
    put_clean(out, name);
    sb_puts(out, "\"." CRLF);
}

/* One field of a contact, shown or REDACTED: a withheld field that has no
 * value is left out like an empty one. */
static void contact_field(strbuf *out, const char *prefix, const struct rdds_contact *c,
                          enum rdds_field f, const char *value)
{
    if (!value || !*value)
        return;
    struct rdds_decision d = rdds_privacy(&rdds_public, c, f);
    kv2(out, prefix, rdds_field_name(f), d.visible ? value : RDDS_REDACTED);
}

static void contact_lines(strbuf *out, const char *prefix, const struct rdds_contact *c)
{
    kv2(out, prefix, "Handle", c->handle);
    kv2(out, prefix, "Type", c->d.kind);
    const struct contact_postal *pa = rdds_contact_postal(c, NULL);
    if (pa) {
        contact_field(out, prefix, c, RDDS_F_NAME, pa->name);
        contact_field(out, prefix, c, RDDS_F_ORG, pa->org);
        for (int i = 0; i < CONTACT_STREETS; i++)
            contact_field(out, prefix, c, RDDS_F_STREET, pa->street[i]);
        contact_field(out, prefix, c, RDDS_F_CITY, pa->city);
        contact_field(out, prefix, c, RDDS_F_SP, pa->sp);
        contact_field(out, prefix, c, RDDS_F_PC, pa->pc);
        contact_field(out, prefix, c, RDDS_F_CC, pa->cc);
    }
    contact_field(out, prefix, c, RDDS_F_VOICE, c->d.voice);
    contact_field(out, prefix, c, RDDS_F_FAX, c->d.fax);
    contact_field(out, prefix, c, RDDS_F_EMAIL, c->d.email);
}

/* R21/R22: a registrant whose identity check is not verified is shown so
 * on its domains ("none": identity checks are off, or it predates them). */
static void idcheck_lines(strbuf *out, const struct rdds_domain *d)
{
    const char *state = d->idcheck_state;
    if (!state || !strcmp(state, "none"))
        return;
    char buf[REG_TIME_STRLEN], line[96];
    if (!strcmp(state, "pending") && d->idcheck_deadline) {
        snprintf(line, sizeof line, "pending, due by %s",
                 clock_format(d->idcheck_deadline, buf, sizeof buf));
        kv(out, "Registrant Identity Check", line);
    } else {
        kv(out, "Registrant Identity Check", state);
    }
    kv_time(out, "Deletion Date", d->idcheck_delete_at);
}

void whois_write_domain(strbuf *out, const struct whois_header *h, const struct rdds_domain *d)
{
    whois_write_header(out, h);
    kv(out, "Domain Name", d->ulabel);
    if (d->idn)
        kv(out, "Domain Name (A-label)", d->alabel);
    kv(out, "Registry Domain ID", d->roid);
    for (size_t i = 0; i < d->nstatus; i++)
        kv(out, "Domain Status", d->status[i]);
    kv_time(out, "Creation Date", d->created);
    kv_time(out, "Expiry Date", d->expires);
    kv_time(out, "Updated Date", d->changed);
    kv_time(out, "Transfer Date", d->transferred);
    kv(out, "Registrar", d->sponsor.handle);
    kv(out, "Registrar Name", d->sponsor.name);
    kv(out, "Registrar URL", d->sponsor.url);
    kv(out, "Registrar Phone", d->sponsor.phone);
    idcheck_lines(out, d);
    contact_lines(out, "Registrant", &d->registrant);
    static const struct {
        const char *role, *prefix;
    } roles[] = {{"admin", "Admin"}, {"tech", "Tech"}, {"billing", "Billing"}};
    for (size_t r = 0; r < sizeof roles / sizeof roles[0]; r++)
        for (size_t i = 0; i < d->ncontacts; i++)
            if (!strcmp(d->contacts[i].role, roles[r].role))
                contact_lines(out, roles[r].prefix, &d->contacts[i].c);
    for (size_t i = 0; i < d->nns; i++) {
        const struct rdds_ns *ns = &d->ns[i];
        sb_puts(out, "Name Server: ");
        put_clean(out, ns->name);
        for (size_t k = 0; k < ns->naddrs; k++) {
            sb_putc(out, ' ');
            put_clean(out, ns->addrs[k].addr);
        }
        sb_puts(out, CRLF);
    }
    kv(out, "DNSSEC", d->nds ? "signedDelegation" : "unsigned");
    for (size_t i = 0; i < d->nds; i++)
        sb_printf(out, "DS Record: %d %d %d %s" CRLF, d->ds[i].key_tag, d->ds[i].alg,
                  d->ds[i].digest_type, d->ds[i].digest);
}

void whois_write_host(strbuf *out, const struct whois_header *h, const struct rdds_host *x)
{
    whois_write_header(out, h);
    kv(out, "Host Name", x->uname);
    if (x->uname && x->name && strcmp(x->uname, x->name))
        kv(out, "Host Name (A-label)", x->name);
    kv(out, "Registry Host ID", x->roid);
    for (size_t i = 0; i < x->nstatus; i++)
        kv(out, "Host Status", x->status[i]);
    for (size_t i = 0; i < x->naddrs; i++)
        kv(out, "IP Address", x->addrs[i].addr);
    kv(out, "Registrar", x->sponsor);
    kv_time(out, "Creation Date", x->created);
    kv_time(out, "Updated Date", x->changed);
    kv_time(out, "Transfer Date", x->transferred);
}

void whois_write_contact(strbuf *out, const struct whois_header *h, const struct rdds_contact *c)
{
    whois_write_header(out, h);
    contact_lines(out, "Contact", c);
    kv(out, "Registry Contact ID", c->roid);
    for (size_t i = 0; i < c->nstatus; i++)
        kv(out, "Contact Status", c->status[i]);
    kv(out, "Registrar", c->sponsor);
    kv_time(out, "Creation Date", c->created);
    kv_time(out, "Updated Date", c->changed);
    kv_time(out, "Transfer Date", c->transferred);
}

void whois_write_registrar(strbuf *out, const struct whois_header *h,
                           const struct rdds_registrar *r)
{
    whois_write_header(out, h);
    kv(out, "Registrar", r->handle);
    kv(out, "Registrar Name", r->name);
    kv(out, "Registrar URL", r->url);
    kv(out, "Registrar Phone", r->phone);
    kv(out, "Registrar Email", r->email);
    kv(out, "Registrar Status", r->disabled ? "inactive" : "active");
    kv_time(out, "Creation Date", r->created);
    kv_time(out, "Updated Date", r->changed);
}

/* ---- lookups ---------------------------------------------------------------------------- */

reg_err whois_answer(db *d, const struct registry_policy *p, const struct whois_header *h,
                     const struct whois_query *q, struct arena *a, strbuf *out)
{
    reg_status st = {0};
    reg_err e = REG_ERR_NOT_FOUND;
    switch (q->kind) {
    case WHOIS_HELP: whois_write_help(out, h); return REG_OK;
    case WHOIS_ANY:
    case WHOIS_DOMAIN: {
        struct rdds_domain *dom = arena_alloc(a, sizeof *dom);
        e = dom ? rdds_find_domain(d, p, q->arg, h->now, a, dom, &st) : REG_ERR_NOMEM;
        if (!e) {
            whois_write_domain(out, h, dom);
            return REG_OK;
        }
        if (q->kind == WHOIS_DOMAIN || reg_err_is_system(e))
            break;
    }
        /* a bare name that is no domain may be a host */
        /* fall through */
    case WHOIS_HOST: {
        struct rdds_host *x = arena_alloc(a, sizeof *x);
        e = x ? rdds_find_host(d, p, q->arg, a, x, &st) : REG_ERR_NOMEM;
        if (!e)
            whois_write_host(out, h, x);
        break;
    }
    case WHOIS_CONTACT: {
        struct rdds_contact *c = arena_alloc(a, sizeof *c);
        e = c ? rdds_find_contact(d, p, q->arg, a, c, &st) : REG_ERR_NOMEM;
        if (!e)
            whois_write_contact(out, h, c);
        break;
    }
    case WHOIS_REGISTRAR: {
        struct rdds_registrar r;
        e = rdds_find_registrar(d, q->arg, a, &r, &st);
        if (!e)
            whois_write_registrar(out, h, &r);
        break;
    }
    }
    if (!e)
        return REG_OK;
    if (reg_err_is_system(e)) {
        sb_reset(out);
        whois_write_error(out, WHOIS_ERR_UNAVAILABLE);
        return e;
    }
    /* not found, or not a name or handle that can exist */
    whois_write_no_match(out, h, q->arg);
    return REG_OK;
}
