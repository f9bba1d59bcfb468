; The common case is inlined: a write to a word whose version record already
; names the current domain, or a read, costs a few loads and a counter
; increment; everything else calls the runtime hook.  The offsets and
; shifts are abi.h's AKESO_THREAD_* and AKESO_VERSION_* constants.
; RUN: %opt -passes=akeso-instrument -S %s | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; CHECK: @__akeso_thread = external thread_local(initialexec) global ptr
; CHECK: @__akeso_version_directory = external global ptr

; CHECK-LABEL: define void @aligned_store(
define void @aligned_store(ptr %p) {
; CHECK: %akeso.thread = load ptr, ptr @__akeso_thread
; CHECK-NEXT: [[NOSTATE:%.*]] = icmp eq ptr %akeso.thread, null
; CHECK-NEXT: br i1 [[NOSTATE]], label %akeso.slow, label %akeso.check
; CHECK: akeso.check:
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %p to i64
; CHECK-NEXT: %akeso.current = load i64, ptr %akeso.thread
; CHECK-NEXT: %akeso.dir = load ptr, ptr @__akeso_version_directory
; CHECK-NEXT: [[HI:%.*]] = lshr i64 [[A]], 23
; CHECK-NEXT: [[CI:%.*]] = and i64 [[HI]], 16777215
; CHECK-NEXT: [[CP:%.*]] = getelementptr ptr, ptr %akeso.dir, i64 [[CI]]
; CHECK-NEXT: %akeso.chunk = load ptr, ptr [[CP]]
; CHECK: br i1 {{%.*}}, label %akeso.nochunk, label %akeso.lookup
; CHECK: akeso.nochunk:
; CHECK-NEXT: [[UNLOGGED:%.*]] = icmp eq i64 %akeso.current, 0
; CHECK: akeso.lookup:
; CHECK-NEXT: [[LO:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[SI:%.*]] = and i64 [[LO]], 1048575
; CHECK-NEXT: [[SP:%.*]] = getelementptr i64, ptr %akeso.chunk, i64 [[SI]]
; CHECK-NEXT: %akeso.version = load i64, ptr [[SP]]
; CHECK-NEXT: [[SAME:%.*]] = icmp eq i64 %akeso.version, %akeso.current
; CHECK: akeso.fast:
; CHECK-NEXT: [[CNT:%.*]] = getelementptr inbounds i8, ptr %akeso.thread, i64 16
; CHECK-NEXT: [[OLD:%.*]] = load i64, ptr [[CNT]]
; CHECK-NEXT: [[NEW:%.*]] = add i64 [[OLD]], 1
; CHECK-NEXT: store i64 [[NEW]], ptr [[CNT]]
; CHECK-NEXT: br label %akeso.cont
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

; A read is counted at offset 8.
; CHECK-LABEL: define i32 @load(
define i32 @load(ptr %p) {
; CHECK: %akeso.thread = load ptr, ptr @__akeso_thread
; CHECK: br i1 {{%.*}}, label %akeso.slow, label %akeso.fast
; CHECK: akeso.fast:
; CHECK-NEXT: getelementptr inbounds i8, ptr %akeso.thread, i64 8
; CHECK: akeso.slow:
; CHECK-NEXT: call void @__akeso_read_4(ptr %p)
; CHECK: akeso.cont:
; CHECK-NEXT: %v = load i32, ptr %p
  %v = load i32, ptr %p
  ret i32 %v
}

; Wider accesses keep the plain hook.
; CHECK-LABEL: define void @wide(
; CHECK-NOT: akeso.fast
; CHECK: call void @__akeso_write_16(ptr %p)
define void @wide(ptr %p, <4 x i32> %v) {
  store <4 x i32> %v, ptr %p
  ret void
}
