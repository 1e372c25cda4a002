/* The XML console's sample requests (R12): a whole <epp> document for
 * each command a registrar starts from. "@TLD@" stands for the registry's
 * TLD; the page puts it in. Every sample is valid against schema/
 * (tests/unit/test_console_samples.c). */
#ifndef REG_WEB_CONSOLE_SAMPLES_H
#define REG_WEB_CONSOLE_SAMPLES_H

#include <stddef.h>

struct console_sample {
    const char *id; /* "domain-info": the page's ?sample= */
    const char *xml;
};

extern const struct console_sample console_samples[];
extern const size_t console_samples_n;

/* The sample of that id, or NULL. */
const struct console_sample *console_sample_find(const char *id);

#endif
