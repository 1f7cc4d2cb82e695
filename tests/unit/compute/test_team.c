/* test_team.c: the runtime's thread team (team.h), comm (comm.h) and a
 * kernel's output (kernel.h): every block visited once, block-order sums
 * that give the same bits for any team size, barriers inside a run, the
 * one-process comm, and rows sorted the same way whatever order they came
 * in.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

typedef struct sum_job {
    const double *x;
    double *part;
    unsigned *visits;
} sum_job;

static void sum_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    sum_job *j = arg;
    double s = 0;
    for (uint64_t i = lo; i < hi; i++)
        s += j->x[i];
    j->part[b] = s;
    __atomic_fetch_add(&j->visits[b], 1, __ATOMIC_RELAXED);
}

static double team_sum(int threads, const double *x, uint64_t n, int *size)
{
    algo_team *t = NULL;
    char msg[ALGO_MSG_MAX];
    cr_assert_eq(algo_team_new(&t, threads, msg), 0, "%s", msg);
    *size = algo_team_size(t);
    uint64_t nb = algo_blocks(n);
    sum_job j = {x, calloc(nb ? nb : 1, sizeof(double)), calloc(nb ? nb : 1, sizeof(unsigned))};
    algo_team_for(t, n, sum_block, &j);
    for (uint64_t b = 0; b < nb; b++)
        cr_expect_eq(j.visits[b], 1, "block %llu visited %u times", (unsigned long long)b,
                     j.visits[b]);
    double s = algo_sum_blocks(j.part, nb);
    free(j.part);
    free(j.visits);
    algo_team_free(t);
    return s;
}

Test(team, block_sums_have_the_same_bits_for_any_size)
{
    const uint64_t n = 3 * ALGO_BLOCK * 7 + 123; /* not a whole number of blocks */
    double *x = malloc(n * sizeof *x);
    for (uint64_t i = 0; i < n; i++)
        x[i] = 1.0 / (double)(i + 1) * (i % 3 ? 1 : -0.5);
    int size;
    double one = team_sum(1, x, n, &size);
    cr_expect_eq(size, 1);
    /* the plain sum in block order, written out */
    double want = 0;
    for (uint64_t b = 0; b < algo_blocks(n); b++) {
        double s = 0;
        for (uint64_t i = b * ALGO_BLOCK; i < n && i < (b + 1) * ALGO_BLOCK; i++)
            s += x[i];
        want += s;
    }
    cr_expect_eq(memcmp(&one, &want, sizeof one), 0);
    const int sizes[] = {2, 3, 8, 1000};
    for (int k = 0; k < 4; k++) {
        double s = team_sum(sizes[k], x, n, &size);
        cr_expect_eq(memcmp(&one, &s, sizeof s), 0, "%d threads: %.17g vs %.17g", sizes[k], s, one);
        cr_expect_eq(size, sizes[k] < ALGO_TEAM_MAX_THREADS ? sizes[k] : ALGO_TEAM_MAX_THREADS);
    }
    int dummy;
    cr_expect_eq(team_sum(2, x, 0, &dummy), 0); /* no blocks */
    free(x);
}

/* Two phases in one run: phase 2 reads what other members wrote in phase
 * 1, which only the barrier at the end of a loop makes safe. */
typedef struct phases {
    algo_team *t;
    uint64_t n, cursor[2];
    uint64_t *a, *b;
    int rounds;
} phases;

static void phase1(void *arg, uint64_t blk, uint64_t lo, uint64_t hi)
{
    phases *p = arg;
    (void)blk;
    for (uint64_t i = lo; i < hi; i++)
        p->a[i] = p->b[i] + i;
}

static void phase2(void *arg, uint64_t blk, uint64_t lo, uint64_t hi)
{
    phases *p = arg;
    (void)blk;
    for (uint64_t i = lo; i < hi; i++) /* a neighbour that another member may own */
        p->b[i] = p->a[(i + ALGO_BLOCK) % p->n];
}

static void two_phases(void *arg, int tid)
{
    phases *p = arg;
    for (int r = 0; r < p->rounds; r++) {
        if (tid == 0)
            p->cursor[1] = 0;
        algo_team_for_in_run(p->t, p->n, &p->cursor[0], phase1, p);
        if (tid == 0)
            p->cursor[0] = 0;
        algo_team_barrier(p->t);
        algo_team_for_in_run(p->t, p->n, &p->cursor[1], phase2, p);
    }
}

static void run_phases(int threads, uint64_t *out, uint64_t n)
{
    char msg[ALGO_MSG_MAX];
    phases p = {.n = n, .rounds = 5};
    cr_assert_eq(algo_team_new(&p.t, threads, msg), 0, "%s", msg);
    p.a = calloc(n, sizeof *p.a);
    p.b = out;
    memset(out, 0, n * sizeof *out);
    algo_team_run(p.t, two_phases, &p);
    free(p.a);
    algo_team_free(p.t);
}

