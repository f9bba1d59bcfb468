//===- pages/files.h - files an extension writes, contained per candidate --===//
//
// Policy (docs/host.md): a regular file opened for writing inside an
// extension is not touched.  The descriptor the program gets is a private
// in-memory copy (memfd) of the file as it was when the exploration began
// (empty with O_TRUNC or O_CREAT of a new file).  A snapshot taken while
// the copy has changes since the last one keeps a copy of it, so a
// backtrack gives the copy back the content the target saw: a sibling
// never sees another's writes, and a candidate that is discarded leaves
// nothing behind.  If the exploration keeps a candidate (akeso_guess_stop),
// its copies are written to their files and the descriptors reopened on
// them.  A later open of the same file (for reading too), stat and access
// see the candidate's copy: a candidate reads back what it wrote, and a
// file it created exists for it and not for its siblings.  Closing a
// descriptor opened before the current snapshot is deferred the same way.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_PAGES_FILES_H
#define AKESO_RUNTIME_PAGES_FILES_H

#include <cstddef>
#include <sys/stat.h>

namespace akeso::pages {

bool filesInit(char *Why, size_t WhyLen);
// The system calls files.cpp handles; each returns the result or -errno.
// filesOpen: a path that has a copy (the same file, or a file the
// exploration created) opens the copy, for reading too; -EPERM with *Why
// set to what was refused.
long filesOpen(int DirFd, const char *Path, int Flags, int Mode,
               const char **Why);
long filesClose(int Fd);
// Whether Fd is a contained copy (writes to it are allowed); Touch marks
// it changed (write, truncate, offset moved).
bool filesContained(int Fd, bool Touch);
// Whether Fd was opened since the last snapshot (in the current candidate):
// its descriptor flags may change, a backtrack closes it.
bool filesOpenedHere(int Fd);
// stat/fstat/access of a file that has a copy answer for the copy (its
// size, times; a file the exploration created exists).  Return false when
// the call is not about a copy (make it as is); else *R is the result.
bool filesStat(int DirFd, const char *Path, int AtFlags, struct stat *Out,
               long *R);
bool filesFstat(int Fd, struct stat *Out, long *R);
bool filesAccess(int DirFd, const char *Path, int Mode, long *R);
// A snapshot (Node) was taken / the target of a restore is marked live.
void filesOnTake(const void *Node);
void filesOnRestore(bool (*Live)(const void *Owner));
// The exploration keeps the current candidate / discards everything.
void filesCommit();
void filesReset();

} // namespace akeso::pages

#endif
