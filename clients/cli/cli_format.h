/* cli_format.h: how `hgc` writes things for people: times, result values,
 * aligned tables. The stable formats are listed in docs/cli.md. */
#ifndef HGC_CLI_FORMAT_H
#define HGC_CLI_FORMAT_H

#include <stdio.h>

#include "hgc_client.h"

#define HGC_CLI_TIME_MAX 32

/* Epoch milliseconds as UTC "2024-05-01T12:00:00Z"; "-" for 0. */
void hgc_cli_format_time(char buf[HGC_CLI_TIME_MAX], int64_t epoch_ms);

/* A vertex id: its number, or its string escaped (see below). */
void hgc_cli_print_vertex(FILE *f, const Hgc__V1__VertexId *id);
/* A result value: doubles with %.17g (so they read back exactly),
 * integers in decimal, booleans true/false, text escaped, lists as a JSON
 * array; "null" when unset. */
void hgc_cli_print_value(FILE *f, const Hgc__V1__Value *v);
/* Text with '\\', tab, newline and carriage return written as \\ \t \n \r,
 * so that one row stays one line of TAB-separated fields. */
void hgc_cli_print_escaped(FILE *f, const char *s);

/* A table printed with its columns aligned: two spaces between columns,
 * text left-aligned, columns flagged numeric right-aligned. */
typedef struct hgc_cli_table hgc_cli_table;

/* `numeric` is a string of '0'/'1' per column, or NULL. NULL on no memory. */
hgc_cli_table *hgc_cli_table_new(size_t n_cols, const char *const *headers, const char *numeric);
/* Copies n_cols cells. Returns 0, or -1 out of memory. */
int hgc_cli_table_add(hgc_cli_table *t, const char *const *cells);
void hgc_cli_table_print(const hgc_cli_table *t, FILE *f);
void hgc_cli_table_free(hgc_cli_table *t);

#endif
