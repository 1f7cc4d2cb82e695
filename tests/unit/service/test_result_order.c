/* result_order.h against a plain insertion sort written here: full and
 * top-k orders agree with it for every `want`, ties go to the smaller
 * row, and int64 values beyond 2^53 (equal as doubles) keep their order. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "result_order.h"

/* The reference: a stable insertion sort by value (ties keep row order). */
static void reference(uint32_t *idx, uint64_t n, const algo_result *r, int desc)
{
    for (uint64_t i = 0; i < n; i++)
        idx[i] = (uint32_t)i;
    for (uint64_t i = 1; i < n; i++) {
        uint32_t x = idx[i];
        uint64_t j = i;
        for (; j > 0; j--) {
            uint32_t y = idx[j - 1];
            int later;
            if (r->kind == ALGO_VALUE_INT64) {
                int64_t a = ((const int64_t *)r->values)[y], b = ((const int64_t *)r->values)[x];
                later = desc ? a < b : a > b;
            } else {
                double a = ((const double *)r->values)[y], b = ((const double *)r->values)[x];
                later = desc ? a < b : a > b;
            }
            if (!later)
                break;
            idx[j] = y;
        }
        idx[j] = x;
    }
}

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void check_all_wants(const algo_result *r, uint64_t n)
{
    uint32_t want_idx[600], got[600];
    cr_assert(n <= 600);
    for (int desc = 0; desc <= 1; desc++) {
        reference(want_idx, n, r, desc);
        for (uint64_t want = 0; want <= n; want += (want < 20 ? 1 : 37)) {
            for (uint64_t i = 0; i < n; i++)
                got[i] = (uint32_t)(n - 1 - i); /* any starting order */
            cr_assert_eq(svc_result_order_rows(got, n, r, desc, want), 0);
            for (uint64_t i = 0; i < want && i < n; i++)
                cr_assert_eq(got[i], want_idx[i],
                             "desc=%d want=%llu: position %llu is row %u, not %u", desc,
                             (unsigned long long)want, (unsigned long long)i, got[i], want_idx[i]);
        }
    }
}

Test(result_order, doubles_with_ties_full_and_top_k)
{
    double v[500];
    for (int i = 0; i < 500; i++)
        v[i] = (double)(next_rand() % 50) / 7.0; /* many ties */
    algo_result r;
    memset(&r, 0, sizeof r);
    r.kind = ALGO_VALUE_DOUBLE;
    r.n = 500;
    r.values = v;
    check_all_wants(&r, 500);
}

Test(result_order, int64_beyond_2_pow_53_keeps_its_order)
{
    /* 2^53 + 1 and 2^53 are the same double: the order must still see them apart */
    int64_t v[6] = {(INT64_C(1) << 53) + 1, INT64_C(1) << 53, -5,
                    (INT64_C(1) << 53) + 3, INT64_MAX,        INT64_MIN};
    algo_result r;
    memset(&r, 0, sizeof r);
    r.kind = ALGO_VALUE_INT64;
    r.n = 6;
    r.values = v;
    uint32_t idx[6] = {0, 1, 2, 3, 4, 5};
    cr_assert_eq(svc_result_order_rows(idx, 6, &r, 0, 6), 0);
    uint32_t want[6] = {5, 2, 1, 0, 3, 4};
    for (int i = 0; i < 6; i++)
        cr_assert_eq(idx[i], want[i], "ascending position %d: row %u, not %u", i, idx[i], want[i]);
    int64_t w[400];
    for (int i = 0; i < 400; i++)
        w[i] = (INT64_C(1) << 53) + (int64_t)(next_rand() % 64);
    r.n = 400;
    r.values = w;
    check_all_wants(&r, 400);
}
