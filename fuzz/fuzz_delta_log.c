/* fuzz_delta_log: a delta log file (service/delta_log.h) as it could be
 * found after a crash or damage. The input is the whole file. Replay goes
 * first, with a sink that checks each record's shape and reads every byte
 * it points to (ASan: the pointers must lie in the log's bytes); then the
 * log is opened for writing (cutting its tail), one record is appended
 * and committed, and replay must give exactly one record more.
 *
 * A mutated record almost never keeps its transaction's CRC, so the
 * record decoder would only ever see seeds. The same bytes therefore run
 * a second time with every whole commit frame's count and CRC made to
 * match the frames before it: then the decoder gets whatever the fuzzer
 * put in a record. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "delta_log.h"
#include "fuzz_tmp.h"

static uint64_t seen;
static volatile uint8_t sink_sum;

static void touch(const char *s, size_t n)
{
    if (n > 0 && !s)
        abort();
    for (size_t i = 0; i < n; i++)
        sink_sum += (uint8_t)s[i];
}

static void check_vid(const algo_vid *v)
{
    if (v->is_str != 0 && v->is_str != 1)
        abort();
    if (v->is_str) {
        if (v->len == 0)
            abort();
        touch(v->str, v->len);
    }
}

static void check_text(algo_text t)
{
    if ((t.s == NULL) != (t.len == 0))
        abort();
    touch(t.s, t.len);
}

static void check_props(const algo_prop *p, size_t n)
{
    if (n > 0 && !p)
        abort();
    for (size_t i = 0; i < n; i++) {
        touch(p[i].key, p[i].key_len);
        switch (p[i].value.type) {
        case ALGO_PROP_INT:
        case ALGO_PROP_DOUBLE: break;
        case ALGO_PROP_STRING: touch(p[i].value.s, p[i].value.len); break;
        case ALGO_PROP_BOOL:
            if (p[i].value.i != 0 && p[i].value.i != 1)
                abort();
            break;
        default: abort();
        }
    }
}

static int on_vertex(void *ud, const algo_vertex_rec *v, char msg[ALGO_MSG_MAX])
{
    (void)ud, (void)msg;
    if (v->has_id != 0 && v->has_id != 1)
        abort();
    if (v->has_id)
        check_vid(&v->id);
    check_text(v->label);
    check_props(v->props, v->n_props);
    seen++;
    return 0;
}

static int on_edge(void *ud, const algo_edge_rec *e, char msg[ALGO_MSG_MAX])
{
    (void)ud, (void)msg;
    check_vid(&e->src);
    check_vid(&e->dst);
    check_text(e->label);
    check_text(e->src_label);
    check_text(e->dst_label);
    check_props(e->props, e->n_props);
    seen++;
    return 0;
}

static const algo_record_sink sink = {on_vertex, on_edge, NULL};

/* Error messages are for people: printable ASCII only (the path is ours). */
static void check_message(const char *m)
{
    if (!m[0])
        abort();
    for (; *m; m++)
        if (*m < 0x20 || *m > 0x7e)
            abort();
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

/* Makes every whole commit frame agree with the record frames before it,
 * as far as the framing holds. 1 if a byte changed. */
static int fix_commits(uint8_t *p, size_t n)
{
    size_t off = 8, start = 8;
    uint64_t count = 0;
    int changed = 0;
    while (n >= off + 5) {
        uint32_t len;
        memcpy(&len, p + off + 1, 4);
        if (p[off] == 'C' && len == 12 && n - off - 5 >= 12) {
            uint8_t want[12];
            uint32_t crc = crc32(p + start, off - start);
            memcpy(want, &count, 8);
            memcpy(want + 8, &crc, 4);
            changed |= memcmp(p + off + 5, want, 12) != 0;
            memcpy(p + off + 5, want, 12);
            off += 17;
            start = off;
            count = 0;
        } else if ((p[off] == 'V' || p[off] == 'E') && n - off - 5 >= len) {
            count++;
            off += 5 + (size_t)len;
        } else {
            break;
        }
    }
    return changed;
}

static void run(const uint8_t *data, size_t size)
{
    const char *path = fuzz_tmp_path("log.delta");
    char msg[SVC_MSG_MAX] = "";
    uint64_t n1 = 0, n2 = 0;
    fuzz_tmp_write(path, data, size);

    seen = 0;
    int r1 = svc_delta_replay(path, &sink, &n1, msg);
    if (r1 == 0 && n1 != seen)
        abort();
    if (r1 != 0 && r1 != -EINVAL && r1 != -EIO)
        abort();
    if (r1 != 0)
        check_message(msg);
    int bad_header = size >= 8 && memcmp(data, "HGCDLT1\n", 8) != 0;
    if ((r1 == -EINVAL) != bad_header)
        abort();

    svc_delta *d = NULL;
    msg[0] = '\0';
    int ro = svc_delta_open(&d, path, msg);
    if ((ro == -EINVAL) != bad_header || (ro != 0 && ro != -EINVAL))
        abort();
    if (ro != 0) {
        check_message(msg);
        return;
    }
    uint64_t kept = svc_delta_bytes(d);
    if (kept < 8 || (size >= 8 && kept > size))
        abort();

    static const algo_prop props[] = {{"k", 1, {ALGO_PROP_BOOL, 1, 0, NULL, 0}}};
    algo_edge_rec e = {
        {1, 0, "a\0b", 3}, {0, -7, NULL, 0}, {"e", 1}, {NULL, 0}, {NULL, 0}, props, 1};
    if (svc_delta_append_edge(d, &e, msg) < 0 || svc_delta_commit(d, msg) < 0)
        abort();
    /* The edge's frame is 46 bytes, the commit frame 17. */
    if (svc_delta_bytes(d) != kept + 46 + 17)
        abort();
    svc_delta_close(d);

    seen = 0;
    int r2 = svc_delta_replay(path, &sink, &n2, msg);
    if (r1 == 0 && (r2 != 0 || n2 != n1 + 1))
        abort();
    if (r1 == -EIO && r2 != -EIO) /* the corrupt record is still there */
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run(data, size);
    if (size < 8 || memcmp(data, "HGCDLT1\n", 8) != 0)
        return 0;
    uint8_t *fixed = malloc(size);
    if (!fixed)
        abort();
    memcpy(fixed, data, size);
    if (fix_commits(fixed, size))
        run(fixed, size);
    free(fixed);
    return 0;
}
