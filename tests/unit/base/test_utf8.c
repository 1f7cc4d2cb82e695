/* Tests of base/utf8.h: the strict UTF-8 check every part uses. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/utf8.h"

Test(utf8, valid_text)
{
    cr_expect(hgc_utf8_valid("", 0));
    cr_expect(hgc_utf8_valid("plain", 5));
    cr_expect(hgc_utf8_valid("\xe6\x97\xa5\xe6\x9c\xac \xc3\xbc \xf0\x9f\x98\x80", 14));
    cr_expect(hgc_utf8_valid("a\0b", 3), "NUL is valid UTF-8; callers refuse it themselves");
    cr_expect(hgc_utf8_valid("\xed\x9f\xbf", 3), "U+D7FF, just below the surrogates");
    cr_expect(hgc_utf8_valid("\xf4\x8f\xbf\xbf", 4), "U+10FFFF");
    cr_expect(hgc_utf8_valid("\xe0\xa0\x80", 3), "U+0800, the first three-byte form");
}

Test(utf8, invalid_text)
{
    cr_expect(!hgc_utf8_valid("\xff", 1));
    cr_expect(!hgc_utf8_valid("\x80", 1), "a lone continuation byte");
    cr_expect(!hgc_utf8_valid("\xc3", 1), "truncated sequence");
    cr_expect(!hgc_utf8_valid("\xe6\x97", 2), "truncated sequence");
    cr_expect(!hgc_utf8_valid("\xc0\xaf", 2), "overlong");
    cr_expect(!hgc_utf8_valid("\xe0\x9f\xbf", 3), "overlong");
    cr_expect(!hgc_utf8_valid("\xf0\x8f\xbf\xbf", 4), "overlong");
    cr_expect(!hgc_utf8_valid("\xed\xa0\x80", 3), "surrogate");
    cr_expect(!hgc_utf8_valid("\xf4\x90\x80\x80", 4), "above U+10FFFF");
    cr_expect(!hgc_utf8_valid("\xf5\x80\x80\x80", 4), "above U+10FFFF");
    cr_expect(!hgc_utf8_valid("ok\xc3(", 4), "a continuation byte missing");
}

Test(utf8, sequence_lengths)
{
    const unsigned char *s = (const unsigned char *)"a\xc3\xbc\xe6\x97\xa5\xf0\x9f\x98\x80";
    cr_expect_eq(hgc_utf8_seq(s, 10), 1);
    cr_expect_eq(hgc_utf8_seq(s + 1, 9), 2);
    cr_expect_eq(hgc_utf8_seq(s + 3, 7), 3);
    cr_expect_eq(hgc_utf8_seq(s + 6, 4), 4);
    cr_expect_eq(hgc_utf8_seq(s + 6, 3), 0, "only 3 of its 4 bytes may be read");
    cr_expect_eq(hgc_utf8_seq(s + 7, 3), 0, "a continuation byte does not start one");
}

/* Every 1- and 2-byte string: the check agrees with a decoder written
 * from the definition (2-byte forms are U+0080..U+07FF). */
Test(utf8, all_two_byte_strings)
{
    for (unsigned a = 0; a < 256; a++) {
        for (unsigned b = 0; b < 256; b++) {
            char s[2] = {(char)a, (char)b};
            int want = (a < 0x80 && b < 0x80) || (a >= 0xc0 && a < 0xe0 && (b & 0xc0) == 0x80 &&
                                                  (((a & 0x1f) << 6) | (b & 0x3f)) >= 0x80);
            cr_assert_eq(hgc_utf8_valid(s, 2), want, "%02x %02x", a, b);
        }
    }
}
