/* test_prop_column.c: property columns: every type round trips with
 * gaps, the permutation puts values where an independently computed
 * array says, the last value set wins, dropped indices stay absent, and
 * damaged files (every truncation, every header byte changed, targeted
 * corruptions of the data) are refused or, when accepted, still safe to
 * read, checked by a walk that stays inside the mapping. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "prop_column.h"
#include "fixture.h"

static char msg[ALGO_MSG_MAX];

static void make_dir(void)
{
    fixture_make_dir("pcol");
}

TestSuite(prop_column, .init = make_dir, .fini = remove_dir);

static algo_prop_value vint(int64_t x)
{
    return (algo_prop_value){.type = ALGO_PROP_INT, .i = x};
}

static algo_prop_value vdbl(double x)
{
    return (algo_prop_value){.type = ALGO_PROP_DOUBLE, .d = x};
}

static algo_prop_value vbool(int x)
{
    return (algo_prop_value){.type = ALGO_PROP_BOOL, .i = x};
}

static algo_prop_value vstr(const char *s, size_t len)
{
    return (algo_prop_value){.type = ALGO_PROP_STRING, .s = s, .len = len};
}

static algo_column_builder *new_builder(algo_prop_type t)
{
    algo_column_builder *b = NULL;
    cr_assert_eq(algo_column_builder_new(&b, t), 0);
    cr_assert_eq(algo_column_builder_type(b), t);
    return b;
}

static void set(algo_column_builder *b, uint64_t i, algo_prop_value v)
{
    cr_assert_eq(algo_column_builder_set(b, i, &v, msg), 0, "%s", msg);
}

static void write_col(algo_column_builder *b, const char *path, uint64_t n, const uint32_t *perm,
                      uint64_t n_perm)
{
    cr_assert_eq(algo_column_builder_write(b, path, n, perm, n_perm, msg), 0, "%s", msg);
}

static void map_col(algo_column *c, const char *path)
{
    cr_assert_eq(algo_column_map(c, path, msg), 0, "%s", msg);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(*len + 1);
    cr_assert_eq(fread(buf, 1, *len, f), *len);
    fclose(f);
    return buf;
}

static void spit(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

/* Reads every slot of an accepted column, checking each pointer it is
 * handed lies inside the mapping and touching every byte, so a column
 * that map accepted but is unsafe fails here (or under ASan). */
static void walk(const algo_column *c)
{
    const char *lo = c->map_, *hi = lo + c->map_len_;
    uint64_t sum = 0;
    cr_assert_leq((const char *)(c->present + (c->n + 63) / 64), hi);
    for (uint64_t i = 0; i < c->n; i++) {
        algo_prop_value v;
        sum += (uint64_t)algo_column_has(c, i);
        algo_column_get(c, i, &v);
        cr_assert_eq(v.type, c->type);
        if (c->type == ALGO_PROP_STRING) {
            cr_assert(v.s >= lo && v.s <= hi && v.len <= (size_t)(hi - v.s), "slot %zu", (size_t)i);
            for (size_t k = 0; k < v.len; k++)
                sum += (unsigned char)v.s[k];
        } else if (c->type == ALGO_PROP_BOOL) {
            cr_assert(v.i == 0 || v.i == 1);
        }
    }
    (void)sum;
}

/* ---- round trips ---------------------------------------------------------- */

/* 300 slots span five bitmap words; every third slot is absent. */
#define RT_N 300
static int rt_present(uint64_t i)
{
    return i % 3 != 1 && i != RT_N - 1;
}

