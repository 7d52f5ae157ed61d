/*
 * Signal handling and GNU readline for the interactive session. See supportsim_terminal.h.
 *
 * All state lives in this one file, so there is exactly one copy of every flag in the program.
 * (The earlier glue kept its flags as `static` variables in a header: each object file that
 * inlined a function using them got its own copy, and in an optimised build the signal handler
 * set one copy while the reading code read another.)
 *
 * Readline installs no signal handlers of its own (rl_catch_signals = rl_catch_sigwinch = 0).
 * Our handlers only set flags and wake the reading loop through a pipe; everything else happens
 * in the loop, on the reading thread, outside signal-handler context, with readline's public
 * functions: rl_callback_read_char for input, rl_free_line_state + rl_callback_sigcleanup +
 * rl_callback_handler_remove to drop the line and restore the terminal, rl_cleanup_after_signal
 * and rl_reset_after_signal around a stop, rl_forced_update_display after it, and
 * rl_resize_terminal after SIGWINCH.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/readline.h>
#include <readline/history.h>

#include "supportsim_terminal.h"

/* MARK: - Signals */

static volatile sig_atomic_t pending_interrupt = 0;
static volatile sig_atomic_t pending_suspend = 0;
static volatile sig_atomic_t pending_resize = 0;
static volatile sig_atomic_t terminating = 0;

static int wake_pipe[2] = { -1, -1 };
static int handle_suspend = 0;  /* SIGTSTP was not ignored at start */
static int install_result = -1;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

static void wake_reader(void) {
    if (wake_pipe[1] < 0) return;
    int saved = errno;
    char byte = 0;
    /* Non-blocking: when the pipe is full, the reader has wake-ups pending anyway. */
    ssize_t ignored = write(wake_pipe[1], &byte, 1);
    (void)ignored;
    errno = saved;
}

static void on_signal(int sig) {
    switch (sig) {
    case SIGINT: pending_interrupt = 1; break;
    case SIGTSTP: pending_suspend = 1; break;
    case SIGWINCH: pending_resize = 1; break;
    default:
        if (terminating == 0) terminating = sig;
        break;
    }
    wake_reader();
}

static void drain_wake_pipe(void) {
    char buffer[64];
    while (wake_pipe[0] >= 0 && read(wake_pipe[0], buffer, sizeof buffer) > 0) {}
}

static int was_ignored(int sig) {
    struct sigaction old;
    if (sigaction(sig, NULL, &old) != 0) return 0;
    return !(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_IGN;
}

static void set_handler(int sig, void (*handler)(int)) {
    struct sigaction act;
    memset(&act, 0, sizeof act);
    act.sa_handler = handler;
    sigemptyset(&act.sa_mask);
    /* Restart interrupted system calls elsewhere (SQLite, output); the reading loop is woken
     * through the pipe, and poll() is never restarted. */
    act.sa_flags = SA_RESTART;
    sigaction(sig, &act, NULL);
}

static void install(void) {
    if (pipe(wake_pipe) == 0) {
        for (int i = 0; i < 2; i++) {
            fcntl(wake_pipe[i], F_SETFL, fcntl(wake_pipe[i], F_GETFL) | O_NONBLOCK);
            fcntl(wake_pipe[i], F_SETFD, FD_CLOEXEC);
        }
    } else {
        wake_pipe[0] = wake_pipe[1] = -1;
    }
    /* SIGQUIT replaces the Swift runtime's crash reporter: Ctrl-\ ends the session cleanly. */
    const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH };
    sigset_t unblock;
    sigemptyset(&unblock);
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        if (signals[i] != SIGWINCH && was_ignored(signals[i])) continue;
        set_handler(signals[i], on_signal);
        sigaddset(&unblock, signals[i]);
    }
    /* SIGTSTP gets our handler only while readline reads (see begin_read). */
    handle_suspend = !was_ignored(SIGTSTP);
    sigaddset(&unblock, SIGTSTP);
    /* A mask inherited from the parent would keep the signals from this thread. */
    pthread_sigmask(SIG_UNBLOCK, &unblock, NULL);
    install_result = 0;
}

