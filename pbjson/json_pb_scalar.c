/* json_pb_scalar.c: one scalar of any protobuf type from a JSON value,
 * exactly: whole numbers are checked against their type's range as sign
 * and magnitude (no double in between, so "9223372036854775808" is
 * refused for an int64), numbers come as strings too, NaN and Infinity
 * never. Also the sentences that say what a field takes.
 */
#include "json_pb.h"
#include "json_pb_internal.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- messages for people ---- */

int rest_jp_fail(rest_jp_ctx *c, const char *fmt, ...)
{
    va_list ap;
    if (c->quiet)
        return -1;
    va_start(ap, fmt);
    vsnprintf(c->err, REST_MSG_MAX, fmt, ap);
    va_end(ap);
    rest_jp_utf8_trim(c->err);
    return -1;
}

const char *rest_jp_got_text(const json_t *v, char buf[96])
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: {
        const char *s = json_string_value(v);
        size_t n = json_string_length(v), cut = n;
        if (n > 60) {
            /* Cut on a character boundary: the message goes into JSON. */
            cut = 60;
            while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
                cut--;
        }
        snprintf(buf, 96, "\"%.*s%s\"", (int)cut, s, cut < n ? "..." : "");
        return buf;
    }
    case JSON_INTEGER:
        snprintf(buf, 96, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return buf;
    case JSON_REAL: return rest_jp_real_text(json_real_value(v), buf);
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    case JSON_NULL: break;
    }
    return "null";
}

int rest_jp_must(rest_jp_ctx *c, const char *what, const json_t *v)
{
    char buf[96];
    return rest_jp_fail(c, "field '%s' must be %s, got %s", c->path, what,
                        rest_jp_got_text(v, buf));
}

int rest_jp_oom(rest_jp_ctx *c)
{
    return rest_jp_fail(c, "out of memory");
}

static void enum_names(const ProtobufCEnumDescriptor *ed, char *buf, size_t n)
{
    size_t o = (size_t)snprintf(buf, n, "one of");
    for (unsigned i = 0; i < ed->n_values && o < n; i++)
        o += (size_t)snprintf(buf + o, n - o, "%s %s", i ? "," : "", ed->values[i].name);
}

/* What field f takes, for "field 'x' must be ...". */
void rest_jp_describe(const ProtobufCFieldDescriptor *f, char *buf, size_t n, int depth)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        snprintf(buf, n, "a whole number from -2147483648 to 2147483647");
        return;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32: snprintf(buf, n, "a whole number from 0 to 4294967295"); return;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        snprintf(buf, n, "a whole number from -9223372036854775808 to 9223372036854775807");
        return;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        snprintf(buf, n, "a whole number from 0 to 18446744073709551615");
        return;
    case PROTOBUF_C_TYPE_FLOAT:
        snprintf(buf, n, "a number from -3.40282e+38 to 3.40282e+38");
        return;
    case PROTOBUF_C_TYPE_DOUBLE: snprintf(buf, n, "a number"); return;
    case PROTOBUF_C_TYPE_BOOL: snprintf(buf, n, "true or false"); return;
    case PROTOBUF_C_TYPE_STRING: snprintf(buf, n, "a string"); return;
    case PROTOBUF_C_TYPE_BYTES: snprintf(buf, n, "base64 text"); return;
    case PROTOBUF_C_TYPE_ENUM: enum_names(f->descriptor, buf, n); return;
    case PROTOBUF_C_TYPE_MESSAGE: break;
    }
    const ProtobufCMessageDescriptor *d = f->descriptor;
    int shape = rest_jp_shape(d);
    /* Depth-limited: Value -> ValueList -> Value would never end. */
    if (shape == REST_JP_OBJECT || depth > 1 ||
        (shape == REST_JP_SINGLE && rest_jp_map_entry(d, &d->fields[0]))) {
        snprintf(buf, n, "an object");
    } else if (shape == REST_JP_SINGLE && d->fields[0].label == PROTOBUF_C_LABEL_REPEATED) {
        snprintf(buf, n, "a list");
    } else if (shape == REST_JP_SINGLE) {
        rest_jp_describe(&d->fields[0], buf, n, depth + 1);
    } else {
        size_t o = 0;
        for (unsigned i = 0; i < d->n_fields && o < n; i++) {
            char one[160];
            rest_jp_describe(&d->fields[i], one, sizeof one, depth + 1);
            o += (size_t)snprintf(buf + o, n - o, "%s%s",
                                  i == 0                 ? ""
                                  : i + 1 == d->n_fields ? " or "
                                                         : ", ",
                                  one);
        }
    }
}

