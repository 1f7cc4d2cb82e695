/* catalog.c: the algorithm catalog as data tables (docs/algorithms.md):
 * canonical names, HugeGraph-Computer params classes, each algorithm's own
 * options and the options every algorithm takes, and the checks that turn
 * a caller's (key, value) strings into normalised values.
 *
 * Input rules, decided here and relied on by hgc-server and hgc-worker:
 * - algorithm names ignore ASCII case and the separators '-', '_', ' ', '.';
 * - params classes are matched exactly (Java names are case-sensitive),
 *   after surrounding white space, with or without a package root;
 * - option keys are matched ignoring ASCII case, after trimming white space;
 *   an alias is the same option, so giving both is "given twice";
 * - values are trimmed of surrounding white space; INT is a decimal whole
 *   number ("20", "+20", "-1"; not "1.5", "2e1", "0x10"); DOUBLE is a
 *   decimal number ("0.15", ".5", "1e-5"; not "nan", "inf", hex); ENUM and
 *   BOOL ignore case. Normalised: INT "%lld", DOUBLE the shortest text that
 *   reads back to the same double, ENUM as spelled in `choices`, BOOL
 *   "true"/"false".
 *
 * Cost: a lookup or check is linear in the (small) tables.
 */
#include "catalog.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- tables ---------------------------------------------------------- */

/* Every algorithm takes these after its own. A NULL default is derived
 * from the algorithm (see default_of). */
static const algo_option COMMON_OPTIONS[] = {
    {.key = "bsp.max_super_step",
     .type = ALGO_OPT_INT,
     .def = "10",
     .min = 1,
     .max = 1000000,
     .help = "the most supersteps (iterations) an iterative algorithm runs",
     .offset = offsetof(algo_common_opts, max_super_step)},
    {.key = "input.edge_direction",
     .type = ALGO_OPT_ENUM,
     .def = "OUT",
     .choices = "OUT|IN|BOTH",
     .help = "which edges a directed algorithm follows",
     .offset = offsetof(algo_common_opts, edge_direction)},
    {.key = "input.edge_freq",
     .type = ALGO_OPT_ENUM,
     .def = "MULTIPLE",
     .choices = "MULTIPLE|SINGLE|SINGLE_PER_LABEL",
     .help = "SINGLE folds parallel edges into one; SINGLE_PER_LABEL per edge label",
     .offset = offsetof(algo_common_opts, edge_freq)},
    {.key = "input.limit_edges_in_one_vertex",
     .type = ALGO_OPT_INT,
     .def = "-1",
     .min = -1,
     .max = 2147483647,
     .flags = ALGO_OPT_F_NOT_ZERO,
     .help = "keep at most this many out-edges per vertex (-1: all)",
     .offset = offsetof(algo_common_opts, limit_edges)},
    {.key = "output.output_property_name",
     .type = ALGO_OPT_STRING,
     .def = NULL,
     .flags = ALGO_OPT_F_NAME,
     .help = "the name under which results are stored and shown",
     .offset = offsetof(algo_common_opts, output_property_name)},
};
#define N_COMMON (sizeof COMMON_OPTIONS / sizeof COMMON_OPTIONS[0])

/* The specs, from the list (catalog/specs/<id>.c). */
#define ALGORITHM(id) extern const algo_spec algo_spec_##id;
#include "algorithms.def"
#undef ALGORITHM

static const algo_spec *const CATALOG[] = {
#define ALGORITHM(id) &algo_spec_##id,
#include "algorithms.def"
#undef ALGORITHM
};
#define N_CATALOG (sizeof CATALOG / sizeof CATALOG[0])

static const char *const PACKAGE_ROOTS[] = {
    "com.baidu.hugegraph.computer.algorithm.",
    "org.apache.hugegraph.computer.algorithm.",
};

#define NAME_MAX_BYTES 100 /* output.output_property_name */
#define SHOW_MAX       60  /* how much of a caller's text a message quotes */

/* ---- names ----------------------------------------------------------- */

size_t algo_catalog_count(void)
{
    return N_CATALOG;
}

const algo_spec *algo_catalog_at(size_t i)
{
    return i < N_CATALOG ? CATALOG[i] : NULL;
}

