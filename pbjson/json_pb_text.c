/* json_pb_text.c: the converter's small codecs and descriptor questions:
 * which messages print unwrapped, which repeated fields are maps, UTF-8
 * checks, shortest real text, base64 (RFC 4648); and the text buffer
 * (rest_buf) with the writers the printer uses, which produce the bytes
 * jansson's json_dumps would (dump.c's string escapes, strconv.c's
 * reals) without a tree. All linear in their input; nothing here
 * allocates except the copies it returns and the buffer's growth
 * (doubling, so appends are amortized O(1)).
 */
#include "json_pb_internal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rest_jp_shape(const ProtobufCMessageDescriptor *d)
{
    if (d->n_fields == 0)
        return REST_JP_OBJECT;
    /* Members of one oneof share the case word, so the same
     * quantifier_offset is what "one oneof" means without oneof names. */
    unsigned i;
    for (i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        if (!(f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) ||
            f->quantifier_offset != d->fields[0].quantifier_offset)
            break;
    }
    if (i == d->n_fields)
        return REST_JP_UNION;
    return d->n_fields == 1 ? REST_JP_SINGLE : REST_JP_OBJECT;
}

/* protoc's entry name for a map field: "params" -> "ParamsEntry",
 * "edge_weights" -> "EdgeWeightsEntry". */
static int entry_name_matches(const char *field, const char *entry)
{
    int up = 1;
    for (; *field; field++) {
        if (*field == '_') {
            up = 1;
            continue;
        }
        char ch = *field;
        if (up && ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        up = 0;
        if (*entry++ != ch)
            return 0;
    }
    return strcmp(entry, "Entry") == 0;
}

const ProtobufCMessageDescriptor *rest_jp_map_entry(const ProtobufCMessageDescriptor *owner,
                                                    const ProtobufCFieldDescriptor *f)
{
    if (f->label != PROTOBUF_C_LABEL_REPEATED || f->type != PROTOBUF_C_TYPE_MESSAGE)
        return NULL;
    const ProtobufCMessageDescriptor *e = f->descriptor;
    if (e->n_fields != 2 || e->fields[0].id != 1 || e->fields[1].id != 2 ||
        strcmp(e->fields[0].name, "key") != 0 || strcmp(e->fields[1].name, "value") != 0 ||
        e->fields[0].label == PROTOBUF_C_LABEL_REPEATED ||
        e->fields[1].label == PROTOBUF_C_LABEL_REPEATED)
        return NULL;
    switch (e->fields[0].type) {
    case PROTOBUF_C_TYPE_FLOAT:
    case PROTOBUF_C_TYPE_DOUBLE:
    case PROTOBUF_C_TYPE_BYTES:
    case PROTOBUF_C_TYPE_ENUM:
    case PROTOBUF_C_TYPE_MESSAGE: return NULL;
    default: break;
    }
    if (!entry_name_matches(f->name, e->short_name))
        return NULL;
    size_t ol = strlen(owner->name);
    if (strncmp(e->name, owner->name, ol) != 0 || e->name[ol] != '.' ||
        strcmp(e->name + ol + 1, e->short_name) != 0)
        return NULL;
    return e;
}

size_t rest_jp_elem_size(ProtobufCType t)
{
    switch (t) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
    case PROTOBUF_C_TYPE_ENUM: return 4;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64: return 8;
    case PROTOBUF_C_TYPE_FLOAT: return sizeof(float);
    case PROTOBUF_C_TYPE_DOUBLE: return sizeof(double);
    case PROTOBUF_C_TYPE_BOOL: return sizeof(protobuf_c_boolean);
    case PROTOBUF_C_TYPE_STRING: return sizeof(char *);
    case PROTOBUF_C_TYPE_BYTES: return sizeof(ProtobufCBinaryData);
    case PROTOBUF_C_TYPE_MESSAGE: return sizeof(ProtobufCMessage *);
    }
    return 0;
}

