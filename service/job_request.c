/* job_request.c: checking a create request against the catalog. */
#include "job_request.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "id_text.h"
#include "snap_cache.h"

static const char class_hint[] =
    "com.baidu.hugegraph.computer.algorithm.centrality.pagerank.PageRankParams";

/* Resolves one name; agrees with *spec if already set. */
static int resolve(const algo_spec **spec, const char *name, const char *where,
                   char msg[SVC_MSG_MAX])
{
    const algo_spec *found = algo_catalog_find(name);
    if (found == NULL) {
        snprintf(msg, SVC_MSG_MAX, "The algorithm '%.80s' (%s) is not supported; supported: %s",
                 name, where, algo_catalog_names());
        return -EINVAL;
    }
    if (*spec && *spec != found) {
        snprintf(msg, SVC_MSG_MAX,
                 "%s names the algorithm '%s' but the request already names '%s'; name one "
                 "algorithm",
                 where, found->name, (*spec)->name);
        return -EINVAL;
    }
    *spec = found;
    return 0;
}

/* internal_algorithm: "[pagerank]", "pagerank", "[a, b]" or list items. */
static int resolve_internal(const algo_spec **spec, char *const *items, size_t n,
                            char msg[SVC_MSG_MAX])
{
    for (size_t i = 0; i < n; i++) {
        char buf[256];
        size_t len = 0;
        for (const char *p = items[i]; *p && len < sizeof buf - 1; p++)
            if (*p != '[' && *p != ']' && *p != '"' && *p != '\'')
                buf[len++] = *p;
        buf[len] = '\0';
        char *save = NULL;
        for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            while (isspace((unsigned char)*tok))
                tok++;
            char *end = tok + strlen(tok);
            while (end > tok && isspace((unsigned char)end[-1]))
                *--end = '\0';
            if (*tok == '\0')
                continue;
            int rc = resolve(spec, tok, "internal_algorithm", msg);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

int svc_job_request_check(svc_task *t, const Hgc__V1__CreateJobRequest *req, int max_workers,
                          char msg[SVC_MSG_MAX])
{
    const algo_spec *spec = NULL;
    algo_params params = {0};
    const char **keys = NULL, **values = NULL;
    json_t *input = NULL;
    int rc = 0;

    if (req->algorithm && req->algorithm[0] &&
        (rc = resolve(&spec, req->algorithm, "algorithm", msg)) < 0)
        goto done;
    if ((rc = resolve_internal(&spec, req->internal_algorithm, req->n_internal_algorithm, msg)) < 0)
        goto done;
    if (req->params_class && req->params_class[0]) {
        const algo_spec *by_class = algo_catalog_find_class(req->params_class);
        if (by_class == NULL) {
            snprintf(msg, SVC_MSG_MAX,
                     "params_class '%.100s' is not the params class of a supported algorithm "
                     "(e.g. %s)",
                     req->params_class, class_hint);
            rc = -EINVAL;
            goto done;
        }
        if (spec && spec != by_class) {
            snprintf(msg, SVC_MSG_MAX,
                     "params_class '%.100s' belongs to '%s', but the request names '%s'",
                     req->params_class, by_class->name, spec->name);
            rc = -EINVAL;
            goto done;
        }
        spec = by_class;
    }
    if (spec == NULL) {
        snprintf(msg, SVC_MSG_MAX, "name the algorithm to run; supported: %s",
                 algo_catalog_names());
        rc = -EINVAL;
        goto done;
    }

    /* Both names carry presence: an explicit 0 (or "0", -0, 0.0) is a
     * value out of range, not "absent". */
    int has_wi = req->worker_instances_present_case ==
                 HGC__V1__CREATE_JOB_REQUEST__WORKER_INSTANCES_PRESENT_WORKER_INSTANCES;
    int has_w = req->worker_present_case == HGC__V1__CREATE_JOB_REQUEST__WORKER_PRESENT_WORKER;
    if (has_wi && has_w && req->worker != req->worker_instances) {
        snprintf(msg, SVC_MSG_MAX, "worker (%d) and worker_instances (%d) disagree; give one",
                 req->worker, req->worker_instances);
        rc = -EINVAL;
        goto done;
    }
    int workers = has_wi ? req->worker_instances : has_w ? req->worker : 1;
    if (workers < 1 || workers > max_workers) {
        snprintf(msg, SVC_MSG_MAX, "%s must be a whole number from 1 to %d, got %d",
                 has_wi ? "worker_instances" : "worker", max_workers, workers);
        rc = -EINVAL;
        goto done;
    }

    keys = calloc(req->n_params + 1, sizeof *keys);
    values = calloc(req->n_params + 1, sizeof *values);
    if (keys == NULL || values == NULL) {
        rc = -ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < req->n_params; i++) {
        keys[i] = req->params[i]->key ? req->params[i]->key : "";
        values[i] = req->params[i]->value ? req->params[i]->value : "";
    }
    char amsg[ALGO_MSG_MAX] = "";
    if (algo_params_check(&params, spec, keys, values, req->n_params, amsg) < 0) {
        snprintf(msg, SVC_MSG_MAX, "%s", amsg);
        rc = -EINVAL;
        goto done;
    }

    /* task_input: what was asked, normalised; the worker gets the given
     * options back from here, the rest are catalog defaults. */
    json_t *given = json_object();
    for (size_t i = 0; i < params.n; i++)
        if (params.items[i].given)
            json_object_set_new(given, params.items[i].opt->key,
                                json_string(params.items[i].value));
    input = json_pack("{s:s, s:i, s:o}", "algorithm", spec->name, "worker_instances", workers,
                      "params", given);
    char *text = input ? json_dumps(input, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    if (text == NULL) {
        rc = -ENOMEM;
        goto done;
    }
    snprintf(t->algorithm, sizeof t->algorithm, "%s", spec->name);
    snprintf(t->task_name, sizeof t->task_name, "computer-proxy:%s",
             req->algorithm && req->algorithm[0] ? req->algorithm : spec->name);
    t->input = text;
    t->workers = workers;
done:
    json_decref(input);
    algo_params_release(&params);
    free(keys);
    free(values);
    return rc;
}

int svc_job_request_check_vertices(svc_ctx *ctx, const svc_task *t, const char *graph,
                                   int64_t version, char msg[SVC_MSG_MAX])
{
    const algo_spec *spec = algo_catalog_find(t->algorithm);
    json_t *input = NULL;
    svc_snap *snap = NULL;
    int rc = 0;
    if (!spec || !t->input)
        return 0;
    for (size_t i = 0; i < spec->n_options && rc == 0; i++) {
        const algo_option *o = &spec->options[i];
        if (!(o->flags & ALGO_OPT_F_VERTEX))
            continue;
        if (!input && !(input = json_loads(t->input, 0, NULL))) {
            snprintf(msg, SVC_MSG_MAX, "cannot read the task's options");
            rc = -ENOMEM;
            break;
        }
        const char *id =
            json_string_value(json_object_get(json_object_get(input, "params"), o->key));
        if (!id)
            continue;
        if (!snap && (rc = svc_snap_get(ctx, graph, version, &snap, msg)) < 0)
            break;
        if (algo_idmap_find_text(&snap->s.g.ids, id) < 0) {
            snprintf(msg, SVC_MSG_MAX, "%s: vertex '%.100s' does not exist in graph '%s'", o->key,
                     id, graph);
            rc = -EINVAL;
        }
    }
    if (snap)
        svc_snap_put(ctx, snap);
    json_decref(input);
    return rc;
}
