/* cli.c: the commands of `hgc`: one function per command, each making
 * its hgc_client call and writing the answer for people (tables, key:
 * value lines) or, with --json, as the server's message in JSON.
 *
 * Errors are turned into exit codes in one place, hgc_cli_exit_code; the
 * formats are documented in docs/cli.md, which the integration tests
 * follow.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "cli.h"
#include "cli_format.h"
#include "cli_json.h"
#include "cli_watch.h"

int hgc_cli_exit_code(grpc_status_code code)
{
    switch (code) {
    case GRPC_STATUS_OK: return HGC_EXIT_OK;
    case GRPC_STATUS_UNAVAILABLE:
    case GRPC_STATUS_DEADLINE_EXCEEDED: return HGC_EXIT_UNREACHABLE;
    default: return HGC_EXIT_REFUSED;
    }
}

/* Prints why a call failed and returns its exit code. */
static int report(const hgc_client *c, const hgc_status *st)
{
    const char *text = st->message[0] != '\0' ? st->message : hgc_status_name(st->code);

    switch (st->code) {
    case GRPC_STATUS_UNAVAILABLE:
        fprintf(stderr, "hgc: cannot reach the server at %s: %s\n", hgc_client_target(c), text);
        break;
    case GRPC_STATUS_DEADLINE_EXCEEDED:
        fprintf(stderr, "hgc: the server at %s did not answer in time: %s\n", hgc_client_target(c),
                text);
        break;
    default: fprintf(stderr, "hgc: %s\n", text); break;
    }
    return hgc_cli_exit_code(st->code);
}

/* ---- graphs ---------------------------------------------------------- */

static void print_graph(const Hgc__V1__Graph *g)
{
    char created[HGC_CLI_TIME_MAX], updated[HGC_CLI_TIME_MAX];

    hgc_cli_format_time(created, g->created);
    hgc_cli_format_time(updated, g->updated);
    printf("name: %s\n", g->name);
    printf("vertices: %lld\n", (long long)g->vertices);
    printf("edges: %lld\n", (long long)g->edges);
    printf("version: %lld\n", (long long)g->version);
    printf("weighted: %s\n", g->weighted ? "true" : "false");
    printf("size_bytes: %lld\n", (long long)g->size_bytes);
    printf("created: %s\n", created);
    printf("updated: %s\n", updated);
    /* GetGraph describes the current version; lists leave these empty. */
    for (size_t i = 0; i < g->n_vertex_labels; i++)
        printf("vertex label: %s (%lld)\n", g->vertex_labels[i]->name,
               (long long)g->vertex_labels[i]->count);
    for (size_t i = 0; i < g->n_edge_labels; i++)
        printf("edge label: %s (%lld)\n", g->edge_labels[i]->name,
               (long long)g->edge_labels[i]->count);
    for (size_t i = 0; i < g->n_property_keys; i++)
        printf("property: %s %s.%s: %s\n", g->property_keys[i]->kind, g->property_keys[i]->label,
               g->property_keys[i]->key, g->property_keys[i]->type);
    if (g->n_versions > 0) {
        printf("versions:");
        for (size_t i = 0; i < g->n_versions; i++)
            printf(" %lld", (long long)g->versions[i]);
        printf("\n");
    }
}

/* Load progress on a terminal: bytes sent and rate, redrawn at most ten
 * times a second on stderr, so stdout keeps only the answer. */
struct load_view {
    int tty;
    double start;
    double last_draw;
    int drawn;
};

static void load_progress(int64_t bytes, void *user_data)
{
    struct load_view *v = user_data;
    double now = hgc_now_s();
    double elapsed = now - v->start;

    if (!v->tty || now - v->last_draw < 0.1)
        return;
    v->last_draw = now;
    v->drawn = 1;
    fprintf(stderr, "\rloading: %.1f MiB sent, %.1f MiB/s\033[K", (double)bytes / 1048576.0,
            elapsed > 0 ? (double)bytes / 1048576.0 / elapsed : 0.0);
    fflush(stderr);
}

