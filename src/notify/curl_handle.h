/* The libcurl setup the mail (smtp.c) and SMS (sms.c) senders share. */
#ifndef REG_NOTIFY_CURL_HANDLE_H
#define REG_NOTIFY_CURL_HANDLE_H

#include <curl/curl.h>

/* An easy handle for one transfer to url over `protocols` ("smtp,smtps",
 * "http,https"): no signals (it runs in worker threads), at most
 * `timeout` seconds for the whole transfer and at most 10 of them to
 * connect, the PEM CA bundle ca_file when one is given (NULL or "": the
 * system store), and libcurl's error text in errbuf. NULL when libcurl
 * cannot be initialised. Free with curl_easy_cleanup. */
CURL *notify_curl_open(const char *url, const char *protocols, long timeout, const char *ca_file,
                       char errbuf[CURL_ERROR_SIZE]);

/* Why a transfer failed: errbuf when libcurl wrote it, else its text for rc. */
const char *notify_curl_error(CURLcode rc, const char *errbuf);

#endif
