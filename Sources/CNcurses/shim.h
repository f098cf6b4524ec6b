#ifndef PODTUI_CNCURSES_SHIM_H
#define PODTUI_CNCURSES_SHIM_H

/* The wide-character API (cchar_t, get_wch, mvaddnwstr) must be switched on before the
   header. On Debian <ncurses.h> is ncursesw's. */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <wchar.h>
#include <stdio.h>
#include <unistd.h>
#include <ncurses.h>

/* Stateless static inline wrappers only: every Swift object file gets its own copy, so a
   static variable here would not be shared (state lives in the TermGuard C target). */

/* C globals are errors in Swift 6 strict concurrency. */
static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline int cn_colors(void) { return COLORS; }

/* stdin/stdout are C globals too; newterm wants FILE pointers. */
static inline SCREEN *cn_newterm_stdio(void) { return newterm(NULL, stdout, stdin); }

/* Input from another descriptor of the same terminal (opened non-blocking, see
   NcursesTerminal). On failure the descriptor is closed and NULL returned. */
static inline SCREEN *cn_newterm_input(int fd) {
    FILE *in = fdopen(fd, "r");
    if (in == NULL) { close(fd); return NULL; }
    SCREEN *screen = newterm(NULL, stdout, in);
    if (screen == NULL) fclose(in);
    return screen;
}

/* Attribute macros are function-like (NCURSES_BITS) and do not import. */
static inline attr_t cn_a_normal(void)    { return A_NORMAL; }
static inline attr_t cn_a_bold(void)      { return A_BOLD; }
static inline attr_t cn_a_dim(void)       { return A_DIM; }
static inline attr_t cn_a_reverse(void)   { return A_REVERSE; }
static inline attr_t cn_a_underline(void) { return A_UNDERLINE; }

/* Mouse: the BUTTON* masks are macros built from NCURSES_MOUSE_MASK and do not import.
   cn_mouse(1) asks for clicks, double clicks and the wheel (0 turns it off again). */
static inline int cn_mouse(int on) {
    mmask_t want = on ? (BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
                         | BUTTON5_PRESSED
#endif
                         ) : 0;
    mouseinterval(on ? 250 : 0);
    return mousemask(want, NULL) != 0;
}

/* One mouse event: 1 click, 2 double click, 3 wheel up, 4 wheel down, 0 other. */
static inline int cn_getmouse(int *y, int *x) {
    MEVENT e;
    if (getmouse(&e) != OK) return 0;
    *y = e.y; *x = e.x;
    if (e.bstate & BUTTON1_DOUBLE_CLICKED) return 2;
    if (e.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) return 1;
    if (e.bstate & BUTTON4_PRESSED) return 3;
#ifdef BUTTON5_PRESSED
    if (e.bstate & BUTTON5_PRESSED) return 4;
#endif
    return 0;
}

/* attr_set is a macro; mvaddnstr takes a byte length. */
static inline int cn_put(int y, int x, const char *s, int nbytes, attr_t a, short pair) {
    attr_set(a, pair, NULL);
    return mvaddnstr(y, x, s, nbytes);
}

#endif
