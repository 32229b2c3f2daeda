// gatehouse-guard: the part of the lock screen that cannot crash open.
//
// It covers every output with its own windows, holds the keyboard and pointer
// grabs, and only then starts the lock screen UI as its child. The UI shows its
// conversation window inside the guard's cover and gets its input from the guard
// over a private channel. The guard ends, releasing the screen, only when its
// child says "unlocked" on that channel; any other end of the UI restarts it, a
// few times, then the guard shows its own emergency cover and stays. It holds no
// secret: PAM runs in the UI.
//
// See guard/README.md for the command line and the child contract.
#define _GNU_SOURCE
#include <X11/Xlib.h>
#include <X11/Xatom.h>
#include <X11/extensions/XRes.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "covers.h"
#include "grabs.h"
#include "input.h"
#include "log.h"
#include "ui_child.h"

enum exit_status {
  EXIT_UNLOCKED = 0,
  EXIT_USAGE = 1,
  EXIT_CANNOT_LOCK = 2,
  EXIT_DISPLAY_LOST = 4,
};

struct options {
  int max_restarts;
  int restart_window_ms;
  int grab_timeout_ms;
  int ping_interval_ms;
  int hang_timeout_ms;
  int start_timeout_ms;
  unsigned long background_rgb;
  const char *recovery;
  char **child_argv;
};

#define MAX_FAILURES 64

struct guard {
  struct options options;
  Display *display;
  Window root;
  struct covers covers;
  struct input input;
  struct ui_child ui;
  int signal_fd;
  int sleep_lock_fd;
  double mapped_at;  // when every cover window was first mapped (0: not yet)
  bool covered;
  bool emergency;
  Window previous_focus;
  int previous_revert;
  Cursor arrow_cursor;
  bool arrow_shown;
  double failures[MAX_FAILURES];
  int failure_count;
  double restart_at;  // 0: no restart pending
  double next_ping_at;
  char emergency_text[7][256];
  const char *emergency_lines[8];
};

static struct guard *the_guard;  // for the X error handlers

static const char USAGE[] =
    "usage: gatehouse-guard [OPTIONS] -- PROGRAM [ARGUMENTS...]\n"
    "Covers every output, grabs keyboard and pointer, then runs PROGRAM as the lock\n"
    "screen UI with a private channel on fd 3 (GATEHOUSE_GUARD_FD=3); releases the\n"
    "screen only when PROGRAM sends \"unlocked\" on it. See guard/README.md.\n"
    "  --max-restarts N        UI restarts within the window before the emergency cover (3)\n"
    "  --restart-window-ms MS  (60000)\n"
    "  --grab-timeout-ms MS    how long to retry the grabs before giving up (2000)\n"
    "  --ping-interval-ms MS   (1000)\n"
    "  --hang-timeout-ms MS    a UI that answers no ping this long is restarted (10000)\n"
    "  --start-timeout-ms MS   a UI that shows no window this long is restarted (30000)\n"
    "  --background RRGGBB     the cover's colour (101318)\n"
    "  --recovery TEXT         how to recover from a text console, for the emergency cover\n"
    "exit status: 0 unlocked, 1 usage, 2 cannot lock here, 4 display lost, 128+N signal N\n";

static bool parse_int(const char *text, int minimum, int *out) {
  char *end = NULL;
  errno = 0;
  long value = strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value < minimum || value > 86400000L) return false;
  *out = (int)value;
  return true;
}