Test(team, barriers_order_phases_inside_a_run)
{
    const uint64_t n = 10 * ALGO_BLOCK + 5;
    uint64_t *one = malloc(n * sizeof *one), *two = malloc(n * sizeof *two);
    run_phases(1, one, n);
    run_phases(2, two, n);
    cr_expect_eq(memcmp(one, two, n * sizeof *one), 0);
    run_phases(5, two, n);
    cr_expect_eq(memcmp(one, two, n * sizeof *one), 0);
    free(one);
    free(two);
}

Test(comm, one_process_owns_every_block)
{
    algo_comm c;
    algo_comm_init_single(&c);
    cr_expect_eq(c.rank, 0);
    cr_expect_eq(c.size, 1);
    uint64_t lo = 9, hi = 9;
    algo_comm_own_blocks(&c, 17, &lo, &hi);
    cr_expect_eq(lo, 0);
    cr_expect_eq(hi, 17);
    double part[3] = {1, 2, 3};
    cr_expect_eq(algo_comm_gather_blocks(&c, part, 3), 0);
    cr_expect_eq(part[2], 3);
    /* shares of more processes cover every block once, in order */
    algo_comm many = {0, 3};
    uint64_t next = 0;
    for (many.rank = 0; many.rank < 3; many.rank++) {
        algo_comm_own_blocks(&many, 10, &lo, &hi);
        cr_expect_eq(lo, next);
        next = hi;
    }
    cr_expect_eq(next, 10);
}

Test(output, per_vertex_values_start_zeroed_and_stats_keep_the_last_value)
{
    algo_output o;
    char msg[ALGO_MSG_MAX];
    cr_assert_eq(algo_output_init(&o, ALGO_OUT_INT64, 5, msg), 0, "%s", msg);
    for (int i = 0; i < 5; i++)
        cr_expect_eq(o.i64[i], 0);
    algo_output_stat_int(&o, "supersteps", 3);
    algo_output_stat_int(&o, "supersteps", 4);
    algo_output_stat_bool(&o, "converged", 7);
    cr_expect_eq(o.n_stats, 2);
    cr_expect_eq(o.stats[0].i, 4);
    cr_expect_eq(o.stats[1].i, 1);
    for (int i = 0; i < ALGO_MAX_STATS + 3; i++)
        algo_output_stat_double(&o, i % 2 ? "a" : "b", i); /* two keys: no overflow */
    cr_expect_eq(o.n_stats, 4);
    algo_output_release(&o);
    cr_expect_null(o.values);
}

Test(output, rows_sort_by_vertex_then_items_whatever_the_order_added)
{
    algo_output a, b;
    char msg[ALGO_MSG_MAX];
    cr_assert_eq(algo_output_init(&a, ALGO_OUT_ROWS, 10, msg), 0);
    cr_assert_eq(algo_output_init(&b, ALGO_OUT_ROWS, 10, msg), 0);
    const uint32_t r1[] = {4, 1, 2}, r2[] = {4, 1}, r3[] = {2, 9, 9, 9}, r4[] = {4, 0};
    /* a: in one order, many times (to grow the arrays); b: reversed */
    for (int k = 0; k < 50; k++) {
        cr_assert_eq(algo_rows_add(&a.rows, 4, r1, 3), 0);
        cr_assert_eq(algo_rows_add(&a.rows, 4, r2, 2), 0);
        cr_assert_eq(algo_rows_add(&a.rows, 2, r3, 4), 0);
        cr_assert_eq(algo_rows_add(&a.rows, 4, r4, 2), 0);
    }
    for (int k = 0; k < 50; k++) {
        cr_assert_eq(algo_rows_add(&b.rows, 4, r4, 2), 0);
        cr_assert_eq(algo_rows_add(&b.rows, 2, r3, 4), 0);
        cr_assert_eq(algo_rows_add(&b.rows, 4, r2, 2), 0);
        cr_assert_eq(algo_rows_add(&b.rows, 4, r1, 3), 0);
    }
    cr_assert_eq(algo_rows_sort(&a.rows), 0);
    cr_assert_eq(algo_rows_sort(&b.rows), 0);
    cr_assert_eq(a.rows.n, 200);
    cr_expect_eq(memcmp(a.rows.vertex, b.rows.vertex, 200 * sizeof(uint32_t)), 0);
    cr_expect_eq(memcmp(a.rows.off, b.rows.off, 201 * sizeof(uint64_t)), 0);
    cr_expect_eq(memcmp(a.rows.items, b.rows.items, a.rows.off[200] * sizeof(uint32_t)), 0);
    /* first the 50 rows on vertex 2, then on 4: {4,0} < {4,1} < {4,1,2} */
    cr_expect_eq(a.rows.vertex[0], 2);
    cr_expect_eq(a.rows.vertex[50], 4);
    cr_expect_eq(a.rows.items[a.rows.off[50] + 1], 0);
    cr_expect_eq(a.rows.off[101] - a.rows.off[100], 2);
    cr_expect_eq(a.rows.off[151] - a.rows.off[150], 3);
    algo_output_release(&a);
    algo_output_release(&b);
}
