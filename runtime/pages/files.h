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
// them.  Closing a descriptor opened before the current snapshot is
// deferred the same way.
//
//===----------------------------------------------------------------------===//
#ifndef AKESO_RUNTIME_PAGES_FILES_H
#define AKESO_RUNTIME_PAGES_FILES_H

#include <cstddef>

namespace akeso::pages {

bool filesInit(char *Why, size_t WhyLen);
// The system calls files.cpp handles; each returns the result or -errno.
long filesOpen(int DirFd, const char *Path, int Flags, int Mode);
long filesClose(int Fd);
// Whether Fd is a contained copy (writes to it are allowed); Touch marks
// it changed (write, truncate, offset moved).
bool filesContained(int Fd, bool Touch);
// A snapshot (Node) was taken / the target of a restore is marked live.
void filesOnTake(const void *Node);
void filesOnRestore(bool (*Live)(const void *Owner));
// The exploration keeps the current candidate / discards everything.
void filesCommit();
void filesReset();

} // namespace akeso::pages

#endif
