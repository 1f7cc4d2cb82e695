/* fuzz_jsonl: HugeGraph JSON lines (graphstore/record_parse.h). The first two
 * bytes choose where the input is cut in two feeds; the header promises a
 * record may be split anywhere, so one feed and two feeds must give the
 * same records and the same error. The same bytes also go through the
 * one-object path (REST batch items). */
#include <stdint.h>
#include <string.h>

#include "record_parse.h"
#include "record_sink.h"

static int parse(const char *d, size_t n, size_t cut, char *msg)
{
    algo_jsonl_parser *p = NULL;
    sink_hash = HGC_FNV1A_INIT;
    if (algo_jsonl_parser_new(&p, &hash_sink) < 0)
        abort();
    int rc = algo_jsonl_parser_feed(p, d, cut, msg);
    if (rc == 0)
        rc = algo_jsonl_parser_feed(p, d + cut, n - cut, msg);
    if (rc == 0)
        rc = algo_jsonl_parser_finish(p, msg);
    algo_jsonl_parser_free(p);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t cut = (data[0] | (size_t)data[1] << 8) % (size - 1);
    const char *d = (const char *)data + 2;
    size -= 2;
    char m1[ALGO_MSG_MAX] = "", m2[ALGO_MSG_MAX] = "";
    int r1 = parse(d, size, size, m1);
    uint64_t h1 = sink_hash;
    int r2 = parse(d, size, cut, m2);
    if (r1 != r2 || (r1 == 0 && h1 != sink_hash) || (r1 != 0 && strcmp(m1, m2) != 0))
        abort();
    check_message(m1);
    algo_jsonl_parse_one(&hash_sink, d, size, m1);
    return 0;
}
