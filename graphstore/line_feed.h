/* line_feed.h: text fed in pieces, handed on as runs of whole lines.
 *
 * The mechanism the text parsers share (edge_parse.c,
 * record_parse_graphalytics.c, record_parse_jsonl.c). Each push hands the
 * complete lines of a piece to the parser in place, straight from the
 * caller's buffer; only a line cut by the end of a piece is copied (the
 * carry, at most `limit` + 1 bytes: the line and a '\r' that may precede
 * its '\n') and handed on once its newline arrives, or at finish, with a
 * '\n' appended. So every split of the input reaches the parser as the
 * same lines, and a parser that checks a line's length before its other
 * faults gives the same errors for every split.
 *
 * The embedder owns the struct (init/release); the parser's block
 * function advances `line` past each line it completes and names `line`
 * in its messages. Any failure, the parser's or a line over the limit,
 * latches: later pushes and finish are refused.
 */
#ifndef ALGO_LINE_FEED_H
#define ALGO_LINE_FEED_H

#include <stddef.h>
#include <stdint.h>
#include "graph_file.h" /* ALGO_MSG_MAX */

/* Parses the lines of [s, end): end > s, end[-1] is '\n' and is the only
 * '\n' a scan must stop at to stay in bounds. 0, or negative with msg. */
typedef int (*algo_line_block_fn)(void *ud, const char *s, const char *end, char msg[ALGO_MSG_MAX]);

typedef struct algo_line_feed {
    uint64_t line;        /* number of the next line to complete, from 1 */
    int failed;           /* set by any failure; refuses further input */
    size_t limit;         /* bytes of a line without its "\r\n" */
    const char *too_long; /* the message of a cut line over the limit */
    char *carry;          /* the cut line so far, then room for a '\n' */
    size_t carry_len, carry_cap;
} algo_line_feed;

/* `too_long` (static text) follows "line N: " in the message of a cut line
 * longer than `limit`. With `reserve`, the carry (limit + 2 bytes) is
 * allocated now, so pushes never fail for memory; else it grows as cut
 * lines need. 0, or -1 out of memory. */
int algo_line_feed_init(algo_line_feed *lf, size_t limit, const char *too_long, int reserve);
void algo_line_feed_release(algo_line_feed *lf);

/* Hands the complete lines of a piece to `parse` and keeps its cut end.
 * 0, or negative with msg ("line N: ..."). */
int algo_line_feed_push(algo_line_feed *lf, const char *data, size_t len, algo_line_block_fn parse,
                        void *ud, char msg[ALGO_MSG_MAX]);

/* End of input: hands on a last line that has no newline. */
int algo_line_feed_finish(algo_line_feed *lf, algo_line_block_fn parse, void *ud,
                          char msg[ALGO_MSG_MAX]);

#endif
