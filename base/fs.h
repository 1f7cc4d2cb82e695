/* fs.h: file-system helpers. Both return 0, or -1 with errno set. */
#ifndef HGC_BASE_FS_H
#define HGC_BASE_FS_H

/* mkdir -p (mode 0755): every folder of path, the last one too when
 * include_last, else only its parents. The entry of each folder it
 * creates is synced (fsync of its parent), so it survives a power cut. A last part that exists but
 * is not a folder fails with ENOTDIR; a path of PATH_MAX bytes or more with ENAMETOOLONG. */
int hgc_mkdir_p(const char *path, int include_last);
/* fsync of the folder dir itself (after a rename or create in it, so
 * that the entry survives a crash). */
int hgc_fsync_dir(const char *dir);
/* hgc_fsync_dir of the folder that holds path. */
int hgc_fsync_parent(const char *path);

#endif
