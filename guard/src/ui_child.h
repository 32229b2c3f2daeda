// The UI child and its private channel.
//
// The guard starts the UI (the Electron lock screen, or any program speaking the
// contract in guard/README.md) with one end of a fresh socketpair as its fd 3 and
// GATEHOUSE_GUARD_FD=3 in its environment; the child inherits no other
// descriptor but 0-2. Messages are lines of ASCII. The guard reads its end with
// SO_PASSCRED: the kernel stamps every message with the sending process, so bytes
// from any process but the child itself (a grandchild that inherited the fd, a
// process that got it passed) are dropped, whatever they say.
#ifndef GATEHOUSE_GUARD_UI_CHILD_H
#define GATEHOUSE_GUARD_UI_CHILD_H

#include <X11/Xlib.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define UI_LINE_MAX 256

enum ui_message_type { UI_WINDOW, UI_PONG, UI_UNLOCKED, UI_INVALID };

struct ui_message {
  enum ui_message_type type;
  unsigned long value;  // the window id (UI_WINDOW) or the ping number (UI_PONG)
};

struct ui_child {
  pid_t pid;  // 0 when no UI runs
  int fd;     // the guard's end of the channel, -1 when closed
  char line[UI_LINE_MAX + 1];
  size_t line_length;
  bool discarding;  // inside an over-long line
  int invalid_messages;
  double started_at;
  double last_pong_at;
  unsigned long pings_sent;
  bool window_shown;
};

// Starts ARGV as the UI child in its own process group. False if fork failed.
bool ui_start(struct ui_child *ui, char *const argv[]);

// Reads what the channel has. Calls ON_MESSAGE for every complete line the child
// itself sent. Returns false at end of file or on an error (the fd is closed).
bool ui_read(struct ui_child *ui, void (*on_message)(const struct ui_message *message, void *context),
             void *context);

// Sends one line (without its newline). Drops it if the child does not read.
void ui_send(struct ui_child *ui, const char *format, ...) __attribute__((format(printf, 2, 3)));

// SIGKILL to the child's process group.
void ui_kill(struct ui_child *ui);

// Forgets the child after it was reaped; closes the channel.
void ui_forget(struct ui_child *ui);

// Parses one line of the child's side of the contract.
struct ui_message ui_parse(const char *line);

#endif