static int is_sep(char c)
{
    return c == '-' || c == '_' || c == ' ' || c == '.';
}

/* Equal ignoring ASCII case and separators, without copying. */
static int name_eq(const char *a, const char *b)
{
    for (;;) {
        while (*a && is_sep(*a))
            a++;
        while (*b && is_sep(*b))
            b++;
        if (!*a || !*b)
            return !*a && !*b;
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
        a++;
        b++;
    }
}

const algo_spec *algo_catalog_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < N_CATALOG; i++)
        if (name_eq(name, CATALOG[i]->name))
            return CATALOG[i];
    return NULL;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* [*s, *s + *len) without surrounding white space. */
static void trim(const char **s, size_t *len)
{
    const char *p = *s;
    size_t n = strlen(p);
    while (n && is_space(*p))
        p++, n--;
    while (n && is_space(p[n - 1]))
        n--;
    *s = p;
    *len = n;
}

const algo_spec *algo_catalog_find_class(const char *params_class)
{
    if (!params_class)
        return NULL;
    const char *s = params_class;
    size_t len;
    trim(&s, &len);
    for (size_t r = 0; r < sizeof PACKAGE_ROOTS / sizeof PACKAGE_ROOTS[0]; r++) {
        size_t rl = strlen(PACKAGE_ROOTS[r]);
        if (len > rl && strncmp(s, PACKAGE_ROOTS[r], rl) == 0) {
            s += rl;
            len -= rl;
            break;
        }
    }
    for (size_t i = 0; i < N_CATALOG; i++)
        for (const char *const *c = CATALOG[i]->classes; *c; c++)
            if (strlen(*c) == len && memcmp(*c, s, len) == 0)
                return CATALOG[i];
    return NULL;
}

static char names_buf[1024];
static pthread_once_t names_once = PTHREAD_ONCE_INIT;

static void names_build(void)
{
    size_t off = 0;
    for (size_t i = 0; i < N_CATALOG && off < sizeof names_buf; i++) {
        int k = snprintf(names_buf + off, sizeof names_buf - off, "%s%s", i ? ", " : "",
                         CATALOG[i]->name);
        if (k < 0)
            break;
        off += (size_t)k;
    }
}

const char *algo_catalog_names(void)
{
    pthread_once(&names_once, names_build);
    return names_buf;
}

/* ---- options --------------------------------------------------------- */

/* The default of `o` for `spec`, as text, into buf. */
static const char *default_of(const algo_spec *spec, const algo_option *o, char *buf, size_t cap)
{
    if (o->def)
        return o->def;
    /* output.output_property_name: "page-rank" -> "page_rank" */
    size_t i = 0;
    for (; spec->name[i] && i + 1 < cap; i++)
        buf[i] = spec->name[i] == '-' ? '_' : spec->name[i];
    buf[i] = '\0';
    return buf;
}

static const algo_option *option_at(const algo_spec *spec, size_t i)
{
    return i < spec->n_options ? &spec->options[i] : &COMMON_OPTIONS[i - spec->n_options];
}

size_t algo_common_count(void)
{
    return N_COMMON;
}

const algo_option *algo_spec_option(const algo_spec *spec, size_t i)
{
    return i < spec->n_options + N_COMMON ? option_at(spec, i) : NULL;
}

static int key_is(const algo_option *o, const char *key, size_t len)
{
    return (strlen(o->key) == len && strncasecmp(o->key, key, len) == 0) ||
           (o->alias && strlen(o->alias) == len && strncasecmp(o->alias, key, len) == 0);
}

/* "page_rank.alpha (also pagerank.alpha), ..." for an unknown-key message. */
static void known_keys(const algo_spec *spec, char *buf, size_t cap)
{
    size_t off = 0, n = spec->n_options + N_COMMON;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const algo_option *o = option_at(spec, i);
        int k = o->alias ? snprintf(buf + off, cap - off, "%s%s (also %s)", i ? ", " : "", o->key,
                                    o->alias)
                         : snprintf(buf + off, cap - off, "%s%s", i ? ", " : "", o->key);
        if (k < 0 || (size_t)k >= cap - off) {
            /* ran out of room: end with an ellipsis the reader can see */
            if (cap > 4)
                memcpy(buf + cap - 4, "...", 4);
            return;
        }
        off += (size_t)k;
    }
}

