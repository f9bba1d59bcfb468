; Releases inside domains are deferred to commit and allocations are undone
; on rollback, so every allocation and release call goes through the runtime.
; RUN: %opt -passes=akeso-instrument -S %s | FileCheck %s
; RUN: %opt -passes=akeso-instrument -akeso-track-allocations=false -S %s | FileCheck %s --check-prefix=OFF

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

declare ptr @malloc(i64)
declare ptr @calloc(i64, i64)
declare ptr @realloc(ptr, i64)
declare ptr @strdup(ptr)
declare void @free(ptr)
declare ptr @_Znwm(i64)
declare void @_ZdlPv(ptr)
declare void @_ZdlPvm(ptr, i64)

; CHECK-LABEL: define void @c_heap(
define void @c_heap(ptr %s) {
; CHECK: %m = call ptr @malloc(i64 8)
; CHECK-NEXT: call void @__akeso_allocated(ptr %m, ptr @free)
  %m = call ptr @malloc(i64 8)
; CHECK: %c = call ptr @calloc(i64 2, i64 8)
; CHECK-NEXT: call void @__akeso_allocated(ptr %c, ptr @free)
  %c = call ptr @calloc(i64 2, i64 8)
; CHECK: %d = call ptr @strdup(ptr %s)
; CHECK-NEXT: call void @__akeso_allocated(ptr %d, ptr @free)
  %d = call ptr @strdup(ptr %s)
; CHECK: %r = call ptr @__akeso_realloc(ptr %m, i64 64)
  %r = call ptr @realloc(ptr %m, i64 64)
; CHECK: call void @__akeso_release(ptr %c, ptr @free)
; CHECK-NOT: call void @free
  call void @free(ptr %c)
  ret void
}

; CHECK-LABEL: define void @cxx_heap(
define void @cxx_heap() {
; CHECK: %o = call ptr @_Znwm(i64 16)
; CHECK-NEXT: call void @__akeso_allocated(ptr %o, ptr @_ZdlPv)
  %o = call ptr @_Znwm(i64 16)
; A sized delete is deferred as the unsized one, callable with the object.
; CHECK: call void @__akeso_release(ptr %o, ptr @_ZdlPv)
  call void @_ZdlPvm(ptr %o, i64 16)
  ret void
}

; OFF-NOT: call void @__akeso_allocated
; OFF-NOT: call void @__akeso_release
