/* A parsed, schema-valid EPP command (RFC 5730 §2.9). The XML tree stays
 * attached so object handlers (domain.c, contact.c, …) read their own part;
 * session commands are decoded here. */
#ifndef REG_EPP_COMMAND_H
#define REG_EPP_COMMAND_H

#include <libxml/tree.h>
#include <stdbool.h>
#include "contrib/status.h"

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

#define EPP_MAX_URIS 32
/* Names or ids one <check> may ask about (any object): more is 2306. */
#define EPP_CHECK_MAX 100
/* sizes in bytes: the schemas count characters, and UTF-8 takes up to 4 */
#define EPP_CLTRID_MAX (64 * 4)

struct epp_login {
    char clid[16 * 4 + 1];
    char pw[16 * 4 + 1];
    char newpw[16 * 4 + 1];
    bool has_newpw;
    char version[8];
    char lang[64];
    const char *obj_uris[EPP_MAX_URIS]; /* point into the document */
    int n_obj;
    const char *ext_uris[EPP_MAX_URIS];
    int n_ext;
};

struct epp_command {
    xmlDocPtr doc;
    epp_cmd_kind kind;
    epp_obj_kind obj;
    xmlNodePtr cmd_node; /* <check>, <login>, … */
    xmlNodePtr obj_node; /* <domain:check>, … (object commands) */
    xmlNodePtr ext_node; /* <extension>, or NULL */
    char cltrid[EPP_CLTRID_MAX + 1];
    struct epp_login login;
    struct {
        bool ack;
        char msgid[32];
    } poll;
    char transfer_op[10]; /* request|query|approve|reject|cancel */
};

/* Parses with the hardened parser and validates against the schemas.
 * Failures are REG_ERR_SYNTAX (→ 2001) with libxml2's message as reason;
 * a valid document that is not a command (a <greeting>, say) is
 * REG_ERR_SYNTAX too. Whenever out->doc is set (also after a validation
 * failure, so the request can be logged) free with epp_command_free. */
reg_err epp_command_parse(const char *xml, size_t len, struct epp_command *out, reg_status *st);
void epp_command_free(struct epp_command *c);
/* "login", "poll", "domain:create", … for logs and the audit table. */
const char *epp_command_name(const struct epp_command *c, char *buf, size_t n);
const char *epp_cmd_kind_name(epp_cmd_kind k);
const char *epp_obj_kind_name(epp_obj_kind k);

/* Hardened XML parse (no network, no DTD, no entity expansion), without
 * schema validation: used by the parser above and by fuzz targets. */
xmlDocPtr epp_xml_read(const char *xml, size_t len, reg_status *st);
/* Validates doc against the compiled schema set (schema.c). */
reg_err epp_schema_validate(xmlDocPtr doc, reg_status *st);
/* Frees this thread's validation context (call before a thread exits). */
void epp_schema_thread_cleanup(void);
/* Compiles the embedded schemas once per process; safe to call often. */
reg_err epp_schema_init(reg_status *st);

/* Small DOM helpers for handlers: first child element with this local
 * name in namespace ns (NULL = any), its trimmed text (malloc'd). */
xmlNodePtr epp_child(xmlNodePtr parent, const char *ns, const char *name);
xmlNodePtr epp_next_sibling(xmlNodePtr node, const char *ns, const char *name);
char *epp_text(xmlNodePtr node);
/* The text of parent's first child <name> in ns, or NULL when there is
 * none; the value of attribute `name`, or NULL (both malloc'd). */
char *epp_child_text(xmlNodePtr parent, const char *ns, const char *name);
char *epp_attr(xmlNodePtr node, const char *name);

/* The request as stored in the audit log: passwords and auth info replaced
 * by "[redacted]". malloc'd. */
char *epp_command_redacted(const struct epp_command *c);
/* Same, for raw text that could not be parsed: shortened, no secrets
 * guaranteed only by truncation to the first line; used for 2001 logs. */
char *epp_raw_redacted(const char *xml, size_t len);

#endif
