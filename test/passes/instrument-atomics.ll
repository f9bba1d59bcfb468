; Atomics are synchronization, not data (004 §5.2): the runtime is told what
; an atomic did so that a rollback can compensate it, without versioning the
; word or forming dependence edges.  For 1/2/4/8-byte integers, pointers
; and floating values (by their bits) in the default address space:
;   atomicrmw add/sub   after it: __akeso_atomic_add(p, bytes, delta)
;                       (delta sign-extended, negated for sub)
;   atomicrmw xchg      after it: __akeso_atomic_exchanged(p, bytes, old, new)
;   cmpxchg             after it, if it succeeded:
;                       __akeso_atomic_exchanged(p, bytes, expected, new)
;   store atomic        before it: __akeso_atomic_store(p, bytes, value)
; with values zero-extended to size_t.  Other read-modify-writes and
; 16-byte atomics are logged as writes, as before.
; RUN: %opt -passes=akeso-instrument -akeso-inline-fast-path=false -S %s | FileCheck %s
; RUN: %opt -passes=akeso-instrument,verify -disable-output %s
; RUN: %opt -passes=akeso-instrument -akeso-inline-fast-path=false -akeso-instrument-atomics=false -S %s | FileCheck %s --check-prefix=OFF

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@counter = global i64 0

declare void @escape(ptr)

