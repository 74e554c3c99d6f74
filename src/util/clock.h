/* clock.h — wall-clock helpers. Storage is UTC ISO-8601; dates shown to people are
 * Asia/Shanghai (core/date.h does that arithmetic). */
#ifndef TJ_UTIL_CLOCK_H
#define TJ_UTIL_CLOCK_H
#include <stdint.h>

/* Seconds since the epoch. */
int64_t clock_unix(void);
/* Monotonic nanoseconds, for durations. */
int64_t clock_mono_ns(void);
/* "2026-11-23T04:12:00Z" for t (unix seconds) into out[21]. */
void clock_iso(int64_t t, char out[21]);
/* Today's date in Asia/Shanghai as "YYYY-MM-DD" into out[11]. */
void clock_today_shanghai(char out[11]);

#endif
