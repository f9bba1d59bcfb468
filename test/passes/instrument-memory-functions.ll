; memcpy/memmove/memset, as intrinsics or as libc calls, log the bytes they
; write (and report the bytes they read).
; RUN: %opt -passes=akeso-instrument -S %s | FileCheck %s
; RUN: %opt -passes=akeso-instrument -akeso-instrument-memintrinsics=false -S %s | FileCheck %s --check-prefix=OFF

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
declare void @llvm.memmove.p0.p0.i64(ptr, ptr, i64, i1)
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
declare void @llvm.memset.p0.i32(ptr, i8, i32, i1)
declare ptr @memcpy(ptr, ptr, i64)
declare ptr @memset(ptr, i32, i64)
declare void @bzero(ptr, i64)

; CHECK-LABEL: define void @intrinsics(
define void @intrinsics(ptr %d, ptr %s, i64 %n, i32 %m) {
; CHECK: call void @__akeso_write_range(ptr %d, i64 %n)
; CHECK-NEXT: call void @__akeso_read_range(ptr %s, i64 %n)
; CHECK-NEXT: call void @llvm.memcpy
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 %n, i1 false)
; CHECK: call void @__akeso_write_range(ptr %d, i64 16)
; CHECK-NEXT: call void @__akeso_read_range(ptr %s, i64 16)
; CHECK-NEXT: call void @llvm.memmove
  call void @llvm.memmove.p0.p0.i64(ptr %d, ptr %s, i64 16, i1 false)
; CHECK: call void @__akeso_write_range(ptr %d, i64 %n)
; CHECK-NEXT: call void @llvm.memset.p0.i64
  call void @llvm.memset.p0.i64(ptr %d, i8 0, i64 %n, i1 false)
; A 32-bit length is widened to size_t.
; CHECK: [[W:%.*]] = zext i32 %m to i64
; CHECK-NEXT: call void @__akeso_write_range(ptr %d, i64 [[W]])
  call void @llvm.memset.p0.i32(ptr %d, i8 0, i32 %m, i1 false)
  ret void
}

; CHECK-LABEL: define void @libc(
define void @libc(ptr %d, ptr %s, i64 %n) {
; CHECK: call void @__akeso_write_range(ptr %d, i64 %n)
; CHECK-NEXT: call void @__akeso_read_range(ptr %s, i64 %n)
; CHECK-NEXT: call ptr @memcpy
  %1 = call ptr @memcpy(ptr %d, ptr %s, i64 %n)
; CHECK: call void @__akeso_write_range(ptr %d, i64 %n)
; CHECK-NEXT: call ptr @memset
  %2 = call ptr @memset(ptr %d, i32 0, i64 %n)
; CHECK: call void @__akeso_write_range(ptr %d, i64 %n)
; CHECK-NEXT: call void @bzero
  call void @bzero(ptr %d, i64 %n)
  ret void
}

; OFF-NOT: call void @__akeso_{{.*}}range
