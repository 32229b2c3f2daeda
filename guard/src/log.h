// The guard's log: one JSON object per line on stderr, each with the time on the
// monotonic clock (milliseconds, the clock tests and the parent compare against).
// Nothing the user types is ever logged.
#ifndef GATEHOUSE_GUARD_LOG_H
#define GATEHOUSE_GUARD_LOG_H

#include <stdint.h>

// Milliseconds on CLOCK_MONOTONIC.
double now_ms(void);

// Logs {"t":..., "event":EVENT, <fields>}. FIELDS is printf-formatted JSON members
// without braces (e.g. "\"pid\":%d"), or NULL. Callers only format numbers and
// fixed words into it; free text goes through log_text().
void log_event(const char *event, const char *fields, ...)
    __attribute__((format(printf, 2, 3)));

// Logs {"t":..., "event":EVENT, "message":TEXT} with TEXT escaped for JSON.
void log_text(const char *event, const char *text);

#endif