Test(prop_column, int_round_trip)
{
    int64_t special[] = {0, -1, INT64_MIN, INT64_MAX, 1};
    algo_column_builder *b = new_builder(ALGO_PROP_INT);
    for (uint64_t i = 0; i < RT_N; i++)
        if (rt_present(i))
            set(b, i, vint(i < 5 ? special[i] : (int64_t)(i * i) * (i % 2 ? -1 : 1)));
    write_col(b, tmp_path("int"), RT_N, NULL, RT_N);
    algo_column_builder_free(b);

    algo_column c;
    map_col(&c, tmp_path("int"));
    cr_assert_eq(c.type, ALGO_PROP_INT);
    cr_assert_eq(c.n, RT_N);
    cr_assert_not_null(c.ints);
    cr_assert_null(c.doubles);
    cr_assert_null(c.str_off);
    for (uint64_t i = 0; i < RT_N; i++) {
        algo_prop_value v;
        int64_t want = i < 5 ? special[i] : (int64_t)(i * i) * (i % 2 ? -1 : 1);
        cr_assert_eq(algo_column_has(&c, i), rt_present(i), "slot %zu", (size_t)i);
        algo_column_get(&c, i, &v);
        cr_assert_eq(v.type, ALGO_PROP_INT);
        cr_assert_eq(v.i, rt_present(i) ? want : 0, "slot %zu", (size_t)i);
    }
    cr_assert_eq(algo_column_has(&c, RT_N), 0);
    cr_assert_eq(algo_column_has(&c, UINT64_MAX), 0);
    algo_column_unmap(&c);
    cr_assert_null(c.map_);
}

Test(prop_column, double_round_trip_bit_exact)
{
    double special[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, 5e-324, 1.7976931348623157e308};
    int ns = sizeof special / sizeof *special;
    algo_column_builder *b = new_builder(ALGO_PROP_DOUBLE);
    for (uint64_t i = 0; i < RT_N; i++)
        if (rt_present(i))
            set(b, i, vdbl(i < (uint64_t)ns ? special[i] : (double)i / 7.0 - 20.0));
    write_col(b, tmp_path("dbl"), RT_N, NULL, RT_N);
    algo_column_builder_free(b);

    algo_column c;
    map_col(&c, tmp_path("dbl"));
    cr_assert_eq(c.type, ALGO_PROP_DOUBLE);
    cr_assert_not_null(c.doubles);
    cr_assert_null(c.ints);
    for (uint64_t i = 0; i < RT_N; i++) {
        algo_prop_value v;
        double want = !rt_present(i) ? 0.0 : i < (uint64_t)ns ? special[i] : (double)i / 7.0 - 20.0;
        cr_assert_eq(algo_column_has(&c, i), rt_present(i));
        algo_column_get(&c, i, &v);
        cr_assert_eq(memcmp(&v.d, &want, sizeof want), 0, "slot %zu: %g, want %g", (size_t)i, v.d,
                     want);
    }
    algo_column_unmap(&c);
}

Test(prop_column, bool_round_trip_normalised)
{
    algo_column_builder *b = new_builder(ALGO_PROP_BOOL);
    for (uint64_t i = 0; i < RT_N; i++)
        if (rt_present(i))
            set(b, i, vbool(i % 4 == 0 ? 0 : (int)(i % 5) + 1)); /* non-zero means true */
    write_col(b, tmp_path("bool"), RT_N, NULL, RT_N);
    algo_column_builder_free(b);

    algo_column c;
    map_col(&c, tmp_path("bool"));
    cr_assert_eq(c.type, ALGO_PROP_BOOL);
    for (uint64_t i = 0; i < RT_N; i++) {
        algo_prop_value v;
        cr_assert_eq(algo_column_has(&c, i), rt_present(i));
        algo_column_get(&c, i, &v);
        cr_assert_eq(v.type, ALGO_PROP_BOOL);
        cr_assert_eq(v.i, rt_present(i) && i % 4 != 0, "slot %zu", (size_t)i);
    }
    algo_column_unmap(&c);
}

Test(prop_column, string_round_trip)
{
    char buf[RT_N][32];
    algo_column_builder *b = new_builder(ALGO_PROP_STRING);
    for (uint64_t i = 0; i < RT_N; i++) {
        snprintf(buf[i], sizeof buf[i], "v%zu-%.*s", (size_t)i, (int)(i % 11), "xxxxxxxxxxx");
        if (rt_present(i))
            set(b, i, vstr(buf[i], strlen(buf[i])));
    }
    write_col(b, tmp_path("str"), RT_N, NULL, RT_N);
    algo_column_builder_free(b);

    algo_column c;
    map_col(&c, tmp_path("str"));
    cr_assert_eq(c.type, ALGO_PROP_STRING);
    cr_assert_not_null(c.str_off);
    cr_assert_null(c.ints);
    for (uint64_t i = 0; i < RT_N; i++) {
        algo_prop_value v;
        cr_assert_eq(algo_column_has(&c, i), rt_present(i));
        algo_column_get(&c, i, &v);
        cr_assert_eq(v.type, ALGO_PROP_STRING);
        if (rt_present(i)) {
            cr_assert_eq(v.len, strlen(buf[i]));
            cr_assert_eq(memcmp(v.s, buf[i], v.len), 0, "slot %zu", (size_t)i);
        } else {
            cr_assert_eq(v.len, 0);
        }
    }
    algo_column_unmap(&c);
}

