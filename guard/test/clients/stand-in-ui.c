// A stand-in for the Electron lock screen in the guard's tests: it speaks the
// child's side of the contract (guard/README.md) with a plain green window, and
// unlocks when the forwarded keys spell STANDIN_SECRET followed by Return.
//
// STANDIN_MODE chooses a behaviour:
//   normal            the contract, done right
//   exit-at-start     exits at once with status STANDIN_EXIT (default 1)
//   hang              shows its window, then never answers a ping
//   forge-grandchild  a forked grandchild (inheriting fd 3) writes "unlocked"; then normal
//   garbage           writes malformed lines, and "unlocked" on the wrong fds; then normal
//   foreign-window    asks the guard to show STANDIN_FOREIGN_WINDOW (someone else's); then normal
// STANDIN_LOG (a file) gets one line per thing that happened, for the test to read.
#include <X11/Xlib.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

static int fcntl_check(int fd) { return fcntl(fd, F_GETFD) != -1; }

static FILE *log_file;

static void note(const char *format, ...) {
  if (log_file == NULL) return;
  va_list args;
  va_start(args, format);
  vfprintf(log_file, format, args);
  va_end(args);
  fputc('\n', log_file);
  fflush(log_file);
}

static int channel;

static void say_bytes(const char *bytes, size_t length) {
  if (write(channel, bytes, length) != (ssize_t)length) note("write-failed %d", errno);
}

static void say(const char *text) { say_bytes(text, strlen(text)); }

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

int main(void) {
  const char *mode = getenv("STANDIN_MODE") ? getenv("STANDIN_MODE") : "normal";
  const char *secret = getenv("STANDIN_SECRET") ? getenv("STANDIN_SECRET") : "open sesame";
  // Which descriptors beyond 0-3 came from the guard (none should).
  int inherited[64], inherited_count = 0;
  for (int fd = 4; fd < 64; fd++) {
    if (fcntl_check(fd)) inherited[inherited_count++] = fd;
  }
  log_file = getenv("STANDIN_LOG") ? fopen(getenv("STANDIN_LOG"), "a") : NULL;
  const char *fd_text = getenv("GATEHOUSE_GUARD_FD");
  note("started %d fd=%s", (int)getpid(), fd_text ? fd_text : "none");
  for (int i = 0; i < inherited_count; i++) note("inherited-fd %d", inherited[i]);
  if (strcmp(mode, "exit-at-start") == 0) return getenv("STANDIN_EXIT") ? atoi(getenv("STANDIN_EXIT")) : 1;
  if (fd_text == NULL) return 2;
  channel = atoi(fd_text);

  if (strcmp(mode, "forge-grandchild") == 0) {
    pid_t pid = fork();
    if (pid == 0) {
      note("grandchild %d", (int)getpid());
      say("unlocked\n");
      _exit(0);
    }
    waitpid(pid, NULL, 0);
  }
  if (strcmp(mode, "garbage") == 0) {
    say("UNLOCKED\n");
    say("unlocked please\n");
    say(" unlocked\n");
    say("unlocked\r\n");
    say_bytes("unl\0ocked\n", 10);
    char long_line[1100];
    memset(long_line, 'x', sizeof(long_line));
    say_bytes(long_line, sizeof(long_line));
    say("unlocked\n");  // the end of the over-long line: still part of it
    say("window -5\n");
    say("window 0x\n");
    say("\xff\xfe\n");
    if (write(1, "unlocked\n", 9) < 0 || write(2, "unlocked\n", 9) < 0) note("stdio-closed");
    note("garbage-sent");
  }

  Display *display = XOpenDisplay(NULL);
  if (display == NULL) return 3;
  XSetWindowAttributes attributes = {.background_pixel = 0x00c000};
  Window window = XCreateWindow(display, DefaultRootWindow(display), 0, 0, 400, 300, 0, CopyFromParent,
                                InputOutput, CopyFromParent, CWBackPixel, &attributes);
  XStoreName(display, window, "stand-in-ui");
  XSync(display, False);
  char line[512];
  if (strcmp(mode, "foreign-window") == 0) {
    snprintf(line, sizeof(line), "window %s\n", getenv("STANDIN_FOREIGN_WINDOW"));
    say(line);
    note("asked-foreign %s", getenv("STANDIN_FOREIGN_WINDOW"));
  }
  snprintf(line, sizeof(line), "window 0x%lx\n", window);
  say(line);
  note("window 0x%lx", window);

  char typed[256] = "";
  char buffer[4096];
  size_t have = 0;
  for (;;) {
    fd_set fds;
    FD_ZERO(&fds);
    FD_SET(channel, &fds);
    if (select(channel + 1, &fds, NULL, NULL, NULL) < 0) continue;
    ssize_t n = read(channel, buffer + have, sizeof(buffer) - have - 1);
    if (n <= 0) {
      note("channel-closed");
      return 4;
    }
    have += (size_t)n;
    char *newline;
    while ((newline = memchr(buffer, '\n', have)) != NULL) {
      *newline = '\0';
      char kind[16] = "", action[16] = "", keysym[64] = "", text[160] = "";
      unsigned long number = 0;
      if (sscanf(buffer, "ping %lu", &number) == 1) {
        if (strcmp(mode, "hang") != 0) {
          snprintf(line, sizeof(line), "pong %lu\n", number);
          say(line);
        }
      } else if (sscanf(buffer, "%15s %15s %63s %*u %159s", kind, action, keysym, text) == 4 &&
                 strcmp(kind, "key") == 0 && strcmp(action, "press") == 0) {
        note("key %s", keysym);
        if (strcmp(keysym, "Return") == 0) {
          if (strcmp(typed, secret) == 0) {
            note("unlocking");
            say("unlocked\n");
            XCloseDisplay(display);
            return 0;
          }
          note("wrong");
          typed[0] = '\0';
        } else if (strcmp(text, "-") != 0) {
          size_t at = strlen(typed);
          for (size_t i = 0; text[i] && text[i + 1] && at + 1 < sizeof(typed); i += 2) {
            typed[at++] = (char)(hex_value(text[i]) * 16 + hex_value(text[i + 1]));
          }
          typed[at] = '\0';
        }
      } else if (strncmp(buffer, "hosted ", 7) == 0 || strncmp(buffer, "refused ", 8) == 0) {
        note("%s", buffer);
      } else if (strncmp(buffer, "button ", 7) == 0 || strncmp(buffer, "motion ", 7) == 0) {
        if (buffer[0] == 'b') note("%s", buffer);
      } else if (strncmp(buffer, "key ", 4) != 0) {
        note("unknown %s", buffer);
      }
      size_t used = (size_t)(newline - buffer) + 1;
      memmove(buffer, newline + 1, have - used);
      have -= used;
    }
  }
}
