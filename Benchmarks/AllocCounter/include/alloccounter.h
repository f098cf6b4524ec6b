#ifndef PODTUI_ALLOCCOUNTER_H
#define PODTUI_ALLOCCOUNTER_H
/* Counts heap allocations of the benchmark process: malloc and friends are wrapped here and
   forward to glibc's own (__libc_*), so every allocation, Swift's included, is counted.
   Linked only into the benchmark executable, never into podtui. */
unsigned long long alloc_count(void);
#endif