/* The files of a load: one, or a Graphalytics graph's three (FILE is its
 * .properties file or the path without the extension). */
struct load_files {
    hgc_client_load_part parts[3];
    char paths[3][PATH_MAX];
    size_t n;
};

static void load_files_close(struct load_files *f)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->parts[i].in != NULL && f->parts[i].in != stdin)
            fclose(f->parts[i].in);
    f->n = 0;
}

static int load_files_open(struct load_files *f, const hgc_cli_args *a)
{
    static const char *const ga_ext[] = {"properties", "v", "e"};
    const char *format = a->format != NULL ? a->format : "edges";

    memset(f, 0, sizeof *f);
    if (strcmp(format, "graphalytics") == 0) {
        char base[PATH_MAX];
        size_t len;

        if (strcmp(a->file, "-") == 0) {
            fprintf(stderr, "hgc: --format graphalytics reads three files (NAME.properties, "
                            "NAME.v, NAME.e); give their path, not '-' (stdin)\n");
            return -1;
        }

        snprintf(base, sizeof base, "%s", a->file);
        len = strlen(base);
        for (size_t i = 0; i < 3; i++) {
            size_t el = strlen(ga_ext[i]) + 1;
            if (len > el && base[len - el] == '.' && strcmp(base + len - el + 1, ga_ext[i]) == 0) {
                base[len - el] = '\0';
                break;
            }
        }
        for (size_t i = 0; i < 3; i++) {
            static const char *const fmt[] = {"graphalytics.properties", "graphalytics.v",
                                              "graphalytics.e"};
            snprintf(f->paths[i], PATH_MAX, "%.4000s.%s", base, ga_ext[i]);
            f->parts[i].format = fmt[i];
            f->parts[i].in = fopen(f->paths[i], "rb");
            f->n = i + 1;
            if (f->parts[i].in == NULL) {
                fprintf(stderr, "hgc: cannot open %s: %s\n", f->paths[i], strerror(errno));
                load_files_close(f);
                return -1;
            }
        }
        return 0;
    }
    snprintf(f->paths[0], PATH_MAX, "%s", a->file);
    f->parts[0].format = strcmp(format, "jsonl") == 0 ? "jsonl" : "";
    f->parts[0].in = strcmp(a->file, "-") == 0 ? stdin : fopen(a->file, "rb");
    f->n = 1;
    if (f->parts[0].in == NULL) {
        fprintf(stderr, "hgc: cannot open %s: %s\n", a->file, strerror(errno));
        f->n = 0;
        return -1;
    }
    return 0;
}

static int cmd_graph_load(const hgc_cli_args *a, hgc_client *c)
{
    Hgc__V1__LoadEdgesResponse *r = NULL;
    hgc_status st;
    struct load_view view = {0};
    struct load_files files;
    double seconds;
    int rc = HGC_EXIT_OK;

    if (load_files_open(&files, a) < 0)
        return HGC_EXIT_USAGE;
    view.tty = !a->json && isatty(fileno(stderr));
    view.start = hgc_now_s();
    hgc_client_graph_load_parts(&r, c, a->graph, files.parts, files.n, load_progress, &view, &st);
    seconds = hgc_now_s() - view.start;
    if (view.drawn)
        fputs("\r\033[K", stderr);
    if (st.code != GRPC_STATUS_OK) {
        int read_failed = 0;
        for (size_t i = 0; i < files.n; i++)
            read_failed |= ferror(files.parts[i].in) != 0;
        if (read_failed) {
            fprintf(stderr, "hgc: cannot read %s: %s\n", a->file, st.message);
            rc = HGC_EXIT_USAGE;
        } else {
            rc = report(c, &st);
        }
        goto done;
    }
    if (a->json) {
        json_t *j = hgc_cli_json_message(&r->base);

        if (j != NULL)
            json_object_set_new(j, "seconds", json_real(round(seconds * 1000.0) / 1000.0));
        hgc_cli_json_print(stdout, j);
    } else {
        const Hgc__V1__Graph *g = r->graph;

        printf("graph: %s\n", g != NULL ? g->name : a->graph);
        printf("vertices: %lld\n", g != NULL ? (long long)g->vertices : 0LL);
        printf("edges: %lld\n", g != NULL ? (long long)g->edges : 0LL);
        printf("version: %lld\n", g != NULL ? (long long)g->version : 0LL);
        printf("edges_loaded: %lld\n", (long long)r->edges_loaded);
        printf("vertices_added: %lld\n", (long long)r->vertices_added);
        printf("seconds: %.3f\n", seconds);
    }
done:
    hgc_client_reply_free(r);
    load_files_close(&files);
    return rc;
}

