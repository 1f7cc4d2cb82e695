/* fuzz_tmp.h: a private scratch directory for fuzz targets that must go
 * through a file (the store maps files, it never reads buffers).
 *
 * The directory is made once per process under $HGC_FUZZ_TMPDIR, else
 * /dev/shm (tmpfs: no disk I/O per run), else $TMPDIR or /tmp, and removed
 * with its files at exit. A crash leaves it behind; it is small.
 */
#ifndef FUZZ_TMP_H
#define FUZZ_TMP_H

#include <stddef.h>
#include <stdint.h>

/* The path of `name` (a string literal: it is kept) inside the scratch
 * directory, made on first use.
 * Aborts if the directory cannot be made: the target cannot run at all. */
const char *fuzz_tmp_path(const char *name);

/* Writes `len` bytes to `path` (truncated), or aborts. */
void fuzz_tmp_write(const char *path, const uint8_t *data, size_t len);

#endif