static int is_integer_type(ProtobufCType t)
{
    return t != PROTOBUF_C_TYPE_FLOAT && t != PROTOBUF_C_TYPE_DOUBLE && t != PROTOBUF_C_TYPE_BOOL &&
           t != PROTOBUF_C_TYPE_ENUM && t != PROTOBUF_C_TYPE_STRING && t != PROTOBUF_C_TYPE_BYTES &&
           t != PROTOBUF_C_TYPE_MESSAGE;
}

/* Does f take a whole number (itself, or a member of its union)? */
static int takes_integer(const ProtobufCFieldDescriptor *f)
{
    if (f->type != PROTOBUF_C_TYPE_MESSAGE)
        return is_integer_type(f->type);
    const ProtobufCMessageDescriptor *d = f->descriptor;
    for (unsigned i = 0; d && i < d->n_fields; i++)
        if (is_integer_type(d->fields[i].type))
            return 1;
    return 0;
}

int rest_jp_must_field(rest_jp_ctx *c, const ProtobufCFieldDescriptor *f, const json_t *v)
{
    char what[200], buf[96];
    rest_jp_describe(f, what, sizeof what, 0);
    /* 9007199254740993.0 arrives as ...992: say why a whole number that
     * large is refused when it is written as a real. */
    if (takes_integer(f) && json_is_real(v) && fabs(json_real_value(v)) >= REST_JP_EXACT_MAX)
        return rest_jp_fail(c,
                            "field '%s' must be %s, got %s: a number with '.' or an exponent "
                            "is exact only below 2^53; write the whole number in digits",
                            c->path, what, rest_jp_got_text(v, buf));
    return rest_jp_must(c, what, v);
}

/* ---- scalars ---- */

/* A whole number as sign and magnitude, so every integer type's range
 * can be checked exactly without going through a double. */
typedef struct wide {
    int neg;
    uint64_t mag;
} wide;

/* JSON-number-like text (also with '+', leading zeros, ".5"): no hex,
 * no inf or nan, which strtod would take. */
static int number_syntax(const char *s)
{
    int digits = 0;
    if (*s == '+' || *s == '-')
        s++;
    while (*s >= '0' && *s <= '9')
        s++, digits++;
    if (*s == '.') {
        s++;
        while (*s >= '0' && *s <= '9')
            s++, digits++;
    }
    if (!digits)
        return 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!(*s >= '0' && *s <= '9'))
            return 0;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

static int wide_from_double(double d, wide *w)
{
    /* From 2^53 on, a real may already be rounded (9007199254740993.0
     * reads as ...992): only whole-number text is exact there. */
    if (!isfinite(d) || d != floor(d) || fabs(d) >= REST_JP_EXACT_MAX)
        return -1;
    w->neg = d < 0;
    w->mag = (uint64_t)fabs(d);
    return 0;
}

/* Number text as a whole number, exactly: digits, an optional fraction
 * and exponent, worked out in decimal ("1e18", "20.0", "1.8e19" are
 * whole; "1.5" and "1e-999" are not). No double in between, so
 * "9007199254740993.0" is that number, not ...992. */
