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
#include <ncurses.h>

/* Stateless static inline wrappers only: every Swift object file gets its own copy, so a
   static variable here would not be shared (state lives in the TermGuard C target). */

/* C globals are errors in Swift 6 strict concurrency. */
static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline int cn_lines(void) { return LINES; }
static inline int cn_cols(void) { return COLS; }
static inline int cn_colors(void) { return COLORS; }

/* stdin/stdout are C globals too; newterm wants FILE pointers. */
static inline SCREEN *cn_newterm_stdio(void) { return newterm(NULL, stdout, stdin); }

/* Attribute macros are function-like (NCURSES_BITS) and do not import. */
static inline attr_t cn_a_normal(void)    { return A_NORMAL; }
static inline attr_t cn_a_bold(void)      { return A_BOLD; }
static inline attr_t cn_a_dim(void)       { return A_DIM; }
static inline attr_t cn_a_reverse(void)   { return A_REVERSE; }
static inline attr_t cn_a_underline(void) { return A_UNDERLINE; }

/* attr_set is a macro; mvaddnstr takes a byte length. */
static inline int cn_put(int y, int x, const char *s, int nbytes, attr_t a, short pair) {
    attr_set(a, pair, NULL);
    return mvaddnstr(y, x, s, nbytes);
}

#endif
