/* result_order.h: putting a result's rows in order of value (ReadResult
 * with order "asc" or "desc"), ties by vertex index. */
#ifndef SVC_RESULT_ORDER_H
#define SVC_RESULT_ORDER_H

#include <stdint.h>

#include "result_file.h"

/* index[0..n) holds row numbers of `r`. Afterwards index[0..want) holds
 * the first `want` of them in order of value (descending if `desc`), ties
 * broken by the smaller row number; the rest of index is left in no
 * particular order. want >= n sorts everything: O(n log n); a smaller
 * `want` (a top-k page) costs O(n log want) and `want` entries of extra
 * memory. Values compare as their own type: int64 exactly (no detour
 * through double), doubles as doubles, vertices by index. 0, or -1 when
 * out of memory (index unchanged). */
int svc_result_order_rows(uint32_t *index, uint64_t n, const algo_result *r, int desc,
                          uint64_t want);

#endif
