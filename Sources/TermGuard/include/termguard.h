#ifndef PODTUI_TERMGUARD_H
#define PODTUI_TERMGUARD_H
/* Terminal safety that must live in one place (a regular C target, not the shim):
   - tg_begin(): before initscr. Saves the tty modes; SIGINT, SIGTERM, SIGHUP and SIGQUIT
     only set a flag (ncurses then leaves them alone); SIGPIPE is ignored. No SA_RESTART, so
     a blocking poll/getch wakes up.
   - tg_pending_signal(): the flag, polled by the main loop, which then calls endwin() itself.
   - tg_arm_crash(): after initscr. On SIGSEGV/SIGILL/SIGTRAP/SIGBUS/SIGFPE/SIGABRT it restores
     the tty (tcsetattr + sgr0/cnorm/rmkx/rmcup, mouse and focus reports off, all async-signal-safe
     writes) and hands the
     signal on to the previous handler (Swift's backtracer), so the report lands on a sane
     screen.
   - tg_restore_now(): the same restore, callable from atexit or a test. */
void tg_begin(void);
void tg_arm_crash(void);
int tg_pending_signal(void);
void tg_clear_pending(void);
void tg_restore_now(void);
/* Focus reports (xterm mode 1004, `CSI ? 1004 h` / `l`) on or off, written to stdout now.
   While on, a SIGTSTP from outside turns them off before ncurses' own stop handler gives the
   terminal back and on again after SIGCONT (tg_arm_crash wraps that handler); the crash
   restore always turns them off. */
void tg_focus_reports(int on);
/* Stops the process (Ctrl-Z) with SIGTSTP's default action, unblocked for the raise (the
   mask podtui inherited from whatever started it may block it); returns after SIGCONT. */
void tg_stop_self(void);
/* What the terminfo entry of $TERM says, before curses starts: 1 when it can address the
   cursor (has `cup`), 0 when it is known but cannot (TERM=dumb, a printing terminal), -1 when
   it is unknown or TERM is unset. Loads the entry into a private TERMINAL and frees it, so
   newterm() afterwards starts from nothing. */
int tg_term_addressable(void);
/* pipe2(fds, O_CLOEXEC): both ends close-on-exec from the start, so no child spawned by
   another thread meanwhile inherits them (Swift's Glibc module does not export pipe2). */
int tg_pipe_cloexec(int fds[2]);
/* 1 on the process's main thread (its thread id is the process id), else 0. */
int tg_is_main_thread(void);
/* glibc malloc, tuned for a long-running program with a few busy threads: at most two
   arenas (by default each thread that allocates may get its own, 8 per core, and memory
   freed in one is never reused by another: a fleet that changes every poll grew RSS to
   2.5 times the live heap) and freed memory at the top of the heap given back sooner.
   Call first thing in main, before any thread starts. */
void tg_malloc_tune(void);
/* Gives the pages malloc holds free back to the system (glibc's malloc_trim: free chunks
   inside the heap too, not only at its top). For after a changed list reply, whose old
   pods and buffers were just freed. */
void tg_malloc_trim(void);
/* Reads one line from the controlling terminal (/dev/tty) with echo off, after writing
   `prompt` there: for passwords and API keys. SIGINT, SIGTERM, SIGHUP and SIGQUIT restore
   the echo before they take their usual effect, so an interrupted prompt never leaves the
   terminal silent. The newline is not stored; `buf` is always NUL-terminated. Returns the
   length, or -1 when there is no terminal or reading failed (errno says why). */
long tg_read_secret(const char *prompt, char *buf, unsigned long size);
#endif
