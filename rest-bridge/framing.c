/* framing.c: the request's framing headers (see framing.h). Counted over
 * every header line, since libmicrohttpd's lookup returns the first of
 * several with one name. */
#include "framing.h"

#include <string.h>
#include <strings.h>

typedef struct framing_headers {
    unsigned n_length, n_encoding;
    const char *length;       /* the first Content-Length */
    int lengths_differ;       /* two Content-Length headers that disagree */
    const char *bad_encoding; /* a Transfer-Encoding other than chunked */
} framing_headers;

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    framing_headers *h = cls;
    value = value ? value : "";
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
        if (h->n_length++ == 0)
            h->length = value;
        else if (strcmp(h->length, value) != 0)
            h->lengths_differ = 1;
    } else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        if ((h->n_encoding++ || strcasecmp(value, "chunked") != 0) && !h->bad_encoding)
            h->bad_encoding = value;
    }
    return MHD_YES;
}

int rest_framing_check(struct MHD_Connection *c, rest_answer *ans)
{
    framing_headers h = {0};
    MHD_get_connection_values(c, MHD_HEADER_KIND, count_framing, &h);
    if (h.lengths_differ)
        rest_answer_error(ans, rest_err_local(REST_ERR_BAD_REQUEST),
                          "the request has Content-Length headers with different values; send "
                          "one (RFC 9112, section 6.3)");
    else if (h.n_length && h.n_encoding)
        rest_answer_error(ans, rest_err_local(REST_ERR_BAD_REQUEST),
                          "the request has both Transfer-Encoding and Content-Length; send one of "
                          "them (RFC 9112, section 6.3)");
    else if (h.bad_encoding)
        rest_answer_error(ans, rest_err_local(REST_ERR_NOT_IMPLEMENTED),
                          "Transfer-Encoding '%.60s' is not supported; send the body with "
                          "Content-Length or 'Transfer-Encoding: chunked' alone",
                          h.bad_encoding);
    else
        return 0;
    return -1;
}