static int cmd_graph_list(const hgc_cli_args *a, hgc_client *c)
{
    static const char *const head[] = {"NAME",     "VERTICES", "EDGES",  "VERSION",
                                       "WEIGHTED", "SIZE",     "UPDATED"};
    Hgc__V1__ListGraphsResponse *r = NULL;
    hgc_cli_table *t = NULL;
    hgc_status st;

    if (hgc_client_graph_list(&r, c, &st) != GRPC_STATUS_OK)
        return report(c, &st);
    if (a->json) {
        hgc_cli_json_print(stdout, hgc_cli_json_message(&r->base));
        goto done;
    }
    t = hgc_cli_table_new(7, head, "0111010");
    for (size_t i = 0; t != NULL && i < r->n_graphs; i++) {
        const Hgc__V1__Graph *g = r->graphs[i];
        char v[24], e[24], ver[24], size[24], updated[HGC_CLI_TIME_MAX];
        const char *row[] = {g->name, v, e, ver, g->weighted ? "yes" : "no", size, updated};

        snprintf(v, sizeof(v), "%lld", (long long)g->vertices);
        snprintf(e, sizeof(e), "%lld", (long long)g->edges);
        snprintf(ver, sizeof(ver), "%lld", (long long)g->version);
        snprintf(size, sizeof(size), "%lld", (long long)g->size_bytes);
        hgc_cli_format_time(updated, g->updated);
        if (hgc_cli_table_add(t, row) != 0)
            break;
    }
    if (t != NULL)
        hgc_cli_table_print(t, stdout);
done:
    hgc_cli_table_free(t);
    hgc_client_reply_free(r);
    return HGC_EXIT_OK;
}

static int cmd_graph_show(const hgc_cli_args *a, hgc_client *c, int create)
{
    Hgc__V1__Graph *g = NULL;
    hgc_status st;

    if ((create ? hgc_client_graph_create(&g, c, a->graph, &st)
                : hgc_client_graph_get(&g, c, a->graph, &st)) != GRPC_STATUS_OK)
        return report(c, &st);
    if (a->json)
        hgc_cli_json_print(stdout, hgc_cli_json_message(&g->base));
    else
        print_graph(g);
    hgc_client_reply_free(g);
    return HGC_EXIT_OK;
}

static int cmd_graph_drop(const hgc_cli_args *a, hgc_client *c)
{
    hgc_status st;

    if (hgc_client_graph_drop(c, a->graph, &st) != GRPC_STATUS_OK)
        return report(c, &st);
    if (a->json)
        puts("{}");
    else
        printf("dropped graph %s\n", a->graph);
    return HGC_EXIT_OK;
}

/* The vertex ID of the command line as the request carries it. */
static void vertex_id_of(Hgc__V1__VertexId *id, const hgc_cli_args *a)
{
    hgc__v1__vertex_id__init(id);
    if (a->vertex_is_num) {
        id->kind_case = HGC__V1__VERTEX_ID__KIND_NUM;
        id->num = a->vertex_num;
    } else {
        id->kind_case = HGC__V1__VERTEX_ID__KIND_STR;
        id->str = (char *)a->vertex_id;
    }
}

