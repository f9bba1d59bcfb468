; What the wrapper takes over from the original function and what it must
; not: comdat (C++ inline functions), type metadata (CFI/KCFI), promises
; about the return value that the landing pad's error value breaks, and
; block addresses, which keep naming the body's blocks.
; RUN: %opt -passes=akeso-lower -S %s | FileCheck %s
; RUN: %opt -passes=akeso-lower,verify -disable-output %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

$inline_fn = comdat any

@n = private constant [2 x i8] c"f\00"
@targets = global [1 x ptr] [ptr blockaddress(@computed, %second)]

declare void @akeso.domain.begin(i32, ptr, ...)
declare void @akeso.domain.end()

; CHECK: @targets = global [1 x ptr] [ptr blockaddress(@computed.akeso.body, %second)]

; CHECK-LABEL: define internal i32 @inline_fn.akeso.body() comdat($inline_fn)
define linkonce_odr i32 @inline_fn() comdat {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 0, ptr @n, i32 -1)
  ret i32 1
}

define nonnull align 8 ptr @promises() !kcfi_type !0 {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 0, ptr @n, ptr null)
  ret ptr @n
}

define i32 @computed(i32 %i) {
  call void (i32, ptr, ...) @akeso.domain.begin(i32 0, ptr @n, i32 -1)
  %t = load ptr, ptr @targets
  indirectbr ptr %t, [label %second]
second:
  ret i32 2
}

; CHECK-LABEL: define linkonce_odr i32 @inline_fn() {{.*}}comdat personality
; The landing pad returns null: no nonnull/align promise on the wrapper.
; CHECK: define ptr @promises() {{.*}}!kcfi_type [[K:![0-9]+]]
; CHECK: [[K]] = !{i32 12345}

!0 = !{i32 12345}