static void parse_options(int argc, char **argv, struct options *options) {
  *options = (struct options){
      .max_restarts = 3,
      .restart_window_ms = 60000,
      .grab_timeout_ms = 2000,
      .ping_interval_ms = 1000,
      .hang_timeout_ms = 10000,
      .start_timeout_ms = 30000,
      .background_rgb = 0x101318,
  };
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    const char *value = i + 1 < argc ? argv[i + 1] : NULL;
    bool ok = true;
    if (strcmp(arg, "--") == 0) {
      if (i + 1 >= argc) break;
      options->child_argv = &argv[i + 1];
      return;
    } else if (strcmp(arg, "--help") == 0) {
      fputs(USAGE, stdout);
      exit(0);
    } else if (value == NULL) {
      ok = false;
    } else if (strcmp(arg, "--max-restarts") == 0) {
      ok = parse_int(value, 0, &options->max_restarts) && options->max_restarts < MAX_FAILURES;
    } else if (strcmp(arg, "--restart-window-ms") == 0) {
      ok = parse_int(value, 1, &options->restart_window_ms);
    } else if (strcmp(arg, "--grab-timeout-ms") == 0) {
      ok = parse_int(value, 0, &options->grab_timeout_ms);
    } else if (strcmp(arg, "--ping-interval-ms") == 0) {
      ok = parse_int(value, 10, &options->ping_interval_ms);
    } else if (strcmp(arg, "--hang-timeout-ms") == 0) {
      ok = parse_int(value, 10, &options->hang_timeout_ms);
    } else if (strcmp(arg, "--start-timeout-ms") == 0) {
      ok = parse_int(value, 10, &options->start_timeout_ms);
    } else if (strcmp(arg, "--background") == 0) {
      char *end = NULL;
      options->background_rgb = strtoul(value, &end, 16);
      ok = strlen(value) == 6 && *end == '\0';
    } else if (strcmp(arg, "--recovery") == 0) {
      options->recovery = value;
      ok = strlen(value) < 200;
    } else {
      ok = false;
    }
    if (!ok) {
      fprintf(stderr, "gatehouse-guard: bad option %s\n%s", arg, USAGE);
      exit(EXIT_USAGE);
    }
    i++;
  }
  fprintf(stderr, "gatehouse-guard: no program to run as the UI (after --)\n%s", USAGE);
  exit(EXIT_USAGE);
}

// ----------------------------------------------------------------- X errors

static int trapped_error;

static int on_x_error(Display *display, XErrorEvent *error) {
  trapped_error = error->error_code;
  char text[128];
  XGetErrorText(display, error->error_code, text, sizeof(text));
  log_text("x-error", text);
  return 0;
}

static int on_io_error(Display *display) {
  (void)display;
  log_event("display-lost", NULL);
  if (the_guard != NULL) ui_kill(&the_guard->ui);
  _exit(EXIT_DISPLAY_LOST);
}

// ----------------------------------------------------------------- the UI's window

// The process that created WINDOW: X-Resource's client id, else _NET_WM_PID.
static pid_t window_owner(Display *display, Window window) {
  int event_base, error_base;
  if (XResQueryExtension(display, &event_base, &error_base)) {
    XResClientIdSpec spec = {.client = window, .mask = XRES_CLIENT_ID_PID_MASK};
    long count = 0;
    XResClientIdValue *ids = NULL;
    pid_t pid = -1;
    if (XResQueryClientIds(display, 1, &spec, &count, &ids) == Success) {
      for (long i = 0; i < count; i++) {
        if (XResGetClientIdType(&ids[i]) == XRES_CLIENT_ID_PID) pid = XResGetClientPid(&ids[i]);
      }
      XResClientIdsDestroy(count, ids);
    }
    return pid;
  }
  Atom property = XInternAtom(display, "_NET_WM_PID", False);
  Atom type;
  int format;
  unsigned long items, after;
  unsigned char *data = NULL;
  pid_t pid = -1;
  if (XGetWindowProperty(display, window, property, 0, 1, False, XA_CARDINAL, &type, &format, &items,
                         &after, &data) == Success && data != NULL && items == 1 && format == 32) {
    pid = (pid_t)(*(unsigned long *)data);
  }
  if (data != NULL) XFree(data);
  return pid;
}

// Only a window of the UI process itself is shown above the cover.
static bool window_acceptable(struct guard *guard, Window window) {
  if (window == guard->covers.background || window == guard->root) return false;
  for (int i = 0; i < guard->covers.panel_count; i++) {
    if (window == guard->covers.panels[i].window) return false;
  }
  XSync(guard->display, False);
  trapped_error = 0;
  XWindowAttributes attributes;
  Status ok = XGetWindowAttributes(guard->display, window, &attributes);
  XSync(guard->display, False);
  if (!ok || trapped_error != 0 || attributes.class != InputOutput) {
    log_event("window-refused", "\"reason\":\"no such window\"");
    return false;
  }
  pid_t owner = window_owner(guard->display, window);
  if (owner != guard->ui.pid) {
    log_event("window-refused", "\"reason\":\"not a window of the UI process\",\"owner\":%d", (int)owner);
    return false;
  }
  return true;
}

static void show_arrow(struct guard *guard, bool arrow) {
  if (guard->arrow_shown == arrow) return;
  guard->arrow_shown = arrow;
  grabs_set_cursor(guard->display, arrow ? guard->arrow_cursor : guard->covers.invisible_cursor);
}