void rest_jp_utf8_trim(char *s)
{
    size_t n = strlen(s);
    size_t i = n;
    /* Back up over continuation bytes to the last lead byte. */
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80 && n - i < 3)
        i--;
    if (i > 0 && (unsigned char)s[i - 1] >= 0x80 &&
        !hgc_utf8_seq((const unsigned char *)s + i - 1, n - i + 1))
        s[i - 1] = '\0';
}

char *rest_jp_utf8_fix(const char *s, size_t n, size_t *out_len)
{
    const unsigned char *p = (const unsigned char *)s;
    char *out = malloc(3 * n + 1);
    size_t o = 0, i = 0;
    if (!out)
        return NULL;
    while (i < n) {
        size_t l = hgc_utf8_seq(p + i, n - i);
        if (l) {
            memcpy(out + o, s + i, l);
            o += l;
            i += l;
        } else {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

const char *rest_jp_real_text(double d, char buf[32])
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, 32, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    return buf;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Writes the 4 * ((len + 2) / 3) bytes of base64 of data to out. */
static size_t b64_encode_to(char *out, const uint8_t *data, size_t len)
{
    size_t o = 0, i = 0;
    for (; i + 2 < len; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 | data[i + 2];
        out[o++] = b64[v >> 18];
        out[o++] = b64[(v >> 12) & 63];
        out[o++] = b64[(v >> 6) & 63];
        out[o++] = b64[v & 63];
    }
    if (i < len) {
        uint32_t v = (uint32_t)data[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)data[i + 1] << 8;
        out[o++] = b64[v >> 18];
        out[o++] = b64[(v >> 12) & 63];
        out[o++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
        out[o++] = '=';
    }
    return o;
}

char *rest_jp_base64_encode(const uint8_t *data, size_t len, size_t *out_len)
{
    char *out = malloc(4 * ((len + 2) / 3) + 1);
    if (!out)
        return NULL;
    size_t o = b64_encode_to(out, data, len);
    out[o] = '\0';
    *out_len = o;
    return out;
}

static int b64_digit(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

int rest_jp_base64_decode(const char *s, size_t n, uint8_t **out, size_t *out_len)
{
    /* Padding, when present, must complete the last group exactly. */
    size_t pad = 0;
    while (pad < 2 && n > pad && s[n - 1 - pad] == '=')
        pad++;
    if (pad && n % 4 != 0)
        return -1;
    size_t body = n - pad;
    if (body % 4 == 1)
        return -1;
    size_t len = body / 4 * 3 + (body % 4 ? body % 4 - 1 : 0);
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf)
        return -1;
    uint32_t acc = 0;
    size_t o = 0;
    for (size_t i = 0; i < body; i++) {
        int d = b64_digit(s[i]);
        if (d < 0) {
            free(buf);
            return -1;
        }
        acc = acc << 6 | (uint32_t)d;
        if (i % 4 == 3) {
            buf[o++] = (uint8_t)(acc >> 16);
            buf[o++] = (uint8_t)(acc >> 8);
            buf[o++] = (uint8_t)acc;
            acc = 0;
        }
    }
    if (body % 4 == 2) {
        buf[o++] = (uint8_t)(acc >> 4);
    } else if (body % 4 == 3) {
        buf[o++] = (uint8_t)(acc >> 10);
        buf[o++] = (uint8_t)(acc >> 2);
    }
    *out = buf;
    *out_len = o;
    return 0;
}

/* ------------------------------------------------------------------ */
/* The text buffer and its writers                                     */
/* ------------------------------------------------------------------ */

#define BUF_FIRST 4096 /* the first allocation, unless a hint says more */

void rest_buf_init(rest_buf *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max;
}

void rest_buf_release(rest_buf *b)
{
    free(b->data);
    rest_buf_init(b, b->max);
}

void rest_buf_reset(rest_buf *b)
{
    b->len = 0;
    b->err = 0;
    if (b->data)
        b->data[0] = '\0';
}

char *rest_jp_grow(rest_buf *b, size_t n)
{
    if (b->err)
        return NULL;
    if (n > b->max || b->len > b->max - n) {
        b->err = REST_TEXT_FULL;
        return NULL;
    }
    size_t need = b->len + n + 1;
    if (need < b->len) { /* max == SIZE_MAX and the NUL would wrap */
        b->err = REST_TEXT_FULL;
        return NULL;
    }
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : BUF_FIRST;
        while (cap < need)
            cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        /* The ceiling bounds the allocation too (plus the NUL). */
        if (b->max < SIZE_MAX && cap > b->max + 1)
            cap = b->max + 1;
        char *grown = realloc(b->data, cap);
        if (!grown) {
            b->err = REST_TEXT_OOM;
            return NULL;
        }
        b->data = grown;
        b->cap = cap;
    }
    return b->data + b->len;
}

int rest_buf_reserve(rest_buf *b, size_t n)
{
    return rest_jp_room(b, n) ? 0 : b->err;
}

int rest_buf_append(rest_buf *b, const void *data, size_t n)
{
    rest_jp_put(b, data, n);
    return b->err;
}

char *rest_buf_detach(rest_buf *b, size_t *len)
{
    if (b->err || !rest_jp_room(b, 0))
        return NULL;
    char *text = b->data;
    text[b->len] = '\0';
    *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return text;
}

/* Digits of v, right-aligned before end; the first digit. */
static char *u64_digits(char *end, uint64_t v)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";
    char *p = end;
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100);
        v /= 100;
        p -= 2;
        memcpy(p, pairs + 2 * r, 2);
    }
    if (v >= 10) {
        p -= 2;
        memcpy(p, pairs + 2 * v, 2);
    } else {
        *--p = (char)('0' + v);
    }
    return p;
}

