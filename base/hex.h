/* hex.h: hexadecimal digits. */
#ifndef HGC_BASE_HEX_H
#define HGC_BASE_HEX_H

/* The value (0 to 15) of the hex digit c (either case), or -1. */
int hgc_hex_digit(int c);

#endif