// ----------------------------------------------------------------- the UI's life

static void start_ui(struct guard *guard) {
  guard->restart_at = 0;
  if (!ui_start(&guard->ui, guard->options.child_argv)) {
    guard->restart_at = now_ms() + 1000;
    return;
  }
  guard->next_ping_at = now_ms() + guard->options.ping_interval_ms;
}

static void enter_emergency(struct guard *guard) {
  if (guard->emergency) return;
  guard->emergency = true;
  guard->restart_at = 0;
  ui_kill(&guard->ui);
  const struct passwd *user = getpwuid(getuid());
  char recovery[220];
  if (guard->options.recovery != NULL) {
    snprintf(recovery, sizeof(recovery), "%s", guard->options.recovery);
  } else {
    snprintf(recovery, sizeof(recovery), "kill %d", (int)getpid());
  }
  snprintf(guard->emergency_text[0], 256, "The lock screen could not be started.");
  snprintf(guard->emergency_text[1], 256, "This session stays locked.");
  snprintf(guard->emergency_text[2], 256, " ");
  snprintf(guard->emergency_text[3], 256, "To unlock it, switch to a text console (Ctrl+Alt+F3), log in as %s and run:",
           user != NULL ? user->pw_name : "this user");
  snprintf(guard->emergency_text[4], 256, "    %s", recovery);
  snprintf(guard->emergency_text[5], 256, " ");
  snprintf(guard->emergency_text[6], 256, "The log of the lock screen says what failed.");
  for (int i = 0; i < 7; i++) guard->emergency_lines[i] = guard->emergency_text[i];
  guard->emergency_lines[7] = NULL;
  covers_show_emergency(&guard->covers, guard->emergency_lines);
  show_arrow(guard, false);
  log_event("emergency", "\"failures\":%d", guard->failure_count);
  puts("emergency");
  fflush(stdout);
}

// The UI ended without unlocking (exit, crash, kill) or was given up on.
static void ui_failed(struct guard *guard) {
  double now = now_ms();
  int recent = 0;
  for (int i = 0; i < guard->failure_count; i++) {
    if (now - guard->failures[i] < guard->options.restart_window_ms) guard->failures[recent++] = guard->failures[i];
  }
  guard->failure_count = recent;
  if (guard->failure_count < MAX_FAILURES) guard->failures[guard->failure_count++] = now;
  if (guard->failure_count > guard->options.max_restarts) {
    enter_emergency(guard);
  } else if (!guard->emergency) {
    guard->restart_at = now + 250;  // no hot loop, and no visible gap either: the cover stays
  }
}

static void ui_exited(struct guard *guard, int status) {
  if (WIFSIGNALED(status)) {
    log_event("ui-exited", "\"pid\":%d,\"signal\":%d", (int)guard->ui.pid, WTERMSIG(status));
  } else {
    log_event("ui-exited", "\"pid\":%d,\"status\":%d", (int)guard->ui.pid, WEXITSTATUS(status));
  }
  ui_forget(&guard->ui);
  // The grabs never left the guard; take them again anyway, in case the server
  // let them go, and take the focus and cursor back from the UI's window.
  bool held = grabs_take(guard->display, guard->root, guard->covers.invisible_cursor);
  guard->arrow_shown = false;
  XSetInputFocus(guard->display, guard->covers.background, RevertToParent, CurrentTime);
  XSync(guard->display, False);
  log_event("grabs-reasserted", "\"held\":%s", held ? "true" : "false");
  ui_failed(guard);
}

// ----------------------------------------------------------------- ending

static void reap_children(struct guard *guard, int timeout_ms) {
  double deadline = now_ms() + timeout_ms;
  while (guard->ui.pid > 0) {
    int status;
    pid_t pid = waitpid(guard->ui.pid, &status, WNOHANG);
    if (pid == guard->ui.pid || (pid < 0 && errno == ECHILD)) {
      ui_forget(&guard->ui);
      return;
    }
    if (now_ms() >= deadline) {
      ui_kill(&guard->ui);
      waitpid(guard->ui.pid, &status, 0);
      ui_forget(&guard->ui);
      return;
    }
    nanosleep(&(struct timespec){.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000}, NULL);
  }
}

