//===- pages/files.cpp - files an extension writes, contained per candidate ===//
//
// See files.h for the policy.  Copies are memfds, moved with sendfile, so
// file contents never pass through the snapshot engine's memory.  A later
// open of a file that has a copy reopens the copy (/proc/self/fd/N: a new
// open file description, so its own offset and flags, on the same
// content); every descriptor on one copy is a File entry of its own, and a
// change through any of them marks them all changed, so each one's
// snapshots and restores see the shared content.
//
//===----------------------------------------------------------------------===//
#include "pages/files.h"
#include "pages/host.h"
#include "platform/platform.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <linux/limits.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

namespace akeso::pages {
namespace {

constexpr size_t MaxFiles = 256, MaxSnaps = 1 << 14, MaxCloses = 1024;

struct File {
  int Fd;            // the program's descriptor (a memfd, or a read-only fd)
  bool Copy;         // a contained copy (else a descriptor opened read-only)
  bool FromFile;     // its initial content is the file's
  bool Dirty;        // changed since the last snapshot or restore
  bool HasIno;       // the file exists on disk: Dev/Ino name it
  bool Closed;       // closed by the program: Fd is a hidden descriptor
                     // keeping the copy for later opens of the file
  int Flags, Mode;
  unsigned long Dev, Ino;
  unsigned long CopyIno; // the memfd's inode: descriptors sharing a copy
  const void *Owner; // the snapshot after which it was opened (null: now)
  char Path[PATH_MAX];
};

struct Snap {
  int File;   // index in Files
  int CopyFd; // a memfd with the content at the snapshot
  long Offset;
  const void *Owner;
};

struct Deferred {
  int Fd;
  const void *Owner;
};

struct Table {
  File Files[MaxFiles];
  size_t FileCount;
  Snap Snaps[MaxSnaps];
  size_t SnapCount;
  Deferred Closes[MaxCloses];
  size_t CloseCount;
};
Table *F = nullptr;

long sys(long Nr, long A = 0, long B = 0, long C = 0, long D = 0) {
  return hostSyscall(Nr, A, B, C, D);
}

long fileSize(int Fd) {
  struct stat St;
  long R = sys(SYS_fstat, Fd, long(&St));
  return R < 0 ? R : long(St.st_size);
}

// Replaces To's content with From's (both from offset 0).  sendfile
// refuses a destination opened O_APPEND: the flag is lifted meanwhile.
long copyContent(int From, int To) {
  const long Flags = sys(SYS_fcntl, To, F_GETFL);
  if (Flags >= 0 && (Flags & O_APPEND))
    sys(SYS_fcntl, To, F_SETFL, Flags & ~O_APPEND);
  long R = sys(SYS_ftruncate, To, 0);
  if (R < 0)
    return R;
  long Size = fileSize(From);
  if (Size < 0)
    return Size;
  off_t In = 0;
  sys(SYS_lseek, To, 0, SEEK_SET);
  while (In < Size) {
    R = sys(SYS_sendfile, To, From, long(&In), Size - In);
    if (R <= 0) {
      R = R < 0 ? R : -EIO;
      break;
    }
    R = 0;
  }
  if (Flags >= 0 && (Flags & O_APPEND))
    sys(SYS_fcntl, To, F_SETFL, Flags);
  return R;
}

long newCopy() {
  return sys(SYS_memfd_create, long("akeso-contained"), MFD_CLOEXEC);
}

// Where hidden descriptors go: above the numbers programs usually get.
constexpr int HiddenFdBase = 512;

File *find(int Fd) {
  for (size_t I = 0; I < F->FileCount; ++I)
    if (F->Files[I].Fd == Fd && !F->Files[I].Closed)
      return &F->Files[I];
  return nullptr;
}

// Marks every descriptor on G's copy changed.
void touch(const File &G) {
  for (size_t I = 0; I < F->FileCount; ++I)
    if (F->Files[I].Copy && F->Files[I].CopyIno == G.CopyIno)
      F->Files[I].Dirty = true;
}

// The copy that stands for Path (relative to DirFd), if the exploration
// made one: the same file on disk, or the same path string (a file the
// exploration created; chdir is refused inside extensions).
File *findCopy(int DirFd, const char *Path, bool Follow) {
  if (!Path)
    return nullptr;
  struct stat St;
  const long R = sys(SYS_newfstatat, DirFd, long(Path), long(&St),
                     Follow ? 0 : AT_SYMLINK_NOFOLLOW);
  if (R == -EFAULT)
    return nullptr;
  const bool ByName = Path[0] == '/' || DirFd == AT_FDCWD;
  for (size_t I = 0; I < F->FileCount; ++I) {
    File &G = F->Files[I];
    if (!G.Copy)
      continue;
    if (R == 0 && G.HasIno && G.Dev == St.st_dev && G.Ino == St.st_ino)
      return &G;
    if (ByName && !strcmp(G.Path, Path))
      return &G;
  }
  return nullptr;
}

// A new descriptor on C's copy, as open(2) with Flags would give on the
// file.
long openShared(const File &C, int Flags) {
  if ((Flags & O_CREAT) && (Flags & O_EXCL))
    return -EEXIST;
  char Proc[48];
  snprintf(Proc, sizeof(Proc), "/proc/self/fd/%d", C.Fd);
  const long Fd =
      sys(SYS_openat, AT_FDCWD, long(Proc),
          Flags & ~(O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY), 0);
  if (Fd < 0)
    return Fd;
  File &G = F->Files[F->FileCount++];
  G = C;
  G.Fd = int(Fd);
  G.Flags = Flags;
  G.Closed = false;
  G.Owner = nullptr;
  touch(G); // its first snapshot must keep the shared content
  return Fd;
}

// What stat would say of the file G stands for: the file's own metadata
// with the copy's size and times, or for a file the exploration created,
// a regular file with the mode it was created with.
long statCopy(const File &G, struct stat *Out) {
  struct stat Mem;
  long R = sys(SYS_fstat, G.Fd, long(&Mem));
  if (R < 0)
    return R;
  if (G.HasIno && sys(SYS_newfstatat, AT_FDCWD, long(G.Path), long(Out), 0) == 0 &&
      Out->st_ino == G.Ino) {
    Out->st_size = Mem.st_size;
    Out->st_blocks = Mem.st_blocks;
    Out->st_mtim = Mem.st_mtim;
    Out->st_ctim = Mem.st_ctim;
    return 0;
  }
  const long Mask = sys(SYS_umask, 0);
  sys(SYS_umask, Mask);
  *Out = Mem;
  Out->st_mode = S_IFREG | ((G.Mode ? G.Mode : 0666) & 07777 & ~Mask);
  Out->st_nlink = 1;
  return 0;
}

// The content the file had when the exploration began, into Fd.
long initialContent(const File &G, int Fd) {
  if (!G.FromFile)
    return sys(SYS_ftruncate, Fd, 0);
  long Real = sys(SYS_openat, AT_FDCWD, long(G.Path), O_RDONLY | O_CLOEXEC);
  if (Real < 0)
    return Real;
  long R = copyContent(int(Real), Fd);
  sys(SYS_close, Real);
  return R;
}

// Keeps the order of the rest: the newest snapshot of a file is its last.
void dropSnap(size_t I) {
  sys(SYS_close, F->Snaps[I].CopyFd);
  memmove(&F->Snaps[I], &F->Snaps[I + 1],
          (F->SnapCount - I - 1) * sizeof(Snap));
  --F->SnapCount;
}

} // namespace

bool filesInit(char *Why, size_t WhyLen) {
  if (!F)
    F = static_cast<Table *>(platform::reserveZeroed(sizeof(Table)));
  if (!F)
    snprintf(Why, WhyLen, "cannot reserve the contained-file table");
  return F != nullptr;
}

long filesOpen(int DirFd, const char *Path, int Flags, int Mode,
               const char **Why) {
  const int Access = Flags & O_ACCMODE;
  const bool Writes = Access != O_RDONLY || (Flags & (O_CREAT | O_TRUNC));
  *Why = nullptr;
  if (F->FileCount == MaxFiles)
    return -EMFILE;
  if (const File *C = findCopy(DirFd, Path, !(Flags & O_NOFOLLOW)))
    return openShared(*C, Flags);
  if (!Writes) {
    long Fd = sys(SYS_openat, DirFd, long(Path), Flags, Mode);
    if (Fd >= 0) {
      File &G = F->Files[F->FileCount++];
      memset(&G, 0, sizeof(G));
      G.Fd = int(Fd);
    }
    return Fd;
  }
  if (Path[0] != '/' && DirFd != AT_FDCWD) {
    // The copy is named by its path (to write it back, to find it again).
    *Why = "openat for writing relative to a directory descriptor "
           "(unsupported: use an absolute path or one relative to the "
           "working directory)";
    return -EPERM;
  }
  if (strlen(Path) >= PATH_MAX)
    return -ENAMETOOLONG;
  struct stat St;
  long R = sys(SYS_newfstatat, DirFd, long(Path), long(&St), 0);
  const bool Exists = R == 0;
  if (Exists && !S_ISREG(St.st_mode)) {
    *Why = S_ISDIR(St.st_mode)
               ? "open of a directory for writing"
               : "open of a device, fifo or socket for writing (its writes "
                 "would escape)";
    return -EPERM;
  }
  if (!Exists && !(Flags & O_CREAT))
    return R;
  if (Exists && (Flags & O_CREAT) && (Flags & O_EXCL))
    return -EEXIST;
  long Fd = newCopy();
  if (Fd < 0)
    return Fd;
  File &G = F->Files[F->FileCount];
  memset(&G, 0, sizeof(G));
  G.Fd = int(Fd);
  G.Copy = true;
  G.FromFile = Exists && !(Flags & O_TRUNC);
  G.HasIno = Exists;
  G.Dev = St.st_dev;
  G.Ino = St.st_ino;
  struct stat Mem;
  G.CopyIno = sys(SYS_fstat, Fd, long(&Mem)) == 0 ? Mem.st_ino : 0;
  G.Flags = Flags;
  G.Mode = Mode;
  strcpy(G.Path, Path);
  R = initialContent(G, G.Fd);
  if (R < 0) {
    sys(SYS_close, Fd);
    return R;
  }
  if (Flags & O_APPEND) {
    sys(SYS_fcntl, Fd, F_SETFL, O_APPEND);
    sys(SYS_lseek, Fd, 0, SEEK_END);
  } else {
    sys(SYS_lseek, Fd, 0, SEEK_SET);
  }
  if (!(Flags & O_CLOEXEC))
    sys(SYS_fcntl, Fd, F_SETFD, 0);
  ++F->FileCount;
  return Fd;
}

long filesClose(int Fd) {
  File *G = find(Fd);
  bool Shared = false;
  for (size_t I = 0; G && G->Copy && I < F->FileCount; ++I)
    Shared |= &F->Files[I] != G && F->Files[I].CopyIno == G->CopyIno;
  if (G && !G->Owner && G->Copy && !Shared) {
    // The last descriptor on a copy: the copy stays (a later open of the
    // file reads it) on a hidden descriptor; the program's number is freed.
    long Hidden = sys(SYS_fcntl, Fd, F_DUPFD_CLOEXEC, HiddenFdBase);
    if (Hidden < 0)
      Hidden = sys(SYS_fcntl, Fd, F_DUPFD_CLOEXEC, 0);
    if (Hidden < 0)
      return Hidden;
    sys(SYS_close, Fd);
    G->Fd = int(Hidden);
    G->Closed = true;
    return 0;
  }
  if (G && !G->Owner) {
    // Opened since the last snapshot: nothing older refers to it.
    for (size_t I = F->SnapCount; I-- > 0;)
      if (&F->Files[F->Snaps[I].File] == G)
        dropSnap(I);
    sys(SYS_close, Fd);
    *G = F->Files[--F->FileCount];
    return 0;
  }
  for (size_t I = 0; I < F->CloseCount; ++I)
    if (F->Closes[I].Fd == Fd)
      return -EBADF; // closed already in this candidate
  if (F->CloseCount == MaxCloses)
    return -EMFILE;
  F->Closes[F->CloseCount++] = Deferred{Fd, nullptr};
  return 0;
}

bool filesContained(int Fd, bool Touch) {
  File *G = find(Fd);
  if (!G || !G->Copy)
    return false;
  if (Touch)
    touch(*G);
  return true;
}

bool filesOpenedHere(int Fd) {
  const File *G = find(Fd);
  return G && !G->Owner;
}

bool filesStat(int DirFd, const char *Path, int AtFlags, struct stat *Out,
               long *R) {
  if ((AtFlags & AT_EMPTY_PATH) && Path && !Path[0])
    return filesFstat(DirFd, Out, R);
  const File *G = findCopy(DirFd, Path, !(AtFlags & AT_SYMLINK_NOFOLLOW));
  if (!G)
    return false;
  *R = statCopy(*G, Out);
  return true;
}

bool filesFstat(int Fd, struct stat *Out, long *R) {
  const File *G = find(Fd);
  if (!G || !G->Copy)
    return false;
  *R = statCopy(*G, Out);
  return true;
}

bool filesAccess(int DirFd, const char *Path, int Mode, long *R) {
  const File *G = findCopy(DirFd, Path, true);
  if (!G)
    return false;
  if (G->HasIno) // permissions are the file's
    *R = sys(SYS_faccessat, AT_FDCWD, long(G->Path), Mode);
  else
    *R = (Mode & X_OK) && !(G->Mode & 0111) ? -EACCES : 0;
  return true;
}

void filesOnTake(const void *Node) {
  for (size_t I = 0; I < F->FileCount; ++I) {
    File &G = F->Files[I];
    if (!G.Owner)
      G.Owner = Node;
    if (!G.Copy || !G.Dirty || F->SnapCount == MaxSnaps)
      continue;
    long Copy = newCopy();
    if (Copy < 0)
      continue;
    copyContent(G.Fd, int(Copy));
    long Offset = sys(SYS_lseek, G.Fd, 0, SEEK_CUR);
    F->Snaps[F->SnapCount++] = Snap{int(I), int(Copy), Offset, Node};
    G.Dirty = false;
  }
  for (size_t I = 0; I < F->CloseCount; ++I)
    if (!F->Closes[I].Owner)
      F->Closes[I].Owner = Node;
}

void filesOnRestore(bool (*Live)(const void *)) {
  // Deferred closes of candidates not on the target's path: forgotten.
  size_t Kept = 0;
  for (size_t I = 0; I < F->CloseCount; ++I)
    if (F->Closes[I].Owner && Live(F->Closes[I].Owner))
      F->Closes[Kept++] = F->Closes[I];
  F->CloseCount = Kept;
  // Which files had content in candidates the target does not descend
  // from: their snapshots go, and their content must be set again.
  bool Changed[MaxFiles] = {};
  for (size_t I = F->SnapCount; I-- > 0;)
    if (!Live(F->Snaps[I].Owner)) {
      Changed[F->Snaps[I].File] = true;
      dropSnap(I);
    }
  for (size_t I = 0; I < F->FileCount; ++I) {
    File &G = F->Files[I];
    if (G.Owner && Live(G.Owner)) {
      if (!G.Copy || !(G.Dirty || Changed[I]))
        continue;
      // The newest snapshot of it on the target's path, else its content
      // when opened.
      const Snap *Newest = nullptr;
      for (size_t J = 0; J < F->SnapCount; ++J)
        if (F->Snaps[J].File == int(I))
          Newest = &F->Snaps[J];
      if (Newest) {
        copyContent(Newest->CopyFd, G.Fd);
        sys(SYS_lseek, G.Fd, Newest->Offset, SEEK_SET);
      } else {
        initialContent(G, G.Fd);
        sys(SYS_lseek, G.Fd, 0, (G.Flags & O_APPEND) ? SEEK_END : SEEK_SET);
      }
      G.Dirty = false;
      continue;
    }
    // Opened by a discarded candidate.
    sys(SYS_close, G.Fd);
    G.Fd = -1;
  }
  // Compact (snapshot file indices follow).
  int NewIndex[MaxFiles];
  Kept = 0;
  for (size_t I = 0; I < F->FileCount; ++I) {
    NewIndex[I] = int(Kept);
    if (F->Files[I].Fd >= 0)
      F->Files[Kept++] = F->Files[I];
  }
  F->FileCount = Kept;
  for (size_t J = 0; J < F->SnapCount; ++J)
    F->Snaps[J].File = NewIndex[F->Snaps[J].File];
}

// Whether the copy Fd holds what the file Path holds (a copy opened only
// to read, or written back to the same bytes, is not written out: another
// descriptor's copy of the same file may hold the candidate's writes).
static bool sameAsFile(int Fd, const char *Path) {
  long Real = sys(SYS_openat, AT_FDCWD, long(Path), O_RDONLY | O_CLOEXEC);
  if (Real < 0)
    return false;
  bool Same = fileSize(Fd) == fileSize(int(Real));
  char A[4096], B[4096];
  for (long Off = 0; Same;) {
    long NA = hostSyscall(SYS_pread64, Fd, long(A), sizeof(A), Off);
    long NB = hostSyscall(SYS_pread64, Real, long(B), sizeof(B), Off);
    if (NA != NB || NA < 0 || memcmp(A, B, size_t(NA > 0 ? NA : 0)))
      Same = false;
    if (NA <= 0)
      break;
    Off += NA;
  }
  sys(SYS_close, Real);
  return Same;
}

void filesCommit() {
  // Decide before writing anything: every copy is compared with the file
  // as the exploration left it.  (Descriptors on one copy share its
  // content; two copies of one file exist only if the file was reached by
  // two names: the one opened last wins.)
  bool Changed[MaxFiles];
  for (size_t I = 0; I < F->FileCount; ++I)
    Changed[I] = F->Files[I].Copy && !sameAsFile(F->Files[I].Fd, F->Files[I].Path);
  for (size_t I = 0; I < F->FileCount; ++I) {
    File &G = F->Files[I];
    bool Written = false;
    for (size_t J = 0; J < I && !Written; ++J)
      Written = Changed[J] && F->Files[J].CopyIno == G.CopyIno;
    if (!Changed[I] || Written)
      continue;
    long Real = sys(SYS_openat, AT_FDCWD, long(G.Path),
                    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                    G.Mode ? G.Mode : 0644);
    if (Real < 0)
      continue;
    copyContent(G.Fd, int(Real));
    sys(SYS_close, Real);
  }
  // The program goes on with every descriptor on the file itself, at the
  // same offset, with its own flags.
  for (size_t I = 0; I < F->FileCount; ++I) {
    File &G = F->Files[I];
    if (!G.Copy)
      continue;
    if (G.Closed) {
      sys(SYS_close, G.Fd);
      continue;
    }
    long Real = sys(SYS_openat, AT_FDCWD, long(G.Path),
                    (G.Flags & ~(O_CREAT | O_EXCL | O_TRUNC)) | O_CLOEXEC);
    if (Real < 0)
      continue;
    long Offset = sys(SYS_lseek, G.Fd, 0, SEEK_CUR);
    sys(SYS_lseek, Real, Offset, SEEK_SET);
    sys(SYS_dup3, Real, G.Fd, (G.Flags & O_CLOEXEC) ? O_CLOEXEC : 0);
    sys(SYS_close, Real);
  }
  for (size_t I = 0; I < F->CloseCount; ++I)
    sys(SYS_close, F->Closes[I].Fd);
  filesReset();
}

void filesReset() {
  while (F->SnapCount)
    dropSnap(F->SnapCount - 1);
  F->FileCount = F->CloseCount = 0;
}

} // namespace akeso::pages
