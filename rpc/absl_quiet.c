/* absl_quiet.c: turns off abseil's mutex deadlock detector.
 *
 * gRPC's mutexes are absl::Mutex. Debian builds abseil without NDEBUG, so
 * its deadlock detector is on: every Lock and Unlock of every gRPC mutex
 * also updates a global lock graph (GraphCycles::GetId and friends showed
 * in perf of hgc-server under load; docs/operations.md has the figures).
 * It only ever reports our own or gRPC's lock-order bugs, by aborting.
 *
 * abseil has no C interface: its setter is looked up by its C++ name in
 * the libraries already loaded (libgrpc pulls libabsl_synchronization in).
 * The name carries abseil's inline namespace, so the known ones are tried;
 * if none is there (another abseil build) nothing changes. Switching the
 * detector off is safe at any time, as long as it is never switched on
 * again: with it off abseil neither reads nor needs the graph.
 */
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "hgc_rpc.h"

/* absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle), per inline
 * namespace: Debian 12's, abseil's LTS 20220623, none. */
static const char *const setter_names[] = {
    "_ZN4absl7debian329SetMutexDeadlockDetectionModeENS0_15OnDeadlockCycleE",
    "_ZN4absl12lts_2022062329SetMutexDeadlockDetectionModeENS0_15OnDeadlockCycleE",
    "_ZN4absl29SetMutexDeadlockDetectionModeENS_15OnDeadlockCycleE",
};

enum { ABSL_ON_DEADLOCK_CYCLE_IGNORE = 0 }; /* absl::OnDeadlockCycle::kIgnore */

int hgc_rpc_no_deadlock_detector(void)
{
    const char *keep = getenv("HGC_ABSL_DEADLOCK_DETECTION");
    if (keep && strcmp(keep, "1") == 0)
        return 0;
    for (size_t i = 0; i < sizeof setter_names / sizeof setter_names[0]; i++) {
        void *sym = dlsym(RTLD_DEFAULT, setter_names[i]);
        if (sym) {
            void (*set_mode)(int);
            *(void **)&set_mode = sym;
            set_mode(ABSL_ON_DEADLOCK_CYCLE_IGNORE);
            return 0;
        }
    }
    return -1;
}
