/* clock.h: the clocks. Monotonic time for durations and deadlines inside
 * a process; wall time for what is stored or shown; absolute
 * CLOCK_REALTIME timespecs for pthread_cond_timedwait.
 */
#ifndef HGC_BASE_CLOCK_H
#define HGC_BASE_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Monotonic milliseconds (CLOCK_MONOTONIC); any origin. */
int64_t hgc_now_ms(void);
/* Monotonic seconds, with nanosecond resolution. */
double hgc_now_s(void);
/* Milliseconds since t0, a CLOCK_MONOTONIC reading. */
double hgc_ms_since(const struct timespec *t0);
/* Wall-clock milliseconds since the Unix epoch (CLOCK_REALTIME). */
int64_t hgc_wall_ms(void);
/* The timespec of at_ms milliseconds on the clock they count from. */
void hgc_abs_timespec(int64_t at_ms, struct timespec *ts);
/* *until = CLOCK_REALTIME now + ms (ms >= 0): the absolute deadline of
 * pthread_cond_timedwait for a wait of ms milliseconds. */
void hgc_deadline_in(struct timespec *until, int64_t ms);

#endif