Test(prop_column, strings_utf8_empty_and_nul)
{
    /* Present-but-empty must stay distinct from absent; bytes are opaque,
     * including a NUL inside a value. */
    struct {
        const char *s;
        size_t len;
    } v[] = {
        {"", 0},   {"héllo", strlen("héllo")},     {"日本語のテキスト", strlen("日本語のテキスト")},
        {"", 0},   {"emoji \xF0\x9F\x98\x80", 10}, {"a\0b", 3},
        {NULL, 0},
    };
    int nv = sizeof v / sizeof *v;
    algo_column_builder *b = new_builder(ALGO_PROP_STRING);
    for (int i = 0; i < nv; i++)
        set(b, (uint64_t)i * 2, vstr(v[i].s, v[i].len)); /* odd slots absent */
    write_col(b, tmp_path("utf8"), (uint64_t)nv * 2, NULL, (uint64_t)nv * 2);
    algo_column_builder_free(b);

    algo_column c;
    map_col(&c, tmp_path("utf8"));
    for (int i = 0; i < nv * 2; i++) {
        algo_prop_value got;
        cr_assert_eq(algo_column_has(&c, (uint64_t)i), i % 2 == 0, "slot %d", i);
        algo_column_get(&c, (uint64_t)i, &got);
        if (i % 2 == 1) {
            cr_assert_eq(got.len, 0);
            continue;
        }
        cr_assert_eq(got.len, v[i / 2].len, "slot %d", i);
        cr_assert(got.len == 0 || memcmp(got.s, v[i / 2].s, got.len) == 0, "slot %d", i);
    }
    algo_column_unmap(&c);

    /* Only empty strings: an empty heap, every slot present. */
    b = new_builder(ALGO_PROP_STRING);
    set(b, 1, vstr(NULL, 0));
    set(b, 0, vstr("", 0));
    write_col(b, tmp_path("empty"), 2, NULL, 2);
    algo_column_builder_free(b);
    map_col(&c, tmp_path("empty"));
    cr_assert(algo_column_has(&c, 0) && algo_column_has(&c, 1));
    cr_assert_eq(c.str_off[2], 0);
    algo_column_unmap(&c);
}

/* ---- permutation, replacement, dropping ----------------------------------- */

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void shuffle(uint32_t *perm, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        perm[i] = (uint32_t)i;
    for (uint64_t i = n; i > 1; i--) {
        uint64_t j = rng() % i;
        uint32_t t = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = t;
    }
}

Test(prop_column, permutation_applied)
{
    enum { N = 1000 };
    uint32_t perm[N];
    int64_t want[N] = {0};
    int want_has[N] = {0};
    char sbuf[N][16];
    shuffle(perm, N);
    algo_column_builder *bi = new_builder(ALGO_PROP_INT);
    algo_column_builder *bs = new_builder(ALGO_PROP_STRING);
    /* Appended in a scrambled order, not by index. */
    for (uint64_t k = 0; k < N; k++) {
        uint64_t i = (k * 7919) % N;
        if (i % 7 == 3)
            continue;
        set(bi, i, vint((int64_t)i * 1000 + 1));
        snprintf(sbuf[i], sizeof sbuf[i], "p%zu", (size_t)i);
        set(bs, i, vstr(sbuf[i], strlen(sbuf[i])));
        want[perm[i]] = (int64_t)i * 1000 + 1;
        want_has[perm[i]] = 1;
    }
    write_col(bi, tmp_path("pi"), N, perm, N);
    write_col(bs, tmp_path("ps"), N, perm, N);
    algo_column_builder_free(bi);
    algo_column_builder_free(bs);

    algo_column ci, cs;
    map_col(&ci, tmp_path("pi"));
    map_col(&cs, tmp_path("ps"));
    for (uint64_t s = 0; s < N; s++) {
        algo_prop_value v;
        cr_assert_eq(algo_column_has(&ci, s), want_has[s], "slot %zu", (size_t)s);
        cr_assert_eq(algo_column_has(&cs, s), want_has[s], "slot %zu", (size_t)s);
        algo_column_get(&ci, s, &v);
        cr_assert_eq(v.i, want[s], "slot %zu", (size_t)s);
        algo_column_get(&cs, s, &v);
        if (want_has[s]) {
            char e[16];
            snprintf(e, sizeof e, "p%lld", (long long)(want[s] - 1) / 1000);
            cr_assert_eq(v.len, strlen(e));
            cr_assert_eq(memcmp(v.s, e, v.len), 0, "slot %zu", (size_t)s);
        } else {
            cr_assert_eq(v.len, 0);
        }
    }
    algo_column_unmap(&ci);
    algo_column_unmap(&cs);
}

