# cmake -DIN=file -DOUT=file.c -P embed.cmake: the bytes of IN as a C array.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR bytes "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" body "${body}")
file(WRITE ${OUT} "/* Generated from ${IN} by proto/embed.cmake. */\n#include <stddef.h>\n"
  "const unsigned char hgc_descriptor_set[] = {\n${body}\n};\n"
  "const size_t hgc_descriptor_set_len = ${bytes};\n")