static void take_down(struct guard *guard) {
  covers_destroy(&guard->covers);
  grabs_release(guard->display);
  input_close(&guard->input);
  if (guard->previous_focus != None && guard->previous_focus != PointerRoot) {
    XSetInputFocus(guard->display, guard->previous_focus, guard->previous_revert, CurrentTime);
  }
  XSync(guard->display, False);
  if (guard->sleep_lock_fd >= 0) close(guard->sleep_lock_fd);
  guard->sleep_lock_fd = -1;
}

static void release(struct guard *guard) {
  log_event("unlock-accepted", "\"pid\":%d", (int)guard->ui.pid);
  take_down(guard);
  log_event("released", NULL);
  puts("released");
  fflush(stdout);
  // The UI ends by itself after an unlock; it must not outlive the guard.
  reap_children(guard, 5000);
  XCloseDisplay(guard->display);
  exit(EXIT_UNLOCKED);
}

static void end_by_signal(struct guard *guard, int signal_number) {
  log_event("signalled", "\"signal\":%d", signal_number);
  ui_kill(&guard->ui);
  reap_children(guard, 1000);
  take_down(guard);
  XCloseDisplay(guard->display);
  exit(128 + signal_number);
}

// ----------------------------------------------------------------- events

static void on_message(const struct ui_message *message, void *context) {
  struct guard *guard = context;
  switch (message->type) {
    case UI_UNLOCKED:
      release(guard);
      break;
    case UI_PONG:
      guard->ui.last_pong_at = now_ms();
      break;
    case UI_WINDOW: {
      Window window = (Window)message->value;
      if (guard->emergency || !window_acceptable(guard, window)) {
        ui_send(&guard->ui, "refused 0x%lx", (unsigned long)window);
        break;
      }
      covers_host(&guard->covers, window);
      XSetInputFocus(guard->display, window, RevertToParent, CurrentTime);
      show_arrow(guard, true);
      XSync(guard->display, False);
      guard->ui.window_shown = true;
      log_event("ui-window-shown", "\"window\":\"0x%lx\"", (unsigned long)window);
      ui_send(&guard->ui, "hosted 0x%lx", (unsigned long)window);
      break;
    }
    case UI_INVALID:
      break;
  }
}

static void handle_x_event(struct guard *guard, XEvent *event) {
  if (XFilterEvent(event, None)) return;
  if (covers_handle_event(&guard->covers, event)) {
    if (guard->covers.hosted == None) show_arrow(guard, false);
    return;
  }
  int origin_x, origin_y;
  switch (event->type) {
    case KeyPress:
    case KeyRelease:
      if (guard->covers.hosted != None && guard->ui.fd >= 0) {
        input_forward_key(&guard->input, &guard->ui, &event->xkey);
      }
      explicit_bzero(event, sizeof(*event));
      break;
    case ButtonPress:
    case ButtonRelease:
    case MotionNotify:
      if (guard->ui.fd >= 0 && covers_hosted_origin(&guard->covers, &origin_x, &origin_y)) {
        input_forward_pointer(&guard->ui, event, origin_x, origin_y);
      }
      break;
    case FocusOut:
      // The server took the grab from us (as when a passive grab that started the
      // locker ends): take it back at once.
      if (event->xfocus.window == guard->root && event->xfocus.mode == NotifyUngrab) {
        bool held = grabs_take(guard->display, guard->root,
                               guard->arrow_shown ? guard->arrow_cursor : guard->covers.invisible_cursor);
        log_event("grabs-reasserted", "\"held\":%s,\"after\":\"ungrab\"", held ? "true" : "false");
      }
      break;
    default:
      break;
  }
}

static void handle_signals(struct guard *guard) {
  struct signalfd_siginfo info;
  while (read(guard->signal_fd, &info, sizeof(info)) == (ssize_t)sizeof(info)) {
    if (info.ssi_signo != SIGCHLD) end_by_signal(guard, (int)info.ssi_signo);
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
      if (pid != guard->ui.pid) continue;
      // What the UI said before it ended is still in the channel: "unlocked" and
      // then exit is the normal way for it to end.
      if (guard->ui.fd >= 0) ui_read(&guard->ui, on_message, guard);
      ui_exited(guard, status);
    }
  }
}

// How long the covers may stay obscured after mapping (another override-redirect
// window that keeps raising itself) before the UI starts anyway: a lock screen
// nobody can unlock would be worse.
#define OBSCURED_GRACE_MS 2000

