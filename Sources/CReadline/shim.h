#ifndef SUPPORTSIM_CREADLINE_SHIM_H
#define SUPPORTSIM_CREADLINE_SHIM_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <signal.h>
#include <pthread.h>
#include <unistd.h>
#include <readline/readline.h>
#include <readline/history.h>

/*
 * C glue for the interactive line reader.
 *
 * Swift 6 refuses to touch readline's mutable globals, and a signal handler must be plain C,
 * so both live here as static inline functions. Static state in a header is per translation
 * unit: the Swift module calls these functions from ONE source file only
 * (ReadlineLineReader.swift), so that every call sees the same flags.
 *
 * Ctrl-C while reading. The process has several threads, and a signal sent to the process may
 * be handled on any of them, so the reading thread cannot count on read() failing with EINTR,
 * and readline's own handler (rl_catch_signals = 1) would re-send the signal to the process
 * after restoring the application's handler, racing with its own re-installation. So:
 *   - readline installs no handlers for SIGINT and friends (rl_catch_signals = 0; the SIGWINCH
 *     handler stays, so resizing still works);
 *   - our handlers for SIGINT and SIGHUP only set a flag (async-signal-safe);
 *   - readline reads characters through supportsim_getc, which waits with poll() in short
 *     slices and looks at the flags between them. After Ctrl-C it shows "^C" at the end of
 *     the line and answers '\n', so readline finishes the line normally (terminal modes
 *     restored, cursor on a new line) and the caller discards that line because the flag is
 *     set. After a hang-up it answers EOF, so readline returns NULL, as for Ctrl-D.
 */

#include <poll.h>

static volatile sig_atomic_t supportsim_sigint_flag = 0;
static volatile sig_atomic_t supportsim_sighup_flag = 0;

static void supportsim_signal_handler(int sig) {
    if (sig == SIGINT) supportsim_sigint_flag = 1;
    else if (sig == SIGHUP) supportsim_sighup_flag = 1;
}

/* Installs the SIGINT and SIGHUP handlers (no SA_RESTART, so a blocking read is interrupted),
 * and unblocks both signals on the calling thread: a mask inherited from the parent process
 * (e.g. one started from a worker thread) would otherwise keep Ctrl-C from ever arriving. */
static inline int supportsim_install_signal_handlers(void) {
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, SIGINT);
    sigaddset(&unblock, SIGHUP);
    pthread_sigmask(SIG_UNBLOCK, &unblock, NULL);
    struct sigaction act;
    memset(&act, 0, sizeof act);
    act.sa_handler = supportsim_signal_handler;
    sigemptyset(&act.sa_mask);
    act.sa_flags = 0;
    if (sigaction(SIGINT, &act, NULL) != 0) return -1;
    if (sigaction(SIGHUP, &act, NULL) != 0) return -1;
    return 0;
}

/* Returns 1 and clears the flag when Ctrl-C was pressed since the last call. */
static inline int supportsim_take_interrupt(void) {
    if (supportsim_sigint_flag) { supportsim_sigint_flag = 0; return 1; }
    return 0;
}

static inline int supportsim_hung_up(void) { return supportsim_sighup_flag != 0; }

/* For tests of the flag logic without a terminal. */
static inline void supportsim_raise_interrupt_flag(void) { supportsim_sigint_flag = 1; }

/* readline's character source: like rl_getc, but returns when Ctrl-C or a hang-up arrives. */
static int supportsim_getc(FILE *stream) {
    int fd = fileno(stream);
    for (;;) {
        if (supportsim_sighup_flag) return EOF;
        if (supportsim_sigint_flag) {
            /* Show "^C" after the text, then let readline end the line. */
            rl_point = rl_end;
            rl_redisplay();
            fputs("^C", rl_outstream);
            fflush(rl_outstream);
            return '\n';
        }
        /* A pending SIGWINCH (readline's own handler): resize now. */
        if (rl_pending_signal()) rl_check_signals();
        struct pollfd pfd;
        pfd.fd = fd;
        pfd.events = POLLIN;
        pfd.revents = 0;
        int ready = poll(&pfd, 1, 100);
        if (ready == 0) continue;
        if (ready < 0) {
            if (errno == EINTR) continue;
            return EOF;
        }
        unsigned char c;
        ssize_t n = read(fd, &c, 1);
        if (n == 1) return c;
        if (n == 0) return EOF;
        if (errno == EINTR || errno == EAGAIN) continue;
        return EOF;
    }
}

/* Reads through supportsim_getc; readline leaves SIGINT, SIGTERM etc. alone. */
static inline void supportsim_use_getc(void) {
    rl_getc_function = supportsim_getc;
    rl_catch_signals = 0;
    rl_catch_sigwinch = 1;
}

static inline void supportsim_set_readline_name(const char *name) {
    rl_readline_name = strdup(name);
}

static inline void supportsim_set_completion(rl_completion_func_t *function) {
    rl_attempted_completion_function = function;
}

/* Called from the completion function: do not fall back to file-name completion. */
static inline void supportsim_set_completion_over(int over) { rl_attempted_completion_over = over; }

/* Words that complete as themselves get a trailing space; keep the default. */
static inline void supportsim_set_completion_append(int ch) { rl_completion_append_character = ch; }

/* The whole line being edited (for context-sensitive completion). */
static inline const char *supportsim_line_buffer(void) { return rl_line_buffer; }

/* The most recent history entry, or NULL. */
static inline const char *supportsim_last_history_line(void) {
    if (history_length <= 0) return NULL;
    HIST_ENTRY *entry = history_get(history_base + history_length - 1);
    return entry ? entry->line : NULL;
}

#endif
