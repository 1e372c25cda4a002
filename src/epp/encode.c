/* The response encoder (response.h): result, msgQ, resData and extension
 * in the order RFC 5730 §2.6 gives, with the RFC 9038 rule for parts of
 * services the client did not announce. */
#include <stdio.h>
#include <string.h>

#include "response.h"
#include "result.h"
#include "writer.h"

void epp_response_add_ext(struct epp_response *r, struct epp_part part)
{
    if (part.write && r->next < EPP_RESPONSE_EXT_MAX)
        r->ext[r->next++] = part;
}

static bool announced(const struct epp_part *p, epp_svcs svcs)
{
    return p->svc == EPP_SVC_NONE || (svcs & EPP_SVC_BIT(p->svc));
}

/* RFC 9038 §3: the part in <extValue><value>, with the reason why. */
static void write_unhandled(epp_writer *w, const struct epp_part *p)
{
    char reason[160];
    snprintf(reason, sizeof reason, "%s not in login services", epp_svc_uri(p->svc));
    epp_w_start(w, "extValue");
    epp_w_start(w, "value");
    p->write(w, p->data);
    epp_w_end(w);
    epp_w_start(w, "reason");
    epp_w_attr(w, "lang", "en");
    epp_w_text(w, reason);
    epp_w_end(w);
    epp_w_end(w);
}

static void write_result(epp_writer *w, const struct epp_response *r, epp_svcs svcs)
{
    char code[8];
    snprintf(code, sizeof code, "%d", r->code);
    bool error = r->code >= 2000;
    const char *msg = r->msg && *r->msg                        ? r->msg
                      : error && r->reason && *r->reason ? r->reason
                                                         : epp_result_text(r->code);
    epp_w_start(w, "result");
    epp_w_attr(w, "code", code);
    epp_w_start(w, "msg");
    epp_w_attr(w, "lang", "en");
    epp_w_text(w, msg);
    epp_w_end(w);
    if (r->reason && *r->reason) {
        epp_w_start(w, "extValue");
        epp_w_start(w, "value");
        if (r->value_name && r->value_ns && *r->value_ns) {
            /* the element at fault, named with its namespace (RFC 5730 §2.6);
             * one without a namespace cannot be (xmlns:x="" is not XML) */
            epp_w_start_ns(w, "x", r->value_name, r->value_ns);
            epp_w_end(w);
        } else {
            epp_w_elem(w, "undef", NULL);
        }
        epp_w_end(w);
        epp_w_start(w, "reason");
        epp_w_attr(w, "lang", "en");
        epp_w_text(w, r->reason);
        epp_w_end(w);
        epp_w_end(w);
    }
    if (r->resdata.write && !announced(&r->resdata, svcs))
        write_unhandled(w, &r->resdata);
    for (size_t i = 0; i < r->next; i++)
        if (!announced(&r->ext[i], svcs))
            write_unhandled(w, &r->ext[i]);
    epp_w_end(w);
}

char *epp_response_write(const struct epp_response *r, epp_svcs svcs, const char *cltrid,
                         const char *svtrid, size_t *len)
{
    epp_writer *w = epp_writer_new();
    if (!w)
        return NULL;
    write_result(w, r, svcs);
    if (r->has_msgq)
        epp_w_msgq(w, r->msgq_count, r->msgq_id, r->msgq_date, r->msgq_text);
    if (r->resdata.write && announced(&r->resdata, svcs)) {
        epp_w_start(w, "resData");
        r->resdata.write(w, r->resdata.data);
        epp_w_end(w);
    }
    bool ext = false;
    for (size_t i = 0; i < r->next; i++) {
        if (!announced(&r->ext[i], svcs))
            continue;
        if (!ext)
            epp_w_start(w, "extension");
        ext = true;
        r->ext[i].write(w, r->ext[i].data);
    }
    if (ext)
        epp_w_end(w);
    return epp_w_finish(w, cltrid, svtrid, len);
}

/* ---- shared shapes ------------------------------------------------------------------- */

/* The prefix a service's elements are written with. */
static const char *prefix_of(epp_svc s)
{
    static const char *const prefixes[EPP_SVC__COUNT] = {
        [EPP_SVC_DOMAIN] = "domain",  [EPP_SVC_CONTACT] = "contact", [EPP_SVC_HOST] = "host",
        [EPP_SVC_ACCOUNT] = "account", [EPP_SVC_SECDNS] = "secDNS",  [EPP_SVC_RGP] = "rgp",
        [EPP_SVC_FEE] = "fee",         [EPP_SVC_CHANGEPOLL] = "changePoll",
        [EPP_SVC_REG_CONTACT] = "regc", [EPP_SVC_REG_DOMAIN] = "regd", [EPP_SVC_REG_HOST] = "regh",
    };
    return (unsigned)s < EPP_SVC__COUNT ? prefixes[s] : "";
}

/* Is the key of this object a name (domain, host) or an id? */
static const char *key_of(epp_svc s)
{
    return s == EPP_SVC_DOMAIN || s == EPP_SVC_HOST ? "name" : "id";
}

static const char *q(char *buf, size_t n, epp_svc s, const char *local)
{
    snprintf(buf, n, "%s:%s", prefix_of(s), local);
    return buf;
}

static void write_chkdata(epp_writer *w, const void *data)
{
    const struct epp_check_data *d = data;
    char b[48];
    epp_w_start_ns(w, prefix_of(d->svc), "chkData", epp_svc_uri(d->svc));
    for (size_t i = 0; i < d->n; i++) {
        epp_w_start(w, q(b, sizeof b, d->svc, "cd"));
        epp_w_start(w, q(b, sizeof b, d->svc, key_of(d->svc)));
        epp_w_attr(w, "avail", d->items[i].avail ? "1" : "0");
        epp_w_text(w, d->items[i].key);
        epp_w_end(w);
        if (!d->items[i].avail && d->items[i].reason && *d->items[i].reason)
            epp_w_elem(w, q(b, sizeof b, d->svc, "reason"), d->items[i].reason);
        epp_w_end(w);
    }
    epp_w_end(w);
}

struct epp_part epp_chkdata(const struct epp_check_data *d)
{
    return (struct epp_part){d->svc, write_chkdata, d};
}

static void write_credata(epp_writer *w, const void *data)
{
    const struct epp_created *d = data;
    char b[48];
    epp_w_start_ns(w, prefix_of(d->svc), "creData", epp_svc_uri(d->svc));
    epp_w_elem(w, q(b, sizeof b, d->svc, key_of(d->svc)), d->key);
    epp_w_elem_time(w, q(b, sizeof b, d->svc, "crDate"), d->created);
    if (d->svc == EPP_SVC_DOMAIN)
        epp_w_elem_time(w, q(b, sizeof b, d->svc, "exDate"), d->expires);
    epp_w_end(w);
}

struct epp_part epp_credata(const struct epp_created *d)
{
    return (struct epp_part){d->svc, write_credata, d};
}
