/* load_text.c: the text streams of a bulk load (load_text.h): one parser
 * at a time, by format, all adding to the load's builder. */
#include "load_text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edge_parse.h"
#include "record_parse.h"
#include "records.h"

/* The .properties text is small; anything bigger is not one. */
#define PROPS_TEXT_MAX (1 << 20)

typedef enum load_format {
    FMT_NONE = 0,
    FMT_EDGES,
    FMT_JSONL,
    FMT_GA_PROPS,
    FMT_GA_V,
    FMT_GA_E,
} load_format;

static const char *const format_names[] = {
    [FMT_NONE] = "",
    [FMT_EDGES] = "edges",
    [FMT_JSONL] = "jsonl",
    [FMT_GA_PROPS] = "graphalytics.properties",
    [FMT_GA_V] = "graphalytics.v",
    [FMT_GA_E] = "graphalytics.e",
};

struct svc_text_load {
    algo_graph_builder *builder;
    algo_record_sink sink; /* into the builder, counting (and doubling) edges */
    load_format format;    /* of the text stream in progress */
    algo_edge_parser *edges;
    algo_jsonl_parser *jsonl;
    algo_graphalytics_parser *ga;
    char *props_text; /* graphalytics.properties, gathered */
    size_t props_len;
    int have_props;
    algo_graphalytics_props props;
    int both_ways;        /* undirected Graphalytics edges */
    int64_t edges_added;  /* by the record parsers */
    int64_t edges_parsed; /* by edge parsers already finished */
};

static int vid_equal(const algo_vid *a, const algo_vid *b)
{
    if (a->is_str != b->is_str)
        return 0;
    if (!a->is_str)
        return a->num == b->num;
    return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
}

static int sink_vertex(void *ud, const algo_vertex_rec *v, char msg[ALGO_MSG_MAX])
{
    svc_text_load *l = ud;
    return algo_graph_builder_add_vertex_rec(l->builder, v, NULL, msg);
}

static int sink_edge(void *ud, const algo_edge_rec *e, char msg[ALGO_MSG_MAX])
{
    svc_text_load *l = ud;
    if (algo_graph_builder_add_edge_rec(l->builder, e, msg) < 0)
        return -1;
    l->edges_added++;
    /* An undirected Graphalytics edge is one edge each way, as the
     * Graphalytics reference loads it; a self-loop stays one loop. */
    if (l->both_ways && !vid_equal(&e->src, &e->dst)) {
        algo_edge_rec r = *e;
        r.src = e->dst;
        r.dst = e->src;
        r.src_label = e->dst_label;
        r.dst_label = e->src_label;
        if (algo_graph_builder_add_edge_rec(l->builder, &r, msg) < 0)
            return -1;
        l->edges_added++;
    }
    return 0;
}

static int parse_format(const char *format)
{
    if (format == NULL || format[0] == '\0')
        return FMT_EDGES;
    for (int f = FMT_EDGES; f <= FMT_GA_E; f++)
        if (strcmp(format, format_names[f]) == 0)
            return f;
    return -1;
}

int svc_text_format_known(const char *format)
{
    return parse_format(format) >= 0;
}

/* Ends the text stream in progress: its last line without a newline is
 * parsed, its parser freed. */
static int finish_format(svc_text_load *l, char msg[SVC_MSG_MAX])
{
    char amsg[ALGO_MSG_MAX] = "";
    int rc = 0;
    const char *what = format_names[l->format];
    switch (l->format) {
    case FMT_NONE: break;
    case FMT_EDGES:
        rc = algo_edge_parser_finish(l->edges, amsg);
        l->edges_parsed += (int64_t)algo_edge_parser_edges(l->edges);
        algo_edge_parser_free(l->edges);
        l->edges = NULL;
        break;
    case FMT_JSONL:
        rc = algo_jsonl_parser_finish(l->jsonl, amsg);
        algo_jsonl_parser_free(l->jsonl);
        l->jsonl = NULL;
        break;
    case FMT_GA_PROPS:
        rc = algo_graphalytics_props_parse(&l->props, l->props_text ? l->props_text : "",
                                           l->props_len, amsg);
        l->have_props = rc == 0;
        free(l->props_text);
        l->props_text = NULL;
        l->props_len = 0;
        break;
    case FMT_GA_V:
    case FMT_GA_E:
        rc = algo_graphalytics_parser_finish(l->ga, amsg);
        algo_graphalytics_parser_free(l->ga);
        l->ga = NULL;
        l->both_ways = 0;
        break;
    }
    l->format = FMT_NONE;
    if (rc < 0) {
        snprintf(msg, SVC_MSG_MAX, "%s: %s", what, amsg);
        return -EINVAL;
    }
    return 0;
}