// The covers are up and nothing is above them: tell the parent, let go of
// xss-lock's sleep lock, start the UI.
static void on_covered(struct guard *guard) {
  guard->covered = true;
  log_event("covered", "\"panels\":%d", guard->covers.panel_count);
  puts("covered");
  fflush(stdout);
  if (guard->sleep_lock_fd >= 0) {
    close(guard->sleep_lock_fd);
    guard->sleep_lock_fd = -1;
    log_event("sleep-lock-released", NULL);
  }
  start_ui(guard);
}

static void check_timers(struct guard *guard) {
  double now = now_ms();
  if (guard->restart_at > 0 && now >= guard->restart_at && guard->ui.pid == 0 && !guard->emergency) {
    start_ui(guard);
  }
  if (guard->ui.pid <= 0 || guard->emergency) return;
  if (now - guard->ui.last_pong_at > guard->options.hang_timeout_ms) {
    log_event("ui-hung", "\"pid\":%d,\"silentMs\":%.0f", (int)guard->ui.pid, now - guard->ui.last_pong_at);
    ui_kill(&guard->ui);  // reaped through SIGCHLD, then restarted
    guard->ui.last_pong_at = now;
  } else if (!guard->ui.window_shown && now - guard->ui.started_at > guard->options.start_timeout_ms) {
    log_event("ui-no-window", "\"pid\":%d", (int)guard->ui.pid);
    ui_kill(&guard->ui);
    guard->ui.started_at = now;
  } else if (guard->ui.invalid_messages > 32) {
    log_event("ui-misbehaving", "\"pid\":%d", (int)guard->ui.pid);
    ui_kill(&guard->ui);
    guard->ui.invalid_messages = 0;
  } else if (now >= guard->next_ping_at) {
    ui_send(&guard->ui, "ping %lu", ++guard->ui.pings_sent);
    guard->next_ping_at = now + guard->options.ping_interval_ms;
  }
}

static int poll_timeout(const struct guard *guard) {
  double now = now_ms();
  double next = -1;
  if (guard->restart_at > 0) next = guard->restart_at;
  if (!guard->covered && guard->mapped_at > 0) {
    double grace = guard->mapped_at + OBSCURED_GRACE_MS + 1;
    if (next < 0 || grace < next) next = grace;
  }
  if (guard->ui.pid > 0 && !guard->emergency) {
    double ping = guard->next_ping_at;
    double hang = guard->ui.last_pong_at + guard->options.hang_timeout_ms;
    if (next < 0 || ping < next) next = ping;
    if (hang < next) next = hang;
  }
  if (next < 0) return -1;
  return next <= now ? 0 : (int)(next - now) + 1;
}

static void run(struct guard *guard) {
  int x_fd = ConnectionNumber(guard->display);
  for (;;) {
    while (XPending(guard->display) > 0) {
      XEvent event;
      XNextEvent(guard->display, &event);
      handle_x_event(guard, &event);
    }
    if (!guard->covered && guard->mapped_at == 0 && covers_mapped(&guard->covers)) guard->mapped_at = now_ms();
    if (!guard->covered && covers_complete(&guard->covers)) {
      on_covered(guard);
    } else if (!guard->covered && guard->mapped_at > 0 && now_ms() - guard->mapped_at > OBSCURED_GRACE_MS) {
      log_event("cover-still-obscured", "\"afterMs\":%d", OBSCURED_GRACE_MS);
      on_covered(guard);
    }
    check_timers(guard);
    XFlush(guard->display);
    struct pollfd fds[3] = {
        {.fd = x_fd, .events = POLLIN},
        {.fd = guard->signal_fd, .events = POLLIN},
        {.fd = guard->ui.fd, .events = POLLIN},
    };
    int ready = poll(fds, guard->ui.fd >= 0 ? 3 : 2, poll_timeout(guard));
    if (ready < 0 && errno != EINTR) {
      log_event("poll-failed", "\"errno\":%d", errno);
      end_by_signal(guard, SIGTERM);
    }
    if (ready <= 0) continue;
    if (fds[1].revents & POLLIN) handle_signals(guard);
    if (guard->ui.fd >= 0 && fds[2].revents != 0 && !ui_read(&guard->ui, on_message, guard)) {
      // The UI closed its end: it cannot unlock any more; end it (then restart).
      log_event("channel-closed", "\"pid\":%d", (int)guard->ui.pid);
      ui_kill(&guard->ui);
    }
  }
}

