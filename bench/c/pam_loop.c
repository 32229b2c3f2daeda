/*
 * pam_loop: the baseline for `npm run bench`. Runs start -> authenticate ->
 * acct_mgmt -> end N times in one process, answering every prompt with the
 * password, and prints two numbers per round in nanoseconds: the wall time and
 * the CPU time (getrusage(RUSAGE_SELF): user + system, every thread).
 *
 *   pam_loop CONFDIR SERVICE USER PASSWORD ROUNDS
 *
 * CONFDIR `-` calls pam_start instead of pam_start_confdir (under pam_wrapper,
 * which gives pam_start its own service directory), as the peers do.
 */
#define _GNU_SOURCE
#include <security/pam_appl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static int answer_all(int n, const struct pam_message **msg, struct pam_response **resp, void *appdata) {
    const char *password = appdata;
    struct pam_response *out = calloc((size_t)n, sizeof *out);
    if (out == NULL) return PAM_BUF_ERR;
    for (int i = 0; i < n; i++) {
        if (msg[i]->msg_style == PAM_PROMPT_ECHO_OFF || msg[i]->msg_style == PAM_PROMPT_ECHO_ON) {
            out[i].resp = strdup(password);
        }
    }
    if (resp != NULL) *resp = out; else free(out);
    return PAM_SUCCESS;
}

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long cpu_ns(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ((long long)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
           ((long long)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: pam_loop CONFDIR SERVICE USER PASSWORD ROUNDS\n");
        return 2;
    }
    const char *confdir = argv[1], *service = argv[2], *user = argv[3];
    int rounds = atoi(argv[5]);
    if (rounds <= 0) {
        fprintf(stderr, "pam_loop: ROUNDS must be a positive number\n");
        return 2;
    }
    struct pam_conv conv = { answer_all, argv[4] };
    long long started = now_ns(), cpu_started = cpu_ns();
    for (int i = 0; i < rounds; i++) {
        pam_handle_t *pamh = NULL;
        int rc = strcmp(confdir, "-") == 0 ? pam_start(service, user, &conv, &pamh)
                                           : pam_start_confdir(service, user, &conv, confdir, &pamh);
        if (rc == PAM_SUCCESS) rc = pam_authenticate(pamh, 0);
        if (rc == PAM_SUCCESS) rc = pam_acct_mgmt(pamh, 0);
        if (pamh != NULL) pam_end(pamh, rc);
        if (rc != PAM_SUCCESS) {
            fprintf(stderr, "round %d failed: %d\n", i, rc);
            return 1;
        }
    }
    printf("%lld %lld\n", (now_ns() - started) / rounds, (cpu_ns() - cpu_started) / rounds);
    return 0;
}
