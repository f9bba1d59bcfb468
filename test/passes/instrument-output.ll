; Output system calls are announced to the runtime before they happen, with
; their file descriptor and name, so a domain that performed output and is
; later rolled back can be reported.  A program's own function named like
; one (defined here) and a call with the wrong prototype are left alone.
; RUN: %opt -passes=akeso-instrument -S %s | FileCheck %s
; RUN: %opt -passes=akeso-instrument -akeso-track-output=false -S %s | FileCheck %s --check-prefix=OFF

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; CHECK: @akeso.output.name = private unnamed_addr constant [6 x i8] c"write\00"
; CHECK: @akeso.output.name.1 = private unnamed_addr constant [7 x i8] c"sendto\00"

declare i64 @write(i32, ptr, i64)
declare i64 @sendto(i32, ptr, i64, i32, ptr, i32)
declare i64 @writev(i64, ptr, i32)

define void @reply(i32 %fd, ptr %buf) {
; CHECK-LABEL: define void @reply(
; CHECK: call void @__akeso_output(i32 %fd, ptr @akeso.output.name)
; CHECK-NEXT: call i64 @write(i32 %fd, ptr %buf, i64 5)
; CHECK: call void @__akeso_output(i32 %fd, ptr @akeso.output.name.1)
; CHECK-NEXT: call i64 @sendto(
; OFF-LABEL: define void @reply(
; OFF-NOT: call void @__akeso_output
; OFF: ret void
  %1 = call i64 @write(i32 %fd, ptr %buf, i64 5)
  %2 = call i64 @sendto(i32 %fd, ptr %buf, i64 5, i32 0, ptr null, i32 0)
  ret void
}

define void @odd_prototype(i64 %fd, ptr %iov) {
; CHECK-LABEL: define void @odd_prototype(
; CHECK-NOT: __akeso_output
; CHECK: ret void
  %1 = call i64 @writev(i64 %fd, ptr %iov, i32 1)
  ret void
}
