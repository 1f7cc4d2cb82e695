/* cli_args.c: the parser of hgc's command line.
 *
 * Shape: `hgc [global options] GROUP COMMAND ARGS... [options]`, options
 * anywhere after the program name, as `--name VALUE` or `--name=VALUE`;
 * `--` ends options (for a file named "-x"); "-" alone is an argument
 * (stdin), and so is a negative number ("-5", a vertex ID). Every option
 * is known to every command, so the scan can tell an option's value from
 * an argument before it knows the command; which options a command
 * accepts is checked afterwards, against one table.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/addr.h"
#include "cli_args.h"

enum flag_id {
    F_SERVER,
    F_JSON,
    F_TIMEOUT,
    F_WORKERS,
    F_OPT,
    F_WAIT,
    F_LIMIT,
    F_OFFSET,
    F_ORDER,
    F_STATUS,
    F_PAGE,
    F_PROGRESS,
    F_MESSAGE,
    F_FORMAT,
    F_STRING_ID,
    F_DIRECTION,
    F_LABEL,
    F_COUNT
};

#define CMD_BIT(c) (1u << (c))
#define ALL_CMDS   (~0u)

static const struct flag_def {
    const char *name;
    int takes_value;
    unsigned cmds; /* the commands that accept it */
} flags[F_COUNT] = {
    [F_SERVER] = {"server", 1, ALL_CMDS},
    [F_JSON] = {"json", 0, ALL_CMDS},
    [F_TIMEOUT] = {"timeout", 1, ALL_CMDS},
    [F_WORKERS] = {"workers", 1, CMD_BIT(HGC_CLI_JOB_SUBMIT)},
    [F_OPT] = {"opt", 1, CMD_BIT(HGC_CLI_JOB_SUBMIT)},
    [F_WAIT] = {"wait", 0, CMD_BIT(HGC_CLI_JOB_SUBMIT)},
    [F_LIMIT] = {"limit", 1,
                 CMD_BIT(HGC_CLI_JOB_LIST) | CMD_BIT(HGC_CLI_JOB_RESULT) |
                     CMD_BIT(HGC_CLI_GRAPH_EDGES)},
    [F_OFFSET] = {"offset", 1, CMD_BIT(HGC_CLI_JOB_RESULT)},
    [F_ORDER] = {"order", 1, CMD_BIT(HGC_CLI_JOB_RESULT)},
    [F_STATUS] = {"status", 1, CMD_BIT(HGC_CLI_JOB_LIST)},
    [F_PAGE] = {"page", 1, CMD_BIT(HGC_CLI_JOB_LIST)},
    [F_PROGRESS] = {"progress", 1, CMD_BIT(HGC_CLI_JOB_UPDATE)},
    [F_MESSAGE] = {"message", 1, CMD_BIT(HGC_CLI_JOB_UPDATE)},
    [F_FORMAT] = {"format", 1, CMD_BIT(HGC_CLI_GRAPH_LOAD)},
    [F_STRING_ID] = {"string-id", 0, CMD_BIT(HGC_CLI_GRAPH_VERTEX) | CMD_BIT(HGC_CLI_GRAPH_EDGES)},
    [F_DIRECTION] = {"direction", 1, CMD_BIT(HGC_CLI_GRAPH_EDGES)},
    [F_LABEL] = {"label", 1, CMD_BIT(HGC_CLI_GRAPH_EDGES)},
};

/* Positional arguments after GROUP COMMAND, by name for messages. */
static const struct cmd_def {
    const char *group;
    const char *name;
    hgc_cli_cmd cmd;
    const char *args[3];
} cmds[] = {
    {"graph", "load", HGC_CLI_GRAPH_LOAD, {"NAME", "FILE"}},
    {"graph", "list", HGC_CLI_GRAPH_LIST, {NULL}},
    {"graph", "show", HGC_CLI_GRAPH_SHOW, {"NAME"}},
    {"graph", "drop", HGC_CLI_GRAPH_DROP, {"NAME"}},
    {"graph", "create", HGC_CLI_GRAPH_CREATE, {"NAME"}},
    {"graph", "vertex", HGC_CLI_GRAPH_VERTEX, {"NAME", "ID"}},
    {"graph", "edges", HGC_CLI_GRAPH_EDGES, {"NAME", "ID"}},
    {"job", "submit", HGC_CLI_JOB_SUBMIT, {"GRAPH", "ALGO"}},
    {"job", "list", HGC_CLI_JOB_LIST, {"GRAPH"}},
    {"job", "show", HGC_CLI_JOB_SHOW, {"GRAPH", "ID"}},
    {"job", "cancel", HGC_CLI_JOB_CANCEL, {"GRAPH", "ID"}},
    {"job", "delete", HGC_CLI_JOB_DELETE, {"GRAPH", "ID"}},
    {"job", "result", HGC_CLI_JOB_RESULT, {"GRAPH", "ID"}},
    {"job", "watch", HGC_CLI_JOB_WATCH, {"GRAPH", "ID"}},
    {"job", "update", HGC_CLI_JOB_UPDATE, {"GRAPH", "ID", "STATUS"}},
};

