; Library functions that write memory log their destination first, the
; fortified (_FORTIFY_SOURCE) variants included; unbounded formatters are
; replaced by the runtime's; aligned new/delete release through a thunk that
; binds the alignment; IR already instrumented is not instrumented again.
; RUN: %opt -passes=akeso-instrument -S %s | FileCheck %s
; RUN: %opt -passes=akeso-instrument -S %s | %opt -passes=akeso-instrument -S | FileCheck %s --check-prefix=TWICE

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @__strcpy_chk(ptr, ptr, i64)
declare ptr @__memcpy_chk(ptr, ptr, i64, i64)
declare i32 @__snprintf_chk(ptr, i64, i32, i64, ptr, ...)
declare i32 @__sprintf_chk(ptr, i32, i64, ptr, ...)
declare i32 @sprintf(ptr, ptr, ...)
declare i64 @__read_chk(i32, ptr, i64, i64)
declare i32 @posix_memalign(ptr, i64, i64)
declare ptr @_ZnwmSt11align_val_t(i64, i64)
declare void @_ZdlPvSt11align_val_t(ptr, i64)
declare ptr @malloc(i64)
declare ptr @strncat(ptr, ptr, i64)
declare ptr @fgets(ptr, i32, ptr)
declare ptr @reallocarray(ptr, i64, i64)
declare i64 @recvfrom(i32, ptr, i64, i32, ptr, ptr)
declare ptr @wmemcpy(ptr, ptr, i64)
; A program's own function named like libc's, with another prototype.
declare i64 @read(i32, ptr, ptr)

@fmt = private constant [3 x i8] c"%d\00"

