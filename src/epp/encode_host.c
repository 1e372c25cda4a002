/* Host results (RFC 5732) with host-ext-1.0 (regh:admin). */
#include "response.h"
#include "writer.h"

static void write_host_inf(epp_writer *w, const void *data)
{
    const struct epp_host_inf *h = data;
    epp_w_start_ns(w, "host", "infData", EPP_NS_HOST);
    epp_w_elem(w, "host:name", h->name);
    epp_w_elem(w, "host:roid", h->roid);
    for (size_t i = 0; i < h->nstatuses; i++) {
        epp_w_start(w, "host:status");
        epp_w_attr(w, "s", h->statuses[i].s);
        if (h->statuses[i].text && *h->statuses[i].text) {
            epp_w_attr(w, "lang", "en");
            epp_w_text(w, h->statuses[i].text);
        }
        epp_w_end(w);
    }
    for (size_t i = 0; i < h->naddrs; i++) {
        epp_w_start(w, "host:addr");
        epp_w_attr(w, "ip", h->addrs[i].v6 ? "v6" : "v4");
        epp_w_text(w, h->addrs[i].addr);
        epp_w_end(w);
    }
    epp_w_elem(w, "host:clID", h->cl_id);
    epp_w_elem(w, "host:crID", h->cr_id);
    epp_w_elem_time(w, "host:crDate", h->cr_date);
    if (h->up_id)
        epp_w_elem(w, "host:upID", h->up_id);
    if (h->up_date)
        epp_w_elem_time(w, "host:upDate", h->up_date);
    if (h->tr_date)
        epp_w_elem_time(w, "host:trDate", h->tr_date);
    epp_w_end(w);
}

struct epp_part epp_host_infdata(const struct epp_host_inf *d)
{
    return (struct epp_part){EPP_SVC_HOST, write_host_inf, d};
}

static void write_regh(epp_writer *w, const void *data)
{
    epp_w_start_ns(w, "regh", "infData", EPP_NS_REG_HOST);
    epp_w_elem(w, "regh:admin", data);
    epp_w_end(w);
}

struct epp_part epp_regh_infdata(const char *admin)
{
    return (struct epp_part){EPP_SVC_REG_HOST, write_regh, admin};
}
