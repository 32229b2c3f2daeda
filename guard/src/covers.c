#include "covers.h"

#include <X11/Xatom.h>
#include <X11/Xutil.h>
#include <X11/extensions/Xrandr.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

static void set_names(Display *display, Window window, const char *name) {
  XStoreName(display, window, name);
  XClassHint class_hint = {.res_name = "gatehouse-guard", .res_class = "Gatehouse-guard"};
  XSetClassHint(display, window, &class_hint);
}

// The monitors to cover: RandR 1.5 monitors, else the whole root window.
static int read_monitors(struct covers *covers, struct panel *out) {
  int count = 0;
  if (covers->have_randr) {
    int n = 0;
    XRRMonitorInfo *monitors = XRRGetMonitors(covers->display, covers->root, True, &n);
    for (int i = 0; monitors != NULL && i < n && count < MAX_PANELS; i++) {
      if (monitors[i].width <= 0 || monitors[i].height <= 0) continue;
      out[count++] = (struct panel){
          .name = monitors[i].name,
          .x = monitors[i].x,
          .y = monitors[i].y,
          .width = monitors[i].width,
          .height = monitors[i].height,
          .primary = monitors[i].primary != 0,
      };
    }
    if (monitors != NULL) XRRFreeMonitors(monitors);
  }
  if (count == 0) {
    out[count++] = (struct panel){.name = None, .x = 0, .y = 0, .width = covers->root_width,
                                  .height = covers->root_height, .primary = true};
  }
  // Exactly one primary: the one RandR names, else the first.
  int primary = -1;
  for (int i = 0; i < count; i++) {
    if (out[i].primary && primary < 0) primary = i;
    out[i].primary = false;
  }
  out[primary < 0 ? 0 : primary].primary = true;
  return count;
}

static struct panel *primary_panel(struct covers *covers) {
  for (int i = 0; i < covers->panel_count; i++) {
    if (covers->panels[i].primary) return &covers->panels[i];
  }
  return covers->panel_count > 0 ? &covers->panels[0] : NULL;
}

static Window create_panel(struct covers *covers, const struct panel *panel) {
  XSetWindowAttributes attributes = {
      .background_pixel = covers->background_pixel,
      .cursor = covers->invisible_cursor,
  };
  Window window = XCreateWindow(covers->display, covers->background, panel->x, panel->y,
                                (unsigned)panel->width, (unsigned)panel->height, 0, CopyFromParent,
                                InputOutput, CopyFromParent, CWBackPixel | CWCursor, &attributes);
  char name[160];
  char *monitor = panel->name != None ? XGetAtomName(covers->display, panel->name) : NULL;
  snprintf(name, sizeof(name), "gatehouse-guard panel %s", monitor != NULL ? monitor : "screen");
  if (monitor != NULL) XFree(monitor);
  set_names(covers->display, window, name);
  XSelectInput(covers->display, window, StructureNotifyMask | ExposureMask);
  return window;
}

static void draw_emergency(struct covers *covers, const struct panel *panel) {
  if (covers->emergency_lines == NULL || covers->font == NULL) return;
  int lines = 0;
  while (covers->emergency_lines[lines] != NULL) lines++;
  int line_height = covers->font->ascent + covers->font->descent + 6;
  int y = (panel->height - lines * line_height) / 2 + covers->font->ascent;
  XClearWindow(covers->display, panel->window);
  for (int i = 0; i < lines; i++, y += line_height) {
    const char *text = covers->emergency_lines[i];
    int length = (int)strlen(text);
    int width = XTextWidth(covers->font, text, length);
    int x = (panel->width - width) / 2;
    XDrawString(covers->display, panel->window, covers->gc, x < 8 ? 8 : x, y, text, length);
  }
}

// Brings the panels in line with the monitors: panels are kept by monitor name,
// moved or resized in place, created for new monitors and destroyed for gone
// ones. The hosted window moves to the new primary panel before anything goes.
static void sync_panels(struct covers *covers) {
  struct panel wanted[MAX_PANELS];
  int wanted_count = read_monitors(covers, wanted);
  bool mapped = covers->background_mapped;
  for (int i = 0; i < wanted_count; i++) {
    for (int j = 0; j < covers->panel_count; j++) {
      if (covers->panels[j].window != None && covers->panels[j].name == wanted[i].name) {
        wanted[i].window = covers->panels[j].window;
        wanted[i].mapped = covers->panels[j].mapped;
        covers->panels[j].window = None;  // taken over
        XMoveResizeWindow(covers->display, wanted[i].window, wanted[i].x, wanted[i].y,
                          (unsigned)wanted[i].width, (unsigned)wanted[i].height);
        break;
      }
    }
    if (wanted[i].window == None) {
      wanted[i].window = create_panel(covers, &wanted[i]);
      if (mapped) XMapRaised(covers->display, wanted[i].window);
      log_event("panel-added", "\"x\":%d,\"y\":%d,\"width\":%d,\"height\":%d", wanted[i].x,
                wanted[i].y, wanted[i].width, wanted[i].height);
    }
  }
  Window gone[MAX_PANELS];
  int gone_count = 0;
  for (int j = 0; j < covers->panel_count; j++) {
    if (covers->panels[j].window != None) gone[gone_count++] = covers->panels[j].window;
  }
  memcpy(covers->panels, wanted, sizeof(wanted[0]) * (size_t)wanted_count);
  covers->panel_count = wanted_count;
  if (covers->hosted != None) covers_host(covers, covers->hosted);
  for (int i = 0; i < gone_count; i++) {
    XDestroyWindow(covers->display, gone[i]);
    log_event("panel-removed", NULL);
  }
  if (covers->emergency_lines != NULL) {
    for (int i = 0; i < covers->panel_count; i++) draw_emergency(covers, &covers->panels[i]);
  }
}

