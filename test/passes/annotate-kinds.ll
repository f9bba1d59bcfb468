; Every domain kind is marked, with its number (akeso_domain_kind): basic 0,
; reversible 1, transparent 2, unlogged 3.  An unlogged domain is never
; rolled back, so its marker has no error value even when the function
; returns one.  An inverse becomes a second marker naming the callee and,
; per argument, -1 for `ret` or N for `argN`.  Inverses this module defines
; are kept out of line so that their calls reach the instrumentation pass.
; RUN: %opt -passes=akeso-annotate -akeso-annotations=%S/Inputs/kinds.yaml -S %s 2>&1 | FileCheck %s
; RUN: %opt -passes=akeso-annotate -akeso-annotations=%S/Inputs/kinds.yaml -akeso-defer-inverses=false -S %s 2>&1 | FileCheck %s --check-prefix=NODEFER
; RUN: %opt -passes=akeso-annotate,verify -akeso-annotations=%S/Inputs/kinds.yaml -disable-output %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

; CHECK-NOT: warning
; CHECK-LABEL: define ptr @kv_alloc(i64 %n)
; CHECK-NEXT: call void (i32, ptr, ...) @akeso.domain.begin(i32 1, ptr @akeso.name.kv_alloc, ptr null)
; CHECK-NEXT: call void (ptr, ...) @akeso.domain.inverse(ptr @kv_free, i32 -1)
; CHECK-NEXT: %p = call ptr @malloc(i64 %n)
; CHECK-NEXT: call void @akeso.domain.end()
; CHECK-NEXT: ret ptr %p
declare ptr @malloc(i64)
declare void @kv_free(ptr)
define ptr @kv_alloc(i64 %n) {
  %p = call ptr @malloc(i64 %n)
  ret ptr %p
}

; CHECK-LABEL: define i32 @cache_touch(i32 %k)
; CHECK-NEXT: call void (i32, ptr, ...) @akeso.domain.begin(i32 2, ptr @akeso.name.cache_touch, i32 -1)
; CHECK-NEXT: call void @akeso.domain.end()
define i32 @cache_touch(i32 %k) {
  ret i32 %k
}

; The inverse is defined here: noinline, and no longer alwaysinline.
; CHECK-LABEL: define void @counter_sub(ptr %c, i64 %d)
; CHECK-SAME: [[OUTOFLINE:#[0-9]+]]
; NODEFER-LABEL: define void @counter_sub(ptr %c, i64 %d)
; NODEFER-SAME: [[INLINE:#[0-9]+]]
define void @counter_sub(ptr %c, i64 %d) alwaysinline {
  %v = atomicrmw sub ptr %c, i64 %d monotonic
  ret void
}

; CHECK-LABEL: define i64 @counter_add(ptr %c, i64 %d)
; CHECK-NEXT: call void (i32, ptr, ...) @akeso.domain.begin(i32 3, ptr @akeso.name.counter_add)
; CHECK-NEXT: call void (ptr, ...) @akeso.domain.inverse(ptr @counter_sub, i32 0, i32 1)
; CHECK-NEXT: %v = atomicrmw add
define i64 @counter_add(ptr %c, i64 %d) nounwind {
  %v = atomicrmw add ptr %c, i64 %d monotonic
  ret i64 %v
}

; CHECK-LABEL: define void @log_flush()
; CHECK-NEXT: call void (i32, ptr, ...) @akeso.domain.begin(i32 3, ptr @akeso.name.log_flush)
; CHECK-NEXT: call void @akeso.domain.end()
define void @log_flush() {
  ret void
}

; CHECK-LABEL: define i32 @stats_note()
; CHECK-NEXT: call void (i32, ptr, ...) @akeso.domain.begin(i32 1, ptr @akeso.name.stats_note, i32 0)
; CHECK-NEXT: call void @akeso.domain.end()
define i32 @stats_note() {
  ret i32 1
}

; A C++ inverse is found by its name: obj_put is _Z7obj_putPv.
; CHECK-LABEL: define ptr @obj_get(ptr %o)
; CHECK-NEXT: call void (i32, ptr, ...) @akeso.domain.begin(i32 3, ptr @akeso.name.obj_get)
; CHECK-NEXT: call void (ptr, ...) @akeso.domain.inverse(ptr @_Z7obj_putPv, i32 0)
declare void @_Z7obj_putPv(ptr)
define ptr @obj_get(ptr %o) {
  ret ptr %o
}

; CHECK: attributes [[OUTOFLINE]] = { noinline }
; NODEFER: attributes [[INLINE]] = { alwaysinline }
