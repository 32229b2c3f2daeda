/*
 * pam_gatehouse_demo_store: the demo stack's password store (password type only).
 *
 * In the update pass of pam_chauthtok it takes the new password that an earlier
 * module of the stack (pam_pwquality) has already asked for and accepted
 * (PAM_AUTHTOK), writes it into the demo's pam_matrix passdb, and takes the user
 * off the demo's list of expired passwords. It never asks anything itself and
 * never prints the password. It exists so that the demo needs no module that
 * Debian would also enable in the system's own common-* stacks.
 *
 *   password required /path/pam_gatehouse_demo_store.so passdb=FILE expired=FILE
 *
 * passdb lines are user:password:service (pam_matrix's format). A password with
 * a ':' or a line break cannot be stored there: the change fails
 * (PAM_AUTHTOK_ERR) and nothing is written.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#define MAX_FILE_BYTES (1 << 20)

struct options {
  const char *passdb;
  const char *expired;
};

static int parse_options(int argc, const char **argv, struct options *options) {
  memset(options, 0, sizeof *options);
  for (int i = 0; i < argc; ++i) {
    if (strncmp(argv[i], "passdb=", 7) == 0) options->passdb = argv[i] + 7;
    else if (strncmp(argv[i], "expired=", 8) == 0) options->expired = argv[i] + 8;
    else return -1;
  }
  return options->passdb != NULL && options->expired != NULL ? 0 : -1;
}

/* Reads a whole (small) file into a NUL-terminated buffer; NULL on failure. */
static char *read_file(const char *path) {
  FILE *file = fopen(path, "re");
  if (file == NULL) return NULL;
  char *text = calloc(MAX_FILE_BYTES + 1, 1);
  size_t length = text == NULL ? 0 : fread(text, 1, MAX_FILE_BYTES, file);
  int failed = text == NULL || ferror(file) || !feof(file);
  fclose(file);
  if (failed) {
    free(text);
    return NULL;
  }
  text[length] = '\0';
  return text;
}

/*
 * Writes `path` anew through a temporary file and rename(2), line by line:
 * `write_line` decides what each line of the old text becomes.
 */
typedef int (*line_writer)(FILE *out, const char *line, size_t length, const void *context);

static int rewrite_file(const char *path, line_writer write_line, const void *context) {
  char *text = read_file(path);
  if (text == NULL) return -1;
  char *temporary = NULL;
  if (asprintf(&temporary, "%s.new", path) < 0) {
    free(text);
    return -1;
  }
  // The store holds passwords in the clear (pam_matrix reads them so): the new
  // file is the owner's alone, as the one it replaces, whatever the umask.
  int fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  FILE *out = fd < 0 ? NULL : fdopen(fd, "w");
  if (fd >= 0 && out == NULL) close(fd);
  int status = out == NULL ? -1 : 0;
  for (char *line = text; status == 0 && *line != '\0';) {
    char *end = strchr(line, '\n');
    size_t length = end == NULL ? strlen(line) : (size_t)(end - line);
    status = write_line(out, line, length, context);
    line += length + (end == NULL ? 0 : 1);
  }
  if (out != NULL && fclose(out) != 0) status = -1;
  if (status == 0 && rename(temporary, path) != 0) status = -1;
  if (status != 0) unlink(temporary);
  explicit_bzero(text, strlen(text));
  free(text);
  free(temporary);
  return status;
}

struct new_password {
  const char *user;
  const char *password;
};

/* passdb: the user's line gets the new password; every other line stays. */
static int write_passdb_line(FILE *out, const char *line, size_t length, const void *context) {
  const struct new_password *change = context;
  size_t user_length = strlen(change->user);
  if (length > user_length && strncmp(line, change->user, user_length) == 0 && line[user_length] == ':') {
    const char *service = memchr(line + user_length + 1, ':', length - user_length - 1);
    if (service == NULL) return -1;
    return fprintf(out, "%s:%s%.*s\n", change->user, change->password, (int)(length - (size_t)(service - line)), service) < 0 ? -1 : 0;
  }
  return fprintf(out, "%.*s\n", (int)length, line) < 0 ? -1 : 0;
}

/* expired-users: every line but the user's. */
static int write_expired_line(FILE *out, const char *line, size_t length, const void *context) {
  const char *user = context;
  if (length == strlen(user) && strncmp(line, user, length) == 0) return 0;
  return fprintf(out, "%.*s\n", (int)length, line) < 0 ? -1 : 0;
}

PAM_EXTERN int pam_sm_chauthtok(pam_handle_t *pamh, int flags, int argc, const char **argv) {
  struct options options;
  if (parse_options(argc, argv, &options) != 0) {
    pam_syslog(pamh, LOG_ERR, "usage: passdb=FILE expired=FILE");
    return PAM_SERVICE_ERR;
  }
  if (flags & PAM_PRELIM_CHECK) return PAM_SUCCESS;

  const char *user = NULL;
  const void *item = NULL;
  if (pam_get_item(pamh, PAM_USER, (const void **)&user) != PAM_SUCCESS || user == NULL || *user == '\0' ||
      strchr(user, ':') != NULL || strchr(user, '\n') != NULL) {
    return PAM_USER_UNKNOWN;
  }
  if (pam_get_item(pamh, PAM_AUTHTOK, &item) != PAM_SUCCESS || item == NULL) return PAM_AUTHTOK_ERR;
  const char *password = item;
  if (*password == '\0' || strpbrk(password, ":\n") != NULL) return PAM_AUTHTOK_ERR;

  struct new_password change = {user, password};
  if (rewrite_file(options.passdb, write_passdb_line, &change) != 0) return PAM_AUTHTOK_ERR;
  if (rewrite_file(options.expired, write_expired_line, user) != 0) return PAM_AUTHTOK_ERR;
  return PAM_SUCCESS;
}