bool covers_create(struct covers *covers, Display *display, unsigned long background_pixel) {
  int screen = DefaultScreen(display);
  *covers = (struct covers){
      .display = display,
      .root = RootWindow(display, screen),
      .background_pixel = background_pixel,
      .text_pixel = WhitePixel(display, screen),
      .root_width = DisplayWidth(display, screen),
      .root_height = DisplayHeight(display, screen),
      .hosted = None,
  };
  int error_base = 0, major = 0, minor = 0;
  covers->have_randr = XRRQueryExtension(display, &covers->randr_event_base, &error_base) &&
                       XRRQueryVersion(display, &major, &minor) &&
                       (major > 1 || (major == 1 && minor >= 5));
  if (!covers->have_randr) log_event("randr-unavailable", "\"major\":%d,\"minor\":%d", major, minor);

  // An invisible cursor while no UI is up (as xsecurelock does).
  static char empty[1] = {0};
  Pixmap blank = XCreateBitmapFromData(display, covers->root, empty, 1, 1);
  XColor black = {0};
  covers->invisible_cursor = XCreatePixmapCursor(display, blank, blank, &black, &black, 0, 0);
  XFreePixmap(display, blank);

  XSetWindowAttributes attributes = {
      .background_pixel = background_pixel,
      .override_redirect = True,
      .cursor = covers->invisible_cursor,
  };
  covers->background = XCreateWindow(display, covers->root, 0, 0, (unsigned)covers->root_width,
                                     (unsigned)covers->root_height, 0, CopyFromParent, InputOutput,
                                     CopyFromParent, CWBackPixel | CWOverrideRedirect | CWCursor,
                                     &attributes);
  if (covers->background == None) return false;
  set_names(display, covers->background, "gatehouse-guard cover");
  // Compositors that honour it leave the cover alone.
  Atom bypass = XInternAtom(display, "_NET_WM_BYPASS_COMPOSITOR", False);
  long one = 1;
  XChangeProperty(display, covers->background, bypass, XA_CARDINAL, 32, PropModeReplace,
                  (unsigned char *)&one, 1);
  XSelectInput(display, covers->background, StructureNotifyMask | VisibilityChangeMask);
  XSelectInput(display, covers->root, StructureNotifyMask | FocusChangeMask);
  if (covers->have_randr) XRRSelectInput(display, covers->root, RRScreenChangeNotifyMask);

  covers->font = XLoadQueryFont(display, "-misc-fixed-bold-r-normal--18-*-*-*-*-*-iso8859-1");
  if (covers->font == NULL) covers->font = XLoadQueryFont(display, "fixed");
  XGCValues values = {.foreground = covers->text_pixel, .background = background_pixel};
  covers->gc = XCreateGC(display, covers->background, GCForeground | GCBackground, &values);
  if (covers->font != NULL) XSetFont(display, covers->gc, covers->font->fid);

  sync_panels(covers);
  return true;
}

void covers_map(struct covers *covers) {
  for (int i = 0; i < covers->panel_count; i++) XMapWindow(covers->display, covers->panels[i].window);
  XMapRaised(covers->display, covers->background);
  XClearWindow(covers->display, covers->background);
}

bool covers_mapped(const struct covers *covers) {
  if (!covers->background_mapped) return false;
  for (int i = 0; i < covers->panel_count; i++) {
    if (!covers->panels[i].mapped) return false;
  }
  return true;
}

bool covers_complete(const struct covers *covers) {
  return covers_mapped(covers) && covers->background_visible;
}

Window covers_focus_window(const struct covers *covers) {
  return covers->hosted != None ? covers->hosted : covers->background;
}

static struct panel *panel_of(struct covers *covers, Window window) {
  for (int i = 0; i < covers->panel_count; i++) {
    if (covers->panels[i].window == window) return &covers->panels[i];
  }
  return NULL;
}

