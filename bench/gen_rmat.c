/* gen_rmat.c: a seeded R-MAT (Kronecker) edge-list generator for the
 * load benchmark.
 *
 * Follows the Graph500 generator's shape (Chakrabarti et al., "R-MAT",
 * SDM 2004): edge_factor * 2^scale edges, each end chosen by descending
 * `scale` levels of the adjacency matrix with quadrant probabilities
 * a=0.57, b=0.19, c=0.19, d=0.05; vertex labels are then permuted at
 * random (so high degrees are not clustered at small ids), self-loops and
 * duplicate undirected edges dropped, and every remaining edge written in
 * both directions as "src dst[ weight]" lines, in generation order.
 * Deterministic for a seed. Cost: O(edges * scale) time, 8 bytes an edge
 * of memory for the duplicate filter.
 *
 * Usage: gen_rmat SCALE EDGE_FACTOR [--seed N] [--weights] [-o FILE]
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A uniform double in [0, 1) from the top 53 bits. */
static double uniform(uint64_t *s)
{
    return (double)(splitmix(s) >> 11) * 0x1p-53;
}

static char *put_u64(char *p, uint64_t x)
{
    char tmp[24];
    int k = 0;
    do {
        tmp[k++] = (char)('0' + x % 10);
        x /= 10;
    } while (x);
    while (k)
        *p++ = tmp[--k];
    return p;
}

/* Open-addressing set of undirected edges (key = lo << 32 | hi, + 1 so 0
 * means empty). Returns 1 when the key was new. */
static int set_insert(uint64_t *slots, uint64_t mask, uint64_t key)
{
    uint64_t h = key * 0x9e3779b97f4a7c15ULL;
    uint64_t i = (h ^ (h >> 29)) & mask;
    key += 1;
    while (slots[i]) {
        if (slots[i] == key)
            return 0;
        i = (i + 1) & mask;
    }
    slots[i] = key;
    return 1;
}

int main(int argc, char **argv)
{
    int scale = 0, weights = 0;
    uint64_t edge_factor = 0, seed = 1;
    const char *out_path = NULL;
    int pos = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--weights"))
            weights = 1;
        else if (!strcmp(argv[i], "-o") && i + 1 < argc)
            out_path = argv[++i];
        else if (pos == 0 && ++pos)
            scale = atoi(argv[i]);
        else if (pos == 1 && ++pos)
            edge_factor = strtoull(argv[i], NULL, 10);
        else
            pos = 99;
    }
    if (pos != 2 || scale < 1 || scale > 31 || edge_factor < 1) {
        fprintf(stderr, "usage: gen_rmat SCALE EDGE_FACTOR [--seed N] [--weights] [-o FILE]\n");
        return 2;
    }
    FILE *out = out_path ? fopen(out_path, "w") : stdout;
    if (!out) {
        fprintf(stderr, "gen_rmat: %s: %s\n", out_path, strerror(errno));
        return 1;
    }

    uint64_t nv = (uint64_t)1 << scale, ne = edge_factor * nv, rng = seed;
    const double a = 0.57, b = 0.19, c = 0.19;
    uint64_t set_cap = 1;
    while (set_cap < 2 * ne)
        set_cap *= 2;
    uint32_t *label = malloc(nv * sizeof *label);
    uint64_t *set = calloc(set_cap, sizeof *set);
    size_t buf_cap = 1 << 22;
    char *buf = malloc(buf_cap + 128);
    if (!label || !set || !buf) {
        fprintf(stderr, "gen_rmat: out of memory\n");
        return 1;
    }
    /* Fisher-Yates over the labels. */
    for (uint64_t v = 0; v < nv; v++)
        label[v] = (uint32_t)v;
    for (uint64_t v = nv - 1; v > 0; v--) {
        uint64_t j = splitmix(&rng) % (v + 1);
        uint32_t t = label[v];
        label[v] = label[j];
        label[j] = t;
    }

    size_t len = 0;
    uint64_t written = 0;
    for (uint64_t e = 0; e < ne; e++) {
        uint64_t u = 0, v = 0;
        for (int level = 0; level < scale; level++) {
            double r = uniform(&rng);
            int right = r >= a && (r < a + b || r >= a + b + c); /* quadrants b, d */
            int down = r >= a + b;                               /* quadrants c, d */
            u = u << 1 | (uint64_t)down;
            v = v << 1 | (uint64_t)right;
        }
        uint64_t w_rand = splitmix(&rng); /* drawn always: same graph with or without weights */
        u = label[u];
        v = label[v];
        if (u == v)
            continue;
        uint64_t lo = u < v ? u : v, hi = u < v ? v : u;
        if (!set_insert(set, set_cap - 1, lo << 32 | hi))
            continue;
        for (int dir = 0; dir < 2; dir++) {
            char *p = buf + len;
            p = put_u64(p, dir ? v : u);
            *p++ = ' ';
            p = put_u64(p, dir ? u : v);
            if (weights) {
                /* A weight in (0, 1] with six decimals. */
                uint64_t w = w_rand % 1000000 + 1;
                *p++ = ' ';
                if (w == 1000000) {
                    memcpy(p, "1.000000", 8);
                } else {
                    memcpy(p, "0.000000", 8);
                    for (int k = 7; k >= 2; k--, w /= 10)
                        p[k] = (char)('0' + w % 10);
                }
                p += 8;
            }
            *p++ = '\n';
            len = (size_t)(p - buf);
            written++;
        }
        if (len >= buf_cap) {
            if (fwrite(buf, 1, len, out) != len)
                goto write_error;
            len = 0;
        }
    }
    if ((len && fwrite(buf, 1, len, out) != len) || fflush(out) != 0)
        goto write_error;
    if (out != stdout)
        fclose(out);
    fprintf(stderr, "gen_rmat: scale %d, %llu vertices, %llu lines\n", scale,
            (unsigned long long)nv, (unsigned long long)written);
    free(label);
    free(set);
    free(buf);
    return 0;
write_error:
    fprintf(stderr, "gen_rmat: write: %s\n", strerror(errno));
    return 1;
}
