/*
 * gatehouse-vt: the virtual-terminal ioctls a login session on a VT needs,
 * which Node has no binding for. The engine runs it as root.
 *
 *   gatehouse-vt active            prints the active VT's number (VT_GETSTATE)
 *   gatehouse-vt switch N [S]      makes VT N the active one (VT_ACTIVATE) and
 *                                  waits until it is (VT_WAITACTIVE, S seconds at
 *                                  most, 10 by default)
 *   gatehouse-vt reset N           gives VT N back its text console: text mode
 *                                  (KD_TEXT), automatic switching (VT_AUTO) and
 *                                  the keyboard translating again (K_UNICODE, or
 *                                  K_XLATE on a console that is not UTF-8) — what
 *                                  a compositor that ended without restoring them
 *                                  (a crash, SIGKILL) leaves behind
 *
 * The ioctls go through /dev/tty0 (the console) for active and switch, and
 * through /dev/ttyN for reset. Exit status 0 on success, 1 when the console
 * refused (the reason on stderr: ENOTTY or ENOENT where there is no VT, e.g. in
 * a container), 2 for a bad command line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kd.h>
#include <linux/vt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define SWITCH_TIMEOUT_S 10
#define MAX_SWITCH_TIMEOUT_S 600

static int usage(const char *problem) {
  fprintf(stderr, "gatehouse-vt: %s\nusage: gatehouse-vt active | switch N [SECONDS] | reset N\n", problem);
  return 2;
}

static int fail(const char *what) {
  fprintf(stderr, "gatehouse-vt: %s: %s\n", what, strerror(errno));
  return 1;
}

/* A VT number: 1 to MAX_NR_CONSOLES (63), nothing else. */
static int parse_vt(const char *text) {
  char *end = NULL;
  errno = 0;
  long n = strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || n < 1 || n > MAX_NR_CONSOLES) return -1;
  return (int)n;
}

static int open_console(const char *path) {
  return open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
}

static void on_alarm(int signo) { (void)signo; }

static int switch_to(int console, int vt, unsigned timeout) {
  if (ioctl(console, VT_ACTIVATE, vt) < 0) return fail("VT_ACTIVATE");
  /* VT_WAITACTIVE waits for as long as the VT being left holds on to it (a
   * process in VT_PROCESS mode that never acknowledges): an alarm ends it. */
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_alarm;
  sigaction(SIGALRM, &action, NULL);
  alarm(timeout);
  int waited = ioctl(console, VT_WAITACTIVE, vt);
  int saved = errno;
  alarm(0);
  if (waited < 0) {
    errno = saved;
    if (errno == EINTR) {
      fprintf(stderr, "gatehouse-vt: VT %d did not become active within %u s\n", vt, timeout);
      return 1;
    }
    return fail("VT_WAITACTIVE");
  }
  return 0;
}

/* The console's default keyboard mode: UTF-8 unless the vt module says otherwise. */
static int default_keyboard_mode(void) {
  FILE *file = fopen("/sys/module/vt/parameters/default_utf8", "re");
  int utf8 = 1;
  if (file != NULL) {
    int c = fgetc(file);
    if (c == '0' || c == 'N') utf8 = 0;
    fclose(file);
  }
  return utf8 ? K_UNICODE : K_XLATE;
}

static int reset(int vt) {
  char path[32];
  snprintf(path, sizeof path, "/dev/tty%d", vt);
  int tty = open_console(path);
  if (tty < 0) return fail(path);
  struct vt_mode mode;
  memset(&mode, 0, sizeof mode);
  mode.mode = VT_AUTO;
  int status = 0;
  if (ioctl(tty, KDSETMODE, KD_TEXT) < 0) status = fail("KDSETMODE");
  else if (ioctl(tty, VT_SETMODE, &mode) < 0) status = fail("VT_SETMODE");
  else if (ioctl(tty, KDSKBMODE, default_keyboard_mode()) < 0) status = fail("KDSKBMODE");
  close(tty);
  return status;
}

int main(int argc, char **argv) {
  if (argc < 2) return usage("give active, switch or reset");
  const char *command = argv[1];
  if (strcmp(command, "active") == 0) {
    if (argc != 2) return usage("active takes no argument");
    int console = open_console("/dev/tty0");
    if (console < 0) return fail("/dev/tty0");
    struct vt_stat state;
    if (ioctl(console, VT_GETSTATE, &state) < 0) return fail("VT_GETSTATE");
    close(console);
    printf("%u\n", state.v_active);
    return 0;
  }
  if (strcmp(command, "switch") != 0 && strcmp(command, "reset") != 0) return usage("unknown command");
  int switching = strcmp(command, "switch") == 0;
  if (argc != 3 && !(switching && argc == 4)) return usage("give one VT number (and, to switch, at most a timeout)");
  int vt = parse_vt(argv[2]);
  if (vt < 0) return usage("the VT is a number from 1 to 63");
  if (!switching) return reset(vt);
  unsigned timeout = SWITCH_TIMEOUT_S;
  if (argc == 4) {
    char *end = NULL;
    errno = 0;
    unsigned long seconds = strtoul(argv[3], &end, 10);
    if (errno != 0 || end == argv[3] || *end != '\0' || argv[3][0] == '-' || seconds < 1 || seconds > MAX_SWITCH_TIMEOUT_S) return usage("the timeout is a number of seconds from 1 to 600");
    timeout = (unsigned)seconds;
  }
  int console = open_console("/dev/tty0");
  if (console < 0) return fail("/dev/tty0");
  int status = switch_to(console, vt, timeout);
  close(console);
  return status;
}