void covers_host(struct covers *covers, Window window) {
  struct panel *panel = primary_panel(covers);
  if (panel == NULL) return;
  covers->hosted = window;
  XSelectInput(covers->display, window, StructureNotifyMask);
  XReparentWindow(covers->display, window, panel->window, 0, 0);
  XMoveResizeWindow(covers->display, window, 0, 0, (unsigned)panel->width, (unsigned)panel->height);
  XMapRaised(covers->display, window);
}

bool covers_hosted_origin(struct covers *covers, int *x, int *y) {
  struct panel *panel = primary_panel(covers);
  if (covers->hosted == None || panel == NULL) return false;
  *x = panel->x;
  *y = panel->y;
  return true;
}

void covers_show_emergency(struct covers *covers, const char *const *lines) {
  covers->emergency_lines = lines;
  for (int i = 0; i < covers->panel_count; i++) draw_emergency(covers, &covers->panels[i]);
}

// Something else changed one of our windows: put it back.
static void restore_background(struct covers *covers) {
  XMoveResizeWindow(covers->display, covers->background, 0, 0, (unsigned)covers->root_width,
                    (unsigned)covers->root_height);
  XMapRaised(covers->display, covers->background);
  XClearWindow(covers->display, covers->background);
}

bool covers_handle_event(struct covers *covers, XEvent *event) {
  Display *display = covers->display;
  if (covers->have_randr && event->type == covers->randr_event_base + RRScreenChangeNotify) {
    XRRUpdateConfiguration(event);
    sync_panels(covers);
    return true;
  }
  switch (event->type) {
    case ConfigureNotify: {
      XConfigureEvent *configure = &event->xconfigure;
      if (configure->window == covers->root) {
        covers->root_width = configure->width;
        covers->root_height = configure->height;
        restore_background(covers);
        sync_panels(covers);
        log_event("screen-resized", "\"width\":%d,\"height\":%d", configure->width, configure->height);
        return true;
      }
      if (configure->window == covers->background) {
        if (configure->x != 0 || configure->y != 0 || configure->width != covers->root_width ||
            configure->height != covers->root_height) {
          log_event("cover-moved-back", NULL);
          restore_background(covers);
        }
        return true;
      }
      if (configure->window == covers->hosted) {
        struct panel *panel = primary_panel(covers);
        if (panel != NULL && (configure->x != 0 || configure->y != 0 ||
                              configure->width != panel->width || configure->height != panel->height)) {
          XMoveResizeWindow(display, covers->hosted, 0, 0, (unsigned)panel->width, (unsigned)panel->height);
        }
        return true;
      }
      return panel_of(covers, configure->window) != NULL;
    }
    case MapNotify:
      if (event->xmap.window == covers->background) {
        covers->background_mapped = true;
        return true;
      }
      if (panel_of(covers, event->xmap.window) != NULL) {
        panel_of(covers, event->xmap.window)->mapped = true;
        return true;
      }
      return event->xmap.window == covers->hosted;
    case UnmapNotify:
      if (event->xunmap.window == covers->background) {
        log_event("cover-unmapped-by-another-client", NULL);
        covers->background_mapped = false;
        restore_background(covers);
        return true;
      }
      if (panel_of(covers, event->xunmap.window) != NULL) {
        panel_of(covers, event->xunmap.window)->mapped = false;
        XMapWindow(display, event->xunmap.window);
        return true;
      }
      return event->xunmap.window == covers->hosted;
    case VisibilityNotify:
      if (event->xvisibility.window != covers->background) return false;
      covers->background_visible = event->xvisibility.state == VisibilityUnobscured;
      if (!covers->background_visible) {
        // Something (an override-redirect notification, a compositor) went above.
        log_event("cover-obscured", NULL);
        XRaiseWindow(display, covers->background);
      }
      return true;
    case Expose: {
      struct panel *panel = panel_of(covers, event->xexpose.window);
      if (panel != NULL && event->xexpose.count == 0) draw_emergency(covers, panel);
      return panel != NULL;
    }
    case DestroyNotify:
      if (event->xdestroywindow.window == covers->hosted) {
        covers->hosted = None;
        log_event("ui-window-gone", NULL);
        return true;
      }
      return false;
    case ReparentNotify:
      if (event->xreparent.window == covers->hosted && panel_of(covers, event->xreparent.parent) == NULL) {
        // Taken out of our panel by someone: no longer ours to show.
        covers->hosted = None;
        log_event("ui-window-taken-away", NULL);
      }
      return event->xreparent.window == covers->hosted;
    default:
      return false;
  }
}

void covers_destroy(struct covers *covers) {
  if (covers->background != None) XDestroyWindow(covers->display, covers->background);
  covers->background = None;
  covers->hosted = None;
  covers->panel_count = 0;
  if (covers->gc != NULL) XFreeGC(covers->display, covers->gc);
  covers->gc = NULL;
  if (covers->font != NULL) XFreeFont(covers->display, covers->font);
  covers->font = NULL;
  XFreeCursor(covers->display, covers->invisible_cursor);
}
