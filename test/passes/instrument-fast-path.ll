; The common case of a word write is inlined: when the word's version record
; already names the current domain (or no domain wrote its chunk and none
; is active), the store needs nothing else; otherwise the hook runs.  Reads
; have a fast path of their own (instrument-read-fast-path.ll).  Accesses
; are counted once per block, into the thread's counters or, before the
; thread has any runtime state, a sink.  Offsets and shifts are abi.h's
; AKESO_THREAD_* and AKESO_VERSION_* constants.
; RUN: %opt -passes=akeso-instrument -S %s | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; CHECK: @__akeso_thread = external thread_local(initialexec) global ptr
; CHECK: @__akeso_version_directory = external global ptr
; CHECK: @akeso.uncounted = internal global [4 x i64] zeroinitializer

; CHECK-LABEL: define void @aligned_store(
define void @aligned_store(ptr %p) {
; Counting: one store in this block.
; CHECK: [[T0:%.*]] = load ptr, ptr @__akeso_thread
; CHECK-NEXT: [[NULL0:%.*]] = icmp eq ptr [[T0]], null
; CHECK-NEXT: [[C:%.*]] = select i1 [[NULL0]], ptr @akeso.uncounted, ptr [[T0]]
; CHECK-NEXT: [[SP:%.*]] = getelementptr inbounds i8, ptr [[C]], i64 24
; CHECK-NEXT: [[S:%.*]] = load i64, ptr [[SP]]
; CHECK-NEXT: [[S1:%.*]] = add i64 [[S]], 1
; CHECK-NEXT: store i64 [[S1]], ptr [[SP]]
; The fast path.
; CHECK-NEXT: %akeso.thread1 = load ptr, ptr @__akeso_thread
; CHECK-NEXT: [[NOSTATE:%.*]] = icmp eq ptr %akeso.thread1, null
; CHECK-NEXT: br i1 [[NOSTATE]], label %akeso.slow, label %akeso.check
; CHECK: akeso.check:
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %p to i64
; CHECK-NEXT: %akeso.current = load i64, ptr %akeso.thread1
; CHECK-NEXT: %akeso.dir = load atomic ptr, ptr @__akeso_version_directory unordered
; CHECK-NEXT: [[HI:%.*]] = lshr i64 [[A]], 23
; CHECK-NEXT: [[CI:%.*]] = and i64 [[HI]], 16777215
; CHECK-NEXT: [[CP:%.*]] = getelementptr ptr, ptr %akeso.dir, i64 [[CI]]
; CHECK-NEXT: %akeso.chunk = load atomic ptr, ptr [[CP]] unordered
; CHECK: br i1 {{%.*}}, label %akeso.nochunk, label %akeso.lookup
; CHECK: akeso.nochunk:
; CHECK-NEXT: [[UNLOGGED:%.*]] = icmp eq i64 %akeso.current, 0
; CHECK: br i1 {{%.*}}, label %akeso.cont, label %akeso.slow
; CHECK: akeso.lookup:
; CHECK-NEXT: [[LO:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[SI:%.*]] = and i64 [[LO]], 1048575
; CHECK-NEXT: [[SLOT:%.*]] = getelementptr i64, ptr %akeso.chunk, i64 [[SI]]
; CHECK-NEXT: %akeso.version = load atomic i64, ptr [[SLOT]] unordered
; CHECK-NEXT: [[SAME:%.*]] = icmp eq i64 %akeso.version, %akeso.current
; CHECK: br i1 {{%.*}}, label %akeso.cont, label %akeso.slow
; CHECK: akeso.slow:
; CHECK-NEXT: call void @__akeso_write_8(ptr %p)
; CHECK-NEXT: br label %akeso.cont
; CHECK: akeso.cont:
; CHECK-NEXT: store i64 1, ptr %p, align 8
  store i64 1, ptr %p, align 8
  ret void
}

; An access that may straddle two words checks for it.
; CHECK-LABEL: define void @unaligned_store(
define void @unaligned_store(ptr %p) {
; CHECK: [[A:%.*]] = ptrtoint ptr %p to i64
; CHECK: [[LOW:%.*]] = and i64 [[A]], 7
; CHECK-NEXT: [[END:%.*]] = add i64 [[LOW]], 4
; CHECK-NEXT: [[ONE:%.*]] = icmp ule i64 [[END]], 8
; CHECK: call void @__akeso_write_4(ptr %p)
  store i32 1, ptr %p, align 1
  ret void
}

; Two reads: counted at offset 8, once for the block, and each checked.
; CHECK-LABEL: define i32 @loads(
define i32 @loads(ptr %p, ptr %q) {
; CHECK: [[T:%.*]] = load ptr, ptr @__akeso_thread
; CHECK: [[LP:%.*]] = getelementptr inbounds i8, ptr {{%.*}}, i64 16
; CHECK-NEXT: [[L:%.*]] = load i64, ptr [[LP]]
; CHECK-NEXT: [[L2:%.*]] = add i64 [[L]], 2
; CHECK-NEXT: store i64 [[L2]], ptr [[LP]]
; CHECK-NOT: getelementptr inbounds i8
; CHECK: call void @__akeso_read_4(ptr %p)
; CHECK: %v = load i32, ptr %p
; CHECK-NOT: getelementptr inbounds i8
; CHECK: call void @__akeso_read_4(ptr %q)
; CHECK: %w = load i32, ptr %q
  %v = load i32, ptr %p
  %w = load i32, ptr %q
  %s = add i32 %v, %w
  ret i32 %s
}

; Wider accesses keep the plain hook.
; CHECK-LABEL: define void @wide(
; CHECK-NOT: akeso.check
; CHECK: call void @__akeso_write_16(ptr %p)
define void @wide(ptr %p, <4 x i32> %v) {
  store <4 x i32> %v, ptr %p
  ret void
}