/* What `o` accepts, for a message: "a number from 0 to 1". */
static void allowed_text(const algo_option *o, char *buf, size_t cap)
{
    switch (o->type) {
    case ALGO_OPT_INT:
        if ((o->flags & ALGO_OPT_F_NOT_ZERO) && o->min == -1)
            snprintf(buf, cap, "-1 (all) or a whole number from 1 to %.0f", o->max);
        else if (o->flags & ALGO_OPT_F_NOT_ZERO)
            snprintf(buf, cap, "a whole number from %.0f to %.0f other than 0", o->min, o->max);
        else
            snprintf(buf, cap, "a whole number from %.0f to %.0f", o->min, o->max);
        break;
    case ALGO_OPT_DOUBLE:
        if ((o->flags & ALGO_OPT_F_NOT_ZERO) && o->min == 0)
            snprintf(buf, cap, "a number above 0 and at most %g", o->max);
        else if (isinf(o->max))
            snprintf(buf, cap, "a number >= %g", o->min);
        else
            snprintf(buf, cap, "a number from %g to %g", o->min, o->max);
        break;
    case ALGO_OPT_ENUM: {
        size_t j = 0;
        j += (size_t)snprintf(buf, cap, "one of ");
        for (const char *c = o->choices; *c && j + 3 < cap; c++) {
            if (*c == '|') {
                buf[j++] = ',';
                buf[j++] = ' ';
            } else {
                buf[j++] = *c;
            }
        }
        buf[j] = '\0';
        break;
    }
    case ALGO_OPT_BOOL: snprintf(buf, cap, "true or false"); break;
    case ALGO_OPT_STRING:
        if (o->flags & ALGO_OPT_F_VERTEX)
            snprintf(buf, cap, "a vertex id of the graph (a number or a text)");
        else if (o->flags & ALGO_OPT_F_NAME)
            snprintf(buf, cap, "a name of 1 to %d characters from A-Z a-z 0-9 _ . -",
                     NAME_MAX_BYTES);
        else if (o->flags & ALGO_OPT_F_REQUIRED)
            snprintf(buf, cap, "a non-empty text of at most 255 bytes");
        else
            snprintf(buf, cap, "a text of at most 255 bytes");
        break;
    }
}

/* The shortest %g text that reads back as exactly v. */
static void print_double(char *buf, size_t cap, double v)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* Checks one trimmed value [s, s+len) against `o`; writes the normalised
 * value into out (256 bytes). 0 or -1. */
