/* libFuzzer target: EPP command parsing (src/epp/parse.c, schema.c) on
 * arbitrary bytes: hardened read, schema validation, decoding, the audit
 * log's redaction, and echoing the clTRID into a response as the server
 * does; that response must be well-formed XML (a clTRID cut inside a
 * UTF-8 sequence once broke it). Everything allocated is freed
 * (LeakSanitizer checks). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "contrib/status.h"
#include "epp/command.h"
#include "epp/result.h"
#include "epp/writer.h"

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

static void respond(const struct epp_command *c, reg_err e, const reg_status *st)
{
    epp_writer *w = epp_writer_new();
    if (!w)
        return;
    epp_w_result(w, epp_result_for(e), e ? st->reason : NULL);
    size_t len = 0;
    char *xml = epp_w_finish(w, c->cltrid, "SRV-fuzz", &len);
    if (xml) {
        reg_status rst = {0};
        xmlDocPtr doc = epp_xml_read(xml, len, &rst);
        if (!doc)
            abort(); /* the server would send a broken response */
        xmlFreeDoc(doc);
    }
    free(xml);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct epp_command c;
    reg_status st = {0};
    reg_err e = epp_command_parse((const char *)data, size, &c, &st);
    if (e != REG_OK && !st.reason[0])
        abort(); /* every refusal says why */
    if (strlen(c.cltrid) > EPP_CLTRID_MAX)
        abort();
    if (e == REG_OK) {
        char name[64];
        epp_command_name(&c, name, sizeof name);
        if ((unsigned)c.kind >= EPP_CMD__COUNT || (unsigned)c.obj >= EPP_OBJ__COUNT)
            abort();
        if (c.kind == EPP_CMD_LOGIN &&
            (c.login.n_obj > EPP_MAX_URIS || c.login.n_ext > EPP_MAX_URIS))
            abort();
        if (c.kind != EPP_CMD_HELLO && !c.cmd_node)
            abort();
    }
    if (c.doc) {
        char *red = epp_command_redacted(&c);
        free(red);
    } else {
        char *raw = epp_raw_redacted((const char *)data, size);
        free(raw);
    }
    respond(&c, e, &st);
    epp_command_free(&c);
    return 0;
}