/* report() for a call about vertex ID: a vertex not found also says how
 * the ID was looked up (an all-digit ID is the number unless
 * --string-id), since a graph may hold the string "42" and not 42. */
static int report_vertex(const hgc_client *c, const hgc_status *st, const hgc_cli_args *a)
{
    int rc = report(c, st);
    if (st->code == GRPC_STATUS_NOT_FOUND && strstr(st->message, "vertex") != NULL) {
        if (a->vertex_is_num)
            fprintf(stderr, "hgc: (looked up as the number %s; for a string id add --string-id)\n",
                    a->vertex_id);
        else if (a->vertex_id[0] != '\0' &&
                 strspn(a->vertex_id, "0123456789") == strlen(a->vertex_id))
            fprintf(stderr,
                    "hgc: (looked up as the string \"%s\"; without --string-id it is a number)\n",
                    a->vertex_id);
    }
    return rc;
}

static int cmp_vertex_prop(const void *x, const void *y)
{
    const Hgc__V1__Vertex__PropertiesEntry *const *p = x, *const *q = y;

    return strcmp((*p)->key, (*q)->key);
}

static int cmd_graph_vertex(const hgc_cli_args *a, hgc_client *c)
{
    Hgc__V1__Vertex *v = NULL;
    Hgc__V1__VertexId id;
    hgc_status st;

    vertex_id_of(&id, a);
    if (hgc_client_graph_vertex(&v, c, a->graph, &id, &st) != GRPC_STATUS_OK)
        return report_vertex(c, &st, a);
    if (a->json) {
        hgc_cli_json_print(stdout, hgc_cli_json_message(&v->base));
    } else {
        /* the reply is ours: sort its entries in place, by key */
        if (v->n_properties > 1)
            qsort(v->properties, v->n_properties, sizeof(*v->properties), cmp_vertex_prop);
        fputs("id: ", stdout);
        hgc_cli_print_vertex(stdout, v->id);
        fputs("\nlabel: ", stdout);
        hgc_cli_print_escaped(stdout, v->label);
        fputc('\n', stdout);
        for (size_t i = 0; i < v->n_properties; i++) {
            hgc_cli_print_escaped(stdout, v->properties[i]->key);
            fputs(": ", stdout);
            hgc_cli_print_value(stdout, v->properties[i]->value);
            fputc('\n', stdout);
        }
    }
    hgc_client_reply_free(v);
    return HGC_EXIT_OK;
}

/* A table cell of text escaped (is_id 0) or of a vertex id (is_id 1), as
 * hgc_cli_print_escaped and hgc_cli_print_vertex write them, so that a
 * row stays one line; NULL when out of memory. Free it. */
static char *escaped_cell(const char *text, const Hgc__V1__VertexId *id, int is_id)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    if (f == NULL)
        return NULL;
    if (is_id)
        hgc_cli_print_vertex(f, id);
    else
        hgc_cli_print_escaped(f, text);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* An edge's properties as compact JSON with sorted keys, as the
 * converter writes them; NULL when out of memory. Free it. */
