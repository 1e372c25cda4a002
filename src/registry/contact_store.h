/* Contact rows (RFC 5733 objects, R1–R3, R40): the contact's types, its
 * loading with postal data, statuses and links, its history versions and
 * every write of a contact row. Features (notices, idcheck, contact
 * copies, transfers) use these; the operations are in contact.h. */
#ifndef REG_CONTACT_STORE_H
#define REG_CONTACT_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "names.h"
#include "op.h"
#include "registrar.h"
#include "status.h"

/* postalInfo type="int" (ASCII only, RFC 5733 §2.3) and type="loc" */
enum { CONTACT_INT = 0, CONTACT_LOC = 1 };

/* Fields a disclose element can name (RFC 5733 §2.9). */
#define CONTACT_DISCLOSE_NAME_INT (1u << 0)
#define CONTACT_DISCLOSE_NAME_LOC (1u << 1)
#define CONTACT_DISCLOSE_ORG_INT (1u << 2)
#define CONTACT_DISCLOSE_ORG_LOC (1u << 3)
#define CONTACT_DISCLOSE_ADDR_INT (1u << 4)
#define CONTACT_DISCLOSE_ADDR_LOC (1u << 5)
#define CONTACT_DISCLOSE_VOICE (1u << 6)
#define CONTACT_DISCLOSE_FAX (1u << 7)
#define CONTACT_DISCLOSE_EMAIL (1u << 8)
#define CONTACT_DISCLOSE_ALL 0x1ffu

#define CONTACT_STREETS 3

/* Strings are owned by whoever built the struct (contact_*_free release
 * what the registry filled). NULL means "not given" / "none". */
struct contact_postal {
    bool present;
    char *name;
    char *org;
    char *street[CONTACT_STREETS];
    char *city, *sp, *pc, *cc;
    /* update only: name/org NULL keep the old value, org "" removes it;
     * has_addr replaces the whole address (street, city, sp, pc, cc) */
    bool has_addr;
};

struct contact_data {
    struct contact_postal postal[2]; /* [CONTACT_INT], [CONTACT_LOC] */
    char *voice, *voice_x, *fax, *fax_x;
    char *email;
    bool has_disclose; /* a disclose element was given */
    int disclose_flag; /* its flag: 0 or 1 */
    unsigned disclose; /* CONTACT_DISCLOSE_* bits it lists */
    /* contact-ext-1.0 */
    char *kind; /* person | organization | role */
    char *ident_type, *ident_value, *ident_cc;
    char *mobile;
};
void contact_data_free(struct contact_data *d);
/* CONTACT_DISCLOSE_* bits as the stored list: "name.loc voice email". */
void contact_disclose_format(unsigned bits, char *out, size_t n);

/* Who is looking (contact_info): the sponsor sees everything, a registrar
 * with the right auth info everything but the identity check, anyone else
 * only what the contact discloses (DESIGN §7). */
typedef enum { CONTACT_VIEW_PUBLIC, CONTACT_VIEW_AUTHINFO, CONTACT_VIEW_SPONSOR } contact_view;

struct contact {
    int64_t id;
    char handle[CONTACT_ID_MAX + 1];
    char roid[48];
    int64_t sponsor_id;
    char sponsor[REGISTRAR_HANDLE_MAX + 1];
    char creator[REGISTRAR_HANDLE_MAX + 1];
    char updater[REGISTRAR_HANDLE_MAX + 1]; /* "" if never updated */
    struct contact_data d;
    bool authinfo_set;
    char idcheck_state[12];                          /* none | pending | verified | failed */
    reg_time idcheck_deadline;                       /* 0: none */
    char idcheck_method[12];                         /* "" | eid | documents (idcheck.h) */
    char idcheck_by[64];                             /* who set the state */
    reg_time idcheck_at;                             /* when; 0: never */
    char *idcheck_note;                              /* staff's note, or NULL */
    reg_time created_at, updated_at, transferred_at; /* 0: never */
    struct status_set status;                        /* the stored ones */
    bool linked; /* a domain's registrant or contact, or a host's admin */
    char lang[4]; /* staff-set language of the registry's messages; "" = automatic */
    /* the registrar whose portal manages it (R28-R31, linked.h); "" = none */
    char linked_registrar[REGISTRAR_HANDLE_MAX + 1];
    /* filled by contact_info */
    contact_view view;
    unsigned redacted; /* CONTACT_DISCLOSE_* withheld from this viewer */
};
void contact_free(struct contact *c);

void contact_postal_free(struct contact_postal *p);

