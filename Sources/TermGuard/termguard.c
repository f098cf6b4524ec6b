#define _GNU_SOURCE 1
#include "termguard.h"
#include <curses.h>
#include <term.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>
#include <errno.h>

static volatile sig_atomic_t pending = 0;
static struct termios saved;
static int have_saved = 0;
static char restore_seq[256];
static size_t restore_len = 0;
static const int crash_sigs[] = {SIGSEGV, SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGABRT};
static struct sigaction previous[NSIG];

static void on_signal(int sig) { pending = sig; }

void tg_begin(void) {
    have_saved = tcgetattr(STDIN_FILENO, &saved) == 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int tg_pending_signal(void) { return pending; }

/* Ctrl-Z: stop this process now. Called on the main thread (the UI loop). Still needed:
   curses reads Ctrl-Z as a key (raw mode) and ncurses may have set its own SIGTSTP handler or
   SIG_IGN, so the default action is put in place for the raise; and the mask the process
   inherited from whatever started it may block SIGTSTP, so it is unblocked for the raise.
   Handler and mask are restored after SIGCONT. */
void tg_stop_self(void) {
    struct sigaction dfl, old;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGTSTP, &dfl, &old);
    sigset_t set, oldmask;
    sigemptyset(&set);
    sigaddset(&set, SIGTSTP);
    pthread_sigmask(SIG_UNBLOCK, &set, &oldmask);
    raise(SIGTSTP);
    pthread_sigmask(SIG_SETMASK, &oldmask, NULL);
    sigaction(SIGTSTP, &old, NULL);
}
void tg_clear_pending(void) { pending = 0; }

void tg_restore_now(void) {
    if (have_saved) tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    if (restore_len) (void)!write(STDOUT_FILENO, restore_seq, restore_len);
}

static void on_crash(int sig, siginfo_t *info, void *ctx) {
    (void)ctx;
    tg_restore_now();
    sigaction(sig, &previous[sig], NULL);
    /* A fault re-runs the instruction on return and reaches the previous handler; a signal
       sent by kill()/raise()/abort() must be raised again. */
    if (info->si_code <= 0) raise(sig);
}

static void append_cap(const char *name) {
    char *s = tigetstr(name);
    if (s == NULL || s == (char *)-1) return;
    size_t n = strlen(s);
    if (restore_len + n < sizeof restore_seq) { memcpy(restore_seq + restore_len, s, n); restore_len += n; }
}

static void wrap_curses_tstp(void);

void tg_arm_crash(void) {
    restore_len = 0;
    append_cap("sgr0"); append_cap("cnorm"); append_cap("rmkx"); append_cap("rmcup");
    /* Mouse tracking and focus reports off (xterm modes ncurses or podtui may have set);
       harmless where unsupported. Focus reports left on would type ^[[I / ^[[O into the
       shell on every window switch. */
    static const char mouse_off[] = "\033[?1006l\033[?1003l\033[?1002l\033[?1000l\033[?1004l";
    if (restore_len + sizeof mouse_off - 1 < sizeof restore_seq) {
        memcpy(restore_seq + restore_len, mouse_off, sizeof mouse_off - 1);
        restore_len += sizeof mouse_off - 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_crash;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof crash_sigs / sizeof *crash_sigs; i++)
        sigaction(crash_sigs[i], &sa, &previous[crash_sigs[i]]);
    wrap_curses_tstp();
}

/* Focus reports (xterm mode 1004): whether podtui asked for them, so a stop from outside
   (SIGTSTP sent by a shell's `kill -TSTP`, or the terminal's suspend key in cooked mode)
   turns them off for the shell and on again after SIGCONT. */
static volatile sig_atomic_t focus_reports = 0;
static struct sigaction curses_tstp;
static const char focus_off[] = "\033[?1004l";
static const char focus_on[] = "\033[?1004h";

void tg_focus_reports(int on) {
    focus_reports = on;
    if (on) (void)!write(STDOUT_FILENO, focus_on, sizeof focus_on - 1);
    else (void)!write(STDOUT_FILENO, focus_off, sizeof focus_off - 1);
}

/* Wraps ncurses' SIGTSTP handler (which leaves curses mode, stops the process and redraws
   after SIGCONT, restoring this handler on the way out): focus reports off before it, on
   after it. write() is async-signal-safe; ncurses' handler is what it always was. */