static int fail(char msg[HGC_CLI_MSG_MAX], const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(char msg[HGC_CLI_MSG_MAX], const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, HGC_CLI_MSG_MAX, fmt, ap);
    va_end(ap);
    return -1;
}

int hgc_cli_parse_int(int64_t *out, const char *s, int64_t min, int64_t max)
{
    char *end = NULL;
    long long v;

    /* strtoll would skip leading blanks and accept "12abc" up to the 'a' */
    if (s == NULL || s[0] == '\0' || isspace((unsigned char)s[0]))
        return -1;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int hgc_cli_split_opt(hgc_client_param *out, const char *arg, char msg[HGC_CLI_MSG_MAX])
{
    const char *eq = strchr(arg, '=');
    char *key = NULL;

    if (eq == NULL)
        return fail(msg, "--opt wants key=value, got '%s'", arg);
    if (eq == arg)
        return fail(msg, "--opt '%s' has an empty key", arg);
    key = strndup(arg, (size_t)(eq - arg));
    if (key == NULL)
        return fail(msg, "out of memory");
    out->key = key;
    out->value = eq + 1;
    return 0;
}

void hgc_cli_args_release(hgc_cli_args *a)
{
    if (a == NULL)
        return;
    for (size_t i = 0; i < a->n_params; i++)
        free((char *)a->params[i].key);
    free(a->params);
    a->params = NULL;
    a->n_params = 0;
}

/* Adds one --opt; a key given twice keeps its last value, as a map would. */
static int add_opt(hgc_cli_args *a, size_t cap, const char *arg, char msg[HGC_CLI_MSG_MAX])
{
    hgc_client_param p;

    if (hgc_cli_split_opt(&p, arg, msg) != 0)
        return -1;
    for (size_t i = 0; i < a->n_params; i++) {
        if (strcmp(a->params[i].key, p.key) == 0) {
            free((char *)p.key);
            a->params[i].value = p.value;
            return 0;
        }
    }
    if (a->params == NULL) {
        a->params = calloc(cap, sizeof(*a->params));
        if (a->params == NULL) {
            free((char *)p.key);
            return fail(msg, "out of memory");
        }
    }
    a->params[a->n_params++] = p;
    return 0;
}

static int find_flag(const char *name, size_t len)
{
    for (int i = 0; i < F_COUNT; i++)
        if (strlen(flags[i].name) == len && strncmp(flags[i].name, name, len) == 0)
            return i;
    return -1;
}

static hgc_cli_topic topic_of(const char *group)
{
    if (group != NULL && strcmp(group, "graph") == 0)
        return HGC_CLI_TOPIC_GRAPH;
    if (group != NULL && strcmp(group, "job") == 0)
        return HGC_CLI_TOPIC_JOB;
    return HGC_CLI_TOPIC_ALL;
}

/* Turns the option values into fields, each checked against its range. */
static int convert_flags(hgc_cli_args *a, const char *const val[F_COUNT], char msg[HGC_CLI_MSG_MAX])
{
    int64_t v;

    if (val[F_TIMEOUT] != NULL) {
        char *end = NULL;
        double sec;

        errno = 0;
        sec = strtod(val[F_TIMEOUT], &end);
        if (val[F_TIMEOUT][0] == '\0' || isspace((unsigned char)val[F_TIMEOUT][0]) || errno != 0 ||
            *end != '\0' || !isfinite(sec) || sec < 0 || sec > 86400.0)
            return fail(msg, "--timeout wants seconds from 0 (none) to 86400, got '%s'",
                        val[F_TIMEOUT]);
        a->timeout_ms = (int)(sec * 1000.0 + 0.5);
        if (sec > 0 && a->timeout_ms == 0)
            a->timeout_ms = 1;
    }
    if (val[F_WORKERS] != NULL) {
        if (hgc_cli_parse_int(&v, val[F_WORKERS], 1, INT_MAX) != 0)
            return fail(msg, "--workers wants a whole number >= 1, got '%s'", val[F_WORKERS]);
        a->workers = (int)v;
    }
    if (val[F_LIMIT] != NULL) {
        if (hgc_cli_parse_int(&a->limit, val[F_LIMIT], -1, INT64_MAX) != 0)
            return fail(msg, "--limit wants a whole number >= -1 (-1: all), got '%s'",
                        val[F_LIMIT]);
    }
    if (val[F_OFFSET] != NULL) {
        if (hgc_cli_parse_int(&a->offset, val[F_OFFSET], 0, INT64_MAX) != 0)
            return fail(msg, "--offset wants a whole number >= 0, got '%s'", val[F_OFFSET]);
    }
    if (val[F_ORDER] != NULL) {
        if (strcasecmp(val[F_ORDER], "asc") == 0)
            a->order = "asc";
        else if (strcasecmp(val[F_ORDER], "desc") == 0)
            a->order = "desc";
        else
            return fail(msg, "--order wants asc or desc, got '%s'", val[F_ORDER]);
    }
    if (val[F_FORMAT] != NULL) {
        if (strcmp(val[F_FORMAT], "edges") != 0 && strcmp(val[F_FORMAT], "jsonl") != 0 &&
            strcmp(val[F_FORMAT], "graphalytics") != 0)
            return fail(msg, "--format wants edges, jsonl or graphalytics, got '%s'",
                        val[F_FORMAT]);
        a->format = val[F_FORMAT];
    }
    if (val[F_PROGRESS] != NULL) {
        if (hgc_cli_parse_int(&v, val[F_PROGRESS], 0, 100) != 0)
            return fail(msg, "--progress wants a whole number from 0 to 100, got '%s'",
                        val[F_PROGRESS]);
        a->progress = (int)v;
    }
    if (val[F_SERVER] != NULL) {
        if (hgc_addr_check_grpc(val[F_SERVER]) < 0)
            return fail(msg,
                        "--server wants HOST:PORT (a port from 0 to 65535) or unix:PATH, got "
                        "'%.200s'",
                        val[F_SERVER]);
        a->server = val[F_SERVER];
    }
    if (val[F_DIRECTION] != NULL) {
        if (strcasecmp(val[F_DIRECTION], "out") == 0)
            a->direction = "OUT";
        else if (strcasecmp(val[F_DIRECTION], "in") == 0)
            a->direction = "IN";
        else if (strcasecmp(val[F_DIRECTION], "both") == 0)
            a->direction = "BOTH";
        else
            return fail(msg, "--direction wants out, in or both, got '%s'", val[F_DIRECTION]);
    }
    if (val[F_STATUS] != NULL)
        a->status = val[F_STATUS];
    a->label = val[F_LABEL];
    a->page = val[F_PAGE];
    a->message = val[F_MESSAGE];
    return 0;
}

/* "-" then digits, or digits: a negative number, not an option. */
static int is_negative_number(const char *s)
{
    if (s[0] != '-' || s[1] == '\0')
        return 0;
    for (s++; *s != '\0'; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

/* A vertex ID is a number when it is all digits, optionally after a '-',
 * and fits int64 ("+1", " 1", "1e3" and "99999999999999999999" are
 * strings); --string-id makes every ID a string. */
static void classify_vertex_id(hgc_cli_args *a, int string_id)
{
    const char *s = a->vertex_id;
    const char *digits = s[0] == '-' ? s + 1 : s;

    a->vertex_is_num = 0;
    a->vertex_num = 0;
    if (string_id || digits[0] == '\0')
        return;
    for (const char *p = digits; *p != '\0'; p++)
        if (!isdigit((unsigned char)*p))
            return;
    if (hgc_cli_parse_int(&a->vertex_num, s, INT64_MIN, INT64_MAX) == 0)
        a->vertex_is_num = 1;
}

/* Fills the positionals of command `d` from pos[0..n-1]. */
static int take_positionals(hgc_cli_args *a, const struct cmd_def *d, char **pos, int n,
                            char msg[HGC_CLI_MSG_MAX])
{
    int want = 0;

    while (want < 3 && d->args[want] != NULL)
        want++;
    if (n < want)
        return fail(msg, "'%s %s' is missing %s", d->group, d->name, d->args[n]);
    if (n > want)
        return fail(msg, "'%s %s' takes %d argument%s; unexpected '%s'", d->group, d->name, want,
                    want == 1 ? "" : "s", pos[want]);
    for (int i = 0; i < n; i++) {
        const char *name = d->args[i];

        if (strcmp(name, "NAME") == 0 || strcmp(name, "GRAPH") == 0) {
            a->graph = pos[i];
        } else if (strcmp(name, "FILE") == 0) {
            a->file = pos[i];
        } else if (strcmp(name, "ALGO") == 0) {
            a->algorithm = pos[i];
        } else if (strcmp(name, "STATUS") == 0) {
            a->status = pos[i];
        } else if (strcmp(name, "ID") == 0 &&
                   (d->cmd == HGC_CLI_GRAPH_VERTEX || d->cmd == HGC_CLI_GRAPH_EDGES)) {
            if (pos[i][0] == '\0')
                return fail(msg, "vertex ID is empty");
            a->vertex_id = pos[i];
        } else if (strcmp(name, "ID") == 0) {
            if (hgc_cli_parse_int(&a->task_id, pos[i], 1, INT64_MAX) != 0)
                return fail(msg, "task ID wants a whole number >= 1, got '%s'", pos[i]);
        }
    }
    return 0;
}

int hgc_cli_args_parse(hgc_cli_args *out, int argc, char **argv, char msg[HGC_CLI_MSG_MAX])
{
    hgc_cli_args a = {0};
    const char *val[F_COUNT] = {0};
    int seen[F_COUNT] = {0};
    char **pos = NULL;
    int n_pos = 0, help = 0, rc = -1, only_positionals = 0;
    const struct cmd_def *d = NULL;

    a.timeout_ms = HGC_CLIENT_DEFAULT_TIMEOUT_MS;
    a.progress = -1;
    msg[0] = '\0';
    pos = calloc(argc > 0 ? (size_t)argc : 1, sizeof(*pos));
    if (pos == NULL) {
        fail(msg, "out of memory");
        goto done;
    }
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *name, *eq;
        int f;

        if (only_positionals || arg[0] != '-' || strcmp(arg, "-") == 0 || is_negative_number(arg)) {
            pos[n_pos++] = argv[i];
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_positionals = 1;
            continue;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            help = 1;
            continue;
        }
        if (arg[1] != '-') {
            fail(msg, "unknown option '%s'", arg);
            goto done;
        }
        name = arg + 2;
        eq = strchr(name, '=');
        f = find_flag(name, eq != NULL ? (size_t)(eq - name) : strlen(name));
        if (f < 0) {
            fail(msg, "unknown option '--%.*s'", eq != NULL ? (int)(eq - name) : (int)strlen(name),
                 name);
            goto done;
        }
        if (!flags[f].takes_value) {
            if (eq != NULL) {
                fail(msg, "option --%s takes no value", flags[f].name);
                goto done;
            }
            seen[f] = 1;
            continue;
        }
        if (eq == NULL && i + 1 >= argc) {
            fail(msg, "option --%s needs a value", flags[f].name);
            goto done;
        }
        val[f] = eq != NULL ? eq + 1 : argv[++i];
        seen[f] = 1;
        if (f == F_OPT && add_opt(&a, (size_t)argc, val[f], msg) != 0)
            goto done;
    }

    if (n_pos > 0 && strcmp(pos[0], "help") == 0) {
        help = 1;
        const char *on = n_pos > 1 ? pos[1] : NULL;
        a.topic = topic_of(on);
        if (on != NULL && a.topic == HGC_CLI_TOPIC_ALL) {
            fail(msg, "no help on '%s'; try 'hgc help graph' or 'hgc help job'", on);
            goto done;
        }
    } else {
        a.topic = topic_of(n_pos > 0 ? pos[0] : NULL);
    }
    if (help) {
        a.cmd = HGC_CLI_HELP;
        rc = 0;
        goto done;
    }
    if (n_pos == 0) {
        fail(msg, "no command given");
        goto done;
    }
    if (a.topic == HGC_CLI_TOPIC_ALL) {
        fail(msg, "unknown command '%s'", pos[0]);
        goto done;
    }
    if (n_pos == 1) {
        fail(msg, "'%s' needs a command", pos[0]);
        goto done;
    }
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]) && d == NULL; i++)
        if (strcmp(cmds[i].group, pos[0]) == 0 && strcmp(cmds[i].name, pos[1]) == 0)
            d = &cmds[i];
    if (d == NULL) {
        fail(msg, "unknown command '%s %s'", pos[0], pos[1]);
        goto done;
    }
    a.cmd = d->cmd;
    for (int f = 0; f < F_COUNT; f++) {
        if (seen[f] && !(flags[f].cmds & CMD_BIT(d->cmd))) {
            fail(msg, "option --%s does not apply to '%s %s'", flags[f].name, d->group, d->name);
            goto done;
        }
    }
    a.json = seen[F_JSON];
    a.wait = seen[F_WAIT];
    if (take_positionals(&a, d, pos + 2, n_pos - 2, msg) != 0)
        goto done;
    if (a.vertex_id != NULL)
        classify_vertex_id(&a, seen[F_STRING_ID]);
    if (convert_flags(&a, val, msg) != 0)
        goto done;
    rc = 0;
done:
    if (rc != 0 && a.topic == HGC_CLI_TOPIC_ALL && n_pos > 0)
        a.topic = topic_of(pos[0]); /* a scan error: usage of the group seen so far */
    free(pos);
    if (rc != 0) {
        hgc_cli_topic topic = a.topic;

        hgc_cli_args_release(&a);
        memset(out, 0, sizeof(*out));
        out->topic = topic;
        out->progress = -1;
    } else {
        *out = a;
    }
    return rc;
}
