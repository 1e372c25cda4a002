/* See curl_handle.h. */
#include "curl_handle.h"

#include <pthread.h>

#define CONNECT_TIMEOUT 10L

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_result = CURLE_FAILED_INIT;

static void curl_init(void)
{
    curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

CURL *notify_curl_open(const char *url, const char *protocols, long timeout, const char *ca_file,
                       char errbuf[CURL_ERROR_SIZE])
{
    errbuf[0] = '\0';
    pthread_once(&curl_once, curl_init);
    CURL *h = curl_init_result == CURLE_OK ? curl_easy_init() : NULL;
    if (!h)
        return NULL;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout < CONNECT_TIMEOUT ? timeout : CONNECT_TIMEOUT);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    if (ca_file && *ca_file)
        curl_easy_setopt(h, CURLOPT_CAINFO, ca_file);
    return h;
}

const char *notify_curl_error(CURLcode rc, const char *errbuf)
{
    return errbuf[0] ? errbuf : curl_easy_strerror(rc);
}