void rest_jp_put_u64(rest_buf *b, uint64_t v)
{
    char tmp[24];
    char *p = u64_digits(tmp + sizeof tmp, v);
    rest_jp_put(b, p, (size_t)(tmp + sizeof tmp - p));
}

void rest_jp_put_i64(rest_buf *b, int64_t v)
{
    char tmp[24];
    /* The magnitude as unsigned: -INT64_MIN does not fit an int64_t. */
    char *p = u64_digits(tmp + sizeof tmp, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
    if (v < 0)
        *--p = '-';
    rest_jp_put(b, p, (size_t)(tmp + sizeof tmp - p));
}

/* strtod of printf's "%g" text, by one exact multiplication or division
 * where that is exact (Clinger's fast path: the digits below 2^53 and the
 * power of ten at most 1e22, both then exact doubles, so the one rounding
 * is strtod's); by strtod otherwise. */
static double read_real(const char *s)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *p = s;
    uint64_t m = 0; /* at most 17 significant digits: no overflow */
    int exp = 0, neg = *p == '-';
    p += neg;
    for (; *p >= '0' && *p <= '9'; p++)
        m = m * 10 + (uint64_t)(*p - '0');
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++, exp--)
            m = m * 10 + (uint64_t)(*p - '0');
    if (*p == 'e')
        exp += atoi(p + 1);
    if (m > (uint64_t)1 << 53 || exp < -22 || exp > 22)
        return strtod(s, NULL);
    double v = exp < 0 ? (double)m / pow10[-exp] : (double)m * pow10[exp];
    return neg ? -v : v;
}

/* Whether "%.17g" text t (of a normal double) may be 15 digits' text:
 * d is then within half its ulp, below 1.12e-16 d, of that text, so the
 * 17-digit one ends (16th and 17th digits) within 1.12 m + 0.5 of 00,
 * above or below, m the value of the digits read as d.ddd (1 <= m < 10).
 * Also when %g dropped trailing zeros (fewer than 17 digits). */
static int may_have_15(const char *t)
{
    int sig = 0, first = 0, last2 = 0;
    for (; *t && *t != 'e'; t++) {
        if (*t < '0' || *t > '9' || (sig == 0 && *t == '0'))
            continue;
        if (++sig == 1)
            first = *t - '0';
        else if (sig >= 16)
            last2 = last2 * 10 + (*t - '0');
    }
    if (sig < 17)
        return 1;
    int near = (112 * (first + 1) + 99) / 100 + 1; /* > 1.12 m + 0.5 */
    return last2 <= near || last2 >= 100 - near;
}

