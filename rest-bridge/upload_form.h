/* upload_form.h: an upload (upload.h) whose body is multipart/form-data:
 * LDBC Graphalytics' three files in one request, as
 *   curl -F properties=@g.properties -F v=@g.v -F e=@g.e .../graphs/g/edges
 * Each part's data goes on as it arrives (multipart.h), in the upload's
 * messages with `format` "graphalytics.properties", "graphalytics.v" or
 * "graphalytics.e", in the order the parts come (the service says if the
 * .properties did not come first).
 *
 * A part is taken by its name: "properties", "v" or "e"; failing that, by
 * its filename's ending: ".properties", ".v" or ".e". Any other part is
 * refused (400 naming it), as is a malformed body or one that ends before
 * its closing boundary: the caller then abandons the upload (frees it),
 * which cancels the call, so nothing is stored.
 */
#ifndef REST_UPLOAD_FORM_H
#define REST_UPLOAD_FORM_H

#include "upload.h"

typedef struct rest_form rest_form;

/* 1 if a body of Content-Type `ct` is a form (multipart/form-data). */
int rest_form_is(const char *ct);

/* A form body for the input message `input` (before rest_upload_new takes
 * it). 0, or -1 with *err: 415 if the route takes no format, 400 if ct
 * has no usable boundary or the query set ?format= (the parts say it). */
int rest_form_new(rest_form **out, const ProtobufCMessage *input, const char *ct, rest_answer *err);

/* A piece of the body, passed on to u. 0, or -1 with *err the answer. */
int rest_form_feed(rest_form *f, rest_upload *u, const char *data, size_t len, rest_answer *err);

/* The body's end: 0 if it was a whole form (then rest_upload_finish), or
 * -1 with *err (400). */
int rest_form_finish(rest_form *f, rest_answer *err);

/* NULL is fine. */
void rest_form_free(rest_form *f);

#endif
