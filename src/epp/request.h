/* A decoded EPP command (RFC 5730 §2.9): the typed request every handler
 * reads. epp_decode() (decode.c) turns a frame into one of these after the
 * hardened parse and the schema check; every string points into the
 * request's arena (contrib/arena.h) and lives until the arena is reset, so
 * no XML tree outlives the decoder. Values are as the client sent them
 * (trimmed as the schema's whitespace rules say); their meaning (a name's
 * A-label, a period's months) is the registry's business.
 *
 * Only extensions that are valid for the command are ever decoded: any
 * other extension element is refused by the decoder itself (2103 for a
 * namespace it does not implement or an element that does not belong to
 * the command), so a handler cannot silently ignore one. */
#ifndef REG_EPP_REQUEST_H
#define REG_EPP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "contrib/arena.h"
#include "contrib/status.h"
#include "ns.h"

typedef enum {
    EPP_CMD_HELLO,
    EPP_CMD_LOGIN,
    EPP_CMD_LOGOUT,
    EPP_CMD_POLL,
    EPP_CMD_CHECK,
    EPP_CMD_INFO,
    EPP_CMD_CREATE,
    EPP_CMD_UPDATE,
    EPP_CMD_DELETE,
    EPP_CMD_RENEW,
    EPP_CMD_TRANSFER,
    EPP_CMD__COUNT
} epp_cmd_kind;

typedef enum {
    EPP_OBJ_NONE,
    EPP_OBJ_DOMAIN,
    EPP_OBJ_CONTACT,
    EPP_OBJ_HOST,
    EPP_OBJ_ACCOUNT,
    EPP_OBJ__COUNT
} epp_obj_kind;

typedef enum { EPP_XFER_REQUEST, EPP_XFER_QUERY, EPP_XFER_APPROVE, EPP_XFER_REJECT, EPP_XFER_CANCEL } epp_xfer_op;

/* Names or ids one <check> may ask about (any object): more is 2306. */
#define EPP_CHECK_MAX 100
/* sizes in bytes: the schemas count characters, and UTF-8 takes up to 4 */
#define EPP_CLTRID_MAX (64 * 4)
/* Bytes one command's decoded request may take (a 64 KiB frame needs far
 * less): more is 2306, and nothing runs. */
#define EPP_REQUEST_ARENA_MAX (1024 * 1024)

/* ---- shared pieces ----------------------------------------------------------- */

/* <obj:authInfo>: pw (RFC 5731 §2.6 with an optional roid naming the
 * contact whose password it is), or <obj:null/> in an update. */
struct epp_authinfo {
    bool given;
    char *pw;       /* NULL with null or ext */
    char *roid;     /* NULL: the object's own password */
    bool null;      /* <domain:null/>: remove it (update) */
    bool ext;       /* <contact:ext>: an authInfo type we do not support */
};

/* <obj:period unit="y|m">value</obj:period>; value 0: none given. */
struct epp_period {
    int value;
    bool months;
};
/* The period in months (0 when none was given). */
int epp_period_months(struct epp_period p);

/* <obj:status s="…" lang="…">text</obj:status> */
struct epp_status {
    char *s;
    char *text; /* NULL when empty */
};

struct epp_names {
    char **items;
    size_t n;
};

/* RFC 8748 fees on a transform command: <fee:currency>? and the amounts
 * of its <fee:fee> and <fee:credit> elements, as sent (xs:decimal). */
struct epp_fee_agreement {
    bool given;
    char *currency; /* NULL: none */
    char **amounts;
    size_t namounts;
};

/* ---- session -------------------------------------------------------------------- */

struct epp_login {
    char *clid, *pw;
    char *newpw; /* NULL: none */
    char *version, *lang;
    epp_svcs svcs;          /* the objects and extensions announced that we serve */
    char *unknown_obj;      /* the first objURI we do not serve, or NULL */
    char *unknown_ext;      /* the first extURI we do not serve, or NULL */
};

struct epp_poll {
    bool ack;
    char *msgid; /* "" when none */
};

/* ---- domain (RFC 5731, 5910, 3915, 8748, registryd domain-ext) --------------- */

