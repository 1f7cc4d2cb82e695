/* result_paths.h: a row of a paths result (graphstore/result_file.h,
 * ALGO_VALUE_PATHS) rebuilt as the value {"path": [ids], "total_weight": w}
 * from the stored predecessors and distance. */
#ifndef SVC_RESULT_PATHS_H
#define SVC_RESULT_PATHS_H

#include <stdint.h>

#include "hgc/v1/common.pb-c.h"
#include "result_file.h"

typedef struct svc_path_value {
    Hgc__V1__Value value; /* the row's value: a map */
    Hgc__V1__ValueMap map;
    Hgc__V1__ValueMap__FieldsEntry entry[2];
    Hgc__V1__ValueMap__FieldsEntry *entry_ptr[2];
    Hgc__V1__Value path, total;
    Hgc__V1__ValueList list;
    Hgc__V1__Value *items;
    Hgc__V1__Value **item_ptrs;
    char *text; /* the string ids, NUL-terminated */
} svc_path_value;

/* Builds the value of vertex v (a row: finite distance). 0, or -1 with msg
 * (out of memory, or predecessors that don't lead to the source). Free
 * with svc_path_value_free, also after a failure. */
int svc_path_value_build(svc_path_value *pv, const algo_result *r, uint64_t v, char msg[256]);
void svc_path_value_free(svc_path_value *pv);

#endif
