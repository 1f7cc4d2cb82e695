/* upload_form.c: multipart/form-data parts -> upload formats (see
 * upload_form.h). */
#include "upload_form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "multipart.h"
#include "parse.h"

static const struct part_kind {
    const char *name, *suffix, *format;
} kinds[] = {
    {"properties", ".properties", "graphalytics.properties"},
    {"v", ".v", "graphalytics.v"},
    {"e", ".e", "graphalytics.e"},
};

struct rest_form {
    rest_multipart *mp;
    rest_upload *u;   /* during a feed */
    rest_answer *err; /* during a feed */
    int answered;     /* *err was set by the upload (the call ended) */
    char last;        /* the last byte of the part so far; '\n' if none */
};

int rest_form_is(const char *ct)
{
    return rest_media_is(ct, "multipart/form-data");
}

static const char *part_format(const char *name, const char *filename)
{
    size_t n = sizeof kinds / sizeof kinds[0];
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, kinds[i].name) == 0)
            return kinds[i].format;
    size_t fl = strlen(filename);
    for (size_t i = 0; i < n; i++) {
        size_t sl = strlen(kinds[i].suffix);
        if (fl > sl && strcmp(filename + fl - sl, kinds[i].suffix) == 0)
            return kinds[i].format;
    }
    return NULL;
}

static int on_begin(void *ud, const char *name, const char *filename, char msg[REST_MP_MSG_MAX])
{
    rest_form *f = ud;
    const char *format = part_format(name, filename);
    if (!format) {
        snprintf(msg, REST_MP_MSG_MAX,
                 "the form part '%.80s'%s%.80s%s is not one this endpoint takes: name the parts "
                 "properties, v and e (the Graphalytics .properties, .v and .e files), or send "
                 "files named *.properties, *.v, *.e",
                 name, filename[0] ? " (file '" : "", filename, filename[0] ? "')" : "");
        return -1;
    }
    f->last = '\n';
    if (rest_upload_set_format(f->u, format, f->err) < 0) {
        f->answered = 1;
        snprintf(msg, REST_MP_MSG_MAX, "the upload ended");
        return -1;
    }
    return 0;
}

static int on_data(void *ud, const char *data, size_t len, char msg[REST_MP_MSG_MAX])
{
    rest_form *f = ud;
    f->last = data[len - 1];
    if (rest_upload_feed(f->u, data, len, f->err) < 0) {
        f->answered = 1;
        snprintf(msg, REST_MP_MSG_MAX, "the upload ended");
        return -1;
    }
    return 0;
}

/* A part ends with a newline, so that two parts of one format in a row
 * can't run their lines together. */
static int on_end(void *ud, char msg[REST_MP_MSG_MAX])
{
    rest_form *f = ud;
    return f->last == '\n' ? 0 : on_data(ud, "\n", 1, msg);
}

int rest_form_new(rest_form **out, const ProtobufCMessage *input, const char *ct, rest_answer *err)
{
    const rest_err_class *bad = rest_err_local(REST_ERR_BAD_REQUEST);
    const char *format = NULL;
    char boundary[REST_MP_BOUNDARY_MAX + 1], msg[REST_MP_MSG_MAX];
    if (!rest_upload_has_format(input, &format)) {
        rest_answer_error(err, rest_err_local(REST_ERR_UNSUPPORTED_TYPE),
                          "%s does not take a multipart/form-data body", input->descriptor->name);
        return -1;
    }
    if (format[0]) {
        rest_answer_error(err, bad,
                          "format=%.64s does not go with a multipart/form-data body: each part's "
                          "name (properties, v, e) gives its format",
                          format);
        return -1;
    }
    if (rest_multipart_boundary(ct, boundary, msg) < 0) {
        rest_answer_error(err, bad, "%s", msg);
        return -1;
    }
    rest_form *f = calloc(1, sizeof *f);
    rest_mp_sink sink = {on_begin, on_data, on_end, f};
    if (!f || !(f->mp = rest_multipart_new(boundary, &sink))) {
        free(f);
        rest_answer_error(err, rest_err_local(REST_ERR_INTERNAL), "out of memory");
        return -1;
    }
    *out = f;
    return 0;
}

int rest_form_feed(rest_form *f, rest_upload *u, const char *data, size_t len, rest_answer *err)
{
    char msg[REST_MP_MSG_MAX];
    f->u = u;
    f->err = err;
    int rc = rest_multipart_feed(f->mp, data, len, msg);
    f->u = NULL;
    f->err = NULL;
    if (rc < 0 && !f->answered)
        rest_answer_error(err, rest_err_local(REST_ERR_BAD_REQUEST), "%s", msg);
    return rc;
}

int rest_form_finish(rest_form *f, rest_answer *err)
{
    char msg[REST_MP_MSG_MAX];
    if (rest_multipart_finish(f->mp, msg) == 0)
        return 0;
    rest_answer_error(err, rest_err_local(REST_ERR_BAD_REQUEST), "%s", msg);
    return -1;
}

void rest_form_free(rest_form *f)
{
    if (!f)
        return;
    rest_multipart_free(f->mp);
    free(f);
}
