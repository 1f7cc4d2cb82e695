/* cli_format.c: output helpers of `hgc` for people (see cli_format.h).
 * Tables are held whole to measure the columns: one server answer, which
 * the server already bounds by its page limit. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_format.h"
#include "cli_json.h"

void hgc_cli_format_time(char buf[HGC_CLI_TIME_MAX], int64_t epoch_ms)
{
    time_t t = (time_t)(epoch_ms / 1000);
    struct tm tm;

    /* UTC, so the output does not depend on the machine's zone */
    if (epoch_ms <= 0 || gmtime_r(&t, &tm) == NULL ||
        strftime(buf, HGC_CLI_TIME_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, HGC_CLI_TIME_MAX, "-");
}

void hgc_cli_print_escaped(FILE *f, const char *s)
{
    for (; s != NULL && *s != '\0'; s++) {
        switch (*s) {
        case '\\': fputs("\\\\", f); break;
        case '\t': fputs("\\t", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        default: fputc(*s, f); break;
        }
    }
}

void hgc_cli_print_vertex(FILE *f, const Hgc__V1__VertexId *id)
{
    if (id != NULL && id->kind_case == HGC__V1__VERTEX_ID__KIND_NUM)
        fprintf(f, "%lld", (long long)id->num);
    else if (id != NULL && id->kind_case == HGC__V1__VERTEX_ID__KIND_STR)
        hgc_cli_print_escaped(f, id->str);
    else
        fputs("null", f);
}

void hgc_cli_print_value(FILE *f, const Hgc__V1__Value *v)
{
    json_t *j = NULL;

    switch (v != NULL ? v->kind_case : HGC__V1__VALUE__KIND__NOT_SET) {
    case HGC__V1__VALUE__KIND_NUMBER: fprintf(f, "%.17g", v->number); break;
    case HGC__V1__VALUE__KIND_INTEGER: fprintf(f, "%lld", (long long)v->integer); break;
    case HGC__V1__VALUE__KIND_TEXT: hgc_cli_print_escaped(f, v->text); break;
    case HGC__V1__VALUE__KIND_BOOLEAN: fputs(v->boolean ? "true" : "false", f); break;
    case HGC__V1__VALUE__KIND_LIST:
    case HGC__V1__VALUE__KIND_MAP:
        j = hgc_cli_json_value(v);
        if (j == NULL || json_dumpf(j, f, JSON_COMPACT | JSON_ENCODE_ANY) != 0)
            fputs("null", f);
        json_decref(j);
        break;
    default: fputs("null", f); break;
    }
}

struct hgc_cli_table {
    size_t n_cols;
    size_t n_rows; /* the header included */
    size_t cap_rows;
    char **cells; /* n_rows * n_cols */
    char *numeric;
};

void hgc_cli_table_free(hgc_cli_table *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->numeric);
    free(t);
}

hgc_cli_table *hgc_cli_table_new(size_t n_cols, const char *const *headers, const char *numeric)
{
    hgc_cli_table *t = calloc(1, sizeof(*t));

    if (t == NULL)
        return NULL;
    t->n_cols = n_cols;
    t->numeric = calloc(n_cols + 1, 1);
    if (t->numeric == NULL)
        goto fail;
    for (size_t i = 0; i < n_cols; i++)
        t->numeric[i] = numeric != NULL && numeric[i] == '1';
    if (hgc_cli_table_add(t, headers) != 0)
        goto fail;
    return t;
fail:
    hgc_cli_table_free(t);
    return NULL;
}

int hgc_cli_table_add(hgc_cli_table *t, const char *const *cells)
{
    if (t->n_rows == t->cap_rows) {
        size_t cap = t->cap_rows ? t->cap_rows * 2 : 16;
        char **grown = realloc(t->cells, cap * t->n_cols * sizeof(*grown));

        if (grown == NULL)
            return -1;
        t->cells = grown;
        t->cap_rows = cap;
    }
    for (size_t i = 0; i < t->n_cols; i++) {
        char *copy = strdup(cells[i] != NULL ? cells[i] : "");

        if (copy == NULL) {
            while (i-- > 0)
                free(t->cells[t->n_rows * t->n_cols + i]);
            return -1;
        }
        t->cells[t->n_rows * t->n_cols + i] = copy;
    }
    t->n_rows++;
    return 0;
}

void hgc_cli_table_print(const hgc_cli_table *t, FILE *f)
{
    size_t *width = calloc(t->n_cols, sizeof(*width));

    if (width == NULL)
        return;
    for (size_t r = 0; r < t->n_rows; r++)
        for (size_t c = 0; c < t->n_cols; c++) {
            size_t w = strlen(t->cells[r * t->n_cols + c]);
            if (w > width[c])
                width[c] = w;
        }
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t c = 0; c < t->n_cols; c++) {
            const char *cell = t->cells[r * t->n_cols + c];
            int w = (int)width[c];
            int last = c + 1 == t->n_cols;

            if (c > 0)
                fputs("  ", f);
            if (t->numeric[c])
                fprintf(f, "%*s", w, cell);
            else if (last)
                fputs(cell, f); /* no trailing blanks */
            else
                fprintf(f, "%-*s", w, cell);
        }
        fputc('\n', f);
    }
    free(width);
}