static char *edge_props_cell(const Hgc__V1__GraphEdge *e)
{
    json_t *j = hgc_cli_json_message(&e->base);
    json_t *props = j != NULL ? json_object_get(j, "properties") : NULL;
    char *text = NULL;

    if (props != NULL)
        text = json_dumps(props, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    else if (j != NULL)
        text = strdup("{}");
    json_decref(j);
    return text;
}

static int cmd_graph_edges(const hgc_cli_args *a, hgc_client *c)
{
    static const char *const head[] = {"ID", "LABEL", "OUT", "IN", "PROPERTIES"};
    Hgc__V1__ListEdgesResponse *r = NULL;
    Hgc__V1__VertexId id;
    hgc_cli_table *t = NULL;
    hgc_status st;
    int rc = HGC_EXIT_OK;

    vertex_id_of(&id, a);
    if (hgc_client_graph_edges(&r, c, a->graph, &id, a->direction, a->label, a->limit, &st) !=
        GRPC_STATUS_OK)
        return report_vertex(c, &st, a);
    if (a->json) {
        hgc_cli_json_print(stdout, hgc_cli_json_message(&r->base));
        goto done;
    }
    t = hgc_cli_table_new(5, head, NULL);
    for (size_t i = 0; t != NULL && i < r->n_edges; i++) {
        const Hgc__V1__GraphEdge *e = r->edges[i];
        char *eid = escaped_cell(e->id, NULL, 0), *label = escaped_cell(e->label, NULL, 0);
        char *out = escaped_cell(NULL, e->outv, 1), *in = escaped_cell(NULL, e->inv, 1);
        char *props = edge_props_cell(e);
        const char *row[] = {eid, label, out, in, props};
        int failed = eid == NULL || label == NULL || out == NULL || in == NULL || props == NULL ||
                     hgc_cli_table_add(t, row) != 0;

        free(eid);
        free(label);
        free(out);
        free(in);
        free(props);
        if (failed) {
            hgc_cli_table_free(t);
            t = NULL;
        }
    }
    if (t != NULL) {
        hgc_cli_table_print(t, stdout);
    } else {
        fprintf(stderr, "hgc: out of memory\n");
        rc = HGC_EXIT_REFUSED;
    }
done:
    hgc_cli_table_free(t);
    hgc_client_reply_free(r);
    return rc;
}

/* ---- jobs ------------------------------------------------------------ */

/* Follows a task to its end; the exit code tells how it ended. */
static int follow(const hgc_cli_args *a, hgc_client *c, int64_t task_id)
{
    hgc_cli_watch w;
    hgc_status st;
    int rc;

    hgc_cli_watch_init(&w, stdout, isatty(fileno(stdout)), a->json);
    hgc_client_job_watch(c, a->graph, task_id, hgc_cli_watch_snapshot, &w, &st);
    rc = hgc_cli_watch_finish(&w);
    if (st.code != GRPC_STATUS_OK) {
        rc = report(c, &st);
    } else if (rc < 0) {
        fprintf(stderr, "hgc: the server at %s ended the watch of task %lld before it finished\n",
                hgc_client_target(c), (long long)task_id);
        rc = HGC_EXIT_UNREACHABLE;
    }
    hgc_cli_watch_release(&w);
    return rc;
}

static int cmd_job_submit(const hgc_cli_args *a, hgc_client *c)
{
    Hgc__V1__JobReply *r = NULL;
    hgc_status st;
    int64_t id;

    if (hgc_client_job_submit(&r, c, a->graph, a->algorithm, a->workers, a->params, a->n_params,
                              &st) != GRPC_STATUS_OK)
        return report(c, &st);
    id = r->task_id;
    if (a->json)
        hgc_cli_json_print(stdout, hgc_cli_json_message(&r->base));
    else
        printf("%lld\n", (long long)id);
    fflush(stdout);
    hgc_client_reply_free(r);
    return a->wait ? follow(a, c, id) : HGC_EXIT_OK;
}

static int cmd_job_list(const hgc_cli_args *a, hgc_client *c)
{
    static const char *const head[] = {"ID",      "NAME",    "STATUS", "PROGRESS",
                                       "RETRIES", "CREATED", "UPDATED"};
    Hgc__V1__ListJobsResponse *r = NULL;
    hgc_cli_table *t = NULL;
    hgc_status st;

    /* Always asked for as pages (no --page: the first), so that the
     * answer says whether more remain and where they start. */
    const char *page = a->page ? a->page : "";
    if (hgc_client_job_list(&r, c, a->graph, a->limit, a->status, page, &st) != GRPC_STATUS_OK)
        return report(c, &st);
    if (a->json) {
        hgc_cli_json_print(stdout, hgc_cli_json_message(&r->base));
        goto done;
    }
    t = hgc_cli_table_new(7, head, "1001100");
    for (size_t i = 0; t != NULL && i < r->n_tasks; i++) {
        const Hgc__V1__TaskSummary *k = r->tasks[i];
        char id[24], progress[16], retries[16], created[HGC_CLI_TIME_MAX],
            updated[HGC_CLI_TIME_MAX];
        const char *row[] = {id, k->task_name, k->task_status, progress, retries, created, updated};

        snprintf(id, sizeof(id), "%lld", (long long)k->id);
        snprintf(progress, sizeof(progress), "%d%%", (int)k->task_progress);
        snprintf(retries, sizeof(retries), "%d", (int)k->task_retries);
        hgc_cli_format_time(created, k->task_create);
        hgc_cli_format_time(updated, k->task_update);
        if (hgc_cli_table_add(t, row) != 0)
            break;
    }
    if (t != NULL)
        hgc_cli_table_print(t, stdout);
    /* on stderr, so that stdout stays the table */
    if (r->page != NULL && r->page->kind_case == GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE)
        fprintf(stderr, "next page: %s\n", r->page->string_value);
done:
    hgc_cli_table_free(t);
    hgc_client_reply_free(r);
    return HGC_EXIT_OK;
}

static int cmd_job_show(const hgc_cli_args *a, hgc_client *c)
{
    Hgc__V1__Task *k = NULL;
    hgc_status st;
    char created[HGC_CLI_TIME_MAX], updated[HGC_CLI_TIME_MAX];

    if (hgc_client_job_get(&k, c, a->graph, a->task_id, &st) != GRPC_STATUS_OK)
        return report(c, &st);
    if (a->json) {
        hgc_cli_json_print(stdout, hgc_cli_json_message(&k->base));
    } else {
        hgc_cli_format_time(created, k->task_create);
        hgc_cli_format_time(updated, k->task_update);
        printf("id: %lld\n", (long long)k->id);
        printf("task_type: %s\n", k->task_type);
        printf("task_name: %s\n", k->task_name);
        printf("task_status: %s\n", k->task_status);
        printf("task_progress: %d\n", (int)k->task_progress);
        printf("task_create: %s\n", created);
        printf("task_update: %s\n", updated);
        printf("task_retries: %d\n", (int)k->task_retries);
        printf("task_server: %s\n", k->task_server);
        printf("task_input: %s\n", k->task_input);
        printf("task_result: %s\n", k->task_result);
    }
    hgc_client_reply_free(k);
    return HGC_EXIT_OK;
}

static int cmd_job_cancel(const hgc_cli_args *a, hgc_client *c)
{
    hgc_status st;

    if (hgc_client_job_cancel(c, a->graph, a->task_id, &st) != GRPC_STATUS_OK)
        return report(c, &st);
    if (a->json)
        puts("{}");
    else
        printf("cancel requested for task %lld\n", (long long)a->task_id);
    return HGC_EXIT_OK;
}

/* delete and update answer the same JobReply */
static int cmd_job_reply(const hgc_cli_args *a, hgc_client *c)
{
    Hgc__V1__JobReply *r = NULL;
    hgc_status st;
    int update = a->cmd == HGC_CLI_JOB_UPDATE;

    if ((update ? hgc_client_job_update(&r, c, a->graph, a->task_id, a->status, a->progress,
                                        a->message, &st)
                : hgc_client_job_delete(&r, c, a->graph, a->task_id, &st)) != GRPC_STATUS_OK)
        return report(c, &st);
    if (a->json)
        hgc_cli_json_print(stdout, hgc_cli_json_message(&r->base));
    else
        printf("%s task %lld\n", update ? "updated" : "deleted", (long long)r->task_id);
    hgc_client_reply_free(r);
    return HGC_EXIT_OK;
}

/* Rows go straight to stdout, or into one JSON array for --json. */
static int print_row(const Hgc__V1__ResultRow *row, void *user_data)
{
    json_t *rows = user_data;

    if (rows != NULL) {
        json_t *o = json_pack("{s:o, s:o}", "id", hgc_cli_json_vertex(row->id), "value",
                              hgc_cli_json_value(row->value));

        return json_array_append_new(rows, o) != 0;
    }
    hgc_cli_print_vertex(stdout, row->id);
    fputc('\t', stdout);
    hgc_cli_print_value(stdout, row->value);
    fputc('\n', stdout);
    return ferror(stdout) != 0;
}

static int cmd_job_result(const hgc_cli_args *a, hgc_client *c)
{
    hgc_client_result_info info;
    hgc_status st;
    json_t *rows = NULL;
    int rc = HGC_EXIT_OK;

    if (a->json && (rows = json_array()) == NULL) {
        fprintf(stderr, "hgc: out of memory\n");
        return HGC_EXIT_REFUSED;
    }
    if (hgc_client_job_result(&info, c, a->graph, a->task_id, a->limit, a->offset, a->order,
                              print_row, rows, &st) != GRPC_STATUS_OK) {
        rc = report(c, &st);
        goto done;
    }
    if (rows != NULL) {
        hgc_cli_json_print(stdout, json_pack("{s:I, s:s, s:s, s:I, s:O}", "task_id",
                                             (json_int_t)info.task_id, "algorithm", info.algorithm,
                                             "property", info.property, "total",
                                             (json_int_t)info.total, "rows", rows));
    }
done:
    json_decref(rows);
    return rc;
}

int hgc_cli_run(const hgc_cli_args *a)
{
    hgc_client *c = NULL;
    char msg[HGC_MSG_MAX] = "";
    int rc;

    if (hgc_client_new(&c, a->server, msg) != 0) {
        fprintf(stderr, "hgc: %s\n", msg);
        return HGC_EXIT_UNREACHABLE;
    }
    hgc_client_set_timeout(c, a->timeout_ms);
    switch (a->cmd) {
    case HGC_CLI_GRAPH_LOAD: rc = cmd_graph_load(a, c); break;
    case HGC_CLI_GRAPH_LIST: rc = cmd_graph_list(a, c); break;
    case HGC_CLI_GRAPH_SHOW: rc = cmd_graph_show(a, c, 0); break;
    case HGC_CLI_GRAPH_CREATE: rc = cmd_graph_show(a, c, 1); break;
    case HGC_CLI_GRAPH_DROP: rc = cmd_graph_drop(a, c); break;
    case HGC_CLI_GRAPH_VERTEX: rc = cmd_graph_vertex(a, c); break;
    case HGC_CLI_GRAPH_EDGES: rc = cmd_graph_edges(a, c); break;
    case HGC_CLI_JOB_SUBMIT: rc = cmd_job_submit(a, c); break;
    case HGC_CLI_JOB_LIST: rc = cmd_job_list(a, c); break;
    case HGC_CLI_JOB_SHOW: rc = cmd_job_show(a, c); break;
    case HGC_CLI_JOB_CANCEL: rc = cmd_job_cancel(a, c); break;
    case HGC_CLI_JOB_DELETE:
    case HGC_CLI_JOB_UPDATE: rc = cmd_job_reply(a, c); break;
    case HGC_CLI_JOB_RESULT: rc = cmd_job_result(a, c); break;
    case HGC_CLI_JOB_WATCH: rc = follow(a, c, a->task_id); break;
    default:
        hgc_cli_usage(stderr, a->topic);
        rc = HGC_EXIT_USAGE;
        break;
    }
    hgc_client_free(c);
    return rc;
}

int hgc_cli_main(int argc, char **argv)
{
    hgc_cli_args a;
    char msg[HGC_CLI_MSG_MAX];
    int rc;

    if (hgc_cli_args_parse(&a, argc, argv, msg) != 0) {
        fprintf(stderr, "hgc: %s\n\n", msg);
        hgc_cli_usage(stderr, a.topic);
        return HGC_EXIT_USAGE;
    }
    if (a.cmd == HGC_CLI_HELP) {
        hgc_cli_usage(stdout, a.topic);
        rc = HGC_EXIT_OK;
    } else {
        rc = hgc_cli_run(&a);
    }
    hgc_cli_args_release(&a);
    return rc;
}
