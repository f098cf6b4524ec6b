#ifndef PODTUI_TERMGUARD_H
#define PODTUI_TERMGUARD_H
/* Terminal safety that must live in one place (a regular C target, not the shim):
   - tg_begin(): before initscr. Saves the tty modes; SIGINT, SIGTERM, SIGHUP and SIGQUIT
     only set a flag (ncurses then leaves them alone); SIGPIPE is ignored. No SA_RESTART, so
     a blocking poll/getch wakes up.
   - tg_pending_signal(): the flag, polled by the main loop, which then calls endwin() itself.
   - tg_arm_crash(): after initscr. On SIGSEGV/SIGILL/SIGTRAP/SIGBUS/SIGFPE/SIGABRT it restores
     the tty (tcsetattr + sgr0/cnorm/rmkx/rmcup, all async-signal-safe writes) and hands the
     signal on to the previous handler (Swift's backtracer), so the report lands on a sane
     screen.
   - tg_restore_now(): the same restore, callable from atexit or a test. */
void tg_begin(void);
void tg_arm_crash(void);
int tg_pending_signal(void);
void tg_clear_pending(void);
void tg_restore_now(void);
/* Stops the process (Ctrl-Z) with SIGTSTP's default action, unblocked for the raise (the
   mask podtui inherited from whatever started it may block it); returns after SIGCONT. */
void tg_stop_self(void);
#endif
