/* fuzz_graphalytics: LDBC Graphalytics .v/.e lines and .properties text
 * (graphstore/record_parse.h). The first byte picks the file kind and weight
 * settings, the next two where the input is cut: one feed and two feeds
 * must agree, records and errors alike. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "record_parse.h"
#include "record_sink.h"

static int parse(const algo_graphalytics_props *pr, char which, const char *d, size_t n, size_t cut,
                 char *msg)
{
    algo_graphalytics_parser *p = NULL;
    sink_hash = HGC_FNV1A_INIT;
    if (algo_graphalytics_parser_new(&p, which, pr, &hash_sink) < 0)
        abort();
    int rc = algo_graphalytics_parser_feed(p, d, cut, msg);
    if (rc == 0)
        rc = algo_graphalytics_parser_feed(p, d + cut, n - cut, msg);
    if (rc == 0)
        rc = algo_graphalytics_parser_finish(p, msg);
    algo_graphalytics_parser_free(p);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    unsigned mode = data[0];
    size_t cut = (data[1] | (size_t)data[2] << 8) % (size - 2);
    const char *d = (const char *)data + 3;
    size -= 3;
    algo_graphalytics_props pr = {.directed = 1,
                                  .weight_type = (mode & 4) ? ALGO_PROP_INT : ALGO_PROP_DOUBLE};
    if (mode & 2)
        snprintf(pr.weight_key, sizeof pr.weight_key, "weight");
    char which = (mode & 1) ? 'v' : 'e';
    char m1[ALGO_MSG_MAX] = "", m2[ALGO_MSG_MAX] = "";
    int r1 = parse(&pr, which, d, size, size, m1);
    uint64_t h1 = sink_hash;
    int r2 = parse(&pr, which, d, size, cut, m2);
    if (r1 != r2 || (r1 == 0 && h1 != sink_hash) || (r1 != 0 && strcmp(m1, m2) != 0))
        abort();
    check_message(m1);
    algo_graphalytics_props out;
    if (algo_graphalytics_props_parse(&out, d, size, m1) == 0) {
        if (strnlen(out.weight_key, sizeof out.weight_key) == sizeof out.weight_key)
            abort();
        if (out.weight_type != ALGO_PROP_INT && out.weight_type != ALGO_PROP_DOUBLE)
            abort();
    } else {
        check_message(m1);
    }
    return 0;
}
