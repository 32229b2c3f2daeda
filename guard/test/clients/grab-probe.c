// A test client that tries to take the keyboard the way any other X client could.
//
//   grab-probe once               one XGrabKeyboard and one XGrabPointer on the root:
//                                 prints "keyboard=RESULT pointer=RESULT"
//   grab-probe watch MS EVERY_MS  tries every EVERY_MS for MS; prints a JSON summary
//   grab-probe hold MS            holds keyboard and pointer for MS: prints "held", then "released"
// A successful grab is let go at once (hold: after MS).
#include <X11/Xlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static const char *name(int status) {
  switch (status) {
    case GrabSuccess: return "success";
    case AlreadyGrabbed: return "already-grabbed";
    case GrabInvalidTime: return "invalid-time";
    case GrabNotViewable: return "not-viewable";
    case GrabFrozen: return "frozen";
    default: return "unknown";
  }
}

static int try_grab(Display *display) {
  int status = XGrabKeyboard(display, DefaultRootWindow(display), False, GrabModeAsync, GrabModeAsync, CurrentTime);
  if (status == GrabSuccess) {
    XUngrabKeyboard(display, CurrentTime);
    XSync(display, False);
  }
  return status;
}

int main(int argc, char **argv) {
  Display *display = XOpenDisplay(NULL);
  if (display == NULL || argc < 2) return 2;
  if (strcmp(argv[1], "once") == 0) {
    int keyboard = try_grab(display);
    int pointer = XGrabPointer(display, DefaultRootWindow(display), False, ButtonPressMask, GrabModeAsync,
                               GrabModeAsync, None, None, CurrentTime);
    if (pointer == GrabSuccess) XUngrabPointer(display, CurrentTime);
    XSync(display, False);
    printf("keyboard=%s pointer=%s\n", name(keyboard), name(pointer));
    return 0;
  }
  if (strcmp(argv[1], "watch") == 0 && argc == 4) {
    double duration = atof(argv[2]), every = atof(argv[3]);
    double start = now_ms(), first_success = -1;
    int attempts = 0, successes = 0;
    printf("{\"started\":%.3f}\n", start);
    fflush(stdout);
    while (now_ms() - start < duration) {
      attempts++;
      if (try_grab(display) == GrabSuccess) {
        successes++;
        if (first_success < 0) first_success = now_ms();
      }
      struct timespec pause = {.tv_sec = 0, .tv_nsec = (long)(every * 1e6)};
      nanosleep(&pause, NULL);
    }
    printf("{\"attempts\":%d,\"successes\":%d,\"firstSuccess\":%.3f,\"start\":%.3f,\"end\":%.3f}\n", attempts,
           successes, first_success, start, now_ms());
    return 0;
  }
  if (strcmp(argv[1], "hold") == 0 && argc == 3) {
    Window root = DefaultRootWindow(display);
    if (XGrabKeyboard(display, root, False, GrabModeAsync, GrabModeAsync, CurrentTime) != GrabSuccess) return 3;
    XGrabPointer(display, root, False, ButtonPressMask, GrabModeAsync, GrabModeAsync, None, None, CurrentTime);
    XSync(display, False);
    printf("held %.3f\n", now_ms());
    fflush(stdout);
    struct timespec pause = {.tv_sec = atoi(argv[2]) / 1000, .tv_nsec = (atoi(argv[2]) % 1000) * 1000000L};
    nanosleep(&pause, NULL);
    XUngrabKeyboard(display, CurrentTime);
    XUngrabPointer(display, CurrentTime);
    XSync(display, False);
    printf("released %.3f\n", now_ms());
    fflush(stdout);
    return 0;
  }
  return 2;
}
