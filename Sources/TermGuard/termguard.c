#include "termguard.h"
void tg_begin(void) {}
