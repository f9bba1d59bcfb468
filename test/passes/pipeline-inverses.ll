; The three passes in an optimising pipeline (as clang -fpass-plugin runs
; them): kv_alloc, a reversible domain, ends by logging kv_free(ret); the
; thunk stays uninstrumented through the optimiser; kv_free is kept out of
; line, so the instrumentation pass, which runs last, still sees its call
; in handle and defers it.
; RUN: %opt -passes='default<O2>' -akeso-annotations=%S/Inputs/inverses.yaml -S %s | FileCheck %s
; Without deferral kv_free may be inlined into handle, free and all.
; RUN: %opt -passes='default<O2>' -akeso-annotations=%S/Inputs/inverses.yaml -akeso-defer-inverses=false -S %s | FileCheck %s --check-prefix=NODEFER

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @malloc(i64)
declare void @free(ptr)

define ptr @kv_alloc(i64 %n) nounwind {
  %p = call ptr @malloc(i64 %n)
  ret ptr %p
}

define void @kv_free(ptr %p) nounwind {
  call void @free(ptr %p)
  ret void
}

define void @handle(ptr %table) nounwind {
  %old = load ptr, ptr %table
  store ptr null, ptr %table
  call void @kv_free(ptr %old)
  ret void
}

; CHECK-LABEL: define void @kv_free(
; CHECK: call void @__akeso_release(ptr %p, ptr {{.*}}@free)

; CHECK-LABEL: define void @handle(
; CHECK: [[OLD:%.*]] = load ptr, ptr %table
; CHECK: [[I:%.*]] = ptrtoint ptr [[OLD]] to i64
; CHECK-NEXT: call void (ptr, i32, ...) @__akeso_defer_call(ptr {{.*}}@akeso.deferred.kv_free, i32 1, i64 [[I]])
; CHECK-NOT: call void @kv_free

; CHECK-LABEL: define {{.*}}ptr @kv_alloc(
; CHECK: call ptr @__akeso_domain_begin(i32 1,
; CHECK: call void (ptr, i32, ...) @__akeso_domain_end_inverse(ptr {{.*}}@akeso.inverse.kv_alloc, i32 1, i64

; CHECK-LABEL: define internal void @akeso.inverse.kv_alloc(ptr
; CHECK-NOT: __akeso
; CHECK: call void @kv_free(
; CHECK-NEXT: ret void

; CHECK-LABEL: define internal void @akeso.deferred.kv_free(ptr
; CHECK-NOT: __akeso
; CHECK: call void @kv_free(
; CHECK-NEXT: ret void

; NODEFER-LABEL: define void @handle(
; NODEFER-NOT: __akeso_defer_call
; NODEFER: call void @__akeso_release(
