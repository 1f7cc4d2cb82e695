/* triangle_count.h: triangles through each vertex of an undirected view,
 * shared by triangle-count and clustering-coefficient. */
#ifndef ALGO_TRIANGLE_COUNT_H
#define ALGO_TRIANGLE_COUNT_H

#include <stdint.h>

#include "kernel.h"
#include "undirected.h"

/* tri[v] = the number of triangles of u through v (tri has u->n entries,
 * overwritten), over the team, reporting progress per twentieth of the
 * vertices. 0, ALGO_ENOMEM with msg, or ALGO_ESTOPPED (tri then partial).
 * *total gets the number of triangles. */
int algo_triangles(int64_t *tri, uint64_t *total, const algo_undirected *u, algo_team *team,
                   algo_progress *progress, char msg[ALGO_MSG_MAX]);

#endif
