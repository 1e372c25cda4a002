#include "sms.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curl_handle.h"

#define DEFAULT_TIMEOUT 30L
#define ANSWER_MAX 200 /* bytes of the gateway's answer kept for last_error */

char *sms_json(const char *to, const char *from, const char *text)
{
    json_t *o = json_object();
    /* json_string refuses invalid UTF-8 (NULL): the message is then refused */
    json_t *vto = json_string(to), *vfrom = json_string(from), *vtext = json_string(text);
    char *out = NULL;
    if (o && vto && vfrom && vtext && !json_object_set(o, "to", vto) &&
        !json_object_set(o, "from", vfrom) && !json_object_set(o, "text", vtext))
        out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(vto);
    json_decref(vfrom);
    json_decref(vtext);
    json_decref(o);
    return out;
}

/* The start of the gateway's answer, printable, on one line. */
struct answer {
    char text[ANSWER_MAX + 1];
    size_t len;
};

static size_t write_cb(char *data, size_t size, size_t nitems, void *arg)
{
    struct answer *a = arg;
    size_t n = size * nitems;
    for (size_t i = 0; i < n && a->len < ANSWER_MAX; i++) {
        unsigned char c = (unsigned char)data[i];
        a->text[a->len++] = c < ' ' || c == 0x7f ? ' ' : (char)c;
    }
    a->text[a->len] = '\0';
    return n; /* the rest is read and dropped */
}

/* 4xx that say this message is wrong, not the gateway's setup. */
static bool refused_for_good(long status)
{
    return status == 400 || status == 410 || status == 413 || status == 422;
}

reg_err sms_send(const struct sms_gateway *gw, const char *to, const char *text, char *err,
                 size_t errlen)
{
    char *body = sms_json(to, gw->sender ? gw->sender : "", text);
    if (!body) {
        snprintf(err, errlen, "the text is not valid UTF-8 (or out of memory)");
        return REG_ERR_INVALID;
    }
    char curl_err[CURL_ERROR_SIZE];
    long timeout = gw->timeout > 0 ? gw->timeout : DEFAULT_TIMEOUT;
    CURL *h = notify_curl_open(gw->url, "http,https", timeout, gw->ca_file, curl_err);
    if (!h) {
        free(body);
        snprintf(err, errlen, "cannot initialise libcurl");
        return REG_ERR_IO;
    }
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Accept: application/json");
    if (gw->token && *gw->token) { /* libcurl sends it up front: the only method set */
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
        curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, gw->token);
    }
    struct answer ans = {"", 0};

    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    curl_easy_setopt(h, CURLOPT_USERAGENT, "registryd");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &ans);

    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    free(body);

    if (rc != CURLE_OK) {
        snprintf(err, errlen, "SMS gateway: %.300s", notify_curl_error(rc, curl_err));
        return REG_ERR_IO;
    }
    if (status >= 200 && status < 300)
        return REG_OK;
    if (refused_for_good(status)) {
        snprintf(err, errlen, "SMS gateway refused the message: %ld %s", status, ans.text);
        return REG_ERR_INVALID;
    }
    snprintf(err, errlen, "SMS gateway answered %ld %s", status, ans.text);
    return REG_ERR_IO;
}