// ----------------------------------------------------------------- start

static int sleep_lock_from_environment(void) {
  const char *text = getenv("XSS_SLEEP_LOCK_FD");
  int fd;
  if (text == NULL || !parse_int(text, 3, &fd)) return -1;
  if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) return -1;  // not open: nothing to release
  unsetenv("XSS_SLEEP_LOCK_FD");
  return fd;
}

static int setup_signals(void) {
  sigset_t handled;
  sigemptyset(&handled);
  sigaddset(&handled, SIGCHLD);
  sigaddset(&handled, SIGTERM);
  sigaddset(&handled, SIGINT);
  sigaddset(&handled, SIGHUP);
  sigprocmask(SIG_BLOCK, &handled, NULL);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGUSR1, SIG_IGN);
  signal(SIGUSR2, SIG_IGN);
  return signalfd(-1, &handled, SFD_CLOEXEC | SFD_NONBLOCK);
}

static unsigned long pixel_of(Display *display, unsigned long rgb) {
  XColor color = {.red = (unsigned short)(((rgb >> 16) & 0xff) * 257),
                  .green = (unsigned short)(((rgb >> 8) & 0xff) * 257),
                  .blue = (unsigned short)((rgb & 0xff) * 257)};
  if (XAllocColor(display, DefaultColormap(display, DefaultScreen(display)), &color)) return color.pixel;
  return BlackPixel(display, DefaultScreen(display));
}

int main(int argc, char **argv) {
  static struct guard guard;
  the_guard = &guard;
  guard.ui = (struct ui_child){.pid = 0, .fd = -1};
  parse_options(argc, argv, &guard.options);
  setlocale(LC_CTYPE, "");

  // Die with the process that started us (the session's locker), and keep other
  // processes of the user from attaching a debugger to us.
  pid_t parent = getppid();
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != parent) return EXIT_CANNOT_LOCK;
  prctl(PR_SET_DUMPABLE, 0);
  if (chdir("/") != 0) return EXIT_CANNOT_LOCK;

  guard.sleep_lock_fd = sleep_lock_from_environment();
  guard.signal_fd = setup_signals();
  if (guard.signal_fd < 0) return EXIT_CANNOT_LOCK;

  const char *wayland = getenv("WAYLAND_DISPLAY");
  if (wayland != NULL && wayland[0] != '\0') {
    fprintf(stderr, "gatehouse-guard: this is a Wayland session: grabs on its X server (Xwayland) "
                    "would not stop Wayland clients; refusing to pretend to lock\n");
    return EXIT_CANNOT_LOCK;
  }
  guard.display = XOpenDisplay(NULL);
  if (guard.display == NULL) {
    fprintf(stderr, "gatehouse-guard: cannot open the display %s\n", getenv("DISPLAY") ? getenv("DISPLAY") : "(DISPLAY unset)");
    return EXIT_CANNOT_LOCK;
  }
  if (ScreenCount(guard.display) != 1) log_event("several-screens", "\"covered\":\"the default one only\"");
  XSetErrorHandler(on_x_error);
  XSetIOErrorHandler(on_io_error);
  guard.root = DefaultRootWindow(guard.display);
  XGetInputFocus(guard.display, &guard.previous_focus, &guard.previous_revert);
  if (!covers_create(&guard.covers, guard.display, pixel_of(guard.display, guard.options.background_rgb))) {
    fprintf(stderr, "gatehouse-guard: cannot create the cover windows\n");
    return EXIT_CANNOT_LOCK;
  }
  guard.arrow_cursor = XCreateFontCursor(guard.display, 2 /* XC_arrow */);

  // Grab first, then show: a lock that cannot grab must not look locked.
  if (!grabs_take_with_retries(guard.display, guard.root, guard.covers.invisible_cursor,
                               guard.options.grab_timeout_ms)) {
    fprintf(stderr, "gatehouse-guard: another client holds the keyboard or pointer; cannot lock\n");
    log_event("cannot-grab", NULL);
    return EXIT_CANNOT_LOCK;
  }
  log_event("grabbed", NULL);
  input_open(&guard.input, guard.display, guard.covers.background);
  covers_map(&guard.covers);
  XSetInputFocus(guard.display, guard.covers.background, RevertToParent, CurrentTime);
  XSync(guard.display, False);
  run(&guard);
  return 0;
}
