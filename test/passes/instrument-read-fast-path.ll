; A read needs runtime work only inside a logged domain, of a word whose
; version record names another live domain (abi.h): the read hook then
; forms a dependence edge (004 §4.2).  So the check is inlined: no thread
; state, no current domain, no chunk, or a record that is 0 or the current
; domain's id all skip the hook.  A read that may straddle two words, and a
; 16-byte one, call the hook whenever a logged domain is active and the
; check cannot rule it out; range reads (memcpy's source, library calls)
; always call __akeso_read_range.
; RUN: %opt -passes=akeso-instrument -S %s | FileCheck %s
; RUN: %opt -passes=akeso-instrument,verify -disable-output %s
; RUN: %opt -passes=akeso-instrument -akeso-inline-fast-path=false -S %s | FileCheck %s --check-prefix=CALL
; RUN: %opt -passes=akeso-instrument -akeso-instrument-reads=false -S %s | FileCheck %s --check-prefix=NOREADS

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)

; CHECK-LABEL: define i64 @aligned(
; CALL-LABEL: define i64 @aligned(
; NOREADS-LABEL: define i64 @aligned(
define i64 @aligned(ptr %p) {
; Counted with the block (offset 8: loads).
; CHECK: getelementptr inbounds i8, ptr {{%.*}}, i64 16
; The fast path.
; CHECK: %akeso.thread1 = load ptr, ptr @__akeso_thread
; CHECK-NEXT: [[NOSTATE:%.*]] = icmp eq ptr %akeso.thread1, null
; CHECK-NEXT: br i1 [[NOSTATE]], label %akeso.read.cont, label %akeso.read.check
; CHECK: akeso.read.check:
; CHECK-NEXT: %akeso.current = load i64, ptr %akeso.thread1
; CHECK-NEXT: [[UNLOGGED:%.*]] = icmp eq i64 %akeso.current, 0
; CHECK-NEXT: br i1 [[UNLOGGED]], label %akeso.read.cont, label %akeso.read.lookup
; CHECK: akeso.read.lookup:
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %p to i64
; CHECK-NEXT: %akeso.dir = load atomic ptr, ptr @__akeso_version_directory unordered
; CHECK-NEXT: [[HI:%.*]] = lshr i64 [[A]], 23
; CHECK-NEXT: [[CI:%.*]] = and i64 [[HI]], 16777215
; CHECK-NEXT: [[CP:%.*]] = getelementptr ptr, ptr %akeso.dir, i64 [[CI]]
; CHECK-NEXT: %akeso.chunk = load atomic ptr, ptr [[CP]] unordered
; CHECK-NEXT: [[NOCHUNK:%.*]] = icmp eq ptr %akeso.chunk, null
; CHECK-NEXT: br i1 [[NOCHUNK]], label %akeso.read.cont, label %akeso.read.version
; CHECK: akeso.read.version:
; CHECK-NEXT: [[LO:%.*]] = lshr i64 [[A]], 3
; CHECK-NEXT: [[SI:%.*]] = and i64 [[LO]], 1048575
; CHECK-NEXT: [[SLOT:%.*]] = getelementptr i64, ptr %akeso.chunk, i64 [[SI]]
; CHECK-NEXT: %akeso.version = load atomic i64, ptr [[SLOT]] unordered
; CHECK-NEXT: [[COMMITTED:%.*]] = icmp eq i64 %akeso.version, 0
; CHECK-NEXT: [[MINE:%.*]] = icmp eq i64 %akeso.version, %akeso.current
; CHECK-NEXT: [[NOEDGE:%.*]] = or i1 [[COMMITTED]], [[MINE]]
; CHECK-NEXT: br i1 [[NOEDGE]], label %akeso.read.cont, label %akeso.read.slow
; CHECK: akeso.read.slow:
; CHECK-NEXT: call void @__akeso_read_8(ptr %p)
; CHECK-NEXT: br label %akeso.read.cont
; CHECK: akeso.read.cont:
; CHECK-NEXT: %v = load i64, ptr %p, align 8
; CALL: call void @__akeso_read_8(ptr %p)
; CALL-NEXT: %v = load i64, ptr %p, align 8
; NOREADS-NOT: __akeso
; NOREADS: %v = load i64, ptr %p, align 8
  %v = load i64, ptr %p, align 8
  ret i64 %v
}

; An access that may straddle two words checks that it does not; if it
; does, the hook looks at both.
; CHECK-LABEL: define i32 @unaligned(
define i32 @unaligned(ptr %p) {
; CHECK: akeso.read.lookup:
; CHECK-NEXT: [[A:%.*]] = ptrtoint ptr %p to i64
; CHECK-NEXT: [[LOW:%.*]] = and i64 [[A]], 7
; CHECK-NEXT: [[END:%.*]] = add i64 [[LOW]], 4
; CHECK-NEXT: [[ONE:%.*]] = icmp ule i64 [[END]], 8
; CHECK: br i1 {{%.*}}, label %akeso.read.nochunk, label %akeso.read.version
; CHECK: akeso.read.nochunk:
; CHECK-NEXT: br i1 [[ONE]], label %akeso.read.cont, label %akeso.read.slow
; CHECK: akeso.read.version:
; CHECK: [[NOEDGE:%.*]] = or i1
; CHECK-NEXT: [[DONE:%.*]] = and i1 [[NOEDGE]], [[ONE]]
; CHECK-NEXT: br i1 [[DONE]], label %akeso.read.cont, label %akeso.read.slow
; CHECK: akeso.read.slow:
; CHECK-NEXT: call void @__akeso_read_4(ptr %p)
  %v = load i32, ptr %p, align 1
  ret i32 %v
}

; 16 bytes: the hook whenever a logged domain is active.
; CHECK-LABEL: define <4 x i32> @wide(
define <4 x i32> @wide(ptr %p) {
; CHECK: akeso.read.check:
; CHECK-NEXT: %akeso.current = load i64, ptr %akeso.thread1
; CHECK-NEXT: [[UNLOGGED:%.*]] = icmp eq i64 %akeso.current, 0
; CHECK-NEXT: br i1 [[UNLOGGED]], label %akeso.read.cont, label %akeso.read.slow
; CHECK: akeso.read.slow:
; CHECK-NEXT: call void @__akeso_read_16(ptr %p)
  %v = load <4 x i32>, ptr %p, align 16
  ret <4 x i32> %v
}

; Wider reads and ranges: the range hook, unconditionally.
; CHECK-LABEL: define <8 x i32> @ranges(
; CALL-LABEL: define <8 x i32> @ranges(
; NOREADS-LABEL: define <8 x i32> @ranges(
define <8 x i32> @ranges(ptr %d, ptr %s) {
; CHECK-NOT: akeso.read.check
; CHECK: call void @__akeso_read_range(ptr %s, i64 32)
; CHECK-NEXT: %v = load <8 x i32>, ptr %s
  %v = load <8 x i32>, ptr %s, align 32
; CHECK: call void @__akeso_read_range(ptr %s, i64 64)
; CHECK-NEXT: call void @llvm.memcpy
; CALL: call void @__akeso_write_range(ptr %d, i64 64)
; CALL-NEXT: call void @__akeso_read_range(ptr %s, i64 64)
; NOREADS: call void @__akeso_write_range(ptr %d, i64 64)
; NOREADS-NOT: __akeso_read
; NOREADS: call void @llvm.memcpy
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 64, i1 false)
  ret <8 x i32> %v
}