/* The CONTACT_DISCLOSE_* bits of a stored disclose_fields text
 * ("name.int addr.loc voice email …"). */
unsigned contact_disclose_parse(const char *s);

/* ---- reading -------------------------------------------------------------------- */

/* The whole contact by its stored handle; *found false if none. `lock`
 * takes the row lock (PostgreSQL) for a change; hash (may be NULL) gets
 * the stored auth info hash. Free with contact_free. */
reg_err contact_load_row(const struct reg_op *op, const char *handle, bool lock,
                         struct contact *c, bool *found, char *hash, size_t hash_len,
                         reg_status *st);
/* contact_load_row without lock or hash. */
reg_err contact_load(const struct reg_op *op, const char *handle, struct contact *c, bool *found,
                     reg_status *st);

/* The contact's id by handle (exact, already normalised), for other
 * object modules; 0 if there is none. */
int64_t contact_id_by_handle(db *d, const char *handle);

/* Whether a contact has the stored handle (contact_taken_fn). */
reg_err contact_handle_taken(const struct reg_op *op, const char *handle, bool *out,
                             reg_status *st);
/* R1–R3: the stored id for `requested` (NULL, "" or "auto": R2's
 * REGISTRAR:XXXXXXXX, drawn again while taken) that no contact has yet;
 * REG_ERR_EXISTS for a chosen id in use. */
reg_err contact_pick_handle(const struct reg_op *op, const char *registrar, const char *requested,
                            char handle[CONTACT_ID_MAX + 1], reg_status *st);

/* ---- history (R40) ------------------------------------------------------------------ */

/* The contact as history JSON (R40): a new object for the caller
 * (history_record_json takes it). */
json_t *contact_snapshot(const struct contact *c);
/* The version of c as `action` (deleted: its last); or re-read by handle
 * first (contact_record_version). */
reg_err contact_record(const struct reg_op *op, const struct contact *c, const char *action,
                       bool deleted, reg_status *st);
reg_err contact_record_version(const struct reg_op *op, const char *handle, const char *action,
                               reg_status *st);

/* ---- writing: every change of a contact row -------------------------------------- */

/* A new contact sponsored and created by the acting registrar, with its
 * postal data; REG_ERR_EXISTS if the handle is taken. */
reg_err contact_store_insert(const struct reg_op *op, const char *handle,
                             const struct contact_data *d, const char *authinfo_hash, int64_t *id,
                             reg_status *st);
/* Its data (d, postal data included) and, with chg_authinfo, the auth-info
 * hash (NULL: none), by the acting registrar. */
reg_err contact_store_update(const struct reg_op *op, int64_t id, const struct contact_data *d,
                             bool chg_authinfo, const char *authinfo_hash, reg_status *st);
/* The auth-info hash `old` in the newer form `fresh` (secret_authinfo_verify
 * rehashed it on its use): the same auth info, so no history version and
 * no updated_at. Nothing happens if the hash is no longer `old`. */
reg_err contact_store_rehash_authinfo(const struct reg_op *op, int64_t id, const char *old,
                                      const char *fresh, reg_status *st);
/* Updated now by the acting registrar, nothing else changed. */
reg_err contact_store_touch(const struct reg_op *op, int64_t id, reg_status *st);
/* To the gaining registrar gid (also its updater); the auth info goes. */
reg_err contact_store_move(const struct reg_op *op, int64_t id, int64_t gid, reg_status *st);
/* The language of the registry's messages; NULL: automatic. */
reg_err contact_store_set_lang(const struct reg_op *op, int64_t id, const char *lang,
                               reg_status *st);
/* The identity check's state (idcheck.h), set by op->actor now. */
reg_err contact_store_set_idcheck(const struct reg_op *op, int64_t id, const char *state,
                                  reg_time deadline, const char *method, const char *note,
                                  reg_status *st);
/* The yearly contact check was sent now. */
reg_err contact_store_set_check_sent(const struct reg_op *op, int64_t id, reg_status *st);
/* R4: a copy of contact `from` as `handle`, sponsored by registrar_id,
 * with its postal data and the registry's (server*) statuses. */
reg_err contact_store_copy(const struct reg_op *op, int64_t from, int64_t registrar_id,
                           const char *handle, int64_t *id, reg_status *st);
/* Removes the contact, its postal data and statuses; REG_ERR_ASSOCIATION
 * if something links it. */
reg_err contact_store_delete(const struct reg_op *op, int64_t id, const char *handle,
                             reg_status *st);

#endif
