void tg_begin(void);
