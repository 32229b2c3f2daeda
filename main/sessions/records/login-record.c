/*
 * gatehouse-login-record: writes a login session's utmp and wtmp records, which
 * Node has no binding for. The engine runs it as root when a session starts
 * ("open", a USER_PROCESS record) and when it ends ("close", a DEAD_PROCESS
 * record for the same line and id), so that who(1), w(1) and last(1) see the
 * session as they see one of login(1), GDM or LightDM.
 *
 *   gatehouse-login-record open|close --utmp FILE --wtmp FILE --user NAME
 *                          --line LINE --id ID --pid PID [--host HOST]
 *
 * The files are given explicitly (/var/run/utmp and /var/log/wtmp on a
 * machine); a file that does not exist is created (0664, as systemd-tmpfiles
 * makes them). Exit status 0 when both records were written, 1 when one could
 * not be (the reason on stderr), 2 for a bad command line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <utmpx.h>

static int usage(const char *problem) {
  fprintf(stderr, "gatehouse-login-record: %s\n"
                  "usage: gatehouse-login-record open|close --utmp FILE --wtmp FILE --user NAME "
                  "--line LINE --id ID --pid PID [--host HOST]\n",
          problem);
  return 2;
}

/* Copies text into a fixed utmpx field; refuses what does not fit rather than cutting a name. */
static int set_field(char *field, size_t size, const char *value, const char *name) {
  size_t length = strlen(value);
  if (length > size) {
    fprintf(stderr, "gatehouse-login-record: %s is longer than %zu bytes\n", name, size);
    return -1;
  }
  memset(field, 0, size);
  memcpy(field, value, length);
  return 0;
}

static int ensure_file(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0664);
  if (fd < 0) {
    fprintf(stderr, "gatehouse-login-record: cannot open %s: %s\n", path, strerror(errno));
    return -1;
  }
  close(fd);
  return 0;
}

int main(int argc, char **argv) {
  const char *utmp = NULL, *wtmp = NULL, *user = NULL, *line = NULL, *id = NULL, *pid = NULL, *host = "";
  if (argc < 2) return usage("give open or close");
  int opening = strcmp(argv[1], "open") == 0;
  if (!opening && strcmp(argv[1], "close") != 0) return usage("the first word is open or close");
  for (int i = 2; i < argc; i += 2) {
    if (i + 1 >= argc) return usage("an option without its value");
    const char *value = argv[i + 1];
    if (strcmp(argv[i], "--utmp") == 0) utmp = value;
    else if (strcmp(argv[i], "--wtmp") == 0) wtmp = value;
    else if (strcmp(argv[i], "--user") == 0) user = value;
    else if (strcmp(argv[i], "--line") == 0) line = value;
    else if (strcmp(argv[i], "--id") == 0) id = value;
    else if (strcmp(argv[i], "--pid") == 0) pid = value;
    else if (strcmp(argv[i], "--host") == 0) host = value;
    else return usage("an unknown option");
  }
  if (utmp == NULL || wtmp == NULL || user == NULL || line == NULL || id == NULL || pid == NULL) {
    return usage("--utmp, --wtmp, --user, --line, --id and --pid are required");
  }
  char *end = NULL;
  errno = 0;
  long pid_value = strtol(pid, &end, 10);
  if (errno != 0 || end == pid || *end != '\0' || pid_value <= 0 || pid_value > 0x7fffffff) return usage("--pid must be a process id");

  struct utmpx record;
  memset(&record, 0, sizeof record);
  record.ut_type = opening ? USER_PROCESS : DEAD_PROCESS;
  record.ut_pid = (pid_t)pid_value;
  if (set_field(record.ut_line, sizeof record.ut_line, line, "--line") < 0 ||
      set_field(record.ut_id, sizeof record.ut_id, id, "--id") < 0 ||
      set_field(record.ut_host, sizeof record.ut_host, host, "--host") < 0) {
    return 2;
  }
  /* A logout record names no user (login(1) and last(1)'s convention). */
  if (opening && set_field(record.ut_user, sizeof record.ut_user, user, "--user") < 0) return 2;
  struct timeval now;
  gettimeofday(&now, NULL);
  record.ut_tv.tv_sec = (int32_t)now.tv_sec;
  record.ut_tv.tv_usec = (int32_t)now.tv_usec;

  if (ensure_file(utmp) < 0 || ensure_file(wtmp) < 0) return 1;
  int status = 0;
  if (utmpxname(utmp) != 0) {
    fprintf(stderr, "gatehouse-login-record: cannot use %s\n", utmp);
    return 1;
  }
  setutxent();
  /* pututxline replaces the record with the same ut_id (the session's open one on close). */
  if (pututxline(&record) == NULL) {
    fprintf(stderr, "gatehouse-login-record: cannot write %s: %s\n", utmp, strerror(errno));
    status = 1;
  }
  endutxent();
  updwtmpx(wtmp, &record);
  return status;
}
