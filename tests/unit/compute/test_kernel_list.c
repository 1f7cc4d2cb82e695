/* test_kernel_list.c: the algorithm list (compute/algorithms.def) as the
 * catalog and the worker's kernel table expand it. Every spec has a kernel;
 * names, spellings, params classes and option keys are unique; every
 * option lands in a field of its own inside the struct it fills, and the
 * defaults fill it. A spec whose kernel is missing doesn't link; these
 * catch what links but is wrong.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kernel.h"

Test(kernel_list, every_spec_has_its_kernel_in_catalog_order)
{
    cr_assert_gt(algo_catalog_count(), 0);
    cr_expect_eq(algo_kernel_count(), algo_catalog_count());
    for (size_t i = 0; i < algo_catalog_count(); i++) {
        const algo_spec *s = algo_catalog_at(i);
        const algo_kernel_entry *e = algo_kernel_at(i);
        cr_assert_not_null(e, "no kernel entry %zu", i);
        cr_expect_eq(e->spec, s, "entry %zu is not %s", i, s->name);
        cr_expect_not_null(e->run, "%s has no kernel", s->name);
        cr_expect_eq(algo_kernel_for(s), e->run, "%s", s->name);
    }
    cr_expect_null(algo_kernel_at(algo_kernel_count()));
}

Test(kernel_list, names_and_classes_are_unique)
{
    size_t n = algo_catalog_count();
    for (size_t i = 0; i < n; i++) {
        const algo_spec *s = algo_catalog_at(i);
        cr_expect_not_null(s->name);
        cr_expect_not_null(s->output, "%s has no output text", s->name);
        cr_expect(s->shape >= ALGO_OUT_DOUBLE && s->shape <= ALGO_OUT_PATHS, "%s", s->name);
        /* any spelling of a name finds that spec, not another one */
        cr_expect_eq(algo_catalog_find(s->name), s, "%s", s->name);
        cr_assert_not_null(s->classes, "%s", s->name);
        cr_expect_not_null(s->classes[0], "%s has no params class", s->name);
        for (const char *const *c = s->classes; *c; c++)
            cr_expect_eq(algo_catalog_find_class(*c), s, "class %s of %s", *c, s->name);
        for (size_t j = 0; j < i; j++) {
            const algo_spec *t = algo_catalog_at(j);
            cr_expect_neq(algo_catalog_find(t->name), s, "%s and %s are one name", s->name,
                          t->name);
            for (const char *const *c = s->classes; *c; c++)
                for (const char *const *d = t->classes; *d; d++)
                    cr_expect_str_neq(*c, *d, "%s and %s share a class", s->name, t->name);
        }
    }
}

static size_t field_size(algo_opt_type t)
{
    switch (t) {
    case ALGO_OPT_INT: return sizeof(int64_t);
    case ALGO_OPT_DOUBLE: return sizeof(double);
    case ALGO_OPT_ENUM:
    case ALGO_OPT_BOOL: return sizeof(int);
    case ALGO_OPT_STRING: return sizeof(const char *);
    }
    return 0;
}

Test(kernel_list, options_have_unique_keys_and_fields_of_their_own)
{
    size_t common = algo_common_count();
    for (size_t i = 0; i < algo_catalog_count(); i++) {
        const algo_spec *s = algo_catalog_at(i);
        size_t total = s->n_options + common;
        cr_expect_null(algo_spec_option(s, total));
        for (size_t a = 0; a < total; a++) {
            const algo_option *o = algo_spec_option(s, a);
            cr_assert_not_null(o);
            size_t size = field_size(o->type),
                   limit = a < s->n_options ? s->opts_size : sizeof(algo_common_opts);
            cr_expect_neq(size, 0, "%s %s: bad type", s->name, o->key);
            cr_expect_leq(o->offset + size, limit, "%s %s lies outside its struct", s->name,
                          o->key);
            cr_expect_eq(o->offset % size, 0, "%s %s: misaligned field", s->name, o->key);
            for (size_t b = 0; b < a; b++) {
                const algo_option *p = algo_spec_option(s, b);
                cr_expect(strcasecmp(o->key, p->key) != 0 &&
                              (!o->alias || strcasecmp(o->alias, p->key) != 0) &&
                              (!p->alias || strcasecmp(p->alias, o->key) != 0),
                          "%s: %s and %s share a spelling", s->name, o->key, p->key);
                /* same struct: fields must not overlap */
                if ((a < s->n_options) == (b < s->n_options))
                    cr_expect(o->offset + size <= p->offset ||
                                  p->offset + field_size(p->type) <= o->offset,
                              "%s: %s and %s share a field", s->name, o->key, p->key);
            }
        }
    }
}