struct epp_ds {
    int key_tag, alg, digest_type;
    char *digest;
};

struct epp_ds_list {
    struct epp_ds *items;
    size_t n;
};

struct epp_domain_contact {
    char *type; /* admin | billing | tech */
    char *id;
};

struct epp_domain_contacts {
    struct epp_domain_contact *items;
    size_t n;
};

struct epp_domain_ns {
    struct epp_names host_objs;
    bool host_attr; /* <domain:hostAttr> was used */
};

/* <fee:check>: what the client wants priced. */
struct epp_fee_command {
    char *name, *custom_name, *phase, *subphase; /* as sent; NULL: absent */
    struct epp_period period;
};

struct epp_fee_check {
    bool given;
    char *currency;
    struct epp_fee_command *commands;
    size_t ncommands;
};

struct epp_domain_check {
    struct epp_names names;
    struct epp_fee_check fee;
};

struct epp_domain_info {
    char *name;
    char *hosts; /* all | del | sub | none */
    struct epp_authinfo auth;
};

struct epp_secdns_create {
    bool given;
    bool key_data;     /* keyData (we take dsData only) */
    bool max_sig_life;
    struct epp_ds_list ds;
};

struct epp_domain_create {
    char *name;
    struct epp_period period;
    struct epp_domain_ns ns;
    char *registrant; /* NULL: none */
    struct epp_domain_contacts contacts;
    struct epp_authinfo auth;
    struct epp_secdns_create secdns;
    char *management;                       /* regd:management, NULL: none */
    char *terms_version, *terms_accepted;   /* regd:terms, NULL: none */
    struct epp_fee_agreement fee;
};

struct epp_domain_change {
    struct epp_domain_ns ns;
    struct epp_domain_contacts contacts;
    struct epp_status *statuses;
    size_t nstatuses;
};

struct epp_secdns_update {
    bool given;
    bool rem_all;
    struct epp_ds_list rem, add;
    bool key_data;     /* keyData in rem or add */
    bool max_sig_life; /* <secDNS:chg> */
};

typedef enum { EPP_RESTORE_NONE, EPP_RESTORE_REQUEST, EPP_RESTORE_REPORT } epp_restore_op;

struct epp_domain_update {
    char *name;
    struct epp_domain_change add, rem;
    char *chg_registrant;     /* NULL: no change */
    struct epp_authinfo chg_auth;
    struct epp_secdns_update secdns;
    epp_restore_op restore;   /* rgp:update */
    bool verified;            /* regd:update/regd:verified */
    struct epp_fee_agreement fee;
};

struct epp_domain_delete {
    char *name;
    bool verified; /* regd:delete/regd:verified */
};

struct epp_domain_renew {
    char *name;
    char *cur_exp_date;
    struct epp_period period;
    struct epp_fee_agreement fee;
};

struct epp_domain_transfer {
    epp_xfer_op op;
    char *name;
    struct epp_period period;
    struct epp_authinfo auth;
    char *otp_channel; /* regd:transfer/regd:otp channel, NULL: none */
    struct epp_fee_agreement fee;
};

/* ---- contact (RFC 5733, registryd contact-ext) ----------------------------- */

#define EPP_STREETS 3
enum { EPP_POSTAL_INT, EPP_POSTAL_LOC };

struct epp_postal {
    bool present;
    bool has_addr;
    char *name, *org;
    char *street[EPP_STREETS];
    char *city, *sp, *pc, *cc;
};

struct epp_phone {
    bool given;
    char *number; /* "" for an empty element */
    char *x;
};

/* <contact:disclose flag="…">: which fields the flag applies to. */
enum {
    EPP_DISCLOSE_NAME_INT = 1 << 0,
    EPP_DISCLOSE_NAME_LOC = 1 << 1,
    EPP_DISCLOSE_ORG_INT = 1 << 2,
    EPP_DISCLOSE_ORG_LOC = 1 << 3,
    EPP_DISCLOSE_ADDR_INT = 1 << 4,
    EPP_DISCLOSE_ADDR_LOC = 1 << 5,
    EPP_DISCLOSE_VOICE = 1 << 6,
    EPP_DISCLOSE_FAX = 1 << 7,
    EPP_DISCLOSE_EMAIL = 1 << 8,
};