Test(prop_column, last_write_wins)
{
    uint32_t perm[6] = {5, 4, 3, 2, 1, 0};
    algo_column_builder *bi = new_builder(ALGO_PROP_INT);
    algo_column_builder *bs = new_builder(ALGO_PROP_STRING);
    set(bi, 2, vint(1));
    set(bi, 0, vint(10));
    set(bi, 2, vint(2));
    set(bi, 4, vint(40));
    set(bi, 2, vint(3));
    /* Slot 5 is set before longer values for slot 4 that get replaced:
     * their bytes must not land anywhere. */
    set(bs, 0, vstr("zero", 4));
    set(bs, 1, vstr("first", 5));
    set(bs, 3, vstr("three", 5));
    set(bs, 1, vstr("second-and-longer", 17));
    set(bs, 3, vstr("", 0)); /* replaced by empty: still present */
    set(bs, 1, vstr("third", 5));
    cr_assert_eq(algo_column_builder_count(bi), 5);
    write_col(bi, tmp_path("lw-i"), 6, perm, 6);
    write_col(bs, tmp_path("lw-s"), 6, perm, 6);
    algo_column_builder_free(bi);
    algo_column_builder_free(bs);

    algo_column c;
    algo_prop_value v;
    map_col(&c, tmp_path("lw-i"));
    int64_t want_i[6] = {0, 40, 0, 3, 0, 10};
    for (int s = 0; s < 6; s++) {
        algo_column_get(&c, (uint64_t)s, &v);
        cr_assert_eq(v.i, want_i[s], "slot %d", s);
        cr_assert_eq(algo_column_has(&c, (uint64_t)s), s == 1 || s == 3 || s == 5);
    }
    algo_column_unmap(&c);

    map_col(&c, tmp_path("lw-s"));
    const char *want_s[6] = {NULL, NULL, "", NULL, "third", "zero"};
    for (int s = 0; s < 6; s++) {
        algo_column_get(&c, (uint64_t)s, &v);
        cr_assert_eq(algo_column_has(&c, (uint64_t)s), want_s[s] != NULL, "slot %d", s);
        const char *w = want_s[s] ? want_s[s] : "";
        cr_assert_eq(v.len, strlen(w), "slot %d", s);
        cr_assert_eq(memcmp(v.s, w, v.len), 0, "slot %d", s);
    }
    /* Replaced strings leave nothing behind in the heap. */
    cr_assert_eq(c.str_off[6], strlen("third") + strlen("zero"));
    algo_column_unmap(&c);
}

Test(prop_column, indices_beyond_perm_dropped)
{
    uint32_t perm[4] = {7, 2, 9, 0};
    algo_column_builder *b = new_builder(ALGO_PROP_DOUBLE);
    for (uint64_t i = 0; i < 10; i++)
        set(b, i, vdbl((double)i + 0.5));
    set(b, UINT64_MAX, vdbl(-1.0));
    write_col(b, tmp_path("drop"), 10, perm, 4);
    /* Identity over fewer indices than slots. */
    write_col(b, tmp_path("drop-id"), 10, NULL, 3);
    algo_column_builder_free(b);

    algo_column c;
    algo_prop_value v;
    map_col(&c, tmp_path("drop"));
    for (uint64_t s = 0; s < 10; s++) {
        int64_t from = s == 7 ? 0 : s == 2 ? 1 : s == 9 ? 2 : s == 0 ? 3 : -1;
        cr_assert_eq(algo_column_has(&c, s), from >= 0, "slot %zu", (size_t)s);
        algo_column_get(&c, s, &v);
        cr_assert_eq(v.d, from >= 0 ? (double)from + 0.5 : 0.0, "slot %zu", (size_t)s);
    }
    algo_column_unmap(&c);

    map_col(&c, tmp_path("drop-id"));
    for (uint64_t s = 0; s < 10; s++)
        cr_assert_eq(algo_column_has(&c, s), s < 3, "slot %zu", (size_t)s);
    algo_column_unmap(&c);
}

