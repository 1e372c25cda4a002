/* libFuzzer target: the EPP codec (src/epp) on arbitrary bytes: hardened
 * read, extension sorting, schema validation and the typed decoders
 * (frame → struct epp_request), then an error response that echoes the
 * clTRID and names the element at fault, as the server would send it; that
 * response must be well-formed XML (a clTRID cut inside a UTF-8 sequence
 * once broke it). Everything allocated is freed (LeakSanitizer checks). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/arena.h"
#include "contrib/status.h"
#include "epp/request.h"
#include "epp/response.h"
#include "epp/result.h"
#include "epp/xml.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    reg_status st = {0};
    if (epp_schema_init(&st) != REG_OK)
        abort();
    return 0;
}

static void respond(const struct epp_request *r, reg_err e, const reg_status *st)
{
    struct epp_response resp = {.code = epp_result_for(e), .reason = e ? st->reason : NULL,
                                .value_ns = r->bad_ns, .value_name = r->bad_name};
    size_t len = 0;
    char *xml = epp_response_write(&resp, EPP_SVCS_ALL, r->cltrid, "SRV-fuzz", &len);
    if (xml) {
        reg_status rst = {0};
        xmlDocPtr doc = epp_xml_read(xml, len, &rst);
        if (!doc)
            abort(); /* the server would send a broken response */
        xmlFreeDoc(doc);
    }
    free(xml);
}

/* What a decoded request promises its handlers. */
static void check_request(const struct epp_request *r)
{
    if ((unsigned)r->kind >= EPP_CMD__COUNT || (unsigned)r->obj >= EPP_OBJ__COUNT)
        abort();
    if (r->obj == EPP_OBJ_NONE && r->kind >= EPP_CMD_CHECK)
        abort(); /* every object command names its object */
    if (r->svcs & ~EPP_SVCS_ALL)
        abort();
    if (r->kind == EPP_CMD_LOGIN && (!r->u.login.clid || !r->u.login.pw || !r->u.login.version))
        abort();
    if (r->kind == EPP_CMD_CHECK && r->obj == EPP_OBJ_DOMAIN &&
        r->u.domain_check.names.n > EPP_CHECK_MAX)
        abort();
    if (r->kind == EPP_CMD_CREATE && r->obj == EPP_OBJ_DOMAIN && !r->u.domain_create.name)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    arena_init(&a, EPP_REQUEST_ARENA_MAX);
    struct epp_request r;
    reg_status st = {0};
    reg_err e = epp_decode((const char *)data, size, &a, &r, &st);
    if (e != REG_OK && !st.reason[0])
        abort(); /* every refusal says why */
    if (strlen(r.cltrid) > EPP_CLTRID_MAX)
        abort();
    if (e == REG_OK)
        check_request(&r);
    if (!r.redacted) {
        char *raw = epp_raw_redacted((const char *)data, size);
        free(raw);
    }
    respond(&r, e, &st);
    arena_free(&a);
    return 0;
}