Test(kernel_list, defaults_check_and_fill)
{
    for (size_t i = 0; i < algo_catalog_count(); i++) {
        const algo_spec *s = algo_catalog_at(i);
        algo_params p;
        char msg[ALGO_MSG_MAX] = "";
        /* required options have no default: give each one, and check that
           leaving one out is refused, naming it */
        const char *keys[16], *vals[16];
        size_t n_req = 0;
        for (size_t a = 0; a < s->n_options && n_req < 16; a++)
            if (s->options[a].flags & ALGO_OPT_F_REQUIRED) {
                keys[n_req] = s->options[a].key;
                vals[n_req++] = "1";
            }
        if (n_req) {
            cr_expect_neq(algo_params_check(&p, s, keys + 1, vals + 1, n_req - 1, msg), 0);
            cr_expect(strstr(msg, keys[0]) != NULL, "%s: %s", s->name, msg);
        }
        cr_assert_eq(algo_params_check(&p, s, keys, vals, n_req, msg), 0, "%s: %s", s->name, msg);
        algo_common_opts c;
        memset(&c, 0xff, sizeof c);
        void *opts = calloc(1, s->opts_size ? s->opts_size : 1);
        cr_assert_eq(algo_params_fill(&p, &c, opts, msg), 0, "%s: %s", s->name, msg);
        cr_expect_eq(c.max_super_step, 10);
        cr_expect_eq(c.edge_direction, ALGO_DIR_OUT);
        cr_expect_eq(c.edge_freq, ALGO_FREQ_MULTIPLE);
        cr_expect_eq(c.limit_edges, -1);
        cr_assert_not_null(c.output_property_name);
        char want[128];
        size_t k = 0;
        for (; s->name[k] && k + 1 < sizeof want; k++)
            want[k] = s->name[k] == '-' ? '_' : s->name[k];
        want[k] = '\0';
        cr_expect_str_eq(c.output_property_name, want);
        free(opts);
        algo_params_release(&p);
    }
}

Test(kernel_list, given_values_land_in_their_fields)
{
    const algo_spec *s = algo_catalog_find("page-rank");
    cr_assert_not_null(s);
    const char *keys[] = {"PageRank.Alpha", "bsp.max_super_step", "input.edge_direction",
                          "input.edge_freq", "input.limit_edges_in_one_vertex"};
    const char *vals[] = {"0.25", "7", "both", "single", "3"};
    algo_params p;
    char msg[ALGO_MSG_MAX] = "";
    cr_assert_eq(algo_params_check(&p, s, keys, vals, 5, msg), 0, "%s", msg);
    algo_common_opts c;
    double opts[2] = {0, 0}; /* page-rank: alpha, l1 threshold */
    cr_assert_eq(s->opts_size, sizeof opts);
    cr_assert_eq(algo_params_fill(&p, &c, opts, msg), 0, "%s", msg);
    cr_expect_eq(c.max_super_step, 7);
    cr_expect_eq(c.edge_direction, ALGO_DIR_BOTH);
    cr_expect_eq(c.edge_freq, ALGO_FREQ_SINGLE);
    cr_expect_eq(c.limit_edges, 3);
    cr_expect_eq(opts[0], 0.25);
    cr_expect_eq(opts[1], 1e-5);
    algo_params_release(&p);
}