Test(prop_column, slot_out_of_range_refused)
{
    uint32_t perm[3] = {0, 1, 10};
    algo_column_builder *b = new_builder(ALGO_PROP_INT);
    set(b, 2, vint(5));
    cr_assert_lt(algo_column_builder_write(b, tmp_path("oor"), 10, perm, 3, msg), 0);
    cr_assert_not_null(strstr(msg, "slot 10"), "%s", msg);
    cr_assert_lt(algo_column_builder_write(b, tmp_path("oor"), 2, NULL, 3, msg), 0);
    cr_assert_neq(access(tmp_path("oor"), F_OK), 0);
    cr_assert_neq(access(tmp_path("oor.tmp"), F_OK), 0);
    /* The builder survives a refused write. */
    write_col(b, tmp_path("oor"), 11, perm, 3);
    cr_assert_neq(access(tmp_path("oor.tmp"), F_OK), 0);
    algo_column_builder_free(b);
    algo_column c;
    map_col(&c, tmp_path("oor"));
    cr_assert(algo_column_has(&c, 10));
    cr_assert_eq(c.ints[10], 5);
    algo_column_unmap(&c);
}

Test(prop_column, zero_slots)
{
    algo_prop_type types[] = {ALGO_PROP_INT, ALGO_PROP_DOUBLE, ALGO_PROP_STRING, ALGO_PROP_BOOL};
    for (int t = 0; t < 4; t++) {
        algo_column_builder *b = new_builder(types[t]);
        if (types[t] == ALGO_PROP_STRING)
            set(b, 0, vstr(NULL, 0)); /* dropped (n_perm 0), and no arena yet */
        write_col(b, tmp_path("zero"), 0, NULL, 0);
        algo_column_builder_free(b);
        algo_column c;
        algo_prop_value v;
        map_col(&c, tmp_path("zero"));
        cr_assert_eq(c.n, 0);
        cr_assert_eq(c.type, types[t]);
        cr_assert_eq(algo_column_has(&c, 0), 0);
        algo_column_get(&c, 0, &v);
        cr_assert_eq(v.i, 0);
        cr_assert_eq(v.len, 0);
        algo_column_unmap(&c);
    }
}

Test(prop_column, type_mismatch_refused)
{
    algo_prop_type types[] = {ALGO_PROP_INT, ALGO_PROP_DOUBLE, ALGO_PROP_STRING, ALGO_PROP_BOOL};
    for (int t = 0; t < 4; t++) {
        algo_column_builder *b = new_builder(types[t]);
        for (int u = 0; u < 4; u++) {
            algo_prop_value v = {.type = types[u], .i = 1, .d = 1.0, .s = "x", .len = 1};
            int rc = algo_column_builder_set(b, 0, &v, msg);
            if (t == u) {
                cr_assert_eq(rc, 0, "%s", msg);
                continue;
            }
            cr_assert_lt(rc, 0);
            char want[64];
            snprintf(want, sizeof want, "is %s, got %s", algo_prop_type_name(types[t]),
                     algo_prop_type_name(types[u]));
            cr_assert_str_eq(msg, want);
        }
        cr_assert_eq(algo_column_builder_count(b), 1);
        algo_column_builder_free(b);
    }

    /* A refused value leaves the column as it was. */
    algo_column_builder *b = new_builder(ALGO_PROP_INT);
    set(b, 0, vint(42));
    algo_prop_value s = vstr("42", 2);
    cr_assert_lt(algo_column_builder_set(b, 0, &s, msg), 0);
    cr_assert_str_eq(msg, "is int, got string");
    write_col(b, tmp_path("mm"), 1, NULL, 1);
    algo_column_builder_free(b);
    algo_column c;
    map_col(&c, tmp_path("mm"));
    cr_assert_eq(c.ints[0], 42);
    algo_column_unmap(&c);
}