int supportsim_signals_install(void) {
    pthread_once(&install_once, install);
    return install_result;
}

int supportsim_terminating_signal(void) { return terminating; }

int supportsim_take_signal_request(void) {
    if (terminating) return SUPPORTSIM_INPUT_TERMINATED;
    if (pending_interrupt) {
        pending_interrupt = 0;
        return SUPPORTSIM_INPUT_INTERRUPTED;
    }
    return SUPPORTSIM_INPUT_LINE;
}

/* Waits for `fd` (or, with fd < 0, only for a signal). Returns 1 when fd has something
 * (POLLIN, POLLHUP, POLLERR), 0 when a signal flag may have changed, -1 on a poll error. */
static int wait_readable(int fd, short *revents) {
    struct pollfd fds[2];
    nfds_t count = 0;
    int fd_index = -1;
    if (fd >= 0) {
        fds[count].fd = fd; fds[count].events = POLLIN; fds[count].revents = 0;
        fd_index = (int)count++;
    }
    if (wake_pipe[0] >= 0) {
        fds[count].fd = wake_pipe[0]; fds[count].events = POLLIN; fds[count].revents = 0;
        count++;
    }
    /* Without the pipe (it could not be made), look at the flags ten times a second. */
    int ready = poll(fds, count, wake_pipe[0] >= 0 ? -1 : 100);
    if (ready < 0) return errno == EINTR ? 0 : -1;
    drain_wake_pipe();
    if (fd_index >= 0 && fds[fd_index].revents != 0) {
        if (revents) *revents = fds[fd_index].revents;
        return 1;
    }
    return 0;
}

int supportsim_wait_for_input(int fd) {
    for (;;) {
        int request = supportsim_take_signal_request();
        if (request != SUPPORTSIM_INPUT_LINE) return request;
        int ready = wait_readable(fd, NULL);
        /* On a poll error, let read() report what is wrong. */
        if (ready != 0) return SUPPORTSIM_INPUT_LINE;
    }
}

/* MARK: - Readline */

static char *completed_line = NULL;
static int line_completed = 0;

static void line_handler(char *line) {
    completed_line = line;
    line_completed = 1;
    /* Restores the terminal; the next read installs the handler again. */
    rl_callback_handler_remove();
}

void supportsim_readline_setup(const char *application_name, supportsim_completion_function completion) {
    rl_readline_name = strdup(application_name);
    rl_attempted_completion_function = completion;
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    /* The session asks the terminal for its width; no stale LINES/COLUMNS in the environment. */
    rl_change_environment = 0;
    supportsim_signals_install();
}

/* Ends the read without a line: the cursor goes after the text, the signal's character is shown
 * where the terminal shows control characters ("^C", "^\"), the line and readline's partial state
 * (undo list, numeric argument, incremental search, multi-key sequence) are dropped, and the
 * terminal gets its modes back. */
static void abandon_line(int sig) {
    rl_point = rl_end;
    rl_redisplay();
    if (sig) rl_echo_signal_char(sig);
    rl_free_line_state();
    rl_callback_sigcleanup();
    rl_end = rl_point = 0;
    if (rl_line_buffer) rl_line_buffer[0] = '\0';
    rl_callback_handler_remove();
    fputc('\n', rl_outstream ? rl_outstream : stdout);
    fflush(rl_outstream ? rl_outstream : stdout);
}

/* Ctrl-Z: give the terminal its modes back, stop, and after `fg` take readline's modes again
 * (the shell may have changed the terminal meanwhile) and redraw the prompt and the line. */
