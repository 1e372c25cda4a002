/* Contact results (RFC 5733) with contact-ext-1.0, and account results
 * (account-1.0), whose slots hold contacts. */
#include <stdio.h>

#include "response.h"
#include "writer.h"

#define C(name) "contact:" name

static void write_phone(epp_writer *w, const char *qname, const struct epp_phone_out *p)
{
    if (!p->number)
        return;
    epp_w_start(w, qname);
    if (p->x && *p->x)
        epp_w_attr(w, "x", p->x);
    epp_w_text(w, p->number);
    epp_w_end(w);
}

static void write_postal(epp_writer *w, const struct epp_postal_out *p, const char *type)
{
    epp_w_start(w, C("postalInfo"));
    epp_w_attr(w, "type", type);
    epp_w_elem(w, C("name"), p->name);
    if (p->org)
        epp_w_elem(w, C("org"), p->org);
    epp_w_start(w, C("addr"));
    for (int i = 0; i < EPP_STREETS; i++)
        if (p->street[i])
            epp_w_elem(w, C("street"), p->street[i]);
    epp_w_elem(w, C("city"), p->city);
    if (p->sp)
        epp_w_elem(w, C("sp"), p->sp);
    if (p->pc)
        epp_w_elem(w, C("pc"), p->pc);
    epp_w_elem(w, C("cc"), p->cc);
    epp_w_end(w); /* addr */
    epp_w_end(w); /* postalInfo */
}

static void write_disclose(epp_writer *w, bool flag, unsigned fields)
{
    static const struct {
        unsigned bit;
        const char *qname, *type;
    } order[] = {
        {EPP_DISCLOSE_NAME_INT, C("name"), "int"}, {EPP_DISCLOSE_NAME_LOC, C("name"), "loc"},
        {EPP_DISCLOSE_ORG_INT, C("org"), "int"},   {EPP_DISCLOSE_ORG_LOC, C("org"), "loc"},
        {EPP_DISCLOSE_ADDR_INT, C("addr"), "int"}, {EPP_DISCLOSE_ADDR_LOC, C("addr"), "loc"},
        {EPP_DISCLOSE_VOICE, C("voice"), NULL},    {EPP_DISCLOSE_FAX, C("fax"), NULL},
        {EPP_DISCLOSE_EMAIL, C("email"), NULL},
    };
    epp_w_start(w, C("disclose"));
    epp_w_attr(w, "flag", flag ? "1" : "0");
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (!(fields & order[i].bit))
            continue;
        epp_w_start(w, order[i].qname);
        if (order[i].type)
            epp_w_attr(w, "type", order[i].type);
        epp_w_end(w);
    }
    epp_w_end(w);
}

static void write_contact_inf(epp_writer *w, const void *data)
{
    const struct epp_contact_inf *k = data;
    epp_w_start_ns(w, "contact", "infData", EPP_NS_CONTACT);
    epp_w_elem(w, C("id"), k->id);
    epp_w_elem(w, C("roid"), k->roid);
    for (size_t i = 0; i < k->nstatuses; i++) {
        epp_w_start(w, C("status"));
        epp_w_attr(w, "s", k->statuses[i].s);
        if (k->statuses[i].text && *k->statuses[i].text)
            epp_w_text(w, k->statuses[i].text);
        epp_w_end(w);
    }
    if (k->postal[EPP_POSTAL_INT].present)
        write_postal(w, &k->postal[EPP_POSTAL_INT], "int");
    if (k->postal[EPP_POSTAL_LOC].present)
        write_postal(w, &k->postal[EPP_POSTAL_LOC], "loc");
    write_phone(w, C("voice"), &k->voice);
    write_phone(w, C("fax"), &k->fax);
    epp_w_elem(w, C("email"), k->email);
    epp_w_elem(w, C("clID"), k->cl_id);
    epp_w_elem(w, C("crID"), k->cr_id);
    epp_w_elem_time(w, C("crDate"), k->cr_date);
    if (k->full) {
        if (k->up_date && k->up_id)
            epp_w_elem(w, C("upID"), k->up_id);
        if (k->up_date)
            epp_w_elem_time(w, C("upDate"), k->up_date);
        if (k->tr_date)
            epp_w_elem_time(w, C("trDate"), k->tr_date);
        if (k->authinfo_set) { /* RFC 9154: that it is set, never the value */
            epp_w_start(w, C("authInfo"));
            epp_w_elem(w, C("pw"), NULL);
            epp_w_end(w);
        }
        if (k->has_disclose)
            write_disclose(w, k->disclose_flag, k->disclose_fields);
    }
    epp_w_end(w);
}

