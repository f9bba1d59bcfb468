; Functions that opt out of instrumentation, and declarations, are untouched.
; RUN: %opt -passes=akeso-instrument -akeso-inline-fast-path=false -S %s | FileCheck %s
; RUN: %opt -passes=akeso-instrument -akeso-inline-fast-path=false -akeso-instrument-reads=false -S %s | FileCheck %s --check-prefix=NOREADS

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@g = global i32 0

; CHECK-LABEL: define void @opted_out(
; CHECK-NOT: __akeso
; CHECK: ret void
define void @opted_out() disable_sanitizer_instrumentation {
  store i32 1, ptr @g
  ret void
}

; CHECK-LABEL: define i32 @reads(
; CHECK: call void @__akeso_read_4(ptr @g)
; NOREADS-LABEL: define i32 @reads(
; NOREADS-NOT: __akeso_read
; NOREADS: call void @__akeso_write_4(ptr @g)
define i32 @reads() {
  %v = load i32, ptr @g
  store i32 1, ptr @g
  ret i32 %v
}
