#include "grabs.h"

#include <time.h>

#include "log.h"

// Every pointer event: none may reach another client while locked.
#define ALL_POINTER_EVENTS                                                                    \
  (ButtonPressMask | ButtonReleaseMask | EnterWindowMask | LeaveWindowMask | PointerMotionMask | \
   Button1MotionMask | Button2MotionMask | Button3MotionMask | Button4MotionMask |            \
   Button5MotionMask | ButtonMotionMask)

static const char *grab_status(int status) {
  switch (status) {
    case GrabSuccess: return "success";
    case AlreadyGrabbed: return "already-grabbed";
    case GrabInvalidTime: return "invalid-time";
    case GrabNotViewable: return "not-viewable";
    case GrabFrozen: return "frozen";
    default: return "unknown";
  }
}

bool grabs_take(Display *display, Window root, Cursor cursor) {
  int pointer = XGrabPointer(display, root, False, ALL_POINTER_EVENTS, GrabModeAsync,
                             GrabModeAsync, None, cursor, CurrentTime);
  int keyboard = XGrabKeyboard(display, root, False, GrabModeAsync, GrabModeAsync, CurrentTime);
  if (pointer == GrabSuccess && keyboard == GrabSuccess) return true;
  log_event("grab-failed", "\"pointer\":\"%s\",\"keyboard\":\"%s\"", grab_status(pointer),
            grab_status(keyboard));
  return false;
}

bool grabs_take_with_retries(Display *display, Window root, Cursor cursor, int timeout_ms) {
  double deadline = now_ms() + timeout_ms;
  bool focus_moved = false;
  for (;;) {
    if (grabs_take(display, root, cursor)) return true;
    if (now_ms() >= deadline) return false;
    if (!focus_moved) {
      // Focus on the root closes most menus, which let go of their grabs.
      XSetInputFocus(display, PointerRoot, RevertToPointerRoot, CurrentTime);
      XFlush(display);
      focus_moved = true;
    }
    nanosleep(&(struct timespec){.tv_sec = 0, .tv_nsec = 50 * 1000 * 1000}, NULL);
  }
}

void grabs_set_cursor(Display *display, Cursor cursor) {
  XChangeActivePointerGrab(display, ALL_POINTER_EVENTS, cursor, CurrentTime);
}

void grabs_release(Display *display) {
  XUngrabKeyboard(display, CurrentTime);
  XUngrabPointer(display, CurrentTime);
}
