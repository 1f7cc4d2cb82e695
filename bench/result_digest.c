/* result_digest.c: a few numbers that sum up a result file (what
 * `hgc-worker --out DIR` writes as DIR/result.bin), to check hgc against a
 * peer that prints the same digest (bench/peer_igraph.c): for numbers the
 * sum and the max, for vertices (labels) the distinct labels and the most
 * vertices one label holds.
 *
 * Usage: result_digest RESULT_FILE
 * Prints: "hgc ALGORITHM: n=.. sum=.. max=.." or "n=.. communities=.. largest=..".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "result_file.h"

int main(int argc, char **argv)
{
    char msg[ALGO_MSG_MAX];
    algo_result r;
    if (argc != 2) {
        fprintf(stderr, "usage: result_digest RESULT_FILE\n");
        return 2;
    }
    if (algo_result_map(&r, argv[1], msg) != 0) {
        fprintf(stderr, "result_digest: %s\n", msg);
        return 1;
    }
    printf("hgc %s: n=%llu ", r.algorithm, (unsigned long long)r.n);
    int rc = 0;
    if (r.kind == ALGO_VALUE_DOUBLE) {
        const double *v = r.values;
        double sum = 0, max = 0;
        for (uint64_t i = 0; i < r.n; i++) {
            sum += v[i];
            if (v[i] > max)
                max = v[i];
        }
        printf("sum=%.10g max=%.10g\n", sum, max);
    } else if (r.kind == ALGO_VALUE_INT64) {
        const int64_t *v = r.values;
        int64_t sum = 0, max = 0;
        for (uint64_t i = 0; i < r.n; i++) {
            sum += v[i];
            if (v[i] > max)
                max = v[i];
        }
        printf("sum=%lld max=%lld\n", (long long)sum, (long long)max);
    } else if (r.kind == ALGO_VALUE_VERTEX) {
        const uint32_t *v = r.values;
        uint64_t *size = calloc(r.n + 1, sizeof *size), communities = 0, largest = 0;
        if (!size) {
            fprintf(stderr, "result_digest: out of memory\n");
            rc = 1;
        }
        for (uint64_t i = 0; size && i < r.n; i++) {
            uint64_t c = v[i] < r.n ? v[i] : r.n;
            communities += size[c]++ == 0;
            if (size[c] > largest)
                largest = size[c];
        }
        free(size);
        printf("communities=%llu largest=%llu\n", (unsigned long long)communities,
               (unsigned long long)largest);
    } else {
        printf("(no digest for this kind)\n");
    }
    algo_result_unmap(&r);
    return rc;
}