static void on_tstp(int sig, siginfo_t *info, void *ctx) {
    int was_on = focus_reports;
    if (was_on) (void)!write(STDOUT_FILENO, focus_off, sizeof focus_off - 1);
    if (curses_tstp.sa_flags & SA_SIGINFO) curses_tstp.sa_sigaction(sig, info, ctx);
    else curses_tstp.sa_handler(sig);
    if (was_on && focus_reports) (void)!write(STDOUT_FILENO, focus_on, sizeof focus_on - 1);
}

static void wrap_curses_tstp(void) {
    struct sigaction current;
    if (sigaction(SIGTSTP, NULL, &current) != 0) return;
    int is_handler = (current.sa_flags & SA_SIGINFO) ? current.sa_sigaction != NULL
        : (current.sa_handler != SIG_DFL && current.sa_handler != SIG_IGN);
    if (!is_handler || ((current.sa_flags & SA_SIGINFO) && current.sa_sigaction == on_tstp)) return;
    curses_tstp = current;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_tstp;
    sa.sa_flags = SA_SIGINFO | (current.sa_flags & SA_RESTART);
    sa.sa_mask = current.sa_mask;
    sigaction(SIGTSTP, &sa, NULL);
}

int tg_term_addressable(void) {
    const char *name = getenv("TERM");
    if (name == NULL || name[0] == '\0') return -1;
    TERMINAL *before = cur_term;
    int err = 0;
    if (setupterm(name, STDOUT_FILENO, &err) != OK) {
        set_curterm(before);
        return -1;
    }
    char *cup = tigetstr("cup");
    int result = (cup != NULL && cup != (char *)-1) ? 1 : 0;
    TERMINAL *loaded = set_curterm(before);
    if (loaded != NULL && loaded != before) del_curterm(loaded);
    return result;
}

int tg_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int tg_is_main_thread(void) { return gettid() == getpid(); }

void tg_malloc_tune(void) {
#ifdef M_ARENA_MAX
    mallopt(M_ARENA_MAX, 2);
    mallopt(M_TRIM_THRESHOLD, 1 << 20);
#endif
}

void tg_malloc_trim(void) {
#ifdef M_ARENA_MAX
    malloc_trim(0);
#endif
}

/* tg_read_secret: the tty and its modes while echo is off, for the signal handler. */
static volatile int secret_fd = -1;
static struct termios secret_saved;
static const int secret_sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
static struct sigaction secret_previous[4];

static void on_secret_signal(int sig) {
    if (secret_fd >= 0) {
        tcsetattr(secret_fd, TCSAFLUSH, &secret_saved);
        (void)!write(secret_fd, "\n", 1);
    }
    /* Hand the signal on with its previous disposition (usually: end the process). */
    for (int i = 0; i < 4; i++) {
        if (secret_sigs[i] == sig) sigaction(sig, &secret_previous[i], NULL);
    }
    raise(sig);
}

long tg_read_secret(const char *prompt, char *buf, unsigned long size) {
    if (size == 0) return -1;
    buf[0] = 0;
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return -1;
    struct termios modes;
    if (tcgetattr(fd, &modes) != 0) { close(fd); return -1; }
    secret_saved = modes;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_secret_signal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 4; i++) sigaction(secret_sigs[i], &sa, &secret_previous[i]);
    secret_fd = fd;
    modes.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
    modes.c_lflag |= ICANON;
    tcsetattr(fd, TCSAFLUSH, &modes);
    (void)!write(fd, prompt, strlen(prompt));
    unsigned long len = 0;
    long result = 0;
    for (;;) {
        char c;
        ssize_t n = read(fd, &c, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) { result = len > 0 ? (long)len : -1; break; }
        if (c == '\n' || c == '\r') { result = (long)len; break; }
        if (len + 1 < size) buf[len++] = c;
    }
    buf[len] = 0;
    tcsetattr(fd, TCSAFLUSH, &secret_saved);
    (void)!write(fd, "\n", 1);
    secret_fd = -1;
    for (int i = 0; i < 4; i++) sigaction(secret_sigs[i], &secret_previous[i], NULL);
    close(fd);
    return result;
}
