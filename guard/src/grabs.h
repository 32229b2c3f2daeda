// The keyboard and pointer grabs: taken on the root window before anything is
// shown, held by the guard at every instant of the lock (the UI never holds
// them: its input is forwarded over the private channel), taken again whenever
// the server reports them lost.
#ifndef GATEHOUSE_GUARD_GRABS_H
#define GATEHOUSE_GUARD_GRABS_H

#include <X11/Xlib.h>
#include <stdbool.h>

// Tries once to hold both grabs. Returns true when both are held.
bool grabs_take(Display *display, Window root, Cursor cursor);

// Takes both grabs, retrying while another client holds one (a menu, a window
// manager's key binding, another locker), as xsecurelock does: the first retry
// also moves the input focus to the root, which closes most menus. Gives up
// after timeout_ms.
bool grabs_take_with_retries(Display *display, Window root, Cursor cursor, int timeout_ms);

// The pointer grab's cursor (an arrow while the UI shows, invisible otherwise).
void grabs_set_cursor(Display *display, Cursor cursor);

void grabs_release(Display *display);

#endif