static int start_format(svc_text_load *l, load_format f, char msg[SVC_MSG_MAX])
{
    int rc = 0;
    switch (f) {
    case FMT_NONE:
    case FMT_GA_PROPS: break;
    case FMT_EDGES: rc = algo_edge_parser_new(&l->edges, l->builder); break;
    case FMT_JSONL: rc = algo_jsonl_parser_new(&l->jsonl, &l->sink); break;
    case FMT_GA_V:
    case FMT_GA_E:
        if (!l->have_props) {
            snprintf(msg, SVC_MSG_MAX,
                     "%s text came before the graphalytics.properties text; send the "
                     ".properties file first (it says whether the graph is directed and what "
                     "its weights are)",
                     format_names[f]);
            return -EINVAL;
        }
        rc = algo_graphalytics_parser_new(&l->ga, f == FMT_GA_V ? 'v' : 'e', &l->props, &l->sink);
        l->both_ways = f == FMT_GA_E && !l->props.directed;
        break;
    }
    if (rc < 0) {
        snprintf(msg, SVC_MSG_MAX, "out of memory starting a %s parser", format_names[f]);
        return -ENOMEM;
    }
    l->format = f;
    return 0;
}

int svc_text_load_feed(svc_text_load *l, const char *format, const void *data, size_t len,
                       char msg[SVC_MSG_MAX])
{
    char amsg[ALGO_MSG_MAX] = "";
    /* "" goes on with the stream in progress (callers name the format
     * once, as they name the graph); it starts an edge list otherwise. */
    int f = (format == NULL || format[0] == '\0') && l->format != FMT_NONE ? (int)l->format
                                                                           : parse_format(format);
    int rc;
    if (f < 0) {
        snprintf(msg, SVC_MSG_MAX,
                 "format '%.64s' is not known; use \"edges\", \"jsonl\", "
                 "\"graphalytics.properties\", \"graphalytics.v\" or \"graphalytics.e\"",
                 format);
        return -EINVAL;
    }
    if ((load_format)f != l->format) {
        if ((rc = finish_format(l, msg)) < 0 || (rc = start_format(l, f, msg)) < 0)
            return rc;
    }
    switch (l->format) {
    case FMT_EDGES: rc = algo_edge_parser_feed(l->edges, data, len, amsg); break;
    case FMT_JSONL: rc = algo_jsonl_parser_feed(l->jsonl, data, len, amsg); break;
    case FMT_GA_V:
    case FMT_GA_E: rc = algo_graphalytics_parser_feed(l->ga, data, len, amsg); break;
    case FMT_GA_PROPS: {
        if (l->props_len + len > PROPS_TEXT_MAX) {
            snprintf(msg, SVC_MSG_MAX, "graphalytics.properties text is over %d bytes",
                     PROPS_TEXT_MAX);
            return -EINVAL;
        }
        char *grown = realloc(l->props_text, l->props_len + len + 1);
        if (grown == NULL)
            return -ENOMEM;
        memcpy(grown + l->props_len, data, len);
        l->props_text = grown;
        l->props_len += len;
        grown[l->props_len] = '\0';
        return 0;
    }
    default: rc = 0;
    }
    if (rc < 0) {
        /* Name the stream when it is not the plain edge list callers
         * have always sent. */
        if (l->format == FMT_EDGES)
            snprintf(msg, SVC_MSG_MAX, "%s", amsg);
        else
            snprintf(msg, SVC_MSG_MAX, "%s: %s", format_names[l->format], amsg);
        return -EINVAL;
    }
    return 0;
}

int svc_text_load_new(svc_text_load **out, algo_graph_builder *b)
{
    svc_text_load *l = calloc(1, sizeof *l);
    if (l == NULL)
        return -ENOMEM;
    l->builder = b;
    l->sink = (algo_record_sink){.vertex = sink_vertex, .edge = sink_edge, .ud = l};
    *out = l;
    return 0;
}

int svc_text_load_finish(svc_text_load *l, char msg[SVC_MSG_MAX])
{
    return finish_format(l, msg);
}

int64_t svc_text_load_edges(const svc_text_load *l)
{
    return l->edges_parsed + l->edges_added;
}

void svc_text_load_free(svc_text_load *l)
{
    if (l == NULL)
        return;
    algo_edge_parser_free(l->edges);
    algo_jsonl_parser_free(l->jsonl);
    algo_graphalytics_parser_free(l->ga);
    free(l->props_text);
    free(l);
}