Test(prop_column, bad_arguments_refused)
{
    algo_column_builder *b = NULL;
    cr_assert_lt(algo_column_builder_new(&b, (algo_prop_type)0), 0);
    cr_assert_lt(algo_column_builder_new(&b, (algo_prop_type)5), 0);
    cr_assert_null(b);
    cr_assert_str_eq(algo_prop_type_name((algo_prop_type)9), "unknown");
    cr_assert_str_eq(algo_prop_type_name(ALGO_PROP_BOOL), "bool");

    b = new_builder(ALGO_PROP_STRING);
    algo_prop_value v = vstr(NULL, 3);
    cr_assert_lt(algo_column_builder_set(b, 0, &v, msg), 0);
    cr_assert_lt(algo_column_builder_write(b, "/nonexistent-dir/col", 1, NULL, 1, msg), 0);
    cr_assert_not_null(strstr(msg, "/nonexistent-dir/col.tmp"), "%s", msg);
    algo_column_builder_free(b);
    algo_column_builder_free(NULL);

    algo_column c;
    cr_assert_lt(algo_column_map(&c, tmp_path("missing"), msg), 0);
    spit(tmp_path("junk"),
         "HGCGRAPH and then some bytes that are not a column at all......"
         "................................................................"
         "................................................................",
         192);
    cr_assert_lt(algo_column_map(&c, tmp_path("junk"), msg), 0);
    cr_assert_not_null(strstr(msg, "magic"), "%s", msg);
}

/* ---- damaged files ----------------------------------------------------- */

/* A small string column and a small bool column, the types whose data
 * map checks. */
static void build_small(const char *spath, const char *bpath)
{
    algo_column_builder *b = new_builder(ALGO_PROP_STRING);
    set(b, 0, vstr("alpha", 5));
    set(b, 2, vstr("", 0));
    set(b, 3, vstr("ü", 2));
    set(b, 69, vstr("last", 4));
    write_col(b, spath, 70, NULL, 70);
    algo_column_builder_free(b);
    b = new_builder(ALGO_PROP_BOOL);
    for (uint64_t i = 0; i < 70; i += 3)
        set(b, i, vbool(i % 2));
    write_col(b, bpath, 70, NULL, 70);
    algo_column_builder_free(b);
}

Test(prop_column, every_truncation_refused)
{
    char paths[2][128]; /* kept: tmp_path's buffers are reused */
    strcpy(paths[0], tmp_path("small-s"));
    strcpy(paths[1], tmp_path("small-b"));
    build_small(paths[0], paths[1]);
    for (int p = 0; p < 2; p++) {
        size_t len;
        char *data = slurp(paths[p], &len);
        cr_assert_gt(len, 128);
        for (size_t cut = 0; cut < len; cut++) {
            algo_column c;
            spit(tmp_path("cut"), data, cut);
            cr_assert_lt(algo_column_map(&c, tmp_path("cut"), msg), 0, "%zu of %zu bytes", cut,
                         len);
        }
        /* A byte too many is as wrong as a byte too few. */
        data[len] = 0;
        spit(tmp_path("cut"), data, len + 1);
        algo_column c;
        cr_assert_lt(algo_column_map(&c, tmp_path("cut"), msg), 0);
        free(data);
    }
}

Test(prop_column, every_header_byte_change_refused)
{
    char paths[2][128]; /* kept: tmp_path's buffers are reused */
    strcpy(paths[0], tmp_path("small-s"));
    strcpy(paths[1], tmp_path("small-b"));
    unsigned char masks[] = {0x01, 0x02, 0x10, 0x80, 0xff};
    build_small(paths[0], paths[1]);
    for (int p = 0; p < 2; p++) {
        size_t len;
        char *data = slurp(paths[p], &len);
        for (size_t i = 0; i < 128; i++) {
            for (size_t m = 0; m < sizeof masks; m++) {
                algo_column c;
                data[i] ^= (char)masks[m];
                spit(tmp_path("flip"), data, len);
                data[i] ^= (char)masks[m];
                cr_assert_lt(algo_column_map(&c, tmp_path("flip"), msg), 0,
                             "byte %zu ^ %#x accepted", i, masks[m]);
            }
        }
        free(data);
    }
}