static void suspend_reading(void) {
    pending_suspend = 0;
    rl_echo_signal_char(SIGTSTP);
    rl_cleanup_after_signal();
    fflush(rl_outstream ? rl_outstream : stdout);

    struct sigaction stop, ours;
    memset(&stop, 0, sizeof stop);
    stop.sa_handler = SIG_DFL;
    sigemptyset(&stop.sa_mask);
    sigaction(SIGTSTP, &stop, &ours);
    /* raise() sends the signal to this thread, which stops (with the whole process) before
     * raise() returns; it returns after SIGCONT. */
    raise(SIGTSTP);
    sigaction(SIGTSTP, &ours, NULL);
    /* A second Ctrl-Z that arrived while the default action was in place stopped us already. */
    pending_suspend = 0;

    rl_reset_after_signal();
    rl_forced_update_display();
}

static struct sigaction suspend_before;

static void begin_read(void) {
    pending_suspend = 0;
    if (!handle_suspend) return;
    struct sigaction act;
    memset(&act, 0, sizeof act);
    act.sa_handler = on_signal;
    sigemptyset(&act.sa_mask);
    act.sa_flags = SA_RESTART;
    sigaction(SIGTSTP, &act, &suspend_before);
}

static void end_read(void) {
    if (!handle_suspend) return;
    sigaction(SIGTSTP, &suspend_before, NULL);
    /* Ctrl-Z pressed just as the read ended: stop now, with the terminal already restored. */
    if (pending_suspend) {
        pending_suspend = 0;
        raise(SIGTSTP);
    }
}

int supportsim_readline(const char *prompt, char **line) {
    *line = NULL;
    int request = supportsim_take_signal_request();
    if (request != SUPPORTSIM_INPUT_LINE) return request;

    begin_read();
    line_completed = 0;
    completed_line = NULL;
    rl_callback_handler_install(prompt, line_handler);

    int result = -1;
    while (result < 0) {
        if (line_completed) {
            *line = completed_line;
            result = completed_line ? SUPPORTSIM_INPUT_LINE : SUPPORTSIM_INPUT_END;
        } else if (terminating) {
            abandon_line(terminating);
            result = SUPPORTSIM_INPUT_TERMINATED;
        } else if (pending_interrupt) {
            pending_interrupt = 0;
            abandon_line(SIGINT);
            result = SUPPORTSIM_INPUT_INTERRUPTED;
        } else if (pending_suspend) {
            suspend_reading();
        } else if (pending_resize) {
            pending_resize = 0;
            rl_resize_terminal();
        } else {
            int fd = fileno(rl_instream ? rl_instream : stdin);
            short revents = 0;
            int ready = wait_readable(fd, &revents);
            if (ready < 0 || (ready > 0 && (revents & POLLNVAL))) {
                abandon_line(0);
                result = SUPPORTSIM_INPUT_END;
            } else if (ready > 0) {
                /* Data, or a hang-up: readline reads end of file and ends the line itself. */
                rl_callback_read_char();
                if (!line_completed && (revents & (POLLHUP | POLLERR)) && !(revents & POLLIN)) {
                    abandon_line(0);
                    result = SUPPORTSIM_INPUT_END;
                }
            }
        }
    }
    end_read();
    return result;
}

void supportsim_set_completion_over(int over) { rl_attempted_completion_over = over; }

const char *supportsim_line_buffer(void) { return rl_line_buffer; }

char **supportsim_completion_matches(const char *text, supportsim_completion_generator generator) {
    return rl_completion_matches(text, generator);
}

/* MARK: - History */

void supportsim_history_start(int limit) {
    using_history();
    stifle_history(limit);
}

int supportsim_history_load(const char *path) { return read_history(path); }

void supportsim_history_add(const char *line, const char *path) {
    if (history_length > 0) {
        HIST_ENTRY *last = history_get(history_base + history_length - 1);
        if (last && last->line && strcmp(last->line, line) == 0) return;
    }
    add_history(line);
    if (path) write_history(path);
}
