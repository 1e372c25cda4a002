/* A response to encode (RFC 5730 §2.6): the result, an optional message
 * queue entry, and typed parts for <resData> and <extension>, each filled
 * by a handler from typed results and written by the codec. The handler
 * never writes XML; the encoder decides where a part goes: a part whose
 * service the client did not announce at login goes to the result's
 * <extValue> (RFC 9038) instead of <resData>/<extension>.
 *
 * All pointers must live until epp_response_write (the command's arena). */
#ifndef REG_EPP_RESPONSE_H
#define REG_EPP_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "contrib/clock.h"
#include "ns.h"
#include "request.h"

typedef struct epp_writer epp_writer;

/* One element of <resData> or <extension>. */
struct epp_part {
    epp_svc svc;
    void (*write)(epp_writer *w, const void *data);
    const void *data;
};

#define EPP_RESPONSE_EXT_MAX 6

struct epp_response {
    int code;
    const char *msg;    /* NULL: the specific reason of an error, else the RFC's text */
    const char *reason; /* errors: <extValue><reason> (and <msg>) */
    const char *value_ns, *value_name; /* the element at fault for <value>, else <undef/> */
    bool has_msgq;
    int64_t msgq_count;
    const char *msgq_id;
    reg_time msgq_date; /* 0: none */
    const char *msgq_text;
    struct epp_part resdata; /* write NULL: none */
    struct epp_part ext[EPP_RESPONSE_EXT_MAX];
    size_t next;
};

/* Adds an <extension> part (silently dropped past EPP_RESPONSE_EXT_MAX,
 * which no command reaches). */
void epp_response_add_ext(struct epp_response *r, struct epp_part part);
/* The whole <epp><response>…</response></epp> document (malloc'd; NULL
 * when out of memory). svcs: the client's login services (EPP_SVCS_ALL
 * before login). */
char *epp_response_write(const struct epp_response *r, epp_svcs svcs, const char *cltrid,
                         const char *svtrid, size_t *len);
/* A document indented for people to read (the portal's XML console), two
 * spaces a level (malloc'd; NULL when it is not well-formed XML). */
char *epp_xml_indent(const char *xml, size_t len);
/* The greeting (RFC 5730 §2.4) listing every service. */
char *epp_greeting(const char *svid, reg_time now, size_t *len);

/* ---- shared result shapes --------------------------------------------------------- */

/* <obj:chkData>: names (domain, host) or ids (contact, account). */
struct epp_check_item {
    const char *key;
    bool avail;
    const char *reason; /* NULL or "": none */
};
struct epp_check_data {
    epp_svc svc;
    struct epp_check_item *items;
    size_t n;
};
struct epp_part epp_chkdata(const struct epp_check_data *d);

/* <obj:creData>: name or id, crDate, and for a domain exDate. */
struct epp_created {
    epp_svc svc;
    const char *key;
    reg_time created, expires; /* expires: domains only */
};
struct epp_part epp_credata(const struct epp_created *d);

/* <obj:status s="…" [lang="en"]>text</obj:status> */
struct epp_status_out {
    const char *s;
    const char *text; /* NULL: none */
};

/* ---- domain (RFC 5731, 5910, 3915, 8590, 8748, domain-ext) --------------------------- */

struct epp_domain_inf {
    const char *name, *roid;
    struct epp_status_out *statuses;
    size_t nstatuses;
    bool full; /* the sponsor's (or an auth info holder's) view */
    const char *registrant;
    struct epp_domain_contact_out {
        const char *type, *id;
    } *contacts;
    size_t ncontacts;
    const char **ns; /* hostObj */
    size_t nns;
    const char **hosts; /* subordinate hosts */
    size_t nhosts;
    const char *cl_id, *cr_id, *up_id; /* up_id NULL: none */
    reg_time cr_date, up_date, ex_date, tr_date; /* 0: none */
    bool authinfo_set; /* write an empty <domain:pw/> (RFC 9154) */
};
struct epp_part epp_domain_infdata(const struct epp_domain_inf *d);

struct epp_domain_trn {
    const char *name, *status, *re_id, *ac_id;
    reg_time re_date, ac_date;
    bool has_ex;
    reg_time ex_date;
};
struct epp_part epp_domain_trndata(const struct epp_domain_trn *d);

struct epp_domain_ren {
    const char *name;
    reg_time ex_date;
};
struct epp_part epp_domain_rendata(const struct epp_domain_ren *d);

/* RFC 5731 §3.3: how a command answered 1001 ended. */
struct epp_domain_pan {
    const char *name;
    bool result;
    const char *cltrid; /* NULL: none */
    const char *svtrid;
    reg_time date;
};
struct epp_part epp_domain_pandata(const struct epp_domain_pan *d);