static int wide_from_text(const char *s, wide *w)
{
    const char *p = s, *ip, *fp = "";
    size_t ni = 0, nf = 0;
    long exp = 0;
    if (!number_syntax(s))
        return -1;
    w->neg = 0;
    w->mag = 0;
    if (*p == '+' || *p == '-')
        w->neg = *p++ == '-';
    ip = p;
    while (*p >= '0' && *p <= '9')
        p++, ni++;
    if (*p == '.') {
        fp = ++p;
        while (*p >= '0' && *p <= '9')
            p++, nf++;
    }
    if (*p == 'e' || *p == 'E') {
        int eneg = 0;
        p++;
        if (*p == '+' || *p == '-')
            eneg = *p++ == '-';
        for (; *p >= '0' && *p <= '9'; p++)
            if (exp < 100000)
                exp = exp * 10 + (*p - '0');
        if (eneg)
            exp = -exp;
    }
    /* The value is digits(ip fp) * 10^(exp - nf). Digits past the point
     * must be zeros; zeros before it are appended. */
    long point = (long)ni + exp; /* digits of the whole part */
    uint64_t mag = 0;
    for (long i = 0; i < (long)(ni + nf) || i < point; i++) {
        unsigned dgt = 0;
        if (i < (long)ni)
            dgt = (unsigned)(ip[i] - '0');
        else if (i < (long)(ni + nf))
            dgt = (unsigned)(fp[i - (long)ni] - '0');
        if (i >= point) {
            if (dgt)
                return -1; /* a fraction */
            continue;
        }
        if (mag > (UINT64_MAX - dgt) / 10)
            return -1;
        mag = mag * 10 + dgt;
    }
    w->mag = mag;
    return 0;
}

static int wide_from_json(const json_t *v, wide *w)
{
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        w->neg = i < 0;
        w->mag = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
        return 0;
    }
    if (json_is_real(v))
        return wide_from_double(json_real_value(v), w);
    if (json_is_string(v))
        return wide_from_text(json_string_value(v), w);
    return -1;
}

/* In [min, max]? Sets *out (as int64 bits for signed types). */
static int wide_fits(const wide *w, int64_t min, uint64_t max, uint64_t *out)
{
    if (w->neg && w->mag) {
        if (min == 0 || w->mag > (uint64_t)(-(min + 1)) + 1)
            return 0;
        *out = (uint64_t)0 - w->mag;
        return 1;
    }
    if (w->mag > max)
        return 0;
    *out = w->mag;
    return 1;
}

static int double_from_json(const json_t *v, double *d)
{
    if (json_is_number(v)) {
        *d = json_number_value(v);
        return 0;
    }
    if (json_is_string(v) && number_syntax(json_string_value(v))) {
        errno = 0;
        *d = strtod(json_string_value(v), NULL);
        return isfinite(*d) && errno != ERANGE ? 0 : -1;
    }
    return -1;
}

static int string_from_json(rest_jp_ctx *c, const json_t *v, char **out)
{
    char buf[32];
    const char *s;
    size_t n;
    if (!json_is_string(v) && !(c->text_any && (json_is_number(v) || json_is_boolean(v))))
        /* Only an option value (map<string,string>) takes a number or a
         * boolean as its text: elsewhere "label": 5 or "id": true is a
         * mistake to report, not to store as "5" or "true". */
        return rest_jp_must(c, "a string", v);
    switch (json_typeof(v)) {
    case JSON_INTEGER:
        snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        s = buf;
        n = strlen(buf);
        break;
    case JSON_REAL:
        s = rest_jp_real_text(json_real_value(v), buf);
        n = strlen(s);
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        s = json_is_true(v) ? "true" : "false";
        n = strlen(s);
        break;
    default:
        s = json_string_value(v);
        n = json_string_length(v);
        if (memchr(s, '\0', n))
            return rest_jp_must(c, "text without NUL characters", v);
        break;
    }
    *out = malloc(n + 1);
    if (!*out)
        return rest_jp_oom(c);
    memcpy(*out, s, n);
    (*out)[n] = '\0';
    return 0;
}

static int enum_from_json(rest_jp_ctx *c, const ProtobufCFieldDescriptor *f, const json_t *v,
                          int *out)
{
    const ProtobufCEnumDescriptor *ed = f->descriptor;
    const ProtobufCEnumValue *ev = NULL;
    wide w;
    uint64_t bits;
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        ev = protobuf_c_enum_descriptor_get_value_by_name(ed, s);
        /* "running" for RUNNING: callers type statuses in any case. */
        for (unsigned i = 0; !ev && i < ed->n_values; i++)
            if (strcasecmp(ed->values[i].name, s) == 0)
                ev = &ed->values[i];
    }
    if (!ev && wide_from_json(v, &w) == 0 && wide_fits(&w, INT32_MIN, INT32_MAX, &bits))
        ev = protobuf_c_enum_descriptor_get_value(ed, (int)(int32_t)bits);
    if (!ev)
        return rest_jp_must_field(c, f, v);
    *out = ev->value;
    return 0;
}

