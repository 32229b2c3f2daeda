#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void log_event(const char *event, const char *fields, ...) {
  char body[512] = "";
  if (fields != NULL) {
    va_list args;
    va_start(args, fields);
    vsnprintf(body, sizeof(body), fields, args);
    va_end(args);
  }
  fprintf(stderr, "{\"guard\":\"%s\",\"t\":%.3f%s%s}\n", event, now_ms(),
          body[0] != '\0' ? "," : "", body);
  fflush(stderr);
}

void log_text(const char *event, const char *text) {
  char escaped[512];
  size_t out = 0;
  for (const unsigned char *p = (const unsigned char *)text;
       *p != '\0' && out + 7 < sizeof(escaped); p++) {
    if (*p == '"' || *p == '\\') {
      escaped[out++] = '\\';
      escaped[out++] = (char)*p;
    } else if (*p < 0x20) {
      out += (size_t)snprintf(escaped + out, sizeof(escaped) - out, "\\u%04x", *p);
    } else {
      escaped[out++] = (char)*p;
    }
  }
  escaped[out] = '\0';
  log_event(event, "\"message\":\"%s\"", escaped);
}