struct epp_ds_out {
    int key_tag, alg, digest_type;
    const char *digest;
};
struct epp_secdns_inf {
    struct epp_ds_out *ds;
    size_t n;
};
struct epp_part epp_secdns_infdata(const struct epp_secdns_inf *d);

/* <rgp:infData> / <rgp:upData> with one rgpStatus. */
struct epp_rgp {
    const char *status;
    bool up;
};
struct epp_part epp_rgp_data(const struct epp_rgp *d);

struct epp_regd_inf {
    const char *management;
    const char *pending_action; /* NULL: none */
    bool authinfo_set;
    const char *terms_version;  /* NULL: not shown */
    reg_time terms_accepted;
};
struct epp_part epp_regd_infdata(const struct epp_regd_inf *d);

/* RFC 8590 <changePoll:changeData>. */
struct epp_change {
    const char *state; /* before | after */
    const char *operation, *svtrid, *who;
    reg_time date;
    const char *reason; /* NULL: none */
};
struct epp_part epp_changepoll_data(const struct epp_change *d);

/* RFC 8748 <fee:chkData>. Amounts are decimals of the major unit, as
 * they are to be written. */
struct epp_fee_cmd_out {
    const char *name, *custom_name, *phase, *subphase; /* as sent */
    bool has_period;
    int period;
    bool period_months;
    const char *fee, *description; /* NULL fee: not priced, see reason */
    const char *reason;
};
struct epp_fee_cd {
    const char *obj_id;
    bool avail;
    const char *reason; /* NULL: priced (class, commands follow) */
    const char *class_name;
    struct epp_fee_cmd_out *cmds;
    size_t ncmds;
};
struct epp_fee_chk {
    const char *currency;
    struct epp_fee_cd *cds;
    size_t ncds;
};
struct epp_part epp_fee_chkdata(const struct epp_fee_chk *d);

/* RFC 8748 <fee:creData|renData|trnData|updData>. */
struct epp_fee_result {
    const char *element; /* creData, renData, trnData, updData */
    const char *currency;
    bool has_period;
    int years;
    const char *fee, *description, *balance;
};
struct epp_part epp_fee_data(const struct epp_fee_result *d);

/* ---- contact (RFC 5733, contact-ext) --------------------------------------------------- */

struct epp_postal_out {
    bool present;
    const char *name, *org;
    const char *street[EPP_STREETS];
    const char *city, *sp, *pc, *cc;
};
struct epp_phone_out {
    const char *number; /* NULL: none */
    const char *x;
};

struct epp_contact_inf {
    const char *id, *roid;
    struct epp_status_out *statuses;
    size_t nstatuses;
    struct epp_postal_out postal[2]; /* int, loc */
    struct epp_phone_out voice, fax;
    const char *email;
    const char *cl_id, *cr_id;
    reg_time cr_date;
    bool full;         /* sponsor or auth info holder: up/tr dates, authInfo, disclose */
    const char *up_id; /* NULL: none */
    reg_time up_date, tr_date;
    bool authinfo_set;
    bool has_disclose;
    bool disclose_flag;
    unsigned disclose_fields; /* EPP_DISCLOSE_* */
};
struct epp_part epp_contact_infdata(const struct epp_contact_inf *d);

struct epp_regc_inf {
    const char *kind;                           /* NULL: none */
    const char *ident_type, *ident_cc, *ident_value; /* NULL type: none */
    const char *mobile;
    bool has_idcheck;
    const char *idcheck_state, *idcheck_method; /* method NULL: none */
    reg_time idcheck_deadline, idcheck_date;    /* 0: none */
    const char *linked; /* the registrar whose portal manages it (R28); NULL: none */
};
struct epp_part epp_regc_infdata(const struct epp_regc_inf *d);

struct epp_contact_trn {
    const char *id, *status, *re_id, *ac_id;
    reg_time re_date, ac_date;
};
struct epp_part epp_contact_trndata(const struct epp_contact_trn *d);

/* ---- host (RFC 5732, host-ext) ----------------------------------------------------------- */

struct epp_host_inf {
    const char *name, *roid;
    struct epp_status_out *statuses;
    size_t nstatuses;
    struct epp_host_addr *addrs;
    size_t naddrs;
    const char *cl_id, *cr_id, *up_id; /* up_id NULL: none */
    reg_time cr_date, up_date, tr_date;
};
struct epp_part epp_host_infdata(const struct epp_host_inf *d);
struct epp_part epp_regh_infdata(const char *admin);

/* ---- account (account-1.0) ---------------------------------------------------------------- */

struct epp_account_inf {
    const char *id, *roid, *billing;
    const char *slot[EPP_ACCOUNT_SLOTS]; /* NULL: empty or not shown */
    const char *cl_id, *cr_id;           /* cr_id NULL: not shown */
    const char *up_id;                   /* NULL: none */
    reg_time cr_date, up_date;
};
struct epp_part epp_account_infdata(const struct epp_account_inf *d);

#endif