; CHECK-LABEL: define void @adds(
define void @adds(ptr %p, i32 %n, i16 %h) {
; Counted as stores with the block (offset 16).
; CHECK: [[SP:%.*]] = getelementptr inbounds i8, ptr {{%.*}}, i64 24
; CHECK-NEXT: [[S:%.*]] = load i64, ptr [[SP]]
; CHECK-NEXT: add i64 [[S]], 5
; CHECK-NOT: __akeso_write
; CHECK: %a = atomicrmw add ptr @counter, i64 1 seq_cst
; CHECK-NEXT: call void @__akeso_atomic_add(ptr @counter, i64 8, i64 1)
  %a = atomicrmw add ptr @counter, i64 1 seq_cst
; CHECK-NEXT: %b = atomicrmw sub ptr @counter, i64 1 seq_cst
; CHECK-NEXT: call void @__akeso_atomic_add(ptr @counter, i64 8, i64 -1)
  %b = atomicrmw sub ptr @counter, i64 1 seq_cst
; CHECK-NEXT: %c = atomicrmw add ptr %p, i32 %n monotonic
; CHECK-NEXT: [[D:%.*]] = sext i32 %n to i64
; CHECK-NEXT: call void @__akeso_atomic_add(ptr %p, i64 4, i64 [[D]])
  %c = atomicrmw add ptr %p, i32 %n monotonic
; CHECK-NEXT: %d = atomicrmw sub ptr %p, i16 %h acq_rel
; CHECK-NEXT: [[E:%.*]] = sext i16 %h to i64
; CHECK-NEXT: [[NEG:%.*]] = sub i64 0, [[E]]
; CHECK-NEXT: call void @__akeso_atomic_add(ptr %p, i64 2, i64 [[NEG]])
  %d = atomicrmw sub ptr %p, i16 %h acq_rel
; CHECK-NEXT: %e = atomicrmw add ptr %p, i8 -1 seq_cst
; CHECK-NEXT: call void @__akeso_atomic_add(ptr %p, i64 1, i64 -1)
  %e = atomicrmw add ptr %p, i8 255 seq_cst
  ret void
}

; CHECK-LABEL: define void @exchanges(
define void @exchanges(ptr %p, ptr %v, float %f, double %d) {
; CHECK: %x = atomicrmw xchg ptr %p, i32 1 acquire
; CHECK-NEXT: [[OLD:%.*]] = zext i32 %x to i64
; CHECK-NEXT: call void @__akeso_atomic_exchanged(ptr %p, i64 4, i64 [[OLD]], i64 1)
  %x = atomicrmw xchg ptr %p, i32 1 acquire
; CHECK-NEXT: %y = atomicrmw xchg ptr %p, ptr %v seq_cst
; CHECK-NEXT: [[OLDP:%.*]] = ptrtoint ptr %y to i64
; CHECK-NEXT: [[NEWP:%.*]] = ptrtoint ptr %v to i64
; CHECK-NEXT: call void @__akeso_atomic_exchanged(ptr %p, i64 8, i64 [[OLDP]], i64 [[NEWP]])
  %y = atomicrmw xchg ptr %p, ptr %v seq_cst
; CHECK-NEXT: %z = atomicrmw xchg ptr %p, float %f seq_cst
; CHECK-NEXT: [[OB:%.*]] = bitcast float %z to i32
; CHECK-NEXT: [[OLDF:%.*]] = zext i32 [[OB]] to i64
; CHECK-NEXT: [[NB:%.*]] = bitcast float %f to i32
; CHECK-NEXT: [[NEWF:%.*]] = zext i32 [[NB]] to i64
; CHECK-NEXT: call void @__akeso_atomic_exchanged(ptr %p, i64 4, i64 [[OLDF]], i64 [[NEWF]])
  %z = atomicrmw xchg ptr %p, float %f seq_cst
; CHECK-NEXT: %w = atomicrmw xchg ptr %p, double %d seq_cst
; CHECK-NEXT: [[OLDD:%.*]] = bitcast double %w to i64
; CHECK-NEXT: [[NEWD:%.*]] = bitcast double %d to i64
; CHECK-NEXT: call void @__akeso_atomic_exchanged(ptr %p, i64 8, i64 [[OLDD]], i64 [[NEWD]])
  %w = atomicrmw xchg ptr %p, double %d seq_cst
  ret void
}

; A spin lock: only a successful compare-exchange changed memory.
; CHECK-LABEL: define i1 @compare_exchanges(
define i1 @compare_exchanges(ptr %lock, ptr %slot, ptr %new) {
; CHECK: %r = cmpxchg ptr %lock, i32 0, i32 1 acquire monotonic
; CHECK-NEXT: %akeso.succeeded = extractvalue { i32, i1 } %r, 1
; CHECK-NEXT: br i1 %akeso.succeeded, label %akeso.exchanged, label %akeso.exchanged.cont
; CHECK: akeso.exchanged:
; CHECK-NEXT: call void @__akeso_atomic_exchanged(ptr %lock, i64 4, i64 0, i64 1)
; CHECK-NEXT: br label %akeso.exchanged.cont
; CHECK: akeso.exchanged.cont:
; CHECK-NEXT: %ok = extractvalue { i32, i1 } %r, 1
  %r = cmpxchg ptr %lock, i32 0, i32 1 acquire monotonic
  %ok = extractvalue { i32, i1 } %r, 1
; CHECK: %s = cmpxchg weak ptr %slot, ptr null, ptr %new seq_cst seq_cst
; CHECK-NEXT: %akeso.succeeded1 = extractvalue { ptr, i1 } %s, 1
; CHECK-NEXT: br i1 %akeso.succeeded1, label %akeso.exchanged2, label %akeso.exchanged.cont3
; CHECK: akeso.exchanged2:
; CHECK-NEXT: [[NEWP:%.*]] = ptrtoint ptr %new to i64
; CHECK-NEXT: call void @__akeso_atomic_exchanged(ptr %slot, i64 8, i64 0, i64 [[NEWP]])
  %s = cmpxchg weak ptr %slot, ptr null, ptr %new seq_cst seq_cst
  ret i1 %ok
}

; Atomic stores of any ordering; the hook precedes the store.
; CHECK-LABEL: define void @stores(
define void @stores(ptr %p, ptr %v, float %f) {
; CHECK: call void @__akeso_atomic_store(ptr %p, i64 1, i64 0)
; CHECK-NEXT: store atomic i8 0, ptr %p unordered
  store atomic i8 0, ptr %p unordered, align 1
; CHECK-NEXT: [[PV:%.*]] = ptrtoint ptr %v to i64
; CHECK-NEXT: call void @__akeso_atomic_store(ptr %p, i64 8, i64 [[PV]])
; CHECK-NEXT: store atomic ptr %v, ptr %p release
  store atomic ptr %v, ptr %p release, align 8
; CHECK-NEXT: [[FB:%.*]] = bitcast float %f to i32
; CHECK-NEXT: [[FV:%.*]] = zext i32 [[FB]] to i64
; CHECK-NEXT: call void @__akeso_atomic_store(ptr %p, i64 4, i64 [[FV]])
; CHECK-NEXT: store atomic float %f, ptr %p seq_cst
  store atomic float %f, ptr %p seq_cst, align 4
; CHECK-NEXT: call void @__akeso_atomic_store(ptr %p, i64 2, i64 65535)
; CHECK-NEXT: store atomic i16 -1, ptr %p monotonic
  store atomic i16 -1, ptr %p monotonic, align 2
  ret void
}

; What a delta or an exchange does not describe stays a logged write.
; CHECK-LABEL: define void @logged_as_writes(
define void @logged_as_writes(ptr %p, float %f) {
; CHECK: call void @__akeso_write_4(ptr %p)
; CHECK-NEXT: atomicrmw or ptr %p, i32 1
  %a = atomicrmw or ptr %p, i32 1 seq_cst
; CHECK: call void @__akeso_write_4(ptr %p)
; CHECK-NEXT: atomicrmw and ptr %p, i32 1
  %b = atomicrmw and ptr %p, i32 1 seq_cst
; CHECK: call void @__akeso_write_8(ptr %p)
; CHECK-NEXT: atomicrmw umax ptr %p, i64 9
  %c = atomicrmw umax ptr %p, i64 9 seq_cst
; CHECK: call void @__akeso_write_4(ptr %p)
; CHECK-NEXT: atomicrmw fadd ptr %p, float %f
  %d = atomicrmw fadd ptr %p, float %f seq_cst
; 16 bytes.
; CHECK: call void @__akeso_write_16(ptr %p)
; CHECK-NEXT: atomicrmw add ptr %p, i128 1
  %e = atomicrmw add ptr %p, i128 1 seq_cst
; CHECK: call void @__akeso_write_16(ptr %p)
; CHECK-NEXT: cmpxchg ptr %p, i128 0, i128 1
  %g = cmpxchg ptr %p, i128 0, i128 1 seq_cst seq_cst
; CHECK: call void @__akeso_write_16(ptr %p)
; CHECK-NEXT: store atomic i128 0, ptr %p
  store atomic i128 0, ptr %p seq_cst, align 16
; CHECK-NOT: __akeso_atomic
  ret void
}

; What cannot matter is skipped, as for plain accesses.
; CHECK-LABEL: define void @skipped(
define void @skipped(ptr addrspace(1) %g) {
  %local = alloca i64
; CHECK-NOT: __akeso
  %a = atomicrmw add ptr %local, i64 1 seq_cst
  %b = atomicrmw add ptr addrspace(1) %g, i64 1 seq_cst
; CHECK: ret void
  ret void
}

; With -akeso-instrument-atomics=false read-modify-writes are left alone
; and atomic stores are logged as plain writes.
; OFF-LABEL: define void @adds(
; OFF-NOT: __akeso_atomic
; OFF-LABEL: define void @stores(
; OFF: call void @__akeso_write_1(ptr %p)
; OFF-NEXT: store atomic i8 0, ptr %p unordered
; OFF-NOT: __akeso_atomic
; OFF-LABEL: define void @logged_as_writes(
; OFF-NOT: call void @__akeso_write
; OFF: call void @__akeso_write_16(ptr %p)
; OFF-NEXT: store atomic i128