static int check_value(char out[256], const algo_option *o, const char *s, size_t len)
{
    char tmp[256];
    if (len >= sizeof tmp)
        return -1;
    memcpy(tmp, s, len);
    tmp[len] = '\0';

    switch (o->type) {
    case ALGO_OPT_INT: {
        size_t i = (tmp[0] == '+' || tmp[0] == '-') ? 1 : 0;
        if (!tmp[i])
            return -1;
        for (size_t j = i; tmp[j]; j++)
            if (!isdigit((unsigned char)tmp[j]))
                return -1;
        errno = 0;
        long long v = strtoll(tmp, NULL, 10);
        if (errno == ERANGE || (double)v < o->min || (double)v > o->max)
            return -1;
        if (v == 0 && (o->flags & ALGO_OPT_F_NOT_ZERO))
            return -1;
        snprintf(out, 256, "%lld", v);
        return 0;
    }
    case ALGO_OPT_DOUBLE: {
        /* only decimal notation: strtod alone would take "nan", "inf", hex */
        int digits = 0;
        for (size_t j = 0; tmp[j]; j++) {
            if (isdigit((unsigned char)tmp[j]))
                digits = 1;
            else if (!strchr("+-.eE", tmp[j]))
                return -1;
        }
        if (!digits)
            return -1;
        char *end;
        errno = 0;
        double v = strtod(tmp, &end);
        if (*end || errno == ERANGE || !isfinite(v) || v < o->min || v > o->max)
            return -1;
        if (v == 0 && (o->flags & ALGO_OPT_F_NOT_ZERO))
            return -1;
        if (v == 0)
            v = 0; /* "-0" reads as -0.0; print it as 0 */
        print_double(out, 256, v);
        return 0;
    }
    case ALGO_OPT_ENUM: {
        const char *c = o->choices;
        while (*c) {
            size_t cl = strcspn(c, "|");
            if (cl == len && strncasecmp(c, tmp, len) == 0) {
                memcpy(out, c, cl);
                out[cl] = '\0';
                return 0;
            }
            c += cl;
            if (*c == '|')
                c++;
        }
        return -1;
    }
    case ALGO_OPT_BOOL:
        if (strcasecmp(tmp, "true") == 0 || strcasecmp(tmp, "false") == 0) {
            snprintf(out, 256, "%s", tolower((unsigned char)tmp[0]) == 't' ? "true" : "false");
            return 0;
        }
        return -1;
    case ALGO_OPT_STRING:
        if ((o->flags & (ALGO_OPT_F_REQUIRED | ALGO_OPT_F_VERTEX)) && len == 0)
            return -1;
        if (o->flags & ALGO_OPT_F_VERTEX) { /* white space alone names no vertex */
            size_t j = 0;
            while (j < len && is_space(tmp[j]))
                j++;
            if (j == len)
                return -1;
        }
        if (o->flags & ALGO_OPT_F_NAME) {
            if (len == 0 || len > NAME_MAX_BYTES)
                return -1;
            for (size_t j = 0; j < len; j++)
                if (!isalnum((unsigned char)tmp[j]) && !strchr("_.-", tmp[j]))
                    return -1;
        }
        if ((o->flags & ALGO_OPT_F_REQUIRED) && len == 0)
            return -1;
        memcpy(out, tmp, len + 1);
        return 0;
    }
    return -1;
}

int algo_params_check(algo_params *out, const algo_spec *spec, const char *const *keys,
                      const char *const *values, size_t n, char msg[ALGO_MSG_MAX])
{
    int rc = -1;
    size_t total = 0;
    struct algo_param *items = NULL;
    const char **given_as = NULL; /* the caller's spelling of each set key */
    char known[512], allowed[160], defbuf[128];

    if (!out || !spec || (n && (!keys || !values))) {
        snprintf(msg, ALGO_MSG_MAX, "no algorithm or options to check");
        goto done;
    }
    total = spec->n_options + N_COMMON;
    items = calloc(total, sizeof *items);
    given_as = calloc(total, sizeof *given_as);
    if (!items || !given_as) {
        snprintf(msg, ALGO_MSG_MAX, "out of memory checking options");
        goto done;
    }
    for (size_t i = 0; i < total; i++)
        items[i].opt = option_at(spec, i);

    for (size_t k = 0; k < n; k++) {
        if (!keys[k] || !values[k]) {
            snprintf(msg, ALGO_MSG_MAX, "option %zu has no key or no value", k + 1);
            goto done;
        }
        const char *key = keys[k];
        size_t klen;
        trim(&key, &klen);
        size_t i = 0;
        while (i < total && !key_is(items[i].opt, key, klen))
            i++;
        if (i == total) {
            known_keys(spec, known, sizeof known);
            snprintf(msg, ALGO_MSG_MAX, "unknown option '%.*s' for %s; it takes: %s",
                     (int)(klen < SHOW_MAX ? klen : SHOW_MAX), key, spec->name, known);
            goto done;
        }
        if (items[i].given) {
            snprintf(msg, ALGO_MSG_MAX, "option '%s' is given twice (as '%.60s' and '%.*s')",
                     items[i].opt->key, given_as[i], (int)(klen < SHOW_MAX ? klen : SHOW_MAX), key);
            goto done;
        }
        /* The value as given: " 2" is no number, and a text keeps its
         * spaces (keys are names, and are trimmed above). */
        const char *v = values[k];
        size_t vlen = strlen(v);
        if (check_value(items[i].value, items[i].opt, v, vlen) != 0) {
            allowed_text(items[i].opt, allowed, sizeof allowed);
            snprintf(msg, ALGO_MSG_MAX, "option '%s' must be %s, got '%.*s'%s", items[i].opt->key,
                     allowed, (int)(vlen < SHOW_MAX ? vlen : SHOW_MAX), v,
                     vlen > SHOW_MAX ? "..." : "");
            goto done;
        }
        items[i].given = 1;
        given_as[i] = keys[k];
    }

    for (size_t i = 0; i < total; i++) {
        if (items[i].given)
            continue;
        if (items[i].opt->flags & ALGO_OPT_F_REQUIRED) {
            snprintf(msg, ALGO_MSG_MAX, "option '%s' is required by %s: %s", items[i].opt->key,
                     spec->name, items[i].opt->help ? items[i].opt->help : "give it");
            goto done;
        }
        const char *d = default_of(spec, items[i].opt, defbuf, sizeof defbuf);
        /* defaults go through the same check, so they are normalised too */
        if (check_value(items[i].value, items[i].opt, d, strlen(d)) != 0) {
            snprintf(msg, ALGO_MSG_MAX, "catalog error: bad default '%s' for '%s'", d,
                     items[i].opt->key);
            goto done;
        }
    }

    out->spec = spec;
    out->n = total;
    out->items = items;
    items = NULL;
    rc = 0;
done:
    free(items);
    free(given_as);
    return rc;
}