; CHECK-LABEL: define void @fortified(
define void @fortified(ptr %d, ptr %s, i64 %n) {
; CHECK: [[L:%.*]] = call i64 @strlen(ptr %s)
; CHECK-NEXT: [[L1:%.*]] = add i64 [[L]], 1
; CHECK-NEXT: call void @__akeso_write_range(ptr %d, i64 [[L1]])
; CHECK-NEXT: call ptr @__strcpy_chk
  %1 = call ptr @__strcpy_chk(ptr %d, ptr %s, i64 64)
; CHECK: call void @__akeso_write_range(ptr %d, i64 %n)
; CHECK-NEXT: call void @__akeso_read_range(ptr %s, i64 %n)
; CHECK-NEXT: call ptr @__memcpy_chk
  %2 = call ptr @__memcpy_chk(ptr %d, ptr %s, i64 %n, i64 64)
; CHECK: call void @__akeso_write_range(ptr %d, i64 32)
; CHECK-NEXT: call i32 (ptr, i64, i32, i64, ptr, ...) @__snprintf_chk
  %3 = call i32 (ptr, i64, i32, i64, ptr, ...) @__snprintf_chk(ptr %d, i64 32, i32 1, i64 64, ptr @fmt, i32 7)
; CHECK: call void @__akeso_write_range(ptr %d, i64 %n)
; CHECK-NEXT: call i64 @__read_chk(i32 0, ptr %d, i64 %n, i64 64)
  %4 = call i64 @__read_chk(i32 0, ptr %d, i64 %n, i64 64)
; CHECK: call i32 (ptr, ptr, ...) @__akeso_sprintf(ptr %d, ptr @fmt, i32 1)
  %5 = call i32 (ptr, ptr, ...) @sprintf(ptr %d, ptr @fmt, i32 1)
; CHECK: call i32 (ptr, i32, i64, ptr, ...) @__akeso_sprintf_chk(ptr %d, i32 1, i64 64, ptr @fmt, i32 2)
  %6 = call i32 (ptr, i32, i64, ptr, ...) @__sprintf_chk(ptr %d, i32 1, i64 64, ptr @fmt, i32 2)
  ret void
}

; CHECK-LABEL: define void @allocation(
define void @allocation(ptr %out) {
; posix_memalign stores through its first argument; only a successful
; call stored an object.
; CHECK: call void @__akeso_write_range(ptr %out, i64 8)
; CHECK-NEXT: %r = call i32 @posix_memalign(ptr %out, i64 64, i64 128)
; CHECK-NEXT: [[P:%.*]] = load ptr, ptr %out
; CHECK-NEXT: [[OK:%.*]] = icmp eq i32 %r, 0
; CHECK-NEXT: [[OBJ:%.*]] = select i1 [[OK]], ptr [[P]], ptr null
; CHECK-NEXT: call void @__akeso_allocated(ptr [[OBJ]], ptr @free)
  %r = call i32 @posix_memalign(ptr %out, i64 64, i64 128)
; CHECK: %o = call ptr @_ZnwmSt11align_val_t(i64 64, i64 64)
; CHECK-NEXT: call void @__akeso_allocated(ptr %o, ptr @akeso.release._ZdlPvSt11align_val_t.64)
  %o = call ptr @_ZnwmSt11align_val_t(i64 64, i64 64)
; CHECK: call void @__akeso_release(ptr %o, ptr @akeso.release._ZdlPvSt11align_val_t.64)
; CHECK-NOT: call void @_ZdlPvSt11align_val_t(ptr %o
  call void @_ZdlPvSt11align_val_t(ptr %o, i64 64)
  ret void
}

; CHECK-LABEL: define void @bounds(
define void @bounds(ptr %d, ptr %s, i64 %n, i32 %k, ptr %f, ptr %p, ptr %a, ptr %al) {
; strncat appends at most n bytes of the source, and no more than it has.
; CHECK: [[DL:%.*]] = call i64 @strlen(ptr %d)
; CHECK-NEXT: [[SL:%.*]] = call i64 @strnlen(ptr %s, i64 %n)
; CHECK-NEXT: [[T:%.*]] = add i64 [[DL]], [[SL]]
; CHECK-NEXT: [[T1:%.*]] = add i64 [[T]], 1
; CHECK-NEXT: call void @__akeso_write_range(ptr %d, i64 [[T1]])
  %1 = call ptr @strncat(ptr %d, ptr %s, i64 %n)
; fgets' count is a C int: a negative count writes nothing.
; CHECK: [[NEG:%.*]] = icmp slt i32 %k, 0
; CHECK-NEXT: [[W:%.*]] = sext i32 %k to i64
; CHECK-NEXT: [[K:%.*]] = select i1 [[NEG]], i64 0, i64 [[W]]
; CHECK-NEXT: call void @__akeso_write_range(ptr %d, i64 [[K]])
  %2 = call ptr @fgets(ptr %d, i32 %k, ptr %f)
; CHECK: [[WB:%.*]] = mul i64 %n, 4
; CHECK-NEXT: call void @__akeso_write_range(ptr %d, i64 [[WB]])
; CHECK: call void @__akeso_read_range(ptr %s, i64 {{%.*}})
  %3 = call ptr @wmemcpy(ptr %d, ptr %s, i64 %n)
; CHECK: call ptr @__akeso_reallocarray(ptr %p, i64 %n, i64 16)
  %4 = call ptr @reallocarray(ptr %p, i64 %n, i64 16)
; CHECK: call i64 @__akeso_recvfrom(i32 0, ptr %d, i64 %n, i32 0, ptr %a, ptr %al)
  %5 = call i64 @recvfrom(i32 0, ptr %d, i64 %n, i32 0, ptr %a, ptr %al)
; Not libc's read: untouched.
; CHECK-NOT: __akeso_write_range
; CHECK: call i64 @read(i32 0, ptr %d, ptr %s)
  %6 = call i64 @read(i32 0, ptr %d, ptr %s)
  ret void
}

; A musttail call must be followed by its return: nothing goes between.
; CHECK-LABEL: define ptr @tail(
; CHECK: %m = musttail call ptr @malloc(i64 %n)
; CHECK-NEXT: ret ptr %m
define ptr @tail(i64 %n) {
  %m = musttail call ptr @malloc(i64 %n)
  ret ptr %m
}

; CHECK-LABEL: define internal void @akeso.release._ZdlPvSt11align_val_t.64(ptr %0)
; CHECK-NEXT: entry:
; CHECK-NEXT: call void @_ZdlPvSt11align_val_t(ptr %0, i64 64)
; CHECK-NEXT: ret void

; TWICE-LABEL: define void @fortified(
; TWICE: call void @__akeso_write_range(ptr %d, i64 [[L1:%.*]])
; TWICE-NOT: call void @__akeso_write_range(ptr %d, i64 [[L1]])
; TWICE: call ptr @__strcpy_chk
