#ifndef SUPPORTSIM_TERMINAL_H
#define SUPPORTSIM_TERMINAL_H

/*
 * The interactive terminal: signal handling and GNU readline, in one C translation unit
 * (terminal.c), so that every flag exists exactly once in the program. Nothing here is
 * `static` in a header: Swift calls these functions, it never sees the state behind them.
 *
 * Signals (installed by supportsim_signals_install):
 *   SIGINT                   Ctrl-C: the current read ends as SUPPORTSIM_INPUT_INTERRUPTED
 *                            (readline: the half-typed line is discarded).
 *   SIGTERM, SIGHUP, SIGQUIT  the current or next read ends as SUPPORTSIM_INPUT_TERMINATED,
 *                            with the terminal restored; supportsim_terminating_signal() tells
 *                            which. The caller saves its work and exits with 128 + signal.
 *   SIGTSTP                  Ctrl-Z while readline reads: the terminal is restored, the process
 *                            stops, and after `fg` readline's mode, the prompt and the line are
 *                            back. Outside a read the default action (stop) applies.
 *   SIGWINCH                 readline re-reads the terminal size and redraws the line.
 * A signal that was ignored when the program started (e.g. SIGHUP under nohup) stays ignored.
 * The handlers only set flags and write one byte to a pipe that the reading loop polls, so a
 * signal handled on any thread wakes the read at once.
 */

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How a read ended. */
enum {
    SUPPORTSIM_INPUT_LINE = 0,        /* a line (readline) or input is ready (plain reading) */
    SUPPORTSIM_INPUT_END = 1,         /* Ctrl-D on an empty line, end of input, terminal gone */
    SUPPORTSIM_INPUT_INTERRUPTED = 2, /* Ctrl-C */
    SUPPORTSIM_INPUT_TERMINATED = 3   /* SIGTERM, SIGHUP or SIGQUIT */
};

/* Installs the signal handlers once per process (later calls do nothing). 0 on success. */
int supportsim_signals_install(void);

/* The first terminating signal received (SIGTERM, SIGHUP, SIGQUIT), or 0. It stays set. */
int supportsim_terminating_signal(void);

/* What a signal asks of a reader before it reads: SUPPORTSIM_INPUT_TERMINATED,
 * SUPPORTSIM_INPUT_INTERRUPTED (a Ctrl-C pressed since the last read; reported once), or
 * SUPPORTSIM_INPUT_LINE when nothing is pending. */
int supportsim_take_signal_request(void);

/* Plain reading: waits until `fd` can be read without blocking (data, end of file or an error)
 * and returns SUPPORTSIM_INPUT_LINE, or returns SUPPORTSIM_INPUT_TERMINATED /
 * SUPPORTSIM_INPUT_INTERRUPTED as soon as such a signal arrives. */
int supportsim_wait_for_input(int fd);

/* Readline: the application name (for ~/.inputrc conditionals) and the completion function.
 * Also installs the signal handlers. */
typedef char **(*supportsim_completion_function)(const char *text, int start, int end);
typedef char *(*supportsim_completion_generator)(const char *text, int state);
void supportsim_readline_setup(const char *application_name, supportsim_completion_function completion);

/* Reads one line with readline (its callback interface, driven by a poll loop that also
 * watches for signals). On SUPPORTSIM_INPUT_LINE, *line is the line (malloc'd; free it);
 * otherwise *line is NULL. Terminal modes are restored before it returns, whatever the result. */
int supportsim_readline(const char *prompt, char **line);

/* For the completion function. */
void supportsim_set_completion_over(int over);
const char *supportsim_line_buffer(void);
char **supportsim_completion_matches(const char *text, supportsim_completion_generator generator);

/* History: start (keeping at most `limit` lines), load a file (errno-style result of
 * read_history; a missing file is fine), and add a line unless it repeats the last one,
 * saving the file at once when `path` is not NULL. */
void supportsim_history_start(int limit);
int supportsim_history_load(const char *path);
void supportsim_history_add(const char *line, const char *path);

#ifdef __cplusplus
}
#endif

#endif