Test(prop_column, any_byte_change_safe)
{
    char paths[2][128]; /* kept: tmp_path's buffers are reused */
    strcpy(paths[0], tmp_path("small-s"));
    strcpy(paths[1], tmp_path("small-b"));
    build_small(paths[0], paths[1]);
    for (int p = 0; p < 2; p++) {
        size_t len;
        char *data = slurp(paths[p], &len);
        int refused = 0;
        for (size_t i = 0; i < len; i++) {
            algo_column c;
            data[i] ^= (char)0xA5;
            spit(tmp_path("flip"), data, len);
            data[i] ^= (char)0xA5;
            if (algo_column_map(&c, tmp_path("flip"), msg) < 0) {
                refused++;
                continue;
            }
            walk(&c);
            algo_column_unmap(&c);
        }
        cr_assert_gt(refused, 128, "%d refused", refused);
        free(data);
    }
}

/* The header as prop_column.c lays it out, for forging headers whose
 * checksum is right, so the checks behind the checksum get exercised. */
enum { H_TYPE = 12, H_N = 16, H_FILE_LEN = 24, H_CHECK = 32, H_SEC = 48, H_LEN = 128 };

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    uint64_t x = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        x = (x ^ p[i]) * 0x100000001b3ull;
    return x;
}

/* Maps a copy of `src` whose header has 8 bytes at `off` (4 if `narrow`)
 * set to `val` and its checksum recomputed. */
static int map_forged(const char *src, size_t off, uint64_t val, int narrow)
{
    size_t len;
    char *data = slurp(src, &len);
    algo_column c;
    uint64_t zero = 0, check;
    memcpy(data + off, &val, narrow ? 4 : 8);
    memcpy(data + H_CHECK, &zero, 8);
    check = fnv1a((const unsigned char *)data, H_LEN);
    memcpy(data + H_CHECK, &check, 8);
    spit(tmp_path("forged"), data, len);
    free(data);
    int rc = algo_column_map(&c, tmp_path("forged"), msg);
    if (rc == 0) {
        walk(&c);
        algo_column_unmap(&c);
    }
    return rc;
}

Test(prop_column, forged_headers_refused)
{
    char sp[128], bp[128], ip[128];
    strcpy(sp, tmp_path("small-s"));
    strcpy(bp, tmp_path("small-b"));
    strcpy(ip, tmp_path("small-i"));
    build_small(sp, bp);
    algo_column_builder *b = new_builder(ALGO_PROP_INT);
    set(b, 1, vint(-5));
    write_col(b, ip, 70, NULL, 70);
    algo_column_builder_free(b);

    /* Controls: the forgery is right, and a change that keeps the layout
     * is accepted (an int column read as doubles is still in bounds). */
    cr_assert_eq(map_forged(sp, H_N, 70, 0), 0, "%s", msg);
    cr_assert_eq(map_forged(ip, H_TYPE, ALGO_PROP_DOUBLE, 1), 0, "%s", msg);

    const char *files[3] = {sp, bp, ip};
    for (int f = 0; f < 3; f++) {
        uint64_t n_bad[] = {0, 69, 71, 128, UINT64_MAX / 8, UINT64_MAX / 8 + 1, UINT64_MAX};
        for (size_t i = 0; i < sizeof n_bad / sizeof *n_bad; i++)
            cr_assert_lt(map_forged(files[f], H_N, n_bad[i], 0), 0, "file %d n %llu", f,
                         (unsigned long long)n_bad[i]);
        uint32_t t_bad[] = {0, 5, UINT32_MAX};
        for (size_t i = 0; i < sizeof t_bad / sizeof *t_bad; i++)
            cr_assert_lt(map_forged(files[f], H_TYPE, t_bad[i], 1), 0);
        cr_assert_lt(map_forged(files[f], H_FILE_LEN, 1u << 20, 0), 0);
        for (int sec = 0; sec < 4; sec++) {
            uint64_t off_bad[] = {0, 64, 192 + 64, 1u << 20, UINT64_MAX - 63};
            uint64_t len_bad[] = {1, 8 * 71 + 1, 1u << 20, UINT64_MAX};
            for (size_t i = 0; i < sizeof off_bad / sizeof *off_bad; i++)
                cr_assert_lt(map_forged(files[f], H_SEC + 16 * (size_t)sec, off_bad[i], 0), 0,
                             "file %d section %d offset %llu", f, sec,
                             (unsigned long long)off_bad[i]);
            for (size_t i = 0; i < sizeof len_bad / sizeof *len_bad; i++)
                cr_assert_lt(map_forged(files[f], H_SEC + 16 * (size_t)sec + 8, len_bad[i], 0), 0,
                             "file %d section %d length %llu", f, sec,
                             (unsigned long long)len_bad[i]);
        }
    }
    /* Same-sized layouts of another type. */
    cr_assert_lt(map_forged(ip, H_TYPE, ALGO_PROP_STRING, 1), 0);
    cr_assert_lt(map_forged(sp, H_TYPE, ALGO_PROP_INT, 1), 0);
    cr_assert_lt(map_forged(ip, H_TYPE, ALGO_PROP_BOOL, 1), 0); /* -5 is no boolean */
}