/* "%.*g" of d into buf[40]; its length, or -1 if it does not fit with 3
 * bytes to spare. */
static int real_digits(char *buf, double d, int prec)
{
    int n = snprintf(buf, 40, "%.*g", prec, d);
    return n < 0 || n >= 40 - 3 ? -1 : n;
}

void rest_jp_put_real(rest_buf *b, double d)
{
    /* A whole number below 1e17 has at most 17 digits, so it reads back
     * from its integer text, printed without an exponent, then ".0". */
    if (d > -1e17 && d < 1e17 && d == (double)(int64_t)d) {
        if (d == 0 && signbit(d))
            rest_jp_put(b, "-0.0", 4);
        else {
            rest_jp_put_i64(b, (int64_t)d);
            rest_jp_put(b, ".0", 2);
        }
        return;
    }
    /* Up to 15 significant digits when they read back as d (0.1, where
     * 17 give 0.10000000000000001), else 17, which always do. Only a
     * 17-digit text close to a 15-digit one tries 15 (may_have_15: about
     * one in ten computed values). A subnormal has fewer digits of its
     * own (5e-324): it tries every count. */
    char buf[40];
    int n;
    if (fabs(d) < DBL_MIN) {
        for (int prec = 1;; prec++)
            if ((n = real_digits(buf, d, prec)) < 0 || prec == 17 || read_real(buf) == d)
                break;
    } else if ((n = real_digits(buf, d, 17)) >= 0 && may_have_15(buf)) {
        char b15[40];
        int n15 = real_digits(b15, d, 15);
        if (n15 >= 0 && n15 < n && read_real(b15) == d) {
            memcpy(buf, b15, (size_t)n15 + 1);
            n = n15;
        }
    }
    if (n < 0)
        return; /* cannot happen: %.17g of a double is at most 24 bytes */
    size_t len = (size_t)n;
    char *e = memchr(buf, 'e', len);
    if (!e && !memchr(buf, '.', len)) {
        /* "%.17g" of a whole number: keep it a real when read back. */
        memcpy(buf + len, ".0", 2);
        len += 2;
    } else if (e) {
        /* "1e+21" -> "1e21", "1e-07" -> "1e-7". */
        char *from = e + 1, *to = e + 1;
        if (*from == '-')
            to = ++from;
        else if (*from == '+')
            from++;
        while (*from == '0' && from + 1 < buf + len)
            from++;
        if (from != to) {
            memmove(to, from, (size_t)(buf + len - from));
            len -= (size_t)(from - to);
        }
    }
    rest_jp_put(b, buf, len);
}

void rest_jp_put_string(rest_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0; /* s[run..i) goes out as is */
    rest_jp_putc(b, '"');
    while (i < n) {
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        size_t l = c >= 0x80 ? hgc_utf8_seq(p + i, n - i) : 0;
        if (l) {
            i += l;
            continue;
        }
        rest_jp_put(b, s + run, i - run);
        char esc[6] = {'\\', 0, '0', '0', 0, 0};
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default: break;
        }
        if (c >= 0x80) {
            rest_jp_put(b, "\xEF\xBF\xBD", 3); /* U+FFFD for the bad byte */
        } else if (esc[1]) {
            rest_jp_put(b, esc, 2);
        } else {
            esc[1] = 'u';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            rest_jp_put(b, esc, 6);
        }
        run = ++i;
    }
    rest_jp_put(b, s + run, n - run);
    rest_jp_putc(b, '"');
}

void rest_jp_put_base64(rest_buf *b, const uint8_t *data, size_t n)
{
    size_t len = 4 * ((n + 2) / 3);
    if (n > SIZE_MAX / 2) {
        b->err = b->err ? b->err : REST_TEXT_FULL;
        return;
    }
    char *w = rest_jp_room(b, len + 2);
    if (!w)
        return;
    w[0] = '"';
    b64_encode_to(w + 1, data, n);
    w[len + 1] = '"';
    b->len += len + 2;
}