struct epp_disclose {
    bool given;
    bool flag;
    unsigned fields;
};

/* regc:ident type="…" cc="…">value</regc:ident> */
struct epp_ident {
    bool given;
    char *type, *cc, *value;
};

/* What contact create and the chg of update carry alike. */
struct epp_contact_data {
    struct epp_postal postal[2]; /* [EPP_POSTAL_INT], [EPP_POSTAL_LOC] */
    struct epp_phone voice, fax;
    char *email; /* NULL: none (update: keep) */
    struct epp_authinfo auth;
    struct epp_disclose disclose;
    /* contact-ext-1.0 */
    char *kind;  /* regc:type, NULL: none */
    struct epp_ident ident;
    struct epp_phone mobile; /* regc:mobile (no x) */
};

struct epp_id_check {
    struct epp_names ids;
};

struct epp_contact_info {
    char *id;
    struct epp_authinfo auth;
};

struct epp_contact_create {
    char *id;
    struct epp_contact_data d;
};

struct epp_contact_update {
    char *id;
    struct epp_status *add, *rem;
    size_t nadd, nrem;
    struct epp_contact_data chg; /* what is absent is kept */
};

struct epp_contact_transfer {
    epp_xfer_op op;
    char *id;
    struct epp_authinfo auth;
};

/* ---- host (RFC 5732, registryd host-ext) ------------------------------------ */

struct epp_host_addr {
    char *addr;
    bool v6;
};

struct epp_host_addrs {
    struct epp_host_addr *items;
    size_t n;
};

struct epp_host_create {
    char *name;
    struct epp_host_addrs addrs;
    char *admin; /* regh:admin, NULL: none */
};

struct epp_host_update {
    char *name;
    struct epp_host_addrs add_addrs, rem_addrs;
    struct epp_status *add_status;
    size_t nadd_status;
    char **rem_status;
    size_t nrem_status;
    char *new_name; /* NULL: keep */
    char *admin;    /* regh:admin: NULL keeps, "" removes */
};

/* ---- account (registryd account-1.0) ---------------------------------------- */

#define EPP_ACCOUNT_SLOTS 6 /* a1 a2 a3 b1 b2 b3 */

/* <account:newContact>: a contact to create for a slot (its data is a loc
 * postalInfo). */
struct epp_new_contact {
    char *id; /* NULL: generated */
    struct epp_postal postal;
    struct epp_phone voice;
    char *email;
};

struct epp_account_fill {
    bool given;
    char *contact; /* <account:contact>, or NULL with is_new */
    bool is_new;
    struct epp_new_contact new_contact;
};

/* <account:slot name="a2">: fields of the contact in the slot to change. */
struct epp_slot_change {
    bool given;
    char *name, *org, *city, *sp, *pc, *cc, *email;
    bool has_street;
    char *street[EPP_STREETS];
    struct epp_phone voice;
};

struct epp_account_create {
    char *id;
    char *billing;
    struct epp_account_fill slot[EPP_ACCOUNT_SLOTS];
};

struct epp_account_update {
    char *id;
    char *billing; /* NULL: keep */
    struct epp_account_fill add[EPP_ACCOUNT_SLOTS];
    char *rem[EPP_ACCOUNT_SLOTS];
    struct epp_slot_change chg[EPP_ACCOUNT_SLOTS];
};

/* ---- the request ------------------------------------------------------------- */