struct epp_part epp_contact_infdata(const struct epp_contact_inf *d)
{
    return (struct epp_part){EPP_SVC_CONTACT, write_contact_inf, d};
}

static void write_regc(epp_writer *w, const void *data)
{
    const struct epp_regc_inf *r = data;
    char ts[REG_TIME_STRLEN];
    epp_w_start_ns(w, "regc", "infData", EPP_NS_REG_CONTACT);
    if (r->kind)
        epp_w_elem(w, "regc:type", r->kind);
    if (r->ident_type && r->ident_value) {
        epp_w_start(w, "regc:ident");
        epp_w_attr(w, "type", r->ident_type);
        if (r->ident_cc)
            epp_w_attr(w, "cc", r->ident_cc);
        epp_w_text(w, r->ident_value);
        epp_w_end(w);
    }
    if (r->mobile)
        epp_w_elem(w, "regc:mobile", r->mobile);
    if (r->has_idcheck) { /* R21 */
        epp_w_start(w, "regc:idCheck");
        epp_w_attr(w, "state", r->idcheck_state);
        if (r->idcheck_deadline)
            epp_w_attr(w, "deadline", clock_format(r->idcheck_deadline, ts, sizeof ts));
        if (r->idcheck_method)
            epp_w_attr(w, "method", r->idcheck_method);
        if (r->idcheck_date)
            epp_w_attr(w, "date", clock_format(r->idcheck_date, ts, sizeof ts));
        epp_w_end(w);
    }
    if (r->linked)
        epp_w_elem(w, "regc:linked", r->linked);
    epp_w_end(w);
}

struct epp_part epp_regc_infdata(const struct epp_regc_inf *d)
{
    return (struct epp_part){EPP_SVC_REG_CONTACT, write_regc, d};
}

static void write_contact_trn(epp_writer *w, const void *data)
{
    const struct epp_contact_trn *t = data;
    epp_w_start_ns(w, "contact", "trnData", EPP_NS_CONTACT);
    epp_w_elem(w, C("id"), t->id);
    epp_w_elem(w, C("trStatus"), t->status);
    epp_w_elem(w, C("reID"), t->re_id);
    epp_w_elem_time(w, C("reDate"), t->re_date);
    epp_w_elem(w, C("acID"), t->ac_id);
    epp_w_elem_time(w, C("acDate"), t->ac_date);
    epp_w_end(w);
}

struct epp_part epp_contact_trndata(const struct epp_contact_trn *d)
{
    return (struct epp_part){EPP_SVC_CONTACT, write_contact_trn, d};
}

/* ---- account ------------------------------------------------------------------------------ */

static void write_account_inf(epp_writer *w, const void *data)
{
    static const char *const slot_names[EPP_ACCOUNT_SLOTS] = {"a1", "a2", "a3", "b1", "b2", "b3"};
    const struct epp_account_inf *a = data;
    epp_w_start_ns(w, "account", "infData", EPP_NS_ACCOUNT);
    epp_w_elem(w, "account:id", a->id);
    epp_w_elem(w, "account:roid", a->roid);
    epp_w_elem(w, "account:billing", a->billing);
    for (int i = 0; i < EPP_ACCOUNT_SLOTS; i++) {
        if (!a->slot[i])
            continue;
        epp_w_start(w, "account:contact");
        epp_w_attr(w, "slot", slot_names[i]);
        epp_w_text(w, a->slot[i]);
        epp_w_end(w);
    }
    epp_w_elem(w, "account:clID", a->cl_id);
    if (a->cr_id)
        epp_w_elem(w, "account:crID", a->cr_id);
    epp_w_elem_time(w, "account:crDate", a->cr_date);
    if (a->up_date) {
        if (a->up_id)
            epp_w_elem(w, "account:upID", a->up_id);
        epp_w_elem_time(w, "account:upDate", a->up_date);
    }
    epp_w_end(w);
}

struct epp_part epp_account_infdata(const struct epp_account_inf *d)
{
    return (struct epp_part){EPP_SVC_ACCOUNT, write_account_inf, d};
}
