/* absl_quiet.c: turns off abseil's mutex deadlock detector.
 *
 * gRPC's mutexes are absl::Mutex. Debian builds abseil without NDEBUG, so
 * its deadlock detector is on: every Lock and Unlock of every gRPC mutex
 * also updates a global lock graph (GraphCycles::GetId and friends showed
 * in perf of hgc-server under load; docs/operations.md has the figures).
 * It only ever reports our own or gRPC's lock-order bugs, by aborting.
 *
 * abseil has no C interface: its setter is named by its C++ name, which
 * carries abseil's inline namespace, so the known ones are tried, each as
 * a weak reference: abseil linked from its static archive (the default,
 * HGC_STATIC_GRPC) or as a shared library, whichever the program has
 * resolves it; a name no abseil defines stays NULL. (A lookup by dlsym
 * found only the shared library's: linked statically, the detector had
 * stayed on.) If none is there (another abseil build) nothing changes.
 * Switching the detector off is safe at any time, as long as it is never
 * switched on again: with it off abseil neither reads nor needs the graph.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "hgc_rpc.h"

/* absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle), per inline
 * namespace: Debian 12's, abseil's LTS 20220623, none. The argument is an
 * enum class over int. */
typedef void set_mode_fn(int);
#define WEAK_SETTER(name, mangled) extern set_mode_fn name __asm__(mangled) __attribute__((weak))
WEAK_SETTER(set_mode_debian3,
            "_ZN4absl7debian329SetMutexDeadlockDetectionModeENS0_15OnDeadlockCycleE");
WEAK_SETTER(set_mode_lts_20220623,
            "_ZN4absl12lts_2022062329SetMutexDeadlockDetectionModeENS0_15OnDeadlockCycleE");
WEAK_SETTER(set_mode_plain, "_ZN4absl29SetMutexDeadlockDetectionModeENS_15OnDeadlockCycleE");

enum { ABSL_ON_DEADLOCK_CYCLE_IGNORE = 0 }; /* absl::OnDeadlockCycle::kIgnore */

int hgc_rpc_no_deadlock_detector(void)
{
    const char *keep = getenv("HGC_ABSL_DEADLOCK_DETECTION");
    if (keep && strcmp(keep, "1") == 0)
        return 0;
    set_mode_fn *const setters[] = {set_mode_debian3, set_mode_lts_20220623, set_mode_plain};
    for (size_t i = 0; i < sizeof setters / sizeof setters[0]; i++) {
        if (setters[i]) {
            setters[i](ABSL_ON_DEADLOCK_CYCLE_IGNORE);
            return 0;
        }
    }
    return -1;
}
