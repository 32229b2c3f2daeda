// gatehouse-passwd-pty: runs a program (the system's setuid passwd) in a fresh
// pseudo-terminal and relays it to the Gatehouse process that started it, over
// stdin/stdout, in frames: one type byte, a 4-byte big-endian length, the bytes.
//
// Node has no pseudo-terminals, and passwd (PAM's misc_conv) reads answers from
// its terminal only. What this helper adds beyond a plain relay is the terminal's
// echo flag: misc_conv turns echo off for a password prompt (after printing it,
// and with TCSAFLUSH, which drops input typed before). So the relay can tell a
// password prompt from an echoing one, knows when an answer can be written
// without being dropped, and never writes an answer for a hidden prompt while the
// terminal would echo it.
//
// Frames from the helper:
//   'o' output   bytes the program wrote to the terminal
//   'q' quiet    output has paused; payload "0" echo off, "1" echo on (sent again
//                when the flag changes while quiet)
//   'r' refused  an answer was not written: the echo flag was not as expected
//   'x' exited   "exit N" or "signal N", the last frame
// Frames to the helper:
//   'a' answer   first byte '0' (the prompt hides its answer) or '1' (it echoes),
//                then the answer (at most 512 bytes, no NUL or line break); written
//                with a newline, then wiped
// End of input ends the program (its terminal hangs up).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define QUIET_MS 40
#define ECHO_WATCH_MS 2000
#define MAX_ANSWER 512

// The answer being written: locked in memory, wiped after use.
static struct {
  unsigned char frame[1 + 4 + MAX_ANSWER + 2];
  size_t length;
} secret;

static double monotonic_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void write_all(int fd, const void *data, size_t length) {
  const unsigned char *p = data;
  while (length > 0) {
    ssize_t n = write(fd, p, length);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(3);  // Gatehouse went away
    p += n;
    length -= (size_t)n;
  }
}

static void send_frame(char type, const void *data, size_t length) {
  unsigned char header[5] = {(unsigned char)type, (unsigned char)(length >> 24), (unsigned char)(length >> 16),
                             (unsigned char)(length >> 8), (unsigned char)length};
  write_all(1, header, sizeof(header));
  if (length > 0) write_all(1, data, length);
}

static int echo_flag(int master) {
  struct termios attributes;
  if (tcgetattr(master, &attributes) != 0) return -1;
  return (attributes.c_lflag & ECHO) != 0;
}

// Reads what stdin has into the answer frame buffer; returns true when a whole
// frame is there.
static bool read_frame(bool *eof) {
  size_t want = 5;
  if (secret.length >= 5) {
    uint32_t body = ((uint32_t)secret.frame[1] << 24) | ((uint32_t)secret.frame[2] << 16) |
                    ((uint32_t)secret.frame[3] << 8) | secret.frame[4];
    if (secret.frame[0] != 'a' || body < 1 || body > MAX_ANSWER + 1) _exit(4);  // not Gatehouse
    want = 5 + body;
  }
  ssize_t n = read(0, secret.frame + secret.length, want - secret.length);
  if (n == 0) *eof = true;
  if (n <= 0) return false;
  secret.length += (size_t)n;
  if (secret.length == 5) return read_frame(eof);
  return secret.length == want && want > 5;
}

static void write_answer(int master) {
  size_t length = secret.length - 6;
  unsigned char *answer = secret.frame + 6;
  int expected_echo = secret.frame[5] == '1';
  bool clean = memchr(answer, '\0', length) == NULL && memchr(answer, '\n', length) == NULL &&
               memchr(answer, '\r', length) == NULL;
  if (!clean || echo_flag(master) != expected_echo) {
    send_frame('r', NULL, 0);
  } else {
    answer[length] = '\n';
    write_all(master, answer, length + 1);
  }
  explicit_bzero(&secret, sizeof(secret));
}

static void close_fds_from(int first) {
#ifdef SYS_close_range
  if (syscall(SYS_close_range, (unsigned)first, ~0U, 0) == 0) return;
#endif
  for (int fd = first; fd < 1024; fd++) close(fd);
}

int main(int argc, char **argv) {
  int first = 1;
  if (argc > 1 && strcmp(argv[1], "--") == 0) first = 2;
  if (first >= argc) {
    fprintf(stderr, "usage: gatehouse-passwd-pty [--] PROGRAM [ARGUMENTS...]\n");
    return 2;
  }
  // Dies with Gatehouse; the program then loses its terminal (SIGHUP).
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  prctl(PR_SET_DUMPABLE, 0);
  mlock(&secret, sizeof(secret));
  signal(SIGPIPE, SIG_IGN);

  struct winsize size = {.ws_row = 24, .ws_col = 80};
  int master = -1;
  pid_t child = forkpty(&master, NULL, NULL, &size);
  if (child < 0) {
    fprintf(stderr, "gatehouse-passwd-pty: no pseudo-terminal: %s\n", strerror(errno));
    return 2;
  }
  if (child == 0) {
    close_fds_from(3);
    execvp(argv[first], &argv[first]);
    fprintf(stderr, "gatehouse-passwd-pty: cannot run %s: %s\n", argv[first], strerror(errno));
    _exit(127);
  }
  fcntl(master, F_SETFD, FD_CLOEXEC);
  fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);

  bool input_open = true;
  bool output_open = true;
  double last_output = monotonic_ms();
  bool quiet_sent = false;
  int echo_sent = -1;
  while (output_open) {
    double now = monotonic_ms();
    int timeout = -1;
    if (!quiet_sent) {
      timeout = (int)(last_output + QUIET_MS - now) + 1;
    } else if (now - last_output < ECHO_WATCH_MS) {
      timeout = 10;  // watch the echo flag for a while after output stops
    }
    if (timeout < 0 && !quiet_sent) timeout = 0;
    struct pollfd fds[2] = {{.fd = master, .events = POLLIN}, {.fd = input_open ? 0 : -1, .events = POLLIN}};
    int ready = poll(fds, 2, timeout);
    if (ready < 0 && errno != EINTR) break;
    if (ready > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
      unsigned char buffer[4096];
      ssize_t n = read(master, buffer, sizeof(buffer));
      if (n > 0) {
        send_frame('o', buffer, (size_t)n);
        last_output = monotonic_ms();
        quiet_sent = false;
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        output_open = false;  // EIO: the program and everything on its terminal are gone
      }
    }
    if (ready > 0 && input_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      bool eof = false;
      if (read_frame(&eof)) write_answer(master);
      if (eof) {
        input_open = false;
        explicit_bzero(&secret, sizeof(secret));
        kill(child, SIGHUP);
        close(master);
        output_open = false;
      }
    }
    if (!output_open) break;
    now = monotonic_ms();
    if (now - last_output >= QUIET_MS) {
      int echo = echo_flag(master);
      if (!quiet_sent || echo != echo_sent) {
        char flag = echo == 1 ? '1' : '0';
        send_frame('q', &flag, 1);
        quiet_sent = true;
        echo_sent = echo;
      }
    }
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  char result[32];
  int length = WIFSIGNALED(status) ? snprintf(result, sizeof(result), "signal %d", WTERMSIG(status))
                                   : snprintf(result, sizeof(result), "exit %d", WEXITSTATUS(status));
  send_frame('x', result, (size_t)length);
  return 0;
}