/* Overwrites 8 bytes at `off` of a copy of `src` and maps it. */
static int map_patched(const char *src, size_t off, uint64_t val)
{
    size_t len;
    char *data = slurp(src, &len);
    algo_column c;
    cr_assert_leq(off + 8, len);
    memcpy(data + off, &val, 8);
    spit(tmp_path("patched"), data, len);
    free(data);
    int rc = algo_column_map(&c, tmp_path("patched"), msg);
    if (rc == 0) {
        walk(&c);
        algo_column_unmap(&c);
    }
    return rc;
}

Test(prop_column, corrupt_data_refused)
{
    char sp[128], bp[128]; /* kept: tmp_path's buffers are reused */
    strcpy(sp, tmp_path("small-s"));
    strcpy(bp, tmp_path("small-b"));
    build_small(sp, bp);
    algo_column c;
    map_col(&c, sp);
    size_t so = (size_t)((const char *)c.str_off - (const char *)c.map_);
    uint64_t heap = c.str_off[c.n];
    algo_column_unmap(&c);
    cr_assert_eq(heap, 5 + 2 + 4);

    cr_assert_lt(map_patched(sp, so + 8 * 2, 1), 0);            /* offsets fall */
    cr_assert_lt(map_patched(sp, so + 8 * 2, heap + 1), 0);     /* past the heap */
    cr_assert_lt(map_patched(sp, so + 8 * 2, UINT64_MAX), 0);   /* wraps */
    cr_assert_lt(map_patched(sp, so, 1), 0);                    /* must start at 0 */
    cr_assert_lt(map_patched(sp, so + 8 * 70, heap - 1), 0);    /* must end at the heap */
    cr_assert_eq(map_patched(sp, so + 8 * 1, 3), 0, "%s", msg); /* still a valid layout */

    map_col(&c, bp);
    size_t vo = (size_t)((const char *)c.ints - (const char *)c.map_);
    algo_column_unmap(&c);
    cr_assert_lt(map_patched(bp, vo + 8 * 5, 2), 0);
    cr_assert_not_null(strstr(msg, "boolean slot 5"), "%s", msg);
    cr_assert_lt(map_patched(bp, vo + 8 * 69, UINT64_MAX), 0);
    cr_assert_eq(map_patched(bp, vo + 8 * 5, 1), 0, "%s", msg);
}

/* ---- size --------------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

Test(prop_column, million_slots_quickly, .timeout = 60)
{
    enum { N = 1000000 };
    uint32_t *perm = malloc(N * sizeof *perm);
    cr_assert_not_null(perm);
    shuffle(perm, N);
    double t0 = now();
    algo_column_builder *b = new_builder(ALGO_PROP_INT);
    for (uint64_t i = 0; i < N; i++)
        if (i % 10 != 9)
            set(b, i, vint((int64_t)i * 3 - 7));
    write_col(b, tmp_path("big"), N, perm, N);
    algo_column_builder_free(b);
    algo_column c;
    map_col(&c, tmp_path("big"));
    double took = now() - t0;

    for (uint64_t i = 0; i < N; i++) {
        uint32_t s = perm[i];
        cr_assert_eq(algo_column_has(&c, s), i % 10 != 9, "slot %u", s);
        cr_assert_eq(c.ints[s], i % 10 != 9 ? (int64_t)i * 3 - 7 : 0, "slot %u", s);
    }
    algo_column_unmap(&c);
    free(perm);
    /* About 0.1 s unsanitised; a quadratic step or a per-value write
     * would take minutes. Generous for ASan and a busy machine. */
    cr_assert_lt(took, 3.0, "1M slots took %.2f s", took);
}