struct epp_request {
    epp_cmd_kind kind;
    epp_obj_kind obj;
    char cltrid[EPP_CLTRID_MAX + 1]; /* "" when none (or not echoable) */
    epp_svcs svcs; /* the object and extension services the command uses */
    union {
        struct epp_login login;
        struct epp_poll poll;
        struct epp_domain_check domain_check;
        struct epp_domain_info domain_info;
        struct epp_domain_create domain_create;
        struct epp_domain_update domain_update;
        struct epp_domain_delete domain_delete;
        struct epp_domain_renew domain_renew;
        struct epp_domain_transfer domain_transfer;
        struct epp_id_check id_check; /* contact and account check */
        struct epp_contact_info contact_info;
        struct epp_contact_create contact_create;
        struct epp_contact_update contact_update;
        char *id;                     /* contact delete, account info */
        struct epp_contact_transfer contact_transfer;
        struct epp_names host_check;
        char *name;                   /* host info and delete */
        struct epp_host_create host_create;
        struct epp_host_update host_update;
        struct epp_account_create account_create;
        struct epp_account_update account_update;
    } u;
    /* The request as the audit log keeps it: passwords and auth info
     * replaced by "[redacted]" (see epp_raw_redacted for frames that could
     * not be read). A frame with no secret in it (no <pw>, <newPW> or
     * <authInfo>, not even their names in its bytes), in UTF-8, is kept
     * byte for byte as received; one with a secret is the tree written out
     * again with the secrets replaced. NULL when the frame was not XML. */
    char *redacted;
    /* For a refused extension (2103): the element at fault, for the
     * result's <extValue><value>. */
    char *bad_ns, *bad_name;
};

/* Decodes frame into *out using arena a (reset by the caller after the
 * command): the hardened XML read (no DTD, no entities, no network), the
 * schema check against schema/, then the typed request. Failures:
 *   REG_ERR_SYNTAX (2001): not well-formed, not valid, not a command;
 *   REG_ERR_UNIMPLEMENTED_OBJECT (2307): an object namespace not served;
 *   REG_ERR_UNIMPLEMENTED_EXTENSION (2103): an extension namespace not
 *     implemented, or an extension element not used with this command
 *     (out->bad_ns/bad_name name it);
 *   REG_ERR_VERSION (2100): a login for another protocol version;
 *   REG_ERR_POLICY (2306): more than EPP_CHECK_MAX names in a check;
 *   REG_ERR_NOMEM / REG_ERR_LIMIT. out->cltrid is set whenever one could be
 * read, also from a frame refused before parsing; out->kind/obj whenever
 * the command could be told. */
reg_err epp_decode(const char *frame, size_t len, struct arena *a, struct epp_request *out,
                   reg_status *st);

/* The same in two phases, so the caller can refuse a command by its kind
 * before the schema check and the typed decoding are spent on it (before
 * login only <hello> and <login> get that far). epp_decode_read does the
 * hardened read with its cost limits and fills out->kind, obj, cltrid and
 * redacted; on success *decoder holds the tree for epp_decode_finish (which
 * releases it) or epp_decoder_free. */
struct epp_decoder;
reg_err epp_decode_read(const char *frame, size_t len, struct arena *a, struct epp_request *out,
                        struct epp_decoder **decoder, reg_status *st);
reg_err epp_decode_finish(struct epp_decoder *decoder, reg_status *st);
void epp_decoder_free(struct epp_decoder *decoder);

/* Which schemas epp_decode validates against (DESIGN R1–R3 vs RFC 5730):
 * the official IETF ones (contact and client ids of 3–16 characters), or
 * the same with ids of up to 100 characters for REGISTRAR:ID contact ids
 * ([contact] id_prefix = registrar). Set once at start, before any decode. */
void epp_decode_long_ids(bool on);

/* "login", "poll", "domain:create", … for logs and the audit table. */
const char *epp_request_name(const struct epp_request *r, char *buf, size_t n);
const char *epp_cmd_kind_name(epp_cmd_kind k);
const char *epp_obj_kind_name(epp_obj_kind k);
/* The object service of an object kind (EPP_SVC_NONE for EPP_OBJ_NONE). */
epp_svc epp_obj_svc(epp_obj_kind k);

/* Raw text that could not be parsed, for the audit log: shortened, with no
 * secrets guaranteed only by truncation before the first "pw"/"authInfo". */
char *epp_raw_redacted(const char *xml, size_t len);

/* Compiles the embedded schemas once per process; safe to call often.
 * epp_schema_thread_cleanup frees this thread's validation context (call
 * before a worker thread exits). */
reg_err epp_schema_init(reg_status *st);
void epp_schema_thread_cleanup(void);

#endif
