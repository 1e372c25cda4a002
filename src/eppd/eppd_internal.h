/* Inside src/eppd: the dispatch table's rows and what handlers use. A
 * handler reads c->req (typed, decoded), calls the registry, and answers
 * with eppd_ok() and typed parts (epp/response.h); errors are
 * reg_fail(&c->st, …), mapped to a result code in one place. */
#ifndef REG_EPPD_INTERNAL_H
#define REG_EPPD_INTERNAL_H

#include "eppd.h"
#include "epp/result.h"
#include "registry/op.h"

/* Who may send a command: before login only hello and login (RFC 5730
 * §2.9.1.1); login only before it. */
enum eppd_login_rule { EPPD_ANYTIME, EPPD_BEFORE_LOGIN, EPPD_LOGGED_IN };

/* check runs outside any transaction (mapping the request, expensive work
 * such as password hashing); execute runs in the batch transaction and
 * must leave it usable (an error rolls back to the command's savepoint).
 * Both return REG_OK or an error with c->st set; on success execute has
 * answered with eppd_ok(). */
struct eppd_handler {
    epp_cmd_kind kind;
    epp_obj_kind obj;
    enum eppd_login_rule login;
    reg_err (*check)(struct eppd_cmd *c);
    reg_err (*execute)(struct eppd_cmd *c);
    bool read_only; /* changes nothing but its audit row */
};

/* One table per file, each ending with a row whose execute is NULL. */
extern const struct eppd_handler eppd_session_handlers[];
extern const struct eppd_handler eppd_domain_handlers[];
extern const struct eppd_handler eppd_contact_handlers[];
extern const struct eppd_handler eppd_host_handlers[];
extern const struct eppd_handler eppd_account_handlers[];

/* The registry operation context of the command (acting registrar,
 * channel "epp", svTRID, clTRID, now). */
struct reg_op eppd_op(const struct eppd_cmd *c);

/* A success: the code, and optionally a message of our own (what a 1001
 * waits for). */
void eppd_ok(struct eppd_cmd *c, int code);
void eppd_ok_msg(struct eppd_cmd *c, int code, const char *msg);
/* The end of most handlers: c->st.code if the registry call failed, else
 * 1000 and REG_OK. */
reg_err eppd_answer(struct eppd_cmd *c, bool failed);
/* 1000 with <creData> of an object the registry just created. */
reg_err eppd_created(struct eppd_cmd *c, epp_svc svc, const char *name, int64_t cr_date,
                     int64_t ex_date);

/* Zeroed memory for the command (its arena): NULL with c->st set when the
 * command's memory bound is reached. */
void *eppd_alloc(struct eppd_cmd *c, size_t size);
#define EPPD_NEW(c, type) ((type *)eppd_alloc((c), sizeof(type)))
#define EPPD_ARRAY(c, type, n) ((type *)eppd_alloc((c), sizeof(type) * ((n) ? (n) : 1)))
char *eppd_strdup(struct eppd_cmd *c, const char *s);
/* fn(arg) when the command is released (registry structs own memory). */
void eppd_defer(struct eppd_cmd *c, void (*fn)(void *), void *arg);
/* reg_fail(&c->st, REG_ERR_NOMEM, …) */
reg_err eppd_nomem(struct eppd_cmd *c);

/* The password of an <authInfo>, or NULL. */
const char *eppd_pw(const struct epp_authinfo *a);

/* contact_check, account_check (one id space, R1–R3), host_check */
typedef reg_err (*eppd_check_fn)(const struct reg_op *op, const char *key, bool *avail,
                                 char reason[160], reg_status *st);
/* <check> of ids (contacts, accounts) or host names: chkData with one cd
 * per key, in order. */
reg_err eppd_check_keys(struct eppd_cmd *c, epp_svc svc, const struct epp_names *keys,
                        eppd_check_fn check);
/* A postal address in the registry's shape (registry/contact.h). */
struct contact_postal;
void eppd_postal_in(struct contact_postal *out, const struct epp_postal *in);

/* RFC 8748 fees (fee.c). */
struct eppd_fee {
    bool sent;             /* the command carried the fee element */
    const char *element;   /* of the answer: creData, renData, trnData, updData */
    const char *operation; /* what the registry charges (billing.h); NULL: nothing */
    int years;
    int64_t price;         /* minor units */
};
/* <fee:check> of a domain check: adds <fee:chkData> for every name. */
reg_err eppd_fee_check(struct eppd_cmd *c, const struct epp_domain_check *in);
/* Before the registry changes anything: with a fee element, a currency
 * other than ours is 2004, fees adding up to less than the price of
 * `operation` (NULL: free) for period_months (0: one year) are 2004. */
reg_err eppd_fee_agree(struct eppd_cmd *c, const struct epp_fee_agreement *in,
                       const char *element, const char *operation, int period_months,
                       struct eppd_fee *out);
/* After the registry succeeded: the <fee:…Data> part (currency, period,
 * fee charged, balance after), or none when no fee element was sent. */
reg_err eppd_fee_result(struct eppd_cmd *c, const struct eppd_fee *f);

#endif
