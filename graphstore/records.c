/* records.c: the names of property types (records.h), as error messages
 * and schemas spell them. O(1).
 */
#include "records.h"

const char *algo_prop_type_name(algo_prop_type t)
{
    switch (t) {
    case ALGO_PROP_INT: return "int";
    case ALGO_PROP_DOUBLE: return "double";
    case ALGO_PROP_STRING: return "string";
    case ALGO_PROP_BOOL: return "bool";
    }
    /* A value read from a corrupt file or an uninitialised record. */
    return "unknown";
}
