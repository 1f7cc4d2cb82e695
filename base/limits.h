/* limits.h: sizes shared by every part. Include as "base/limits.h" (the
 * system <limits.h> is a different file).
 */
#ifndef HGC_BASE_LIMITS_H
#define HGC_BASE_LIMITS_H

/* The caller-owned message buffer of every call that can fail
 * (char msg[HGC_MSG_MAX]): room for one sentence that says what to fix. */
#define HGC_MSG_MAX 256

#endif
