/* test_catalog.c: the algorithm catalog (compute/catalog/catalog.c) against
 * docs/algorithms.md: name and class spellings, every option type's good
 * and bad values and boundaries, aliases, defaults and normalisation, and
 * the messages a caller reads.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "catalog.h"

static const algo_spec *pr(void)
{
    const algo_spec *s = algo_catalog_find("page-rank");
    cr_assert_not_null(s);
    return s;
}

/* Checks one option; returns the rc and leaves msg / params for asserts. */
static int check1(algo_params *p, const char *key, const char *value, char msg[ALGO_MSG_MAX])
{
    const char *k[] = {key}, *v[] = {value};
    memset(p, 0, sizeof *p);
    msg[0] = '\0';
    return algo_params_check(p, pr(), k, v, 1, msg);
}

static void expect_ok(const char *key, const char *value, const char *normalised)
{
    algo_params p;
    char msg[ALGO_MSG_MAX];
    int rc = check1(&p, key, value, msg);
    cr_assert_eq(rc, 0, "%s=%s refused: %s", key, value, msg);
    cr_expect_str_eq(algo_params_str(&p, key), normalised, "%s=%s", key, value);
    algo_params_release(&p);
}

static void expect_bad(const char *key, const char *value, const char *in_msg)
{
    algo_params p;
    char msg[ALGO_MSG_MAX];
    int rc = check1(&p, key, value, msg);
    cr_assert_lt(rc, 0, "%s=%s accepted", key, value);
    cr_expect_not_null(strstr(msg, in_msg), "message '%s' lacks '%s'", msg, in_msg);
    algo_params_release(&p);
}

Test(catalog, lists_page_rank)
{
    cr_assert_geq(algo_catalog_count(), 1);
    cr_expect_str_eq(algo_catalog_at(0)->name, "page-rank");
    cr_expect_null(algo_catalog_at(algo_catalog_count()));
    cr_expect_eq(strncmp(algo_catalog_names(), "page-rank", 9), 0, "%s", algo_catalog_names());
    cr_expect_str_eq(pr()->output, "double");
}