void algo_params_release(algo_params *p)
{
    if (!p)
        return;
    free(p->items);
    p->items = NULL;
    p->n = 0;
    p->spec = NULL;
}

static const struct algo_param *param_find(const algo_params *p, const char *key)
{
    if (!p || !key)
        return NULL;
    for (size_t i = 0; i < p->n; i++)
        if (key_is(p->items[i].opt, key, strlen(key)))
            return &p->items[i];
    return NULL;
}

const char *algo_params_str(const algo_params *p, const char *key)
{
    const struct algo_param *it = param_find(p, key);
    return it ? it->value : NULL;
}

int64_t algo_params_int(const algo_params *p, const char *key)
{
    const struct algo_param *it = param_find(p, key);
    return it ? strtoll(it->value, NULL, 10) : 0;
}

double algo_params_double(const algo_params *p, const char *key)
{
    const struct algo_param *it = param_find(p, key);
    return it ? strtod(it->value, NULL) : NAN;
}

/* The index of `value` in o->choices ("OUT|IN|BOTH"), or -1. */
static int choice_index(const algo_option *o, const char *value)
{
    int k = 0;
    for (const char *c = o->choices; *c; k++) {
        size_t cl = strcspn(c, "|");
        if (strlen(value) == cl && strncmp(c, value, cl) == 0)
            return k;
        c += cl;
        if (*c == '|')
            c++;
    }
    return -1;
}

int algo_params_fill(const algo_params *p, algo_common_opts *common, void *opts,
                     char msg[ALGO_MSG_MAX])
{
    for (size_t i = 0; i < p->n; i++) {
        const algo_option *o = p->items[i].opt;
        const char *v = p->items[i].value;
        char *base = i < p->spec->n_options ? (char *)opts : (char *)common;
        char *field = base + o->offset;
        switch (o->type) {
        case ALGO_OPT_INT: {
            int64_t x = strtoll(v, NULL, 10);
            memcpy(field, &x, sizeof x);
            break;
        }
        case ALGO_OPT_DOUBLE: {
            double x = strtod(v, NULL);
            memcpy(field, &x, sizeof x);
            break;
        }
        case ALGO_OPT_ENUM: {
            int x = choice_index(o, v);
            if (x < 0) {
                snprintf(msg, ALGO_MSG_MAX, "catalog error: '%s' is not a choice of '%s'", v,
                         o->key);
                return -1;
            }
            memcpy(field, &x, sizeof x);
            break;
        }
        case ALGO_OPT_BOOL: {
            int x = strcmp(v, "true") == 0;
            memcpy(field, &x, sizeof x);
            break;
        }
        case ALGO_OPT_STRING: {
            const char *x = v;
            memcpy(field, &x, sizeof x);
            break;
        }
        }
    }
    return 0;
}
