// The guard's windows: one override-redirect background the size of the root
// window (it covers every output, whatever RandR says), and in it one panel per
// RandR monitor. The UI's conversation window is hosted in the primary
// monitor's panel: reparented into it, so nothing can come between it and the
// cover, and when it goes (its process died) the panel is what shows.
#ifndef GATEHOUSE_GUARD_COVERS_H
#define GATEHOUSE_GUARD_COVERS_H

#include <X11/Xlib.h>
#include <stdbool.h>

#define MAX_PANELS 16

struct panel {
  Atom name;  // the RandR monitor's name (None without RandR)
  int x, y, width, height;
  bool primary;
  Window window;
  bool mapped;
};

struct covers {
  Display *display;
  Window root;
  unsigned long background_pixel;
  unsigned long text_pixel;
  Cursor invisible_cursor;
  bool have_randr;
  int randr_event_base;

  Window background;
  int root_width, root_height;
  bool background_mapped;
  bool background_visible;
  struct panel panels[MAX_PANELS];
  int panel_count;

  // The UI's window while hosted, else None.
  Window hosted;
  // When set, every panel shows these lines (the emergency cover).
  const char *const *emergency_lines;
  XFontStruct *font;
  GC gc;
};

// Creates the background and the panels (unmapped). False when X refused.
bool covers_create(struct covers *covers, Display *display, unsigned long background_pixel);
// Maps and raises every window.
void covers_map(struct covers *covers);
// Every window is mapped.
bool covers_mapped(const struct covers *covers);
// Every window is mapped, and the background is visible (nothing on top).
bool covers_complete(const struct covers *covers);
// Keeps the covers whole: resizes, restacks, remaps, follows monitor changes.
// Returns true when the event was about the guard's windows or the screen.
bool covers_handle_event(struct covers *covers, XEvent *event);
// The cover window the grabs and focus use.
Window covers_focus_window(const struct covers *covers);
// Hosts the UI's window in the primary panel, full size, mapped on top.
void covers_host(struct covers *covers, Window window);
// Where the hosted window's top left corner is on the root. False when none is hosted.
bool covers_hosted_origin(struct covers *covers, int *x, int *y);
// Puts the emergency text on every panel (NULL-terminated lines).
void covers_show_emergency(struct covers *covers, const char *const *lines);
// Destroys every window (a hosted window goes with them).
void covers_destroy(struct covers *covers);

#endif