/* Parses v for (one element of) field f. On success *out owns any
 * string or bytes it holds. */
int rest_jp_scalar_parse(rest_jp_ctx *c, const ProtobufCFieldDescriptor *f, const json_t *v,
                         rest_jp_scalar *out)
{
    wide w;
    uint64_t bits;
    double d;
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        if (wide_from_json(v, &w) || !wide_fits(&w, INT32_MIN, INT32_MAX, &bits))
            return rest_jp_must_field(c, f, v);
        out->i32 = (int32_t)(int64_t)bits;
        return 0;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        if (wide_from_json(v, &w) || !wide_fits(&w, 0, UINT32_MAX, &bits))
            return rest_jp_must_field(c, f, v);
        out->u32 = (uint32_t)bits;
        return 0;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        if (wide_from_json(v, &w) || !wide_fits(&w, INT64_MIN, INT64_MAX, &bits))
            return rest_jp_must_field(c, f, v);
        out->i64 = (int64_t)bits;
        return 0;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        if (wide_from_json(v, &w) || !wide_fits(&w, 0, UINT64_MAX, &bits))
            return rest_jp_must_field(c, f, v);
        out->u64 = bits;
        return 0;
    case PROTOBUF_C_TYPE_FLOAT:
        /* Below FLT_MAX + half an ulp a double rounds to a finite float
         * (FLT_MAX printed in 9 digits is a bit above FLT_MAX). */
        if (double_from_json(v, &d) || fabs(d) >= (double)FLT_MAX + 0x1p103)
            return rest_jp_must_field(c, f, v);
        out->f = (float)d;
        return 0;
    case PROTOBUF_C_TYPE_DOUBLE:
        if (double_from_json(v, &d))
            return rest_jp_must_field(c, f, v);
        out->d = d;
        return 0;
    case PROTOBUF_C_TYPE_BOOL:
        if (json_is_boolean(v))
            out->b = json_is_true(v);
        else if (json_is_string(v) && strcasecmp(json_string_value(v), "true") == 0)
            out->b = 1;
        else if (json_is_string(v) && strcasecmp(json_string_value(v), "false") == 0)
            out->b = 0;
        else
            return rest_jp_must_field(c, f, v);
        return 0;
    case PROTOBUF_C_TYPE_ENUM: return enum_from_json(c, f, v, &out->e);
    case PROTOBUF_C_TYPE_STRING: return string_from_json(c, v, &out->s);
    case PROTOBUF_C_TYPE_BYTES:
        if (!json_is_string(v) || rest_jp_base64_decode(json_string_value(v), json_string_length(v),
                                                        &out->bytes.data, &out->bytes.len))
            return rest_jp_must_field(c, f, v);
        return 0;
    case PROTOBUF_C_TYPE_MESSAGE: break;
    }
    return rest_jp_must_field(c, f, v);
}

void rest_jp_scalar_release(const ProtobufCFieldDescriptor *f, rest_jp_scalar *s)
{
    if (f->type == PROTOBUF_C_TYPE_STRING)
        free(s->s);
    else if (f->type == PROTOBUF_C_TYPE_BYTES)
        free(s->bytes.data);
}

/* Writes s into a slot of f's element size (the slot's old content is
 * the caller's business). */
void rest_jp_scalar_put(const ProtobufCFieldDescriptor *f, void *slot, const rest_jp_scalar *s)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32: *(int32_t *)slot = s->i32; break;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32: *(uint32_t *)slot = s->u32; break;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64: *(int64_t *)slot = s->i64; break;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64: *(uint64_t *)slot = s->u64; break;
    case PROTOBUF_C_TYPE_FLOAT: *(float *)slot = s->f; break;
    case PROTOBUF_C_TYPE_DOUBLE: *(double *)slot = s->d; break;
    case PROTOBUF_C_TYPE_BOOL: *(protobuf_c_boolean *)slot = s->b; break;
    case PROTOBUF_C_TYPE_ENUM: *(int *)slot = s->e; break;
    case PROTOBUF_C_TYPE_STRING: *(char **)slot = s->s; break;
    case PROTOBUF_C_TYPE_BYTES: *(ProtobufCBinaryData *)slot = s->bytes; break;
    case PROTOBUF_C_TYPE_MESSAGE: break;
    }
}
