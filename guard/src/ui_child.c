#define _GNU_SOURCE
#include "ui_child.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"

// The fd number the child finds its end of the channel at.
#define CHILD_FD 3

static void close_fds_from(int first) {
#ifdef SYS_close_range
  if (syscall(SYS_close_range, (unsigned)first, ~0U, 0) == 0) return;
#endif
  long max = sysconf(_SC_OPEN_MAX);
  for (int fd = first; fd < (max > 0 ? max : 1024); fd++) close(fd);
}

// In the forked child: a clean signal state, its own process group, death with
// the guard, exactly fds 0-3, then exec.
static void exec_child(int channel, pid_t guard, char *const argv[]) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  for (int signal_number = 1; signal_number < NSIG; signal_number++) signal(signal_number, SIG_DFL);
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != guard) _exit(127);
  int null = open("/dev/null", O_RDONLY);
  if (null < 0 || dup2(null, 0) < 0 || dup2(2, 1) < 0) _exit(127);
  if (channel != CHILD_FD && dup2(channel, CHILD_FD) < 0) _exit(127);
  fcntl(CHILD_FD, F_SETFD, 0);
  close_fds_from(CHILD_FD + 1);
  setenv("GATEHOUSE_GUARD_FD", "3", 1);
  execvp(argv[0], argv);
  fprintf(stderr, "gatehouse-guard: cannot run %s: %s\n", argv[0], strerror(errno));
  _exit(127);
}

bool ui_start(struct ui_child *ui, char *const argv[]) {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, pair) != 0) {
    log_event("channel-failed", "\"errno\":%d", errno);
    return false;
  }
  int one = 1;
  setsockopt(pair[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
  // The child's end blocks, as a program expects of an inherited descriptor.
  fcntl(pair[1], F_SETFL, fcntl(pair[1], F_GETFL) & ~O_NONBLOCK);
  pid_t guard = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    log_event("fork-failed", "\"errno\":%d", errno);
    close(pair[0]);
    close(pair[1]);
    return false;
  }
  if (pid == 0) exec_child(pair[1], guard, argv);
  close(pair[1]);
  setpgid(pid, pid);  // also here, so a kill of the group cannot miss
  *ui = (struct ui_child){.pid = pid, .fd = pair[0], .started_at = now_ms()};
  ui->last_pong_at = ui->started_at;
  log_event("ui-started", "\"pid\":%d", pid);
  return true;
}

struct ui_message ui_parse(const char *line) {
  struct ui_message message = {.type = UI_INVALID, .value = 0};
  char word[16];
  char number[32];
  char extra;
  if (strcmp(line, "unlocked") == 0) {
    message.type = UI_UNLOCKED;
    return message;
  }
  // "window 0x1a00003" or "window 27262979"; "pong 7".
  if (sscanf(line, "%15s %31s %c", word, number, &extra) != 2) return message;
  char *end = NULL;
  errno = 0;
  unsigned long value = strtoul(number, &end, 0);
  if (errno != 0 || end == number || *end != '\0' || number[0] == '-') return message;
  if (strcmp(word, "window") == 0 && value != 0 && value <= 0x1fffffffUL) {
    message.type = UI_WINDOW;
  } else if (strcmp(word, "pong") == 0) {
    message.type = UI_PONG;
  } else {
    return message;
  }
  message.value = value;
  return message;
}

// A complete line of the child's: parse it, count what is not a message.
static void take_line(struct ui_child *ui, void (*on_message)(const struct ui_message *, void *),
                      void *context) {
  ui->line[ui->line_length] = '\0';
  bool printable = true;
  for (size_t i = 0; i < ui->line_length; i++) {
    if (ui->line[i] < 0x20 || ui->line[i] > 0x7e) printable = false;
  }
  struct ui_message message = printable ? ui_parse(ui->line) : (struct ui_message){.type = UI_INVALID};
  if (message.type == UI_INVALID) {
    ui->invalid_messages++;
    // Never the content: a confused UI might put anything there.
    log_event("message-invalid", "\"length\":%zu,\"count\":%d", ui->line_length, ui->invalid_messages);
  } else {
    on_message(&message, context);
  }
  explicit_bzero(ui->line, sizeof(ui->line));
  ui->line_length = 0;
}

bool ui_read(struct ui_child *ui, void (*on_message)(const struct ui_message *, void *), void *context) {
  for (;;) {
    char data[1024];
    union {
      struct cmsghdr header;
      char space[CMSG_SPACE(sizeof(struct ucred))];
    } control;
    struct iovec iov = {.iov_base = data, .iov_len = sizeof(data)};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control,
                         .msg_controllen = sizeof(control)};
    ssize_t n = recvmsg(ui->fd, &msg, MSG_CMSG_CLOEXEC);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(ui->fd);
      ui->fd = -1;
      return false;
    }
    pid_t sender = -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
        struct ucred credentials;
        memcpy(&credentials, CMSG_DATA(c), sizeof(credentials));
        sender = credentials.pid;
      } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
        // Nobody passes us descriptors: close whatever came.
        int count = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        for (int i = 0; i < count; i++) {
          int fd;
          memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
          close(fd);
        }
      }
    }
    if (sender != ui->pid) {
      log_event("message-refused", "\"reason\":\"not sent by the UI process\",\"sender\":%d,\"ui\":%d,\"bytes\":%zd",
                (int)sender, (int)ui->pid, n);
      explicit_bzero(data, sizeof(data));
      continue;
    }
    for (ssize_t i = 0; i < n; i++) {
      char c = data[i];
      if (c == '\n') {
        if (ui->discarding) {
          ui->discarding = false;
          ui->line_length = 0;
        } else {
          take_line(ui, on_message, context);
        }
      } else if (ui->discarding) {
        continue;
      } else if (ui->line_length == UI_LINE_MAX) {
        ui->discarding = true;
        ui->invalid_messages++;
        log_event("message-invalid", "\"reason\":\"longer than %d bytes\",\"count\":%d", UI_LINE_MAX,
                  ui->invalid_messages);
        explicit_bzero(ui->line, sizeof(ui->line));
      } else {
        ui->line[ui->line_length++] = c;
      }
    }
    explicit_bzero(data, sizeof(data));
    if (ui->fd < 0) return false;
  }
}

void ui_send(struct ui_child *ui, const char *format, ...) {
  if (ui->fd < 0) return;
  char line[600];
  va_list args;
  va_start(args, format);
  int length = vsnprintf(line, sizeof(line) - 1, format, args);
  va_end(args);
  if (length < 0 || (size_t)length >= sizeof(line) - 1) return;
  line[length++] = '\n';
  ssize_t written = send(ui->fd, line, (size_t)length, MSG_NOSIGNAL | MSG_DONTWAIT);
  if (written != length) log_event("message-dropped", "\"errno\":%d", written < 0 ? errno : 0);
  explicit_bzero(line, sizeof(line));
}

void ui_kill(struct ui_child *ui) {
  if (ui->pid <= 0) return;
  kill(-ui->pid, SIGKILL);
  kill(ui->pid, SIGKILL);
}

void ui_forget(struct ui_child *ui) {
  if (ui->fd >= 0) close(ui->fd);
  explicit_bzero(ui->line, sizeof(ui->line));
  *ui = (struct ui_child){.pid = 0, .fd = -1};
}