Test(catalog, name_spellings)
{
    const char *ok[] = {"page-rank", "page_rank", "pagerank",    "PageRank",  "PAGE-RANK",
                        "Page Rank", "page.rank", "-page-rank-", "page__rank"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        cr_expect_eq(algo_catalog_find(ok[i]), pr(), "%s", ok[i]);
    const char *bad[] = {"", "page", "pagerankx", "ppagerank", "wcc", "page/rank", "-"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_null(algo_catalog_find(bad[i]), "%s", bad[i]);
    cr_expect_null(algo_catalog_find(NULL));
}

Test(catalog, class_spellings)
{
    const char *roots[] = {"com.baidu.hugegraph.computer.algorithm.",
                           "org.apache.hugegraph.computer.algorithm.", ""};
    const char *subs[] = {"centrality.pagerank.PageRankParams", "rank.pagerank.PageRankParams"};
    char buf[256];
    for (size_t r = 0; r < 3; r++)
        for (size_t s = 0; s < 2; s++) {
            snprintf(buf, sizeof buf, "%s%s", roots[r], subs[s]);
            cr_expect_eq(algo_catalog_find_class(buf), pr(), "%s", buf);
        }
    cr_expect_eq(algo_catalog_find_class(
                     " com.baidu.hugegraph.computer.algorithm.rank.pagerank.PageRankParams\n"),
                 pr());
    const char *bad[] = {
        "",
        "PageRankParams",
        "com.baidu.hugegraph.computer.algorithm.",
        "com.baidu.hugegraph.computer.algorithm.rank.pagerank.pagerankparams",
        "com.example.rank.pagerank.PageRankParams",
        "org.apache.hugegraph.computer.algorithm.community.wcc.WccParamsX",
        "com.baidu.hugegraph.computer.algorithm.centrality.pagerank.PageRankParamsX"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_null(algo_catalog_find_class(bad[i]), "%s", bad[i]);
    cr_expect_null(algo_catalog_find_class(NULL));
}

Test(catalog, defaults_filled)
{
    algo_params p;
    char msg[ALGO_MSG_MAX];
    cr_assert_eq(algo_params_check(&p, pr(), NULL, NULL, 0, msg), 0, "%s", msg);
    cr_expect_eq(p.spec, pr());
    cr_expect_eq(p.n, pr()->n_options + 5);
    cr_expect_str_eq(algo_params_str(&p, "page_rank.alpha"), "0.15");
    cr_expect_eq(algo_params_double(&p, "page_rank.alpha"), 0.15);
    cr_expect_eq(algo_params_double(&p, "pagerank.alpha"), 0.15);
    cr_expect_eq(algo_params_double(&p, "pagerank.l1DiffThreshold"), 1e-5);
    cr_expect_eq(algo_params_int(&p, "bsp.max_super_step"), 10);
    cr_expect_str_eq(algo_params_str(&p, "input.edge_direction"), "OUT");
    cr_expect_str_eq(algo_params_str(&p, "input.edge_freq"), "MULTIPLE");
    cr_expect_eq(algo_params_int(&p, "input.limit_edges_in_one_vertex"), -1);
    cr_expect_str_eq(algo_params_str(&p, "output.output_property_name"), "page_rank");
    for (size_t i = 0; i < p.n; i++)
        cr_expect_eq(p.items[i].given, 0);
    cr_expect_null(algo_params_str(&p, "no.such.key"));
    cr_expect_eq(algo_params_int(&p, "no.such.key"), 0);
    cr_expect(isnan(algo_params_double(&p, "no.such.key")));
    algo_params_release(&p);
    algo_params_release(&p); /* twice is fine */
}

Test(catalog, given_marks_and_keys_any_case)
{
    const char *k[] = {"PAGE_RANK.ALPHA", " bsp.max_super_step "};
    const char *v[] = {"0.2", "20"};
    algo_params p;
    char msg[ALGO_MSG_MAX];
    cr_assert_eq(algo_params_check(&p, pr(), k, v, 2, msg), 0, "%s", msg);
    cr_expect_eq(algo_params_double(&p, "page_rank.alpha"), 0.2);
    cr_expect_eq(algo_params_int(&p, "bsp.max_super_step"), 20);
    size_t given = 0;
    for (size_t i = 0; i < p.n; i++)
        given += p.items[i].given != 0;
    cr_expect_eq(given, 2);
    algo_params_release(&p);
}

Test(catalog, double_values)
{
    expect_ok("page_rank.alpha", "0.15", "0.15");
    expect_ok("page_rank.alpha", " 0.85 ", "0.85");
    expect_ok("page_rank.alpha", "0", "0");
    expect_ok("page_rank.alpha", "-0", "0");
    expect_ok("page_rank.alpha", "1", "1");
    expect_ok("page_rank.alpha", "1.0", "1");
    expect_ok("page_rank.alpha", ".5", "0.5");
    expect_ok("page_rank.alpha", "5e-1", "0.5");
    expect_ok("page_rank.alpha", "0.1", "0.1");
    expect_ok("pagerank.l1DiffThreshold", "1e-5", "1e-05");
    expect_ok("pagerank.l1DiffThreshold", "0", "0");
    expect_ok("pagerank.l1DiffThreshold", "1e300", "1e+300");
    expect_ok("pagerank.l1DiffThreshold", "0.30000000000000004", "0.30000000000000004");

    expect_bad("page_rank.alpha", "abc",
               "option 'page_rank.alpha' must be a number from 0 to 1, got 'abc'");
    expect_bad("page_rank.alpha", "1.0000001", "from 0 to 1, got '1.0000001'");
    expect_bad("page_rank.alpha", "-0.1", "got '-0.1'");
    expect_bad("page_rank.alpha", "", "got ''");
    expect_bad("page_rank.alpha", "   ", "got ''");
    expect_bad("page_rank.alpha", "nan", "got 'nan'");
    expect_bad("page_rank.alpha", "inf", "got 'inf'");
    expect_bad("page_rank.alpha", "0x0.1p0", "got '0x0.1p0'");
    expect_bad("page_rank.alpha", "0.1.2", "page_rank.alpha");
    expect_bad("page_rank.alpha", "0.5x", "page_rank.alpha");
    expect_bad("page_rank.alpha", "e", "page_rank.alpha");
    expect_bad("pagerank.l1DiffThreshold", "-1e-9",
               "option 'pagerank.l1DiffThreshold' must be a number >= 0, got '-1e-9'");
    expect_bad("pagerank.l1DiffThreshold", "1e999", "got '1e999'");
    expect_bad("pagerank.l1DiffThreshold", "infinity", "got 'infinity'");
}

Test(catalog, int_values)
{
    expect_ok("bsp.max_super_step", "20", "20");
    expect_ok("bsp.max_super_step", " 20 ", "20");
    expect_ok("bsp.max_super_step", "+7", "7");
    expect_ok("bsp.max_super_step", "007", "7");
    expect_ok("bsp.max_super_step", "1", "1");
    expect_ok("bsp.max_super_step", "1000000", "1000000");
    const char *allowed = "option 'bsp.max_super_step' must be a whole number from 1 to 1000000";
    expect_bad("bsp.max_super_step", "0", allowed);
    expect_bad("bsp.max_super_step", "1000001", "got '1000001'");
    expect_bad("bsp.max_super_step", "-5", "got '-5'");
    expect_bad("bsp.max_super_step", "1.5", "got '1.5'");
    expect_bad("bsp.max_super_step", "2e1", "got '2e1'");
    expect_bad("bsp.max_super_step", "0x10", "got '0x10'");
    expect_bad("bsp.max_super_step", "abc", "got 'abc'");
    expect_bad("bsp.max_super_step", "", "got ''");
    expect_bad("bsp.max_super_step", "-", "got '-'");
    expect_bad("bsp.max_super_step", "1 2", "got '1 2'");
    expect_bad("bsp.max_super_step", "99999999999999999999999", "got '9999");

    expect_ok("input.limit_edges_in_one_vertex", "-1", "-1");
    expect_ok("input.limit_edges_in_one_vertex", "1", "1");
    expect_ok("input.limit_edges_in_one_vertex", "2147483647", "2147483647");
    const char *lim = "option 'input.limit_edges_in_one_vertex' must be -1 (all) or a whole "
                      "number from 1 to 2147483647, got '0'";
    expect_bad("input.limit_edges_in_one_vertex", "0", lim);
    expect_bad("input.limit_edges_in_one_vertex", "-2", "got '-2'");
    expect_bad("input.limit_edges_in_one_vertex", "2147483648", "got '2147483648'");
}

Test(catalog, enum_values)
{
    expect_ok("input.edge_direction", "OUT", "OUT");
    expect_ok("input.edge_direction", "in", "IN");
    expect_ok("input.edge_direction", " Both ", "BOTH");
    expect_bad("input.edge_direction", "UP",
               "option 'input.edge_direction' must be one of OUT, IN, BOTH, got 'UP'");
    expect_bad("input.edge_direction", "", "got ''");
    expect_bad("input.edge_direction", "OUTIN", "got 'OUTIN'");
    expect_bad("input.edge_direction", "OU", "got 'OU'");
    expect_ok("input.edge_freq", "multiple", "MULTIPLE");
    expect_ok("input.edge_freq", "single", "SINGLE");
    expect_ok("input.edge_freq", "Single_Per_Label", "SINGLE_PER_LABEL");
    expect_bad("input.edge_freq", "SINGLE_PER",
               "must be one of MULTIPLE, SINGLE, SINGLE_PER_LABEL, got 'SINGLE_PER'");
}

Test(catalog, string_values)
{
    expect_ok("output.output_property_name", "rank", "rank");
    expect_ok("output.output_property_name", " my.rank-2_x ", "my.rank-2_x");
    char name[102];
    memset(name, 'a', 100);
    name[100] = '\0';
    expect_ok("output.output_property_name", name, name);
    name[100] = 'a';
    name[101] = '\0';
    expect_bad("output.output_property_name", name, "output.output_property_name");
    expect_bad("output.output_property_name", "", "must be a name of 1 to 100 characters");
    expect_bad("output.output_property_name", "a b", "got 'a b'");
    expect_bad("output.output_property_name", "a/b", "got 'a/b'");
    expect_bad("output.output_property_name", "r\xc3\xa9", "output.output_property_name");
    char huge[400];
    memset(huge, 'x', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    expect_bad("output.output_property_name", huge, "...");
}

Test(catalog, alias_and_twice)
{
    expect_ok("pagerank.alpha", "0.3", "0.3");
    algo_params p;
    char msg[ALGO_MSG_MAX];
    cr_assert_eq(check1(&p, "pagerank.alpha", "0.3", msg), 0);
    cr_expect_str_eq(algo_params_str(&p, "page_rank.alpha"), "0.3");
    algo_params_release(&p);

    const char *k[] = {"page_rank.alpha", "pagerank.alpha"}, *v[] = {"0.1", "0.2"};
    cr_expect_lt(algo_params_check(&p, pr(), k, v, 2, msg), 0);
    cr_expect_str_eq(msg, "option 'page_rank.alpha' is given twice (as 'page_rank.alpha' and "
                          "'pagerank.alpha')");
    const char *k2[] = {"bsp.max_super_step", "BSP.MAX_SUPER_STEP"}, *v2[] = {"1", "1"};
    cr_expect_lt(algo_params_check(&p, pr(), k2, v2, 2, msg), 0);
    cr_expect_not_null(strstr(msg, "given twice"), "%s", msg);
}

Test(catalog, unknown_key_names_known_ones)
{
    algo_params p;
    char msg[ALGO_MSG_MAX];
    cr_assert_lt(check1(&p, "page_rank.beta", "1", msg), 0);
    cr_expect_not_null(strstr(msg, "unknown option 'page_rank.beta' for page-rank"), "%s", msg);
    const char *known[] = {"page_rank.alpha",
                           "pagerank.alpha",
                           "pagerank.l1DiffThreshold",
                           "bsp.max_super_step",
                           "input.edge_direction",
                           "input.edge_freq",
                           "input.limit_edges_in_one_vertex",
                           "output.output_property_name"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        cr_expect_not_null(strstr(msg, known[i]), "'%s' lacks %s", msg, known[i]);
    cr_expect_lt(strlen(msg), ALGO_MSG_MAX);

    /* a long unknown key is quoted in part; the message still fits */
    char key[300];
    memset(key, 'k', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    cr_assert_lt(check1(&p, key, "1", msg), 0);
    cr_expect_lt(strlen(msg), ALGO_MSG_MAX);
    cr_expect_not_null(strstr(msg, "unknown option"), "%s", msg);
}

Test(catalog, null_inputs)
{
    algo_params p;
    char msg[ALGO_MSG_MAX];
    const char *k[] = {NULL}, *v[] = {"1"};
    cr_expect_lt(algo_params_check(&p, pr(), k, v, 1, msg), 0);
    cr_expect_lt(algo_params_check(&p, NULL, NULL, NULL, 0, msg), 0);
    cr_expect_lt(algo_params_check(&p, pr(), NULL, NULL, 1, msg), 0);
    algo_params_release(NULL);
}

Test(catalog, every_option_documented)
{
    const algo_spec *s = pr();
    for (size_t i = 0; i < s->n_options; i++) {
        cr_expect_not_null(s->options[i].key);
        cr_expect_not_null(s->options[i].help);
        cr_expect_not_null(s->options[i].def);
    }
}
