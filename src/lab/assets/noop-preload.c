/* minesweep lab: the library a kinsing host names in /etc/ld.so.preload. It does nothing. */
int minesweep_lab_noop_preload = 1;
